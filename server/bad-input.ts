/**
 * Bad input is answered, never fatal, and logged once per (source, kind) so a misbehaving
 * client cannot flood the log. A source is a client socket (forgotten when it disconnects) or
 * the address of an HTTP client; the log remembers a bounded number of sources, so neither a
 * client hammering from one address nor requests from many addresses grow memory without end.
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
  /** The client socket id, or the client's address for HTTP requests and refused socket.io handshakes. */
  readonly source: string;
  /** What kind of bad input: `invalid register`, `unknown event`, `upload 413`... */
  readonly kind: string;
  /** What was wrong, e.g. `invalid input: message`. */
  readonly detail: string;
}

/** How many sources the log remembers by default; the oldest is forgotten first. */
export const BAD_INPUT_SOURCES = 1000;

/** Logs each (source, kind) once and reports every occurrence. */
export class BadInputLog {
  /** Kinds logged per source, oldest source first (a Map keeps insertion order). */
  private readonly logged = new Map<string, Set<string>>();

  constructor(
    private readonly logger: Logger,
    private readonly onReport: (report: BadInputReport) => void,
    private readonly maxSources = BAD_INPUT_SOURCES,
  ) {}

  report(source: string, kind: string, detail: string): void {
    this.onReport({ source, kind, detail });
    let kinds = this.logged.get(source);
    if (!kinds) {
      kinds = new Set();
      this.logged.set(source, kinds);
      for (const oldest of this.logged.keys()) {
        if (this.logged.size <= this.maxSources) break;
        this.logged.delete(oldest);
      }
    }
    if (kinds.has(kind)) return;
    kinds.add(kind);
    this.logger(`cention-chat server: ${kind} from ${source}: ${detail} (logged once per source and kind)`);
  }

  /** Forgets a source that went away (a disconnected socket). */
  forget(source: string): void {
    this.logged.delete(source);
  }

  /** How many sources it remembers now (never more than its bound). */
  get sources(): number {
    return this.logged.size;
  }
}
