/**
 * Attachments: the multipart upload endpoint (sizes enforced on the stream, files kept in a
 * temporary folder under a disk quota) and sending a download once the route has checked its
 * session secret.
 *
 * An upload must name its chat before its file: the `sessionSecret` field (or an agent
 * console's `agentTicket`) before `uploadfile`, or, for clients that send the file first (the
 * order docs/protocol.md §7 lists the fields in), the `CentionChatSession` cookie this server issued
 * with a live chat. A request with neither is refused before a byte of its file is read. Each address may have a few uploads in flight
 * and make a bounded number a minute (`limits.ts`).
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import busboy from 'busboy';
import type { Clock } from '../core/clock';
import type { UploadResult } from '../core/protocol';
import type { UploadLimits } from './limits';
import { RATE_LIMITED } from './rate-limit';
import type { ChatSession } from './sessions';
import { attachmentDisposition, sendJson } from './http-util';

/** A file stored for a session. */
export interface StoredFile {
  readonly id: number;
  readonly sessionId: number;
  /** The name the uploader gave, cleaned of paths and control characters. */
  readonly name: string;
  readonly type: string;
  readonly size: number;
  readonly path: string;
  /** The download path from the origin; add `?t=<sessionSecret>`. */
  readonly download: string;
}

/** A file to attach without HTTP (the agent controls of the test API). */
export interface FileToAttach {
  readonly name: string;
  readonly type?: string;
  readonly data: Uint8Array | string;
}

/** `12 B`, `3.4 KB`, `1.2 MB`. */
export function sizeHuman(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'] as const;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** The UploadResult (§6) of a stored file. */
export function toUploadResult(file: StoredFile): UploadResult {
  return { id: file.id, value: file.name, download: file.download, sizeHuman: sizeHuman(file.size), size: file.size, type: file.type };
}

function cleanName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return base === '' ? 'file' : base;
}

const MIME = /^[\w.+-]+\/[\w.+-]+$/;

function cleanType(type: string): string {
  const lower = type.trim().toLowerCase();
  return MIME.test(lower) ? lower : 'application/octet-stream';
}

/** The files of every session, in one temporary folder that `dispose` removes, within a disk quota. */
export class UploadStore {
  private readonly files = new Map<number, StoredFile>();
  private nextId = 1;
  /** Bytes of the stored files. */
  private storedBytes = 0;
  /** Bytes set aside for the uploads in progress (the limit of each). */
  private reservedBytes = 0;

  private constructor(
    readonly dir: string,
    private readonly downloadBase: string,
    private readonly quotaBytes: number,
  ) {}

  /** Creates the temporary folder. `downloadBase` is the download path without the file id. */
  static async open(downloadBase: string, quotaBytes = Infinity): Promise<UploadStore> {
    return new UploadStore(await mkdtemp(join(tmpdir(), 'cention-chat-uploads-')), downloadBase, quotaBytes);
  }

  /** Bytes on disk and set aside for uploads in progress. */
  get usedBytes(): number {
    return this.storedBytes + this.reservedBytes;
  }

  /** Sets `bytes` aside for an upload in progress; `false` when that would pass the quota. Give them back with {@link releaseBytes}. */
  reserveBytes(bytes: number): boolean {
    if (this.usedBytes + bytes > this.quotaBytes) return false;
    this.reservedBytes += bytes;
    return true;
  }

  /** Gives back bytes set aside by {@link reserveBytes}. */
  releaseBytes(bytes: number): void {
    this.reservedBytes = Math.max(0, this.reservedBytes - bytes);
  }

  /** A fresh id and the path its bytes go to. */
  reserve(): { readonly id: number; readonly path: string } {
    const id = this.nextId++;
    return { id, path: join(this.dir, String(id)) };
  }

  /** Records a file whose bytes are at the reserved path. */
  commit(id: number, sessionId: number, name: string, type: string, size: number): StoredFile {
    const file: StoredFile = { id, sessionId, name: cleanName(name), type: cleanType(type), size, path: join(this.dir, String(id)), download: `${this.downloadBase}/${id}` };
    this.files.set(id, file);
    this.storedBytes += size;
    return file;
  }

  /** Stores bytes given in memory (small files of the test API and the simulated agent). */
  async store(sessionId: number, file: FileToAttach): Promise<StoredFile> {
    const { id, path } = this.reserve();
    const data = typeof file.data === 'string' ? Buffer.from(file.data) : file.data;
    await writeFile(path, data);
    return this.commit(id, sessionId, file.name, file.type ?? 'application/octet-stream', data.byteLength);
  }

  get(id: number): StoredFile | undefined {
    return this.files.get(id);
  }

  /** The file id of a download path this store made (`<downloadBase>/<id>`). */
  idOf(download: string): number | undefined {
    const prefix = `${this.downloadBase}/`;
    const id = download.startsWith(prefix) ? Number(download.slice(prefix.length)) : NaN;
    return Number.isSafeInteger(id) && id > 0 ? id : undefined;
  }

