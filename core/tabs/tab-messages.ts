/**
 * What the tabs of one chat say to each other on their `BroadcastChannel`. Every tab hears
 * every message; each kind says who acts on it.
 *
 * @module
 */
import type { Availability, UserEvent } from '../../machines';
import type { InputEntry } from '../replay/input-log';

/** An input-log entry as the tabs share it: numbered, and naming the command it fed, if any. */
export interface SharedEntry {
  /** 1, 2, 3… in the order the entries entered the leader's actor; a new leader goes on counting. */
  readonly seq: number;
  readonly entry: InputEntry;
  /** The id of the tab's command this entry is (so the tab that gave it knows it arrived). */
  readonly command?: string;
  /**
   * On a start given at rest (no child, no timer pending: every entry before it is dropped),
   * what a tab at rest needs to take the log up here: the timers the actor had set, and the
   * availability it knew.
   */
  readonly fromRest?: { readonly timers: number; readonly availability?: Availability | undefined };
}

/** The messages on the channel. */
export type TabMessage =
  /** A tab asks the leader for the log after `since` (0: all of it). */
  | { readonly type: 'hello'; readonly from: string; readonly logId: string | undefined; readonly since: number }
  /** The leader answers a `hello` of tab `to`. */
  | { readonly type: 'log'; readonly from: string; readonly to: string; readonly logId: string; readonly entries: readonly SharedEntry[] }
  /** The leader's actor took an input, or one of its timers fired. */
  | ({ readonly type: 'entry'; readonly from: string; readonly logId: string } & SharedEntry)
  /** A follower's command, for the leader to feed to its actor (once, by `id`). */
  | { readonly type: 'command'; readonly from: string; readonly id: string; readonly event: UserEvent }
  /** A tab took the lead; its log ends at `seq`. */
  | { readonly type: 'leader'; readonly from: string; readonly logId: string; readonly seq: number };

const KINDS: ReadonlySet<string> = new Set(['hello', 'log', 'entry', 'command', 'leader']);

function isEntry(value: unknown): value is SharedEntry {
  if (typeof value !== 'object' || value === null) return false;
  const { seq, entry } = value as { seq?: unknown; entry?: unknown };
  if (!Number.isSafeInteger(seq) || typeof entry !== 'object' || entry === null) return false;
  const e = entry as { t?: unknown; fire?: unknown; event?: unknown };
  return typeof e.t === 'number' && (Number.isSafeInteger(e.fire) || (typeof e.event === 'object' && e.event !== null && typeof (e.event as { type?: unknown }).type === 'string'));
}

/** Reads a message of the channel; anything else (another library's, a broken one) is `undefined`. */
export function readTabMessage(data: unknown): TabMessage | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const message = data as { type?: unknown; from?: unknown };
  if (typeof message.type !== 'string' || !KINDS.has(message.type) || typeof message.from !== 'string') return undefined;
  switch (message.type) {
    case 'entry':
      return isEntry(message) && typeof (message as { logId?: unknown }).logId === 'string' ? (message as TabMessage) : undefined;
    case 'log': {
      const { entries, to, logId } = message as { entries?: unknown; to?: unknown; logId?: unknown };
      return Array.isArray(entries) && entries.every(isEntry) && typeof to === 'string' && typeof logId === 'string' ? (message as TabMessage) : undefined;
    }
    case 'command': {
      const { id, event } = message as { id?: unknown; event?: unknown };
      const type = typeof event === 'object' && event !== null ? (event as { type?: unknown }).type : undefined;
      return typeof id === 'string' && typeof type === 'string' && type.startsWith('user.') ? (message as TabMessage) : undefined;
    }
    case 'hello':
      return Number.isSafeInteger((message as { since?: unknown }).since) ? (message as TabMessage) : undefined;
    default:
      return typeof (message as { logId?: unknown }).logId === 'string' && Number.isSafeInteger((message as { seq?: unknown }).seq) ? (message as TabMessage) : undefined;
  }
}
