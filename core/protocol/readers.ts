/**
 * Readers that turn decoded wire payloads into typed values. Server payloads are read
 * leniently (a client must work against any server that follows the protocol, so missing
 * optional fields get their empty value); client payloads are checked strictly against the
 * rules of docs/protocol.md §4, naming the first bad field so the server can answer
 * `invalid input: <field>`.
 *
 * Every reader takes an already decoded payload (see {@link decodePayload}) and never throws.
 *
 * @module
 */
import type {
  AddAttachmentPayload,
  AgentPreview,
  CanChatResult,
  ChatFeatures,
  ChatMessageEvent,
  ChatRatingPayload,
  CreateErrandPayload,
  ErrandCreated,
  ChatMessagePayload,
  Message,
  MessageAcked,
  MessageSent,
  PreviewPayload,
  RegisterPayload,
  ResumePayload,
  Sender,
  SessionInfo,
  UploadResult,
} from './wire';
import { passesForSystemText } from './system-message';
import { CONTACT_LIMITS, LIMITS } from './wire';

/** The outcome of reading a client payload: the value, or the first field that broke a rule. */
export type ReadResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly field: string };

type Fields = Readonly<Record<string, unknown>>;

function fields(raw: unknown): Fields | undefined {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Fields) : undefined;
}

function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : fallback;
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

function bool(value: unknown): boolean {
  return value === true || value === 'true' || value === 1;
}

const SENDERS: ReadonlySet<string> = new Set<Sender>(['CLIENT', 'AGENT', 'SYSTEM']);

// ---------------------------------------------------------------- server → client (lenient)

