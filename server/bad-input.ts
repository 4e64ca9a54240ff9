/**
 * Bad input is answered, never fatal, and logged once per (socket, kind) so a misbehaving
 * client cannot flood the log.
 *
 * @module
 */

/** An error as one log line's worth of text: its stack when it has one. */
export function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** Where the server writes its warnings. Default: `console.warn`. */
export type Logger = (message: string) => void;

/** One report of bad input, as the `bad-input` event carries it. */
export interface BadInputReport {
  /** The client socket id, or `"http"` for HTTP requests. */
  readonly source: string;
  /** What kind of bad input: `invalid register`, `unknown event`, `upload 413`... */
  readonly kind: string;
  /** What was wrong, e.g. `invalid input: message`. */
  readonly detail: string;
}

/** Logs each (source, kind) once and reports every occurrence. */
export class BadInputLog {
  private readonly logged = new Map<string, Set<string>>();

  constructor(
    private readonly logger: Logger,
    private readonly onReport: (report: BadInputReport) => void,
  ) {}

  report(source: string, kind: string, detail: string): void {
    this.onReport({ source, kind, detail });
    let kinds = this.logged.get(source);
    if (!kinds) {
      kinds = new Set();
      this.logged.set(source, kinds);
    }
    if (kinds.has(kind)) return;
    kinds.add(kind);
    this.logger(`cention-chat server: ${kind} from ${source}: ${detail} (logged once per source and kind)`);
  }

  /** Forgets a source that went away (a disconnected socket). */
  forget(source: string): void {
    this.logged.delete(source);
  }
}
