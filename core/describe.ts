/**
 * What a transcript message says, for people: system messages become the seed's sentences,
 * translated, with the structured event beside them.
 *
 * @module
 */
import { webAddress } from './protocol/addresses';
import { describeSystemEvent, parseSystemEvent } from './protocol/system-message';
import type { Message, SystemEvent, Translate, UnknownSystemEvent } from './protocol';

/** A message ready to show: its text in words, and the system event it came from, if any. */
export interface DescribedMessage extends Message {
  /**
   * The structured system event (e.g. `FILE_UPLOAD` with its download link), for system
   * messages. A `FILE_UPLOAD` whose `fileDownload` is not an http(s) address (on `baseURL`'s
   * origin, when {@link describeMessage} was given one) has `fileDownload: ""`: show the file's
   * name without a link.
   */
  readonly event?: SystemEvent | UnknownSystemEvent;
}

/** Whether a message carries a system event (the server's; a client's own text never passes for one). */
function systemEventOf(message: Message): SystemEvent | UnknownSystemEvent | undefined {
  return message.sender === 'SYSTEM' || message.text.startsWith('\u0001') ? parseSystemEvent(message.text) : undefined;
}

/**
 * The `FILE_UPLOAD` event of a message whose download link breaks the rules (not http(s), or
 * not on `baseURL`'s origin): such a file is shown without a link. `undefined` for every other
 * message.
 */
export function refusedFileLink(message: Message, baseURL?: string): Extract<SystemEvent, { event: 'FILE_UPLOAD' }> | undefined {
  if (!message.text.startsWith('\u0001')) return undefined;
  const event = systemEventOf(message);
  if (event?.event !== 'FILE_UPLOAD') return undefined;
  const upload = event as Extract<SystemEvent, { event: 'FILE_UPLOAD' }>;
  return linkOf(upload.fileDownload, baseURL) === '' ? upload : undefined;
}

/** The link as the server sent it if it passes the rules, else `""`. A `baseURL` that is no http(s) address lets no link pass. */
function linkOf(fileDownload: unknown, baseURL: string | undefined): string {
  if (typeof fileDownload !== 'string') return '';
  if (baseURL === undefined) return webAddress(fileDownload) ? fileDownload : '';
  const base = webAddress(baseURL);
  return base && webAddress(fileDownload, base.href, base.origin) ? fileDownload : '';
}

/**
 * Describes a message: a system message's text becomes its sentence (through `translate`, the
 * seed's `CentionChat.I`); other messages are returned as they are. The text stays plain text:
 * insert it with `textContent`, never as HTML.
 *
 * A server's file link is untrusted: a `FILE_UPLOAD` keeps its `fileDownload` only if it is an
 * http(s) address, and with `baseURL` only if it is on `baseURL`'s origin; otherwise
 * `fileDownload` is `""`. Build the link a customer clicks with the client's `downloadUrl()`,
 * which applies the same rules and adds the session secret.
 */
export function describeMessage(message: Message, translate?: Translate, baseURL?: string): DescribedMessage {
  const event = systemEventOf(message);
  if (!event) return message;
  const text = describeSystemEvent(event, translate);
  if (event.event !== 'FILE_UPLOAD') return { ...message, text, event };
  const fileDownload = linkOf((event as { fileDownload?: unknown }).fileDownload, baseURL);
  return { ...message, text, event: { ...event, fileDownload } as SystemEvent };
}
