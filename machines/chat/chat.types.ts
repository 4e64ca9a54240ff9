import type {
  AddAttachmentPayload,
  CanChatResult,
  ChatMessagePayload,
  Message,
  MessageSent,
  RegisterPayload,
  SessionInfo,
  UploadResult,
} from '../wire';
import type { ChatFault } from './chat.faults';
import type { OutboxEntry } from './chat.outbox';
import type { Delivered } from './chat.delivered';
import type { Transcript } from './chat.transcript';

// ------------------------------------------------------------------ context

/** The last answer of a `canchat` check. */
export interface Availability {
  /** Which `user.canChat` asked for it. */
  readonly requestId: number;
  readonly area: number;
  readonly result: CanChatResult;
}

/** Where an attachment is: uploading over HTTP, waiting for the link, announced, or not. */
export type UploadState = 'uploading' | 'uploaded' | 'attaching' | 'done' | 'failed' | 'canceled';

/** One attachment of this session. */
export interface UploadEntry {
  /** The client-made id; also the id of the spawned upload actor. */
  readonly uploadId: string;
  readonly fileName: string;
  readonly size: number;
  readonly type: string;
  readonly state: UploadState;
  /** Bytes sent so far. */
  readonly loaded: number;
  readonly result?: UploadResult;
  readonly fault?: ChatFault;
}

/**
 * Everything the machine knows about the chat.
 *
 * Kept under 20 fields: XState copies the context with `Object.assign({}, context, update)` at
 * each `assign`, and V8 (Node, Chromium) turns an object built that way with 20 properties or
 * more into a dictionary, whose every read and copy is several times slower (a flooded message
 * cost a third more). Related fields share one (`connectErrors`, `typing`); a test holds the
 * count and checks in V8 itself that the context stays a fast object
 * (test/machines/context-shape.test.ts).
 */
export interface ChatContext {
  /** How many `canchat` checks are under way. */
  readonly checksInFlight: number;
  /** The last `canchat` answer. */
  readonly availability: Availability | undefined;
  /** The server's session, once registered or resumed. */
  readonly session: SessionInfo | undefined;
  /** What `register` was (or will be) sent with. */
  readonly registration: RegisterPayload | undefined;
  /** The secret to resume with when there is no session yet (from storage). */
  readonly resumeSecret: string | undefined;
  /** Messages, deduplicated by id and ordered. */
  readonly transcript: Transcript;
  /** Own messages on their way, until the transcript shows them. */
  readonly outbox: readonly OutboxEntry[];
  /** Ids of client messages the agent has received. */
  readonly delivered: Delivered;
  /** Attachments of this session. */
  readonly uploads: readonly UploadEntry[];
  /** 1-based place in the area's queue while queued. */
  readonly queuePosition: number | undefined;
  /** The assigned agent's name; `""` until one is assigned. */
  readonly agent: string;
  /** Typing previews: the length of what the agent is typing (`0` when not typing), and the customer's latest preview, held while the link is down. */
  readonly typing: TypingState;
  /**
   * Agent and system messages that arrived since the customer last saw the chat (`user.markRead`).
   * A batch that arrives while the transcript is empty (a resumed chat's history, the first echo)
   * is what the customer came back to, not news, and does not count.
   */
  readonly unread: number;
  /** The client's running message count (`mcount`). */
  readonly mcount: number;
  /** `close()` was asked for while the chat could not be closed yet. */
  readonly closeRequested: boolean;
  /** Connect errors in a row since the link was last up (`count`), and how many give up a start or resume (`max`). */
  readonly connectErrors: ConnectErrors;
  /** The chat ended while the link was down (found out on reconnect). */
  readonly endedWhileOffline: boolean;
  /** The last thing that went wrong. */
  readonly lastError: ChatFault | undefined;
}

/** {@link ChatContext.typing}. */
export interface TypingState {
  /** Length of what the agent is typing; `0` when not typing. */
  readonly agent: number;
  /** The customer's latest typing preview, held while the link is down. */
  readonly held: string | undefined;
}

/** {@link ChatContext.connectErrors}. */
export interface ConnectErrors {
  /** Consecutive connect errors since the link was last up. */
  readonly count: number;
  /** How many connect errors in a row give up a start or resume. */
  readonly max: number;
}

/** Input of the chat machine. */
export interface ChatInput {
  /** How many connect errors in a row give up a start or resume (default 3). */
  readonly maxConnectErrors?: number;
}

// ------------------------------------------------------------------ the link (transport) actor

/** Commands the machine sends to its `link` actor. */
export type LinkCommand =
  | { readonly type: 'register'; readonly payload: RegisterPayload }
  /** The link fills in `href` and `trackClientUrl` of the `resume` payload. */
  | { readonly type: 'resume'; readonly secret?: string }
  | { readonly type: 'chatMessage'; readonly payload: ChatMessagePayload }
  | { readonly type: 'preview'; readonly preview: string }
  | { readonly type: 'addAttachment'; readonly uploadId: string; readonly payload: AddAttachmentPayload }
  | { readonly type: 'closeChat' };

