/**
 * Readers of what a server emits on the socket (docs/protocol.md §5), read leniently: a client
 * must work against any server that follows the protocol, so missing optional fields get their
 * empty value. Every reader takes an already decoded payload (see {@link decodePayload}) and
 * never throws.
 *
 * @module
 */
import type { AgentPreview, ChatMessageEvent, Message, MessageAcked, MessageSent, Sender, SessionInfo } from './wire';
import { fields, num, num0, readFields, str } from './values';

const SENDERS: readonly string[] = ['CLIENT', 'AGENT', 'SYSTEM'] satisfies Sender[];

function isWellFormed(f: Readonly<Record<string, unknown>>): boolean {
  return (
    typeof f['id'] === 'number' &&
    Number.isFinite(f['id']) &&
    SENDERS.includes(f['sender'] as string) &&
    typeof f['sent'] === 'number' &&
    typeof f['sentHuman'] === 'string' &&
    typeof f['text'] === 'string' &&
    typeof f['umid'] === 'string'
  );
}

/**
 * Reads one transcript Message; `undefined` when it has no usable `id`. A message that is
 * already well formed is returned as it is (a flood of them allocates nothing), so pass it a
 * freshly decoded value, not one that something else will change.
 */
export function readMessage(raw: unknown): Message | undefined {
  const f = fields(raw);
  if (f && isWellFormed(f)) return f as unknown as Message;
  return readFields<Message>(raw, {
    id: num,
    sender: (value) => {
      const sender = str(value).toUpperCase();
      return (SENDERS.includes(sender) ? sender : 'SYSTEM') as Sender;
    },
    sent: num0,
    sentHuman: str,
    text: str,
    umid: str,
  });
}

/** Reads a `chat message` event; messages without an id are dropped. */
export function readChatMessageEvent(raw: unknown): ChatMessageEvent | undefined {
  return readFields<ChatMessageEvent>(raw, {
    agent: str,
    chat: (list) => (Array.isArray(list) ? list : []).map(readMessage).filter((message): message is Message => message !== undefined),
    client: str,
  });
}

/** Reads a Message sent object (the ack of `chat message` or the `message sent` event). */
export function readMessageSent(raw: unknown): MessageSent | undefined {
  const sent = readFields<MessageSent>(raw, { id: str, umid: str, sent: num0, sentHuman: str });
  return sent && (sent.id !== '' || sent.umid !== '') ? sent : undefined;
}

/** Reads a `message acked` payload. */
export function readMessageAcked(raw: unknown): MessageAcked {
  const ids = fields(raw)?.['ids'];
  return { ids: (Array.isArray(ids) ? ids : []).map(num).filter((id): id is number => id !== undefined) };
}

/** A whole number read from a payload's field (`pick`), or from a bare number; `undefined` when it is not one. */
function countOf(raw: unknown, pick: (f: Readonly<Record<string, unknown>>) => unknown): number | undefined {
  const f = fields(raw);
  const value = num(f ? pick(f) : raw);
  return value === undefined ? undefined : Math.floor(value);
}

/** Reads an `agent preview` payload; an unreadable length counts as "stopped typing". */
export function readAgentPreview(raw: unknown): AgentPreview {
  return { messageLen: Math.max(0, countOf(raw, (f) => f['messageLen']) ?? 0) };
}

/** Reads a `queue` payload (a 1-based place); `undefined` when it is not a number. */
export function readQueuePosition(raw: unknown): number | undefined {
  const value = countOf(raw, (f) => f['queue'] ?? f['position']);
  return value !== undefined && value >= 0 ? value : undefined;
}

/** Reads a `register`/`resume` success reply; `undefined` when it names no session. */
export function readSessionInfo(raw: unknown): SessionInfo | undefined {
  return readFields<SessionInfo>(raw, { sessionId: num, sessionSecret: (value) => str(value) || undefined, areaId: num0, clientName: str });
}
