/** Predicates over `chat message` events, for `TestClient.next`. */
import type { ChatMessageEvent } from '../../../core/protocol';
import { parseSystemEvent } from '../../../core/protocol';

/** The structured system event of the event's first message, if it is one. */
export const systemEvent = (event: ChatMessageEvent) => parseSystemEvent(event.chat[0]?.text ?? '');

/** An event holding a message with exactly this text. */
export const withText = (text: string) => (event: ChatMessageEvent) => event.chat.some((m) => m.text === text);

/** An event holding a system message of this kind (`AGENTS_ADDED`, `FILE_UPLOAD`...). */
export const withEvent = (name: string) => (event: ChatMessageEvent) => event.chat.some((m) => parseSystemEvent(m.text)?.event === name);

/** An event holding the client message with this umid. */
export const withUmid = (umid: string) => (event: ChatMessageEvent) => event.chat.some((m) => m.umid === umid);
