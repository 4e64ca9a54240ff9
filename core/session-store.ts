/**
 * The chats a tab keeps in `sessionStorage`, per area: a chat's session secret and its unsent
 * messages, so that the next page can resume the chat and send what this page could not. This
 * file reads and forgets them (what a page needs before it chats); the runtime writes them
 * (`runtime/keep.ts`). None of it throws: storage may be full or blocked.
 *
 * @module
 */
import type { OutboxEntry } from '../machines/chat/chat.outbox';
import type { SessionInfo } from './protocol/wire';

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

/** Where the chats of one `baseURL` are kept (`storage` is `undefined` when there is none, or it is blocked). */
export interface SessionStore {
  readonly storage: StorageLike | undefined;
  readonly baseURL: string;
}

/** The key of a session the server gave. */
export function keyOf(session: SessionInfo): ChatKey {
  return { area: session.areaId, sessionId: session.sessionId, secret: session.sessionSecret };
}

/** The storage key of an area's chat, or of which area was kept last. */
export function storageKey(store: SessionStore, area: number | 'last'): string {
  return `cention-chat:${store.baseURL}:${area}`;
}

function isEntry(value: unknown): value is OutboxEntry {
  const e = value as Partial<OutboxEntry> | null;
  return typeof e === 'object' && e !== null && typeof e.umid === 'string' && typeof e.text === 'string' && typeof e.mcount === 'number' && typeof e.state === 'string';
}

/** The kept chat of an area, or with `-1` of the area kept last. */
export function readChat(store: SessionStore, area: number): SavedChat | undefined {
  try {
    const which = area === -1 ? Number(store.storage?.getItem(storageKey(store, 'last'))) : area;
    const raw = Number.isSafeInteger(which) && which >= 0 ? store.storage?.getItem(storageKey(store, which)) : undefined;
    if (!raw) return undefined;
    const saved = JSON.parse(raw) as Partial<SavedChat>;
    if (typeof saved.secret !== 'string' || typeof saved.sessionId !== 'number' || typeof saved.area !== 'number') return undefined;
    return { area: saved.area, sessionId: saved.sessionId, secret: saved.secret, outbox: Array.isArray(saved.outbox) ? saved.outbox.filter(isEntry) : [] };
  } catch {
    return undefined;
  }
}

/** Forgets an area's kept chat. */
export function forgetChat(store: SessionStore, area: number): void {
  try {
    store.storage?.removeItem(storageKey(store, area));
    if (store.storage?.getItem(storageKey(store, 'last')) === String(area)) store.storage.removeItem(storageKey(store, 'last'));
  } catch {
    // Full or blocked storage: the chat goes on; only the next page cannot resume it.
  }
}
