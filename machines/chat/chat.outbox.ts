import type { Message, MessageSent } from '../wire';
import type { ChatFault } from './chat.faults';

/**
 * Where an own message is on its way to the agent:
 * `queued` (waiting for the link) → `sending` (emitted, no reply yet) → `sent` (the server
 * stored it) → `acked` (the agent has it); or `failed` with a reason.
 *
 * An entry leaves the outbox once its message is in the transcript; from then on the
 * transcript and the delivered ids tell its state. So the outbox holds only what is on its way,
 * and stays small however long the chat.
 */
export type OutboxState = 'queued' | 'sending' | 'sent' | 'acked' | 'failed';

/** One message the customer wrote that the transcript does not show yet, with its delivery state. */
export interface OutboxEntry {
  /** The client-made unique message id. */
  readonly umid: string;
  readonly text: string;
  readonly state: OutboxState;
  /** The client's running message count when it was written. */
  readonly mcount: number;
  /** The server's message id, once known (from the reply or the echo). */
  readonly messageId?: number;
  /** The server's Message sent object, once sent. */
  readonly receipt?: MessageSent;
  /** Why it failed. */
  readonly fault?: ChatFault;
}

/** Whether an entry still needs the server (it has no reply yet). */
export function isUnsent(entry: OutboxEntry): boolean {
  return entry.state === 'queued' || entry.state === 'sending';
}

function update(outbox: readonly OutboxEntry[], umid: string, change: (entry: OutboxEntry) => OutboxEntry | undefined): readonly OutboxEntry[] {
  // Newest entries are the likeliest to change, so search from the end.
  for (let i = outbox.length - 1; i >= 0; i--) {
    const entry = outbox[i] as OutboxEntry;
    if (entry.umid !== umid) continue;
    const next = change(entry);
    if (!next || next === entry) return outbox;
    const copy = outbox.slice();
    copy[i] = next;
    return copy;
  }
  return outbox;
}

/** Finds an entry by umid. */
export function findEntry(outbox: readonly OutboxEntry[], umid: string): OutboxEntry | undefined {
  for (let i = outbox.length - 1; i >= 0; i--) if (outbox[i]?.umid === umid) return outbox[i];
  return undefined;
}

/**
 * The entry of an own message the transcript now shows: by its umid, or, when the server sends
 * it without one (after a restart that forgot umids), by the message id the entry already knows.
 * An entry the server confirmed as `already-seen-<umid>` knows no id: then the oldest such entry
 * with the same text is taken. That entry is stored already, so the match only decides where
 * the message is shown (once, in the transcript), never whether it is sent.
 */
export function entryOfEcho(outbox: readonly OutboxEntry[], message: Message): OutboxEntry | undefined {
  if (message.umid !== '') return findEntry(outbox, message.umid);
  for (let i = outbox.length - 1; i >= 0; i--) if (outbox[i]?.messageId === message.id) return outbox[i];
  return outbox.find((e) => (e.state === 'sent' || e.state === 'acked') && e.messageId === undefined && e.text === message.text);
}

/** Moves the given unsent entries to `sending`. */
export function markSending(outbox: readonly OutboxEntry[], umids: ReadonlySet<string>): readonly OutboxEntry[] {
  if (umids.size === 0) return outbox;
  return outbox.map((entry) => (umids.has(entry.umid) && isUnsent(entry) ? { ...entry, state: 'sending' } : entry));
}

/** Puts every `sending` entry back to `queued`: its reply will never come on a dead link. */
export function requeueInFlight(outbox: readonly OutboxEntry[]): readonly OutboxEntry[] {
  return outbox.some((e) => e.state === 'sending') ? outbox.map((e) => (e.state === 'sending' ? { ...e, state: 'queued' } : e)) : outbox;
}

/** Puts one `sending` entry back to `queued` (e.g. its reply timed out). */
export function requeue(outbox: readonly OutboxEntry[], umid: string): readonly OutboxEntry[] {
  return update(outbox, umid, (e) => (e.state === 'sending' ? { ...e, state: 'queued' } : e));
}

