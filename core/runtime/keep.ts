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

/** Keeps the chat's key and whatever of the outbox is still unsent. */
function writeChat(store: SessionStore, chat: ChatKey, outbox: readonly OutboxEntry[]): void {
  const saved: SavedChat = { area: chat.area, sessionId: chat.sessionId, secret: chat.secret, outbox: outbox.filter(isUnsent) };
  try {
    store.storage?.setItem(storageKey(store, chat.area), JSON.stringify(saved));
    store.storage?.setItem(storageKey(store, 'last'), String(chat.area));
  } catch {
    // Full or blocked storage: the chat goes on; only the next page cannot resume it.
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

/** Makes the keeper of one runtime. */
export function keepChat(store: SessionStore): ChatKeeper {
  // The kept chat a resume took up. While the machine resumes it (its resumeSecret is this
  // chat's) and the server has not answered, it is what this page holds, and what the customer
  // writes meanwhile is kept under it; a new chat or a reset clears the machine's resumeSecret,
  // and with it this hold.
  let resuming: ChatKey | undefined;
  // The area of the last resume, forgotten when the server says it has no such chat.
  let resumeArea: number | undefined;
  // What the store was last told, so it is written only when that changes.
  let session: SessionInfo | undefined;
  let holder: ChatKey | undefined;
  let outbox: readonly OutboxEntry[] | undefined;
  let over = false;
  let area: number | undefined;
  return {
    sent(event) {
      if (event.type !== 'user.resume') return;
      resumeArea = event.area;
      const kept = event.secret === undefined || event.area === undefined ? undefined : readChat(store, event.area);
      if (kept?.secret === event.secret) resuming = kept;
    },
    notified(n) {
      if (n.type === 'rejected' && n.ref.command === 'resume' && (n.fault.code === 'no-session' || n.fault.code === 'chat-closed')) {
        resuming = undefined;
        if (resumeArea !== undefined) forgetChat(store, resumeArea);
      }
    },
    changed(snapshot) {
      const { context } = snapshot;
      const ended = phaseOf(snapshot) === 'finished';
      const resumed = context.session === undefined && resuming?.secret === context.resumeSecret ? resuming : undefined;
      if (context.session === session && resumed === holder && context.outbox === outbox && ended === over) return;
      // Keep the chat and the unsent messages for the next page; forget them once the chat is over.
      const key = context.session ? keyOf(context.session) : resumed;
      if (key && !ended) writeChat(store, key, context.outbox);
      else if (area !== undefined) forgetChat(store, area);
      session = context.session;
      holder = resumed;
      outbox = context.outbox;
      over = ended;
      area = key && !ended ? key.area : undefined;
    },
  };
}
