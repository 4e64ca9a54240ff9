/**
 * System messages (docs/protocol.md §6): a Message whose text is U+0001 + `JSON` + a JSON object
 * with an `event` field, and the seed's translatable sentences they turn into.
 *
 * @module
 */

/** The marker a system message's text starts with. */
export const SYSTEM_PREFIX = '\u0001JSON';

/** A structured system event, the part of a system message after {@link SYSTEM_PREFIX}. */
export type SystemEvent =
  | { readonly event: 'FILE_UPLOAD'; readonly fileDownload: string; readonly fileName: string; readonly sizeHuman: string; readonly name: string }
  | { readonly event: 'CLIENT_ENDS_CHAT'; readonly name: string }
  | { readonly event: 'OWNER_ENDS_CHAT'; readonly name: string }
  | { readonly event: 'AGENTS_ADDED'; readonly names: readonly string[] }
  | { readonly event: 'AGENTS_REMOVED'; readonly names: readonly string[] }
  | { readonly event: 'AGENT_LEFT'; readonly name: string };

/** A system event this library does not know: kept whole so nothing is lost. */
export interface UnknownSystemEvent {
  readonly event: string;
  readonly [field: string]: unknown;
}

/** The seed's translatable sentences, keyed by system event. */
export const SYSTEM_SENTENCES = {
  AGENTS_ADDED: 'Agent(s) added: {AGENT_NAMES}',
  AGENTS_REMOVED: 'Agent(s) removed: {AGENT_NAMES}',
  AGENT_LEFT: '{AGENT_NAME} has left the chat.',
  CLIENT_ENDS_CHAT: 'Client ended the chat.',
  OWNER_ENDS_CHAT: '{NAME} ended the chat.',
  FILE_UPLOAD: '{NAME} attached a file.',
} as const satisfies Record<SystemEvent['event'], string>;

/** A translation function in the shape of the seed's `CentionChat.I`. */
export type Translate = (sentence: string) => string | undefined | null;

/** Builds a system message's text from its event (what a server sends). */
export function encodeSystemEvent(event: SystemEvent): string {
  return SYSTEM_PREFIX + JSON.stringify(event);
}

/** Whether a message text is a system message. */
export function isSystemText(text: string): boolean {
  return text.startsWith(SYSTEM_PREFIX);
}

/**
 * Whether a text written by a customer or an agent would start like a system message: after
 * trimming, its first character is U+0001. Only a server writes such text (docs/protocol.md §6), so
 * a server refuses it from anyone else.
 */
export function passesForSystemText(text: string): boolean {
  return text.trim().startsWith(SYSTEM_PREFIX.charAt(0));
}

/**
 * Parses a system message's text. Returns `undefined` for text that is not a system message
 * or whose JSON is broken; an event this library does not know is returned as it is.
 */
export function parseSystemEvent(text: string): SystemEvent | UnknownSystemEvent | undefined {
  if (!isSystemText(text)) return undefined;
  try {
    const parsed: unknown = JSON.parse(text.slice(SYSTEM_PREFIX.length));
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { event?: unknown }).event === 'string') {
      return parsed as SystemEvent | UnknownSystemEvent;
    }
  } catch {
    // Broken JSON after the marker: not a system event we can read.
  }
  return undefined;
}

function isKnown(event: SystemEvent | UnknownSystemEvent): event is SystemEvent {
  return Object.hasOwn(SYSTEM_SENTENCES, event.event);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function names(value: unknown): string {
  return Array.isArray(value) ? value.filter((n): n is string => typeof n === 'string').join(', ') : '';
}

/**
 * Turns a system event into its sentence: translated through `translate` (the seed's
 * `CentionChat.I`; a translation that returns nothing falls back to the English sentence),
 * then `{AGENT_NAMES}`, `{AGENT_NAME}` and `{NAME}` filled in. An unknown event reads as its
 * event name.
 */
export function describeSystemEvent(event: SystemEvent | UnknownSystemEvent, translate?: Translate): string {
  if (!isKnown(event)) return event.event;
  const sentence = SYSTEM_SENTENCES[event.event];
  const translated = translate?.(sentence);
  const template = typeof translated === 'string' && translated !== '' ? translated : sentence;
  const fields = event as unknown as Record<string, unknown>;
  // Replacer functions, so a name like `$&` is inserted as it is.
  return template
    .replaceAll('{AGENT_NAMES}', () => names(fields['names']))
    .replaceAll('{AGENT_NAME}', () => text(fields['name']))
    .replaceAll('{NAME}', () => text(fields['name']));
}