  /** Deletes the files of one session (a chat the server forgets). */
  removeSession(sessionId: number): void {
    for (const file of [...this.files.values()]) {
      if (file.sessionId !== sessionId) continue;
      this.files.delete(file.id);
      this.storedBytes -= file.size;
      void rm(file.path, { force: true });
    }
  }

  /** Deletes every file (a restart that forgets sessions). */
  async forgetAll(): Promise<void> {
    const paths = [...this.files.values()].map((file) => file.path);
    this.files.clear();
    this.storedBytes = 0;
    await Promise.all(paths.map((path) => rm(path, { force: true })));
  }

  /** Removes the folder and everything in it. */
  async dispose(): Promise<void> {
    this.files.clear();
    this.storedBytes = 0;
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** What the upload endpoint needs from the rest of the server. */
export interface UploadContext {
  readonly store: UploadStore;
  readonly clock: Clock;
  /** The session a form's credential names: its `sessionSecret`, or an agent console's `agentTicket`. */
  sessionOf(credential: UploadCredential): ChatSession | undefined;
  /** The live chats the request's `CentionChatSession` cookie names (only a cookie this server issued names any). */
  sessionsOfCookie(req: IncomingMessage): readonly ChatSession[];
  /** The largest upload any area allows: a declared `Content-Length` above it is refused at once. */
  readonly largestUpload: number;
  readonly limits: UploadLimits;
  /** The client's address, which the limits count by. */
  readonly addressOf: (req: IncomingMessage) => string;
  /** Reports a refused upload on the bad-input log, under the client's address. */
  readonly reportBadInput: (req: IncomingMessage, kind: string, detail: string) => void;
}

/** What names an upload's chat: the customer's session secret or an agent console's upload ticket. */
export type UploadCredential = { readonly secret: string } | { readonly ticket: string };

/** How many bytes of a refused upload are read and thrown away before the connection is cut. */
const LINGER_BYTES = 1024 * 1024;
/** How long a refused upload may keep sending before the connection is cut. */
const LINGER_MS = 2000;
/** Room for multipart boundaries, headers and the small fields around the file. */
const MULTIPART_SLACK = 64 * 1024;

type Check = { readonly ok: true; readonly session: ChatSession } | { readonly ok: false; readonly status: number; readonly error: string };

/** The form's credential, when it has one. */
function credentialOf(fields: ReadonlyMap<string, string>): UploadCredential | undefined {
  const secret = fields.get('sessionSecret');
  if (secret !== undefined && secret !== '') return { secret };
  const ticket = fields.get('agentTicket');
  return ticket !== undefined && ticket !== '' ? { ticket } : undefined;
}

function authorise(fields: ReadonlyMap<string, string>, context: UploadContext): Check {
  const credential = credentialOf(fields);
  const session = credential && context.sessionOf(credential);
  if (!session) return { ok: false, status: 403, error: 'wrong session secret' };
  const sessionField = fields.get('session');
  if (sessionField !== undefined && sessionField !== String(session.id)) return { ok: false, status: 403, error: 'wrong session secret' };
  const area = fields.get('area');
  if (area !== undefined && area !== String(session.area.id)) return { ok: false, status: 400, error: 'invalid input: area' };
  if (!session.live) return { ok: false, status: 400, error: 'chat closed' };
  if (!session.area.features['chat.attachment']) return { ok: false, status: 400, error: 'attachments are off in this area' };
  return { ok: true, session };
}

/**
 * Before the form's credential has come: the chat the request's cookie names, if it is a live one
 * that takes files (the largest limit of the browser's chats bounds the stream; the credential
 * that follows the file must then name one of them).
 */
function byCookie(req: IncomingMessage, context: UploadContext): Check {
  const open = context.sessionsOfCookie(req).filter((s) => s.live && s.area.features['chat.attachment']);
  const widest = open.reduce<ChatSession | undefined>((best, s) => (best && best.area.maxUploadBytes('') >= s.area.maxUploadBytes('') ? best : s), undefined);
  return widest ? { ok: true, session: widest } : { ok: false, status: 403, error: 'sessionSecret must come before uploadfile' };
}

/**
 * Answers `POST …/uploadAttachment`. An address over its rate or with too many uploads in
 * flight gets 429 at once. The file must come after the fields that name the chat: without a
 * valid credential by then the reply is 403 before a byte of the file is read. The file streams
 * to disk while its bytes are counted; the moment it passes the area's limit the reply is 413
 * and, after a short linger so the client can read it, the connection is cut. With the disk
 * quota spent (counting the limit of every upload in progress) the reply is 507.
 */
export function handleUpload(req: IncomingMessage, res: ServerResponse, context: UploadContext): void {
  let settled = false;
  let cleanup = (): void => {};
  const finish = (status: number, body: unknown): void => {
    if (settled) return;
    settled = true;
    cleanup();
    sendJson(res, status, body);
    if (status !== 200) {
      if (status !== 500) context.reportBadInput(req, `upload ${status}`, (body as { error: string }).error);
      lingerThenCut(req, context.clock);
    }
  };

  const address = context.addressOf(req);
  if (!context.limits.requests.take(address) || !context.limits.inFlight.acquire(address)) return finish(429, { error: RATE_LIMITED });
  res.once('close', () => context.limits.inFlight.release(address));

  if (!/^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '')) return finish(400, { error: 'invalid input: expected multipart/form-data' });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > context.largestUpload + MULTIPART_SLACK) return finish(413, { error: 'file too large' });

  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { files: 1, fields: 10, parts: 12, fieldSize: 1024, fieldNameSize: 100 } });
  } catch {
    return finish(400, { error: 'invalid input: multipart' });
  }

  const fields = new Map<string, string>();
  let upload:
    | { readonly id: number; readonly session: ChatSession; readonly byCookie: boolean; readonly name: string; readonly type: string; size: number; readonly written: Promise<void>; readonly discard: () => void; readonly settle: () => void }
    | undefined;

  cleanup = () => {
    req.unpipe(parser);
    parser.removeAllListeners();
    parser.on('error', () => {});
    upload?.discard();
  };

  parser.on('field', (name, value) => {
    fields.set(name, value);
  });

  parser.on('file', (name, stream, info) => {
    if (name !== 'uploadfile' || upload) {
      stream.resume();
      return;
    }
    // Something before the file must name the chat, so a stranger is refused before the file is
    // read at all: the fields (this library sends `sessionSecret` first), or else the cookie the
    // server issued with the chat, for clients that send the file first as docs/protocol.md §7 lists it.
    const early: Check = credentialOf(fields) ? authorise(fields, context) : byCookie(req, context);
    if (!early.ok) {
      stream.resume();
      return finish(early.status, { error: early.error });
    }
    const limit = early.session.area.maxUploadBytes(info.mimeType);
    if (!context.store.reserveBytes(limit)) {
      stream.resume();
      return finish(507, { error: 'upload quota exceeded' });
    }
    let reserved = true;
    const settle = (): void => {
      if (reserved) context.store.releaseBytes(limit);
      reserved = false;
    };
    const { id, path } = context.store.reserve();
    const writer = createWriteStream(path);
    const written = new Promise<void>((resolve, reject) => {
      writer.on('finish', resolve);
      writer.on('error', reject);
    });
    written.catch(() => {});
    const discard = (): void => {
      const remove = (): void => void rm(path, { force: true });
      settle();
      writer.destroy();
      if (writer.closed) remove();
      else writer.once('close', remove);
    };
    const current = { id, session: early.session, byCookie: !credentialOf(fields), name: info.filename ?? '', type: info.mimeType, size: 0, written, discard, settle };
    upload = current;
    stream.on('data', (chunk: Buffer) => {
      current.size += chunk.length;
      if (current.size > limit) {
        stream.unpipe(writer);
        stream.resume();
        finish(413, { error: 'file too large' });
      }
    });
    stream.pipe(writer);
  });

  parser.on('close', () => {
    if (settled) return;
    void (async () => {
      // Fields after the file may not name another chat, or another area.
      const check = authorise(fields, context);
      if (!check.ok) return finish(check.status, { error: check.error });
      if (!upload) return finish(400, { error: 'invalid input: uploadfile' });
      if (check.session !== upload.session && !(upload.byCookie && context.sessionsOfCookie(req).includes(check.session))) return finish(403, { error: 'wrong session secret' });
      try {
        await upload.written;
      } catch {
        return finish(500, { error: 'could not store the file' });
      }
      if (settled) return;
      if (upload.size > check.session.area.maxUploadBytes(upload.type)) return finish(413, { error: 'file too large' });
      upload.settle();
      const file = context.store.commit(upload.id, check.session.id, upload.name, upload.type, upload.size);
      upload = undefined;
      finish(200, toUploadResult(file));
    })();
  });

  parser.on('error', () => finish(400, { error: 'invalid input: multipart' }));
  // The client went away before an answer: drop what arrived. (`req` closes after a complete
  // body too, so only the response's close tells an abort.)
  res.on('close', () => {
    if (!settled) {
      settled = true;
      cleanup();
    }
  });
  req.pipe(parser);
}

/** Reads and drops what a refused client still sends (at most 1 MB or 2 s), then cuts the connection. */
export function lingerThenCut(req: IncomingMessage, clock: Clock): void {
  if (req.readableEnded) return;
  let drained = 0;
  const cut = (): void => {
    clock.clearTimeout(timer);
    req.socket.destroy();
  };
  const timer = clock.setTimeout(cut, LINGER_MS);
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > LINGER_BYTES) cut();
  });
  req.on('end', () => clock.clearTimeout(timer));
  req.on('close', () => clock.clearTimeout(timer));
  req.resume();
}

/** Sends a file whose download the session secret authorised, as an attachment that is never sniffed or run. */
export function sendDownload(res: ServerResponse, file: StoredFile): void {
  res.writeHead(200, {
    'Content-Type': file.type,
    'Content-Length': String(file.size),
    'Content-Disposition': attachmentDisposition(file.name),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'private, no-store',
  });
  createReadStream(file.path)
    .on('error', () => res.destroy())
    .pipe(res);
}
