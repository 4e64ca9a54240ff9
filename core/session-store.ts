/**
 * Keeps a chat's session secret and unsent messages in `sessionStorage`, per area, so the next
 * page can resume the chat and send what this page could not.
 *
 * @module
 */
import type { OutboxEntry } from '../machines';
import { isUnsent } from '../machines';
import type { SessionInfo } from './protocol';

/** The part of the Web Storage API the store uses. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Which chat a page holds: enough to resume it. */
export interface ChatKey {
  readonly area: number;
  readonly sessionId: number;
  readonly secret: string;
}

/** What a page keeps of its chat for the next page. */
export interface SavedChat extends ChatKey {
  /** Own messages without a reply yet, to send after the resume. */
  readonly outbox: readonly OutboxEntry[];
}

/** The key of a session the server gave. */
export function keyOf(session: SessionInfo): ChatKey {
  return { area: session.areaId, sessionId: session.sessionId, secret: session.sessionSecret };
}

function isEntry(value: unknown): value is OutboxEntry {
  const e = value as Partial<OutboxEntry> | null;
  return typeof e === 'object' && e !== null && typeof e.umid === 'string' && typeof e.text === 'string' && typeof e.mcount === 'number' && typeof e.state === 'string';
}

/** A per-area store of {@link SavedChat}s under one `baseURL`. Never throws: storage may be full or blocked. */
export class SessionStore {
  constructor(
    private readonly storage: StorageLike | undefined,
    private readonly baseURL: string,
  ) {}

  private key(area: number | 'last'): string {
    return `cention-chat:${this.baseURL}:${area}`;
  }

  /** The saved chat of an area, or with `-1` of the area saved last. */
  read(area: number): SavedChat | undefined {
    if (!this.storage) return undefined;
    try {
      const which = area === -1 ? Number(this.storage.getItem(this.key('last'))) : area;
      if (!Number.isSafeInteger(which) || which < 0) return undefined;
      const raw = this.storage.getItem(this.key(which));
      if (!raw) return undefined;
      const saved = JSON.parse(raw) as Partial<SavedChat>;
      if (typeof saved.secret !== 'string' || typeof saved.sessionId !== 'number' || typeof saved.area !== 'number') return undefined;
      return { area: saved.area, sessionId: saved.sessionId, secret: saved.secret, outbox: Array.isArray(saved.outbox) ? saved.outbox.filter(isEntry) : [] };
    } catch {
      return undefined;
    }
  }

  /** Saves the chat's key and whatever of the outbox is still unsent. */
  write(chat: ChatKey, outbox: readonly OutboxEntry[]): void {
    if (!this.storage) return;
    const saved: SavedChat = { area: chat.area, sessionId: chat.sessionId, secret: chat.secret, outbox: outbox.filter(isUnsent) };
    try {
      this.storage.setItem(this.key(chat.area), JSON.stringify(saved));
      this.storage.setItem(this.key('last'), String(chat.area));
    } catch {
      // Full or blocked storage: the chat goes on; only the next page cannot resume it.
    }
  }

  /** Forgets an area's chat. */
  clear(area: number): void {
    if (!this.storage) return;
    try {
      this.storage.removeItem(this.key(area));
      if (this.storage.getItem(this.key('last')) === String(area)) this.storage.removeItem(this.key('last'));
    } catch {
      // Nothing to do: see write().
    }
  }
}