/** The outcome of completing an entry: the new outbox, and the entry if this completed it. */
export interface Completion {
  readonly outbox: readonly OutboxEntry[];
  readonly completed: OutboxEntry | undefined;
}

function parseMessageId(receipt: MessageSent): number | undefined {
  const id = Number(receipt.id);
  return receipt.id !== '' && Number.isSafeInteger(id) ? id : undefined;
}

/**
 * Completes an entry as `sent`. Only the first completion of a umid counts: a later reply, a
 * `message sent` event or an echo for the same umid only fills in a missing message id.
 */
export function complete(outbox: readonly OutboxEntry[], receipt: MessageSent, messageId = parseMessageId(receipt)): Completion {
  let completed: OutboxEntry | undefined;
  const next = update(outbox, receipt.umid, (entry) => {
    if (entry.state === 'sent' || entry.state === 'acked') {
      return entry.messageId === undefined && messageId !== undefined ? { ...entry, messageId } : entry;
    }
    completed = { ...entry, state: 'sent', receipt, ...(messageId !== undefined ? { messageId } : {}) };
    return completed;
  });
  return { outbox: next, completed };
}

/** Takes an entry out: its message is in the transcript now. */
export function removeEntry(outbox: readonly OutboxEntry[], umid: string): readonly OutboxEntry[] {
  const i = outbox.findIndex((e) => e.umid === umid);
  return i < 0 ? outbox : [...outbox.slice(0, i), ...outbox.slice(i + 1)];
}

/** Marks entries whose message id is in `ids` as `acked`; returns the entries that changed. */
export function markAcked(outbox: readonly OutboxEntry[], ids: readonly number[]): { outbox: readonly OutboxEntry[]; acked: readonly OutboxEntry[] } {
  if (ids.length === 0) return { outbox, acked: [] };
  const wanted = new Set(ids);
  const acked: OutboxEntry[] = [];
  const next = outbox.map((entry) => {
    if (entry.messageId === undefined || !wanted.has(entry.messageId) || entry.state === 'acked') return entry;
    const changed: OutboxEntry = { ...entry, state: 'acked' };
    acked.push(changed);
    return changed;
  });
  return { outbox: acked.length > 0 ? next : outbox, acked };
}

/** Fails one entry with a reason (if it is still unsent). */
export function failEntry(outbox: readonly OutboxEntry[], umid: string, reason: ChatFault): readonly OutboxEntry[] {
  return update(outbox, umid, (e) => (isUnsent(e) ? { ...e, state: 'failed', fault: reason } : e));
}

/** Fails every unsent entry with a reason (the chat ended before they could go). */
export function failUnsent(outbox: readonly OutboxEntry[], reason: ChatFault): readonly OutboxEntry[] {
  return outbox.some(isUnsent) ? outbox.map((e) => (isUnsent(e) ? { ...e, state: 'failed', fault: reason } : e)) : outbox;
}

/** Puts a failed entry back in the queue for another try. */
export function retryEntry(outbox: readonly OutboxEntry[], umid: string): readonly OutboxEntry[] {
  return update(outbox, umid, (e) => {
    if (e.state !== 'failed') return e;
    const { fault: _dropped, ...rest } = e;
    return { ...rest, state: 'queued' };
  });
}

/**
 * Merges entries restored from storage (a previous page) in front of the current ones,
 * keeping the current entry where both have the same umid.
 */
export function mergeRestored(outbox: readonly OutboxEntry[], restored: readonly OutboxEntry[]): readonly OutboxEntry[] {
  if (restored.length === 0) return outbox;
  const current = new Set(outbox.map((e) => e.umid));
  const earlier = restored.filter((e) => !current.has(e.umid)).map((e) => (e.state === 'sending' ? { ...e, state: 'queued' as const } : e));
  return [...earlier, ...outbox];
}
