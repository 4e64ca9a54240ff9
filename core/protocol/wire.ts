/**
 * The Cention chat wire protocol: every event name, payload and reply of docs/protocol.md
 * §4–§7, in one place. The shapes are types of the lowest layer (`machines/wire.ts`), re-exported
 * here; the names, errors and limits below are the values that go with them. The client, the
 * reference server and the tests all derive from these.
 *
 * @module
 */
import type { ClientEventName, ErrorReply, ServerEventName } from '../../machines/wire';

export type {
  Sender,
  Message,
  ChatMessageEvent,
  MessageSent,
  MessageAcked,
  AgentPreview,
  UploadResult,
  ChatFeatures,
  CanChatResult,
  RegisterPayload,
  SessionInfo,
  ErrorReply,
  ResumePayload,
  ChatMessagePayload,
  PreviewPayload,
  AddAttachmentPayload,
  ClientEvents,
  ServerEvents,
  ClientEventName,
  ServerEventName,
} from '../../machines/wire';

/** The server event names, in the order of §5. */
export const SERVER_EVENTS = [
  'chat message',
  'message sent',
  'message acked',
  'agent preview',
  'queue',
  'queue full',
  'agent unavailable',
  'chat closed',
  'finish chat session',
] as const satisfies readonly ServerEventName[];

/** The client event names, in the order of §4. */
export const CLIENT_EVENTS = [
  'register',
  'resume',
  'chat message',
  'preview',
  'add attachment',
  'close chat',
] as const satisfies readonly ClientEventName[];

/** The error strings of §4 (plus `invalid input: <field>`). */
export const WIRE_ERRORS = {
  unknownArea: 'unknown area',
  chatClosed: 'chat closed',
  queueFull: 'queue full',
  agentUnavailable: 'agent unavailable',
  noSession: 'no session',
} as const;

/** `invalid input: <field>`, the reply to a payload field that breaks the rules. */
export function invalidInput(field: string): string {
  return `invalid input: ${field}`;
}

/** The string a client acks every server emit with (§2). */
export const AUTO_ACK = 'onJson';

/** Prefix of a Message sent `id` for a umid the server had already stored (§4). */
export const ALREADY_SEEN_PREFIX = 'already-seen-';

/** Limits of §4. */
export const LIMITS = {
  umidMin: 1,
  umidMax: 64,
  messageMin: 1,
  messageMax: 10_000,
} as const;

/** Name of the session cookie (§3). */
export const SESSION_COOKIE = 'CentionChatSession';

/** Whether a reply is an `{error}` reply. */
export function isErrorReply(reply: unknown): reply is ErrorReply {
  return typeof reply === 'object' && reply !== null && typeof (reply as { error?: unknown }).error === 'string' && (reply as ErrorReply).error !== '';
}

// ---------------------------------------------------------------- leave a message, rate a chat
// `createerrand` and `chatrating` (docs/protocol.md §7: the paths are known, the fields decided
// by this project). Both are `POST` with a JSON body.

/** Body of `POST …/external.api/createerrand`: a message left when nobody can chat, which becomes an errand. */
export interface CreateErrandPayload {
  readonly area: number;
  /** 1 to 200 characters after trimming. */
  readonly name: string;
  /** Where the contact centre answers: required, at most 254 characters. */
  readonly email: string;
  /** What it is about: 1 to 200 characters after trimming. */
  readonly subject: string;
  /** 1 to 10,000 characters after trimming. */
  readonly message: string;
}

/** Reply of `createerrand`: the errand's reference, for the customer to quote. */
export interface ErrandCreated {
  readonly reference: string;
}

/** Body of `POST …/external.api/chatrating`: the customer's rating of an ended chat, once per chat. */
export interface ChatRatingPayload {
  /** The chat's `sessionSecret`. */
  readonly secret: string;
  /** An integer from 1 (bad) to 5 (very good). */
  readonly rating: number;
  /** At most 1,000 characters after trimming; `""` for none. */
  readonly comment: string;
}

/** Reply of `chatrating`. */
export interface ChatRated {
  readonly rated: true;
}

/** Limits of `createerrand` and `chatrating`. */
export const CONTACT_LIMITS = {
  nameMax: 200,
  emailMax: 254,
  subjectMax: 200,
  commentMax: 1_000,
  ratingMin: 1,
  ratingMax: 5,
  /** The largest body either accepts, in bytes. */
  bodyMax: 64 * 1024,
} as const;

/** The `{error}` strings of `chatrating` besides `invalid input: <field>`. */
export const RATING_ERRORS = {
  wrongSecret: 'wrong session secret',
  notEnded: 'chat not ended',
  alreadyRated: 'already rated',
} as const;
