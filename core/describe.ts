/**
 * What a transcript message says, for people: system messages become the seed's sentences,
 * translated, with the structured event beside them.
 *
 * @module
 */
import { describeSystemEvent, parseSystemEvent } from './protocol';
import type { Message, SystemEvent, Translate, UnknownSystemEvent } from './protocol';

/** A message ready to show: its text in words, and the system event it came from, if any. */
export interface DescribedMessage extends Message {
  /** The structured system event (e.g. `FILE_UPLOAD` with its download link), for system messages. */
  readonly event?: SystemEvent | UnknownSystemEvent;
}

/**
 * Describes a message: a system message's text becomes its sentence (through `translate`, the
 * seed's `CentionChat.I`); other messages are returned as they are. The text stays plain text:
 * insert it with `textContent`, never as HTML.
 */
export function describeMessage(message: Message, translate?: Translate): DescribedMessage {
  const event = message.sender === 'SYSTEM' || message.text.startsWith('\u0001') ? parseSystemEvent(message.text) : undefined;
  if (!event) return message;
  return { ...message, text: describeSystemEvent(event, translate), event };
}
