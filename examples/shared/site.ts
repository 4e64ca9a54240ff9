/**
 * What the Vue and Svelte example sites decide for themselves, apart from their framework:
 * which chat to talk to, how system messages are worded, how an own message's state reads, how
 * a transcript line shows its links and a file, the rating's scale, and the widget's memory of
 * its panel and the page title's unread count. (Typing previews need nothing here: the core
 * paces them.) The vanilla site, a classic script, has its own copy of these few rules in
 * chat.js.
 */
import { describeMessage } from 'cention-chat';
import type { CentionChatOptions, ChatFeatures, DescribedMessage, HistoryUrls, Message, OutboxState, SystemEvent, Translate } from 'cention-chat';

/**
 * `?area=N` (default 1) and `?baseURL=…` on this page's origin (default this origin + `/s/demo`); with `?inspect`,
 * a panel that shows the chat's statechart live (loaded only then).
 */
export async function chatOptions(location: Location): Promise<CentionChatOptions> {
  const params = new URLSearchParams(location.search);
  const area = Number(params.get('area') ?? 1);
  const inspect = params.has('inspect') ? (await import('cention-chat/devtools')).createInspectorPanel().inspect : undefined;
  return {
    baseURL: ownBaseURL(params.get('baseURL'), location),
    area: Number.isSafeInteger(area) && area > 0 ? area : 1,
    ...(inspect ? { inspect } : {}),
  };
}

/**
 * A demo's `?baseURL=`, only on this page's own origin: a crafted link must not point a
 * customer's chat at another server. (A real site fixes its `baseURL` and reads none.)
 */
function ownBaseURL(asked: string | null, location: Location): string {
  try {
    const url = new URL(asked ?? '', location.href);
    if (asked !== null && url.origin === location.origin) return url.href;
  } catch {
    // Not an address: the default below.
  }
  return `${location.origin}/s/demo`;
}

// System messages come as the seed's English sentences; this table words them for our page.
const translation: Record<string, string> = {
  'Agent(s) added: {AGENT_NAMES}': '{AGENT_NAMES} joined the chat.',
  'Agent(s) removed: {AGENT_NAMES}': '{AGENT_NAMES} left the chat.',
  '{AGENT_NAME} has left the chat.': '{AGENT_NAME} has left the chat.',
  'Client ended the chat.': 'You ended the chat.',
  '{NAME} ended the chat.': '{NAME} ended the chat.',
  '{NAME} attached a file.': '{NAME} sent a file:',
};

/** The seed's `CentionChat.I`: a sentence in, its wording on this site out. */
export const translate: Translate = (sentence) => translation[sentence];

/** What the leave-a-message form asks (the area is the page's). */
export interface LeaveFields {
  readonly name: string;
  readonly email: string;
  readonly subject: string;
  readonly message: string;
}

/** Where focus goes when the panel opens: the first of these that shows. */
const FIRST_FOCUS = ['ChatInput', 'StartName', 'LeaveName', 'ResumeButton', 'RatingForm', 'NewChatButton'];

/** Puts focus on the first field the panel shows (the message box, the start form...), else on `fallback`. */
export function focusFirstIn(panel: HTMLElement, fallback: HTMLElement | undefined): void {
  for (const id of FIRST_FOCUS) {
    const element = panel.querySelector<HTMLElement>(`#${id}`);
    const target = element?.tagName === 'FORM' ? element.querySelector<HTMLElement>('input, textarea, button') : element;
    if (target && target.getClientRects().length > 0) return target.focus();
  }
  fallback?.focus();
}

/** What the start form asks. */
export interface StartFields {
  readonly name: string;
  readonly email: string;
  readonly question: string;
}

/** What an own message shows (`data-status`). */
export type Status = 'sending' | 'sent' | 'delivered' | 'failed';

export const STATUS_TEXT: Readonly<Record<Status, string>> = { sending: 'Sending…', sent: 'Sent', delivered: 'Delivered', failed: 'Not sent' };

/** The status of an own message: from its outbox state while on its way, from `deliveryOf` once in the transcript. */
export function statusOf(state: OutboxState | undefined): Status {
  if (state === 'acked') return 'delivered';
  if (state === 'failed') return 'failed';
  if (state === 'queued' || state === 'sending') return 'sending';
  return 'sent';
}

