/**
 * What the Vue and Svelte example sites decide for themselves, apart from their framework:
 * which chat to talk to, how system messages are worded, how an own message's state reads and
 * how a transcript line shows a file. (Typing previews need nothing here: the core paces them.)
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

/** A transcript line: the message in words, and a FILE_UPLOAD's file with its download link. */
export interface Line extends DescribedMessage {
  readonly file?: { readonly name: string; readonly size: string; readonly href: string | undefined };
}

/** Turns messages into lines, once per message (the transcript keeps its message objects). */
export function transcriptLines(downloadUrl: (download: string) => string | undefined): (message: Message) => Line {
  const lines = new WeakMap<Message, Line>();
  return (message) => {
    let line = lines.get(message);
    if (!line) {
      const described = describeMessage(message, translate);
      const upload = described.event?.event === 'FILE_UPLOAD' ? (described.event as Extract<SystemEvent, { event: 'FILE_UPLOAD' }>) : undefined;
      line = upload ? { ...described, file: { name: upload.fileName, size: upload.sizeHuman, href: downloadUrl(upload.fileDownload) } } : described;
      lines.set(message, line);
    }
    return line;
  };
}

/** Save a copy: the server answers with an attachment, so the browser downloads it and the page stays. */
export function saveHistory(urls: HistoryUrls | undefined): void {
  if (!urls) return;
  Object.assign(document.createElement('a'), { href: urls.save, download: '' }).click();
}

/** Print: the printable transcript in a popup, with its own print button. */
export function printHistory(urls: HistoryUrls | undefined): void {
  if (urls) window.open(urls.print, 'CentionChatPrint', 'popup,width=640,height=720');
}
