/**
 * Checks of what a client sends (docs/protocol.md §4 and §7), strict: each names the first field
 * that breaks a rule, so that the server can answer `invalid input: <field>` and the client can
 * refuse a command before anything is sent. Every check takes an already decoded payload and
 * never throws.
 *
 * @module
 */
import { readUploadResult } from './replies';
import { passesForSystemText } from './system-message';
import type { ReadResult } from './values';
import { andThen, check, fields, flag, int, text, trimmed } from './values';
import { CONTACT_LIMITS, LIMITS } from './wire';
import type { AddAttachmentPayload, ChatMessagePayload, ChatRatingPayload, CreateErrandPayload, PreviewPayload, RegisterPayload, ResumePayload } from './wire';

export type { ReadResult };

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

/** What a person wrote to the chat: not blank, at most 10,000 characters after trimming, not passing for a system message; trimmed. */
const said = andThen(text(Infinity, true), (value) => {
  const message = value.trim();
  return message.length <= LIMITS.messageMax && !passesForSystemText(message) ? message : undefined;
});

/** Checks a `register` payload: a plain one-line name, and a question that does not start with U+0001. */
export function readRegister(raw: unknown): ReadResult<RegisterPayload> {
  return check<RegisterPayload>(raw, {
    area: int,
    name: andThen(text(200, true), (name) => (isPlainName(name) ? name.trim() : undefined)),
    email: andThen(text(254), (email) => (email === '' || EMAIL.test(email) ? email : undefined)),
    phone: text(64),
    // The limit holds after trimming (§4), as for `chat message`; socket.io bounds the raw size.
    message: said,
    externalData: text(LIMITS.messageMax),
    baseURL: text(2048),
    offlineChat: flag,
    trackClientUrl: flag,
  });
}

/** Checks a `resume` payload (one that is not an object reads as empty). */
export function readResume(raw: unknown): ReadResult<ResumePayload> {
  const checked = check<ResumePayload & { secret: string }>(fields(raw) ?? {}, { href: text(2048), trackClientUrl: flag, secret: text(256) });
  if (!checked.ok || checked.value.secret !== '') return checked;
  const { href, trackClientUrl } = checked.value;
  return { ok: true, value: { href, trackClientUrl } };
}

/** Checks a client `chat message` payload: umid 1–64 characters, message 1–10,000 after trimming, not starting with U+0001. */
export function readChatMessagePayload(raw: unknown): ReadResult<ChatMessagePayload> {
  return check<ChatMessagePayload>(raw, {
    id: (id) => (typeof id === 'string' && id.length >= LIMITS.umidMin && id.length <= LIMITS.umidMax ? id : undefined),
    // Only the server writes system messages (docs/protocol.md §6).
    message: said,
    mcount: (mcount) => (mcount === undefined ? 0 : typeof mcount === 'number' && Number.isFinite(mcount) ? mcount : undefined),
  });
}

/** Checks a `preview` payload. */
export function readPreviewPayload(raw: unknown): ReadResult<PreviewPayload> {
  return check<PreviewPayload>(raw, { preview: text(LIMITS.messageMax) });
}

/** Checks an `add attachment` payload. */
export function readAddAttachment(raw: unknown): ReadResult<AddAttachmentPayload> {
  return check<AddAttachmentPayload>(raw, { area: int, file: readUploadResult, sessionSecret: text(256, true) });
}

/** Checks a `createerrand` body: every field required, trimmed, within {@link CONTACT_LIMITS}. */
export function readCreateErrand(raw: unknown): ReadResult<CreateErrandPayload> {
  return check<CreateErrandPayload>(raw, {
    area: int,
    name: trimmed(CONTACT_LIMITS.nameMax),
    email: andThen(text(CONTACT_LIMITS.emailMax, true), (email) => (EMAIL.test(email.trim()) ? email.trim() : undefined)),
    subject: trimmed(CONTACT_LIMITS.subjectMax),
    message: trimmed(LIMITS.messageMax),
  });
}

/** Checks a `chatrating` body: a secret, an integer rating from 1 to 5, an optional comment. */
export function readChatRating(raw: unknown): ReadResult<ChatRatingPayload> {
  return check<ChatRatingPayload>(raw, {
    secret: text(256, true),
    rating: (rating) => (typeof rating === 'number' && Number.isInteger(rating) && rating >= CONTACT_LIMITS.ratingMin && rating <= CONTACT_LIMITS.ratingMax ? rating : undefined),
    comment: trimmed(CONTACT_LIMITS.commentMax, false),
  });
}