export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round((bytes / 1024) * 10) / 10} KB`;
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

/** The size limits of the area's features, in words ("up to 10 MB"), or `""` when there are none. */
export function limitText(features: ChatFeatures): string {
  const files = features['chat.max-attachment-size'];
  const images = features['chat.max-image-size'];
  if (typeof files !== 'number' || files <= 0) return '';
  if (typeof images !== 'number' || images <= 0 || images === files) return `up to ${humanSize(files)}`;
  return `up to ${humanSize(files)}, images up to ${humanSize(images)}`;
}

/** Links between the pages keep `?area` and `?baseURL`. */
export function keepQuery(document: Document): void {
  for (const link of document.querySelectorAll<HTMLAnchorElement>('a[data-keep-query]')) link.search = document.location.search;
}

/** The sentence of an error, for people. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A piece of a message's text: plain text, or an http(s) address to link (`href`, as the browser parsed it). */
export interface TextPart {
  readonly text: string;
  readonly href?: string;
}

/** Punctuation that closes a sentence, not the address before it. */
const TRAILING = /[.,;:!?'"]$/;
const CLOSING: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

/** How many times `char` occurs in `text`. */
function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

/**
 * Splits a message's text into text and http(s) links, without ever parsing it as HTML: a page
 * builds a text node for each text part and an `<a rel="noopener noreferrer">` for each link.
 * Only `http:` and `https:` addresses become links; trailing punctuation (and a closing bracket
 * the address did not open) stays text.
 */
export function linkParts(text: string): readonly TextPart[] {
  const parts: TextPart[] = [];
  let from = 0;
  for (const match of text.matchAll(/\bhttps?:\/\/[^\s<>"]+/gi)) {
    let address = match[0];
    for (;;) {
      const last = address.at(-1) ?? '';
      const opening = CLOSING[last];
      if (TRAILING.test(address) || (opening !== undefined && count(address, last) > count(address, opening))) address = address.slice(0, -1);
      else break;
    }
    const href = webLink(address);
    if (!href) continue;
    if (match.index > from) parts.push({ text: text.slice(from, match.index) });
    parts.push({ text: address, href });
    from = match.index + address.length;
  }
  if (from < text.length || parts.length === 0) parts.push({ text: text.slice(from) });
  return parts;
}

/** The address as the browser reads it, if it is an http(s) one with a host. */
function webLink(address: string): string | undefined {
  try {
    const url = new URL(address);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Image files show as a thumbnail (the browser draws them; SVG, which can carry scripts elsewhere, is not among them). */
export function isImageFile(name: string): boolean {
  return /\.(png|jpe?g|gif|webp|avif|bmp)$/i.test(name);
}

/** A transcript line: the message in words (as text and links), and a FILE_UPLOAD's file with its download link. */
export interface Line extends DescribedMessage {
  readonly parts: readonly TextPart[];
  readonly file?: { readonly name: string; readonly size: string; readonly href: string | undefined; readonly image: boolean };
}

/** What the customer's own file says: "You", not their name. */
export const OWN_FILE = 'You sent a file:';

/**
 * Turns messages into lines, once per message (the transcript keeps its message objects). A
 * file's link comes only from `downloadUrl()`, the client's, which refuses other origins.
 */
export function transcriptLines(downloadUrl: (download: string) => string | undefined): (message: Message) => Line {
  const lines = new WeakMap<Message, Line>();
  return (message) => {
    let line = lines.get(message);
    if (!line) {
      const described = describeMessage(message, translate);
      const upload = described.event?.event === 'FILE_UPLOAD' ? (described.event as Extract<SystemEvent, { event: 'FILE_UPLOAD' }>) : undefined;
      if (upload) {
        const text = described.sender === 'CLIENT' ? OWN_FILE : described.text;
        const href = upload.fileDownload === '' ? undefined : downloadUrl(upload.fileDownload);
        line = { ...described, text, parts: [{ text }], file: { name: upload.fileName, size: upload.sizeHuman, href, image: href !== undefined && isImageFile(upload.fileName) } };
      } else {
        line = { ...described, parts: linkParts(described.text) };
      }
      lines.set(message, line);
    }
    return line;
  };
}

/** The rating's scale, 1 to 5: a number to pick, with the words a screen reader says with it. */
export const RATINGS: readonly { readonly value: number; readonly words: string }[] = [
  { value: 1, words: 'very poor' },
  { value: 2, words: 'poor' },
  { value: 3, words: 'all right' },
  { value: 4, words: 'good' },
  { value: 5, words: 'excellent' },
];

/** The page title with the unread count in front, as mail and chat tabs show it. */
export function titleWithUnread(title: string, unread: number): string {
  return unread > 0 ? `(${unread}) ${title}` : title;
}

const PANEL_KEY = 'cention-chat-example:panel';

/** Whether this tab had the chat panel open on its last page (so the next page opens it again). */
export function panelWasOpen(): boolean {
  try {
    return sessionStorage.getItem(PANEL_KEY) === 'open';
  } catch {
    return false;
  }
}

/** Remembers, for the next page of this tab, whether the panel is open. */
export function rememberPanel(open: boolean): void {
  try {
    sessionStorage.setItem(PANEL_KEY, open ? 'open' : 'closed');
  } catch {
    // Storage blocked: the next page starts with the panel closed.
  }
}

/** The launcher's speech bubble and the attach button's paper clip, as SVG paths (24 × 24). */
export const ICONS = {
  chat: 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6v2h10V9H7zm0 4v2h7v-2H7z',
  clip: 'M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10h-1.5z',
} as const;

/** Save a copy: the server answers with an attachment, so the browser downloads it and the page stays. */
export function saveHistory(urls: HistoryUrls | undefined): void {
  if (!urls) return;
  Object.assign(document.createElement('a'), { href: urls.save, download: '' }).click();
}

/** Print: the printable transcript in a popup, with its own print button. */
export function printHistory(urls: HistoryUrls | undefined): void {
  if (urls) window.open(urls.print, 'CentionChatPrint', 'popup,width=640,height=720');
}
