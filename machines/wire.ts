/**
 * The Cention chat wire protocol's shapes, as types only: every payload and reply of
 * docs/protocol.md §4–§7. They sit in the lowest layer so that the machine and the protocol code
 * of core (`cention-chat/protocol`, which re-exports them unchanged) take them from one place,
 * and imports never run back up the layers. Nothing else declares a wire shape.
 */

/** Who wrote a {@link Message}. */
export type Sender = 'CLIENT' | 'AGENT' | 'SYSTEM';

/**
 * One transcript entry as the server sends it (§6).
 *
 * `text` is plain text, never HTML. A system message's text starts with U+0001 (see
 * `parseSystemEvent` of `cention-chat/protocol`).
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
