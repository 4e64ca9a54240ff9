/**
 * Keeps the chat for the next page: its session (or the kept chat being resumed) and its unsent
 * messages, written to `sessionStorage` (`session-store.ts`) whenever they change, and forgotten once the
 * chat is over or the server no longer knows it.
 *
 * @module
 */
import { isUnsent, phaseOf } from '../../machines';
import type { ChatNotification, ChatSnapshot, OutboxEntry, UserEvent } from '../../machines';
import type { SessionInfo } from '../protocol';
import { forgetChat, keyOf, readChat, storageKey } from '../session-store';
import type { ChatKey, SavedChat, SessionStore } from '../session-store';

/**
 * Keeps the chat's key and whatever of the outbox is still unsent, unless that is what was
 * `written` last (a message's echo takes it out of the outbox once its reply made it sent, and
 * the store already holds what the next page needs). Returns what the store now holds; after a
 * failed write, what it held before, so that the next change writes again.
 */
function writeChat(store: SessionStore, chat: ChatKey, outbox: readonly OutboxEntry[], written: string | undefined): string | undefined {
  const { storage } = store;
  if (!storage) return;
  const saved = JSON.stringify({ area: chat.area, sessionId: chat.sessionId, secret: chat.secret, outbox: outbox.filter(isUnsent) } satisfies SavedChat);
  try {
    if (saved !== written) {
      storage.setItem(storageKey(store, chat.area), saved);
      storage.setItem(storageKey(store, 'last'), String(chat.area));
    }
    return saved;
  } catch {
    // Full or blocked storage: the chat goes on; only the next page cannot resume it.
    return written;
  }
}

/** What the runtime tells the keeper. */
export interface ChatKeeper {
  /** A command on its way to the machine. */
  sent(event: UserEvent): void;
  /** A notification of the machine. */
  notified(notification: ChatNotification): void;
  /** A new snapshot (on every transition, a flood included: O(1), and it builds no view). */
  changed(snapshot: ChatSnapshot): void;
}

/**
 * The keeper of one runtime: a class, not a closure per method, as every connected client has
 * one. Its fields are declared, not class fields, which the ES2020 drop-in would lower to calls
 * of a helper; each is set when first needed.
 */
class Keeper implements ChatKeeper {
  declare private readonly store: SessionStore;
  // The kept chat a resume took up. While the machine resumes it (its resumeSecret is this
  // chat's) and the server has not answered, it is what this page holds, and what the customer
  // writes meanwhile is kept under it; a new chat or a reset clears the machine's resumeSecret,
  // and with it this hold.
  declare private resuming: ChatKey | undefined;
  // The area of the last resume, forgotten when the server says it has no such chat.
  declare private resumeArea: number | undefined;
  // What the store was last told, so it is written only when that changes.
  declare private session: SessionInfo | undefined;
  declare private holder: ChatKey | undefined;
  declare private outbox: readonly OutboxEntry[] | undefined;
  declare private over: boolean | undefined;
  declare private area: number | undefined;
  // What the store holds (the JSON last written there): a change that would write the same skips it.
  declare private written: string | undefined;

  constructor(store: SessionStore) {
    this.store = store;
  }

  sent(event: UserEvent): void {
    if (event.type !== 'user.resume') return;
    this.resumeArea = event.area;
    const kept = event.secret === undefined || event.area === undefined ? undefined : readChat(this.store, event.area);
    if (kept?.secret === event.secret) this.resuming = kept;
  }

  notified(n: ChatNotification): void {
    if (n.type === 'rejected' && n.ref.command === 'resume' && (n.fault.code === 'no-session' || n.fault.code === 'chat-closed')) {
      this.resuming = undefined;
      this.written = undefined;
      if (this.resumeArea !== undefined) forgetChat(this.store, this.resumeArea);
    }
  }

  changed(snapshot: ChatSnapshot): void {
    const { context } = snapshot;
    const ended = phaseOf(snapshot) === 'finished';
    const resumed = context.session === undefined && this.resuming?.secret === context.resumeSecret ? this.resuming : undefined;
    if (context.session === this.session && resumed === this.holder && context.outbox === this.outbox && ended === (this.over ?? false)) return;
    // Keep the chat and the unsent messages for the next page; forget them once the chat is over.
    const key = context.session ? keyOf(context.session) : resumed;
    if (key && !ended) this.written = writeChat(this.store, key, context.outbox, this.written);
    else {
      this.written = undefined;
      if (this.area !== undefined) forgetChat(this.store, this.area);
    }
    this.session = context.session;
    this.holder = resumed;
    this.outbox = context.outbox;
    this.over = ended;
    this.area = key && !ended ? key.area : undefined;
  }
}

/** Makes the keeper of one runtime. */
export function keepChat(store: SessionStore): ChatKeeper {
  return new Keeper(store);
}
