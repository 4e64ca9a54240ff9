/**
 * A transcript for people: the lines of `savehistory` (plain text) and `printhistory` (an HTML
 * page where every text is escaped), and the same lines for the agent console.
 *
 * @module
 */
import type { Message } from '../core/protocol';
import { describeSystemEvent } from '../core/protocol';
import type { ChatSession, TranscriptEntry } from './sessions';

/** One transcript message as a person reads it. */
export interface TranscriptLine {
  readonly id: number;
  readonly sender: Message['sender'];
  readonly sentHuman: string;
  /** Who wrote it; empty for system messages. */
  readonly who: string;
  /** Plain text: the message, or the sentence of a system event. */
  readonly text: string;
  /** The attached file, for FILE_UPLOAD messages. */
  readonly file?: { readonly name: string; readonly sizeHuman: string; readonly download: string };
}

/**
 * Turns one transcript entry into a line: a system event the server wrote becomes its
 * sentence; any other text stays the text it is, whatever it looks like.
 */
export function transcriptLine(session: ChatSession, { message, event, author }: TranscriptEntry): TranscriptLine {
  const base = { id: message.id, sender: message.sender, sentHuman: message.sentHuman };
  if (event?.event === 'FILE_UPLOAD') {
    return { ...base, who: event.name, text: describeSystemEvent(event), file: { name: event.fileName, sizeHuman: event.sizeHuman, download: event.fileDownload } };
  }
  if (event) return { ...base, who: '', text: describeSystemEvent(event) };
  const who = message.sender === 'CLIENT' ? session.customer.name : message.sender === 'AGENT' ? (author ?? 'Agent') : '';
  return { ...base, who, text: message.text };
}

function heading(session: ChatSession): string[] {
  const { area, customer } = session;
  return [
    `Chat ${session.id} with ${area.name}`,
    `Customer: ${customer.name}${customer.email === '' ? '' : ` <${customer.email}>`}`,
    `Started: ${area.formatDate(session.startedAt)} ${area.formatTime(session.startedAt)} (${area.timeZone})`,
  ];
}

function lineText(line: TranscriptLine): string {
  const body = line.file ? `${line.text} ${line.file.name} (${line.file.sizeHuman})` : line.text;
  return line.who === '' || line.file ? body : `${line.who}: ${body}`;
}

const LINE_BREAK = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/;

/** The transcript as `text/plain`, for `savehistory`. */
export function historyText(session: ChatSession): string {
  const lines = session.entries.map((entry) => {
    // Every line break a viewer might honour starts an indented line, so no text can begin a line of its own.
    const [first = '', ...rest] = lineText(transcriptLine(session, entry)).split(LINE_BREAK);
    return [`[${entry.message.sentHuman}] ${first}`, ...rest.map((more) => `        ${more}`)].join('\n');
  });
  return [...heading(session), '', ...lines, ''].join('\n');
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The transcript as a printable HTML page, for `printhistory`. Its style and script run only with `nonce`. */
export function historyHtml(session: ChatSession, nonce: string): string {
  const rows = session.entries
    .map((entry) => {
      const line = transcriptLine(session, entry);
      return `<li class="${line.sender.toLowerCase()}"><time>${escapeHtml(line.sentHuman)}</time> ${line.who === '' || line.file ? '' : `<b>${escapeHtml(line.who)}:</b> `}<span>${escapeHtml(lineText(line.file ? line : { ...line, who: '' }))}</span></li>`;
    })
    .join('\n');
  const [title = '', ...details] = heading(session);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">
  body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 42rem; padding: 0 1rem; color: #1b1f24; }
  ol { list-style: none; padding: 0; }
  li { padding: .35rem 0; border-bottom: 1px solid #e5e7eb; white-space: pre-wrap; }
  li.system { color: #57606a; font-style: italic; }
  time { color: #57606a; font-variant-numeric: tabular-nums; margin-right: .5rem; }
  @media print { button { display: none; } }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${details.map((d) => `<p>${escapeHtml(d)}</p>`).join('\n')}
<button id="print" type="button">Print</button>
<ol>
${rows}
</ol>
<script nonce="${nonce}">document.getElementById('print').addEventListener('click', function () { window.print(); });</script>
</body>
</html>
`;
}