/** A reply: the decoded value, or the error string (`"timeout"` and `"offline"` from the link itself). */
export type Reply<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Events from the link actor: the socket's life, server events and replies. */
export type LinkEvent =
  | { readonly type: 'link.connected' }
  | { readonly type: 'link.disconnected'; readonly reason: string }
  /** `final`: no retry can succeed (no socket.io on the page); a start or resume gives up at once. */
  | { readonly type: 'link.connectError'; readonly message: string; readonly final?: boolean }
  | { readonly type: 'server.chatMessage'; readonly agent: string; readonly client: string; readonly chat: readonly Message[] }
  | { readonly type: 'server.messageSent'; readonly receipt: MessageSent }
  | { readonly type: 'server.messageAcked'; readonly ids: readonly number[] }
  | { readonly type: 'server.agentPreview'; readonly messageLen: number }
  | { readonly type: 'server.queue'; readonly position: number }
  | { readonly type: 'server.queueFull' }
  | { readonly type: 'server.agentUnavailable' }
  | { readonly type: 'server.chatClosed' }
  | { readonly type: 'server.finished' }
  | { readonly type: 'reply.register'; readonly reply: Reply<SessionInfo> }
  | { readonly type: 'reply.resume'; readonly reply: Reply<SessionInfo> }
  | { readonly type: 'reply.chatMessage'; readonly umid: string; readonly reply: Reply<MessageSent> }
  | { readonly type: 'reply.addAttachment'; readonly uploadId: string; readonly reply: Reply<true> }
  | { readonly type: 'reply.closeChat'; readonly reply: Reply<true> };

// ------------------------------------------------------------------ the upload and check actors

/** Input of the `upload` actor. */
export interface UploadInput {
  readonly uploadId: string;
  /** The file (a `Blob`/`File` in browsers); the machine never looks inside. */
  readonly file: unknown;
  readonly area: number;
  readonly session: SessionInfo;
}

/** Events from an upload actor. */
export type UploadEvent =
  | { readonly type: 'upload.progress'; readonly uploadId: string; readonly loaded: number }
  | { readonly type: 'upload.done'; readonly uploadId: string; readonly result: UploadResult }
  | { readonly type: 'upload.failed'; readonly uploadId: string; readonly fault: ChatFault };

/** Input of the `canChat` actor. */
export interface CanChatInput {
  readonly area: number;
  readonly requestId: number;
}

/** Events from a `canChat` actor. */
export type CheckEvent =
  | { readonly type: 'check.done'; readonly requestId: number; readonly area: number; readonly result: CanChatResult }
  | { readonly type: 'check.failed'; readonly requestId: number; readonly fault: ChatFault };

// ------------------------------------------------------------------ user commands

/** What the customer (through core) asks for. */
export type UserEvent =
  | { readonly type: 'user.canChat'; readonly area: number; readonly requestId: number }
  | { readonly type: 'user.start'; readonly registration: RegisterPayload }
  | {
      readonly type: 'user.resume';
      /** The secret kept from an earlier page, if any (else the cookie names the session). */
      readonly secret?: string;
      /** The area the secret belongs to, if known. */
      readonly area?: number;
      /** Own messages an earlier page kept. */
      readonly outbox?: readonly OutboxEntry[];
    }
  | { readonly type: 'user.send'; readonly umid: string; readonly text: string }
  | { readonly type: 'user.retry'; readonly umid: string }
  | { readonly type: 'user.preview'; readonly text: string }
  | { readonly type: 'user.attach'; readonly uploadId: string; readonly file: unknown; readonly fileName: string; readonly size: number; readonly fileType: string }
  | { readonly type: 'user.cancelUpload'; readonly uploadId: string }
  | { readonly type: 'user.close' }
  | { readonly type: 'user.disconnect' }
  | { readonly type: 'user.reset' }
  /** The customer has seen the chat: `unread` goes back to 0. */
  | { readonly type: 'user.markRead' };

/** Timers the machine sets itself. */
export type TimerEvent = { readonly type: 'timer.agentTypingExpired' } | { readonly type: 'timer.closeGrace' } | { readonly type: 'timer.retryOutbox' };

/** Every event the chat machine takes. */
export type ChatEvent = UserEvent | LinkEvent | UploadEvent | CheckEvent | TimerEvent;

/** The event of one type, for an action or guard that only that event reaches. */
export type EventOf<T extends ChatEvent['type']> = Extract<ChatEvent, { type: T }>;

// ------------------------------------------------------------------ what the machine tells the world

/** Which command a rejection answers, so core can settle the right promise. */
export type CommandRef =
  | { readonly command: 'canChat'; readonly requestId: number }
  | { readonly command: 'send' | 'retry'; readonly umid: string }
  | { readonly command: 'attach' | 'cancelUpload'; readonly uploadId: string }
  | { readonly command: 'start' | 'resume' | 'preview' | 'close' | 'disconnect' | 'reset' };

/**
 * Events the machine emits (`actor.on(type, …)`) for things that happen once, as opposed to
 * state: core turns them into its RxJS streams and the 5.1.0 facade into its events.
 */
export type ChatNotification =
  | { readonly type: 'messages'; readonly messages: readonly Message[]; readonly agent: string; readonly client: string }
  | { readonly type: 'receipt'; readonly umid: string; readonly state: 'sent' | 'acked' | 'failed'; readonly receipt?: MessageSent; readonly messageId?: number; readonly fault?: ChatFault }
  | { readonly type: 'acked'; readonly ids: readonly number[] }
  | { readonly type: 'queue'; readonly position: number }
  | { readonly type: 'agentTyping'; readonly messageLen: number }
  | { readonly type: 'connected' }
  | { readonly type: 'disconnected'; readonly reason: string }
  | { readonly type: 'connectError'; readonly message: string }
  | { readonly type: 'session'; readonly session: SessionInfo; readonly resumed: boolean }
  | { readonly type: 'queueFull' }
  | { readonly type: 'agentUnavailable' }
  | { readonly type: 'chatClosed' }
  | { readonly type: 'finished' }
  | { readonly type: 'availability'; readonly availability: Availability }
  | { readonly type: 'upload'; readonly upload: UploadEntry }
  | { readonly type: 'rejected'; readonly ref: CommandRef; readonly fault: ChatFault };
