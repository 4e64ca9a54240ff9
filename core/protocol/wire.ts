/**
 * The Cention chat wire protocol as TypeScript types: every event name, payload and reply of
 * `PROTOCOL.md` §4–§7, in one place. The client, the reference server and the tests all derive
 * from these; nothing else declares a wire shape.
 *
 * @module
 */

/** Who wrote a {@link Message}. */
export type Sender = 'CLIENT' | 'AGENT' | 'SYSTEM';

/**
 * One transcript entry as the server sends it (§6).
 *
 * `text` is plain text, never HTML. A system message's text starts with U+0001 (see
 * {@link parseSystemEvent}).
 */
export interface Message {
  /** The Cention message id. */
  readonly id: number;
  readonly sender: Sender;
  /** Unix seconds. */
  readonly sent: number;
  /** `HH:MM` in the area's time zone. */
  readonly sentHuman: string;
  readonly text: string;
  /** The client's umid for its own messages; `""` otherwise (and after a server restart). */
  readonly umid: string;
}

/** Payload of the server's `chat message` event. */
export interface ChatMessageEvent {
  /** The assigned agent's name; empty until an agent takes the chat. */
  readonly agent: string;
  /** Messages the client has not seen; may repeat messages it has. */
  readonly chat: readonly Message[];
  /** The client's name as recorded by the server. */
  readonly client: string;
}

/** The "Message sent" object: the ack of `chat message` and the `message sent` event (§6). */
export interface MessageSent {
  /** The message id as a string, or `"already-seen-" + umid`. */
  readonly id: string;
  readonly umid: string;
  readonly sent: number;
  readonly sentHuman: string;
}

/** Payload of `message acked`: client messages now delivered to the agent. */
export interface MessageAcked {
  readonly ids: readonly number[];
}

/** Payload of `agent preview`: the length of what the agent is typing, `0` when stopped. */
export interface AgentPreview {
  readonly messageLen: number;
}

/** A stored upload (§6), as returned by the upload endpoint. */
export interface UploadResult {
  readonly id: number;
  /** The file name. */
  readonly value: string;
  /** Download path; add `?t=<sessionSecret>`. */
  readonly download: string;
  readonly sizeHuman: string;
  readonly size: number;
  readonly type: string;
}

/** The features object of `canchat` (§7). Servers may add keys. */
export interface ChatFeatures {
  readonly 'chat.attachment'?: boolean;
  readonly 'chat.max-attachment-size'?: number;
  readonly 'chat.max-image-size'?: number;
  readonly 'chat.external-source-page'?: string;
  readonly [feature: string]: unknown;
}

/** Reply of `GET …/external.api/canchat` (§7). */
export interface CanChatResult {
  readonly chatOpen: boolean;
  readonly agentsAvailable: number;
  readonly feature: ChatFeatures;
  readonly resumable: boolean;
  /** Non-empty only when the check itself failed. */
  readonly error: string;
}

/** Payload of the client's `register` (§4). */
export interface RegisterPayload {
  readonly area: number;
  readonly name: string;
  readonly email: string;
  readonly phone: string;
  readonly message: string;
  readonly externalData: string;
  readonly baseURL: string;
  readonly offlineChat: boolean;
  readonly trackClientUrl: boolean;
}

/** The session a successful `register` or `resume` names. */
export interface SessionInfo {
  readonly sessionId: number;
  readonly sessionSecret: string;
  readonly areaId: number;
  readonly clientName: string;
}

/** An `{error}` reply. */
export interface ErrorReply {
  readonly error: string;
}

/** Payload of the client's `resume` (§4). */
export interface ResumePayload {
  readonly href: string;
  readonly trackClientUrl: boolean;
  readonly secret?: string;
}

/** Payload of the client's `chat message` (§4). */
export interface ChatMessagePayload {
  /** The umid: opaque, 1 to 64 characters, unique per browser. */
  readonly id: string;
  readonly message: string;
  /** The client's running message count. */
  readonly mcount: number;
}

/** Payload of the client's `preview`; `""` means the customer stopped typing. */
export interface PreviewPayload {
  readonly preview: string;
}

/** Payload of the client's `add attachment`. */
export interface AddAttachmentPayload {
  readonly area: number;
  readonly file: UploadResult;
  readonly sessionSecret: string;
}

/** Every client → server event with its payload and ack reply (§4). `preview` has no ack. */
export interface ClientEvents {
  register: { payload: RegisterPayload; reply: SessionInfo | ErrorReply };
  resume: { payload: ResumePayload; reply: SessionInfo | ErrorReply };
  'chat message': { payload: ChatMessagePayload; reply: MessageSent | ErrorReply };
  preview: { payload: PreviewPayload; reply: never };
  'add attachment': { payload: AddAttachmentPayload; reply: { readonly ok: true } | ErrorReply };
  'close chat': { payload: Record<string, never>; reply: { readonly closed: true } | ErrorReply };
}

/** Every server → client event with its payload (§5); `undefined` for events without one. */
export interface ServerEvents {
  'chat message': ChatMessageEvent;
  'message sent': MessageSent;
  'message acked': MessageAcked;
  'agent preview': AgentPreview;
  queue: number;
  'queue full': undefined;
  'agent unavailable': undefined;
  'chat closed': undefined;
  'finish chat session': undefined;
}

export type ClientEventName = keyof ClientEvents;
export type ServerEventName = keyof ServerEvents;

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
// PROTOCOL.md §7 names `createerrand` and `chatrating`; their fields are decided in the
// project's docs/protocol.md §5. Both are `POST` with a JSON body.

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