function isWellFormed(f: Fields): boolean {
  return (
    typeof f['id'] === 'number' &&
    Number.isFinite(f['id']) &&
    (f['sender'] === 'CLIENT' || f['sender'] === 'AGENT' || f['sender'] === 'SYSTEM') &&
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
  const id = f && num(f['id']);
  if (!f || id === undefined) return undefined;
  const sender = str(f['sender']).toUpperCase();
  return {
    id,
    sender: (SENDERS.has(sender) ? sender : 'SYSTEM') as Sender,
    sent: num(f['sent']) ?? 0,
    sentHuman: str(f['sentHuman']),
    text: str(f['text']),
    umid: str(f['umid']),
  };
}

/** Reads a `chat message` event; messages without an id are dropped. */
export function readChatMessageEvent(raw: unknown): ChatMessageEvent | undefined {
  const f = fields(raw);
  if (!f) return undefined;
  const list = Array.isArray(f['chat']) ? (f['chat'] as unknown[]) : [];
  const chat: Message[] = [];
  for (const item of list) {
    const message = readMessage(item);
    if (message) chat.push(message);
  }
  return { agent: str(f['agent']), chat, client: str(f['client']) };
}

/** Reads a Message sent object (the ack of `chat message` or the `message sent` event). */
export function readMessageSent(raw: unknown): MessageSent | undefined {
  const f = fields(raw);
  if (!f) return undefined;
  const id = str(f['id']);
  const umid = str(f['umid']);
  if (id === '' && umid === '') return undefined;
  return { id, umid, sent: num(f['sent']) ?? 0, sentHuman: str(f['sentHuman']) };
}

/** Reads a `message acked` payload. */
export function readMessageAcked(raw: unknown): MessageAcked {
  const f = fields(raw);
  const ids = f && Array.isArray(f['ids']) ? (f['ids'] as unknown[]) : [];
  return { ids: ids.map(num).filter((id): id is number => id !== undefined) };
}

/** Reads an `agent preview` payload; an unreadable length counts as "stopped typing". */
export function readAgentPreview(raw: unknown): AgentPreview {
  const f = fields(raw);
  const messageLen = f ? num(f['messageLen']) : num(raw);
  return { messageLen: messageLen !== undefined && messageLen > 0 ? Math.floor(messageLen) : 0 };
}

/** Reads a `queue` payload (a 1-based place); `undefined` when it is not a number. */
export function readQueuePosition(raw: unknown): number | undefined {
  const f = fields(raw);
  const value = f ? num(f['queue'] ?? f['position']) : num(raw);
  return value !== undefined && value >= 0 ? Math.floor(value) : undefined;
}

/** Reads a `register`/`resume` success reply; `undefined` when it names no session. */
export function readSessionInfo(raw: unknown): SessionInfo | undefined {
  const f = fields(raw);
  if (!f) return undefined;
  const sessionId = num(f['sessionId']);
  const sessionSecret = str(f['sessionSecret']);
  if (sessionId === undefined || sessionSecret === '') return undefined;
  return { sessionId, sessionSecret, areaId: num(f['areaId']) ?? 0, clientName: str(f['clientName']) };
}

/** Reads a `canchat` reply; a reply that is not an object reads as a failed check. */
export function readCanChat(raw: unknown): CanChatResult {
  const f = fields(raw);
  if (!f) return { chatOpen: false, agentsAvailable: 0, feature: {}, resumable: false, error: 'invalid reply' };
  return {
    chatOpen: bool(f['chatOpen']),
    agentsAvailable: num(f['agentsAvailable']) ?? 0,
    feature: (fields(f['feature']) ?? {}) as ChatFeatures,
    resumable: bool(f['resumable']),
    error: str(f['error']),
  };
}

/** Reads an UploadResult; `undefined` when it has no download path. */
export function readUploadResult(raw: unknown): UploadResult | undefined {
  const f = fields(raw);
  if (!f || str(f['download']) === '') return undefined;
  return {
    id: num(f['id']) ?? 0,
    value: str(f['value']),
    download: str(f['download']),
    sizeHuman: str(f['sizeHuman']),
    size: num(f['size']) ?? 0,
    type: str(f['type']),
  };
}

// ---------------------------------------------------------------- client → server (strict)

function fail(field: string): ReadResult<never> {
  return { ok: false, field };
}

function text(f: Fields, key: string, max: number, { required = false, fallback = '' } = {}): string | undefined {
  const value = f[key];
  if (value === undefined || value === null) return required ? undefined : fallback;
  if (typeof value !== 'string' || value.length > max) return undefined;
  if (required && value.trim() === '') return undefined;
  return value;
}

function flag(f: Fields, key: string): boolean | undefined {
  const value = f[key];
  if (value === undefined || value === null) return false;
  return typeof value === 'boolean' ? value : undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

// eslint-disable-next-line no-control-regex
const NOT_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * Whether a person's name is one plain line: no control characters, line or paragraph
 * separators, or bidirectional overrides, any of which could make a name (and the line it is
 * shown on) read as something else.
 */
export function isPlainName(name: string): boolean {
  return !NOT_IN_NAMES.test(name);
}

/** Checks a `register` payload: a plain one-line name, and a question that does not start with U+0001. */
export function readRegister(raw: unknown): ReadResult<RegisterPayload> {
  const f = fields(raw);
  if (!f) return fail('payload');
  const area = f['area'];
  if (typeof area !== 'number' || !Number.isSafeInteger(area)) return fail('area');
  const name = text(f, 'name', 200, { required: true });
  if (name === undefined || !isPlainName(name)) return fail('name');
  const email = text(f, 'email', 254);
  if (email === undefined || (email !== '' && !EMAIL.test(email))) return fail('email');
  const phone = text(f, 'phone', 64);
  if (phone === undefined) return fail('phone');
  // The limit holds after trimming (§4), as for `chat message`; socket.io bounds the raw size.
  const message = text(f, 'message', Infinity, { required: true });
  if (message === undefined || message.trim().length > LIMITS.messageMax || passesForSystemText(message)) return fail('message');
  const externalData = text(f, 'externalData', LIMITS.messageMax);
  if (externalData === undefined) return fail('externalData');
  const baseURL = text(f, 'baseURL', 2048);
  if (baseURL === undefined) return fail('baseURL');
  const offlineChat = flag(f, 'offlineChat');
  if (offlineChat === undefined) return fail('offlineChat');
  const trackClientUrl = flag(f, 'trackClientUrl');
  if (trackClientUrl === undefined) return fail('trackClientUrl');
  return { ok: true, value: { area, name: name.trim(), email, phone, message: message.trim(), externalData, baseURL, offlineChat, trackClientUrl } };
}

/** Checks a `resume` payload. */
export function readResume(raw: unknown): ReadResult<ResumePayload> {
  const f = fields(raw) ?? {};
  const href = text(f, 'href', 2048);
  if (href === undefined) return fail('href');
  const trackClientUrl = flag(f, 'trackClientUrl');
  if (trackClientUrl === undefined) return fail('trackClientUrl');
  const secret = text(f, 'secret', 256);
  if (secret === undefined) return fail('secret');
  return { ok: true, value: secret === '' ? { href, trackClientUrl } : { href, trackClientUrl, secret } };
}

/** Checks a client `chat message` payload: umid 1–64 characters, message 1–10,000 after trimming, not starting with U+0001. */
export function readChatMessagePayload(raw: unknown): ReadResult<ChatMessagePayload> {
  const f = fields(raw);
  if (!f) return fail('payload');
  const id = f['id'];
  if (typeof id !== 'string' || id.length < LIMITS.umidMin || id.length > LIMITS.umidMax) return fail('id');
  const message = f['message'];
  if (typeof message !== 'string') return fail('message');
  const trimmed = message.trim();
  // Only the server writes system messages (docs/protocol.md §6).
  if (trimmed.length < LIMITS.messageMin || trimmed.length > LIMITS.messageMax || passesForSystemText(trimmed)) return fail('message');
  const mcount = f['mcount'] === undefined ? 0 : f['mcount'];
  if (typeof mcount !== 'number' || !Number.isFinite(mcount)) return fail('mcount');
  return { ok: true, value: { id, message: trimmed, mcount } };
}

/** Checks a `preview` payload. */
export function readPreviewPayload(raw: unknown): ReadResult<PreviewPayload> {
  const f = fields(raw);
  if (!f) return fail('payload');
  const preview = text(f, 'preview', LIMITS.messageMax);
  if (preview === undefined) return fail('preview');
  return { ok: true, value: { preview } };
}

/** Checks an `add attachment` payload. */
export function readAddAttachment(raw: unknown): ReadResult<AddAttachmentPayload> {
  const f = fields(raw);
  if (!f) return fail('payload');
  const area = f['area'];
  if (typeof area !== 'number' || !Number.isSafeInteger(area)) return fail('area');
  const file = readUploadResult(f['file']);
  if (!file) return fail('file');
  const sessionSecret = text(f, 'sessionSecret', 256, { required: true });
  if (sessionSecret === undefined) return fail('sessionSecret');
  return { ok: true, value: { area, file, sessionSecret } };
}

/** Checks a `createerrand` body: every field required, trimmed, within {@link CONTACT_LIMITS}. */
export function readCreateErrand(raw: unknown): ReadResult<CreateErrandPayload> {
  const f = fields(raw);
  if (!f) return fail('payload');
  const area = f['area'];
  if (typeof area !== 'number' || !Number.isSafeInteger(area)) return fail('area');
  const name = text(f, 'name', Infinity, { required: true })?.trim();
  if (name === undefined || name.length > CONTACT_LIMITS.nameMax) return fail('name');
  const email = text(f, 'email', CONTACT_LIMITS.emailMax, { required: true })?.trim();
  if (email === undefined || !EMAIL.test(email)) return fail('email');
  const subject = text(f, 'subject', Infinity, { required: true })?.trim();
  if (subject === undefined || subject.length > CONTACT_LIMITS.subjectMax) return fail('subject');
  const message = text(f, 'message', Infinity, { required: true })?.trim();
  if (message === undefined || message.length > LIMITS.messageMax) return fail('message');
  return { ok: true, value: { area, name, email, subject, message } };
}

/** Checks a `chatrating` body: a secret, an integer rating from 1 to 5, an optional comment. */
export function readChatRating(raw: unknown): ReadResult<ChatRatingPayload> {
  const f = fields(raw);
  if (!f) return fail('payload');
  const secret = text(f, 'secret', 256, { required: true });
  if (secret === undefined) return fail('secret');
  const rating = f['rating'];
  if (typeof rating !== 'number' || !Number.isInteger(rating) || rating < CONTACT_LIMITS.ratingMin || rating > CONTACT_LIMITS.ratingMax) return fail('rating');
  const comment = text(f, 'comment', Infinity)?.trim();
  if (comment === undefined || comment.length > CONTACT_LIMITS.commentMax) return fail('comment');
  return { ok: true, value: { secret, rating, comment } };
}

/** Reads a `createerrand` reply; `undefined` when it names no reference. */
export function readErrandCreated(raw: unknown): ErrandCreated | undefined {
  const f = fields(raw);
  const reference = f ? str(f['reference']) : '';
  return reference === '' ? undefined : { reference };
}
