/**
 * Redaction of recorded inputs: what people wrote and who they are, replaced by stand-ins of the
 * same length, so that a redacted recording still takes the machine through the same states.
 *
 * A stand-in depends only on the string it replaces, within one recording: equal strings get
 * equal stand-ins and different strings (of one length) different ones, so every comparison
 * the machine makes (an echo matched by its text, the same agent again, the same secret) comes
 * out as it did. Session secrets are always replaced: they would let whoever reads the file take
 * the chat over.
 *
 * @module
 */
import type { ChatEvent, OutboxEntry } from '../../machines';
import type { Message, RegisterPayload, SessionInfo } from '../protocol';

/** The digits of a stand-in; `PAD` fills the rest of its length. */
const DIGITS = 'abcdefghijklmnopqrstuvwxyz';
const PAD = '•';
/** A system message's text starts with this; the stand-in keeps it, so it still reads as one. */
const SYSTEM = '\u0001';

/**
 * Makes a stand-in maker: the n-th distinct string of a length L becomes n written in the
 * letters a–z, padded to L with `•` (`"Hello"` → `"••••a"`). Lengths count UTF-16 units, as the
 * protocol's limits do. Only when one recording holds more distinct strings of a length than
 * that length can number (26 of length 1, 676 of length 2…) do two stand-ins meet.
 */
export function createPseudonyms(): (text: string) => string {
  const made = new Map<string, string>();
  const counts = new Map<number, number>();
  const standIn = (text: string): string => {
    if (text === '') return '';
    if (text.startsWith(SYSTEM)) return SYSTEM + standIn(text.slice(1));
    const known = made.get(text);
    if (known !== undefined) return known;
    const n = counts.get(text.length) ?? 0;
    counts.set(text.length, n + 1);
    let digits = '';
    let rest = n;
    do {
      digits = DIGITS[rest % DIGITS.length] + digits;
      rest = Math.floor(rest / DIGITS.length);
    } while (rest > 0 && digits.length < text.length);
    const result = PAD.repeat(text.length - digits.length) + digits;
    made.set(text, result);
    return result;
  };
  return standIn;
}

/** How {@link redactEvent} treats an input. */
export interface Redaction {
  /** Makes the stand-in of a string (one maker per recording). */
  readonly standIn: (text: string) => string;
  /** Keep what people wrote and their names (secrets are replaced all the same). */
  readonly keepTexts: boolean;
}

/**
 * An input as a recording keeps it: plain JSON, with texts and names replaced unless they are
 * kept, secrets always replaced, and an attached file reduced to nothing (its name, size and
 * type are in the event beside it).
 */
export function redactEvent(event: ChatEvent, { standIn, keepTexts }: Redaction): ChatEvent {
  const text = (value: string) => (keepTexts ? value : standIn(value));
  const session = (value: SessionInfo): SessionInfo => ({ ...value, sessionSecret: standIn(value.sessionSecret), clientName: text(value.clientName) });
  const message = (value: Message): Message => ({ ...value, text: text(value.text) });
  const queued = (entry: OutboxEntry): OutboxEntry => ({ ...entry, text: text(entry.text) });
  const registration = (value: RegisterPayload): RegisterPayload => ({
    ...value,
    name: text(value.name),
    email: text(value.email),
    phone: text(value.phone),
    message: text(value.message),
    externalData: text(value.externalData),
  });
  switch (event.type) {
    case 'user.start':
      return { ...event, registration: registration(event.registration) };
    case 'user.resume':
      return { ...event, ...(event.secret !== undefined ? { secret: standIn(event.secret) } : {}), ...(event.outbox ? { outbox: event.outbox.map(queued) } : {}) };
    case 'user.send':
    case 'user.preview':
      return { ...event, text: text(event.text) };
    case 'user.attach':
      return { ...event, file: null, fileName: text(event.fileName) };
    case 'server.chatMessage':
      return { ...event, agent: text(event.agent), client: text(event.client), chat: event.chat.map(message) };
    case 'reply.register':
    case 'reply.resume':
      return event.reply.ok ? { ...event, reply: { ok: true, value: session(event.reply.value) } } : event;
    case 'upload.done':
      return { ...event, result: { ...event.result, value: text(event.result.value), download: text(event.result.download) } };
    default:
      return event;
  }
}
