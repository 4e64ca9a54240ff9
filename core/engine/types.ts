/**
 * The engine's public shapes: the options, what the commands take and give, and the hooks a
 * face (the typed client, the 5.1.0 facade) is told through.
 *
 * @module
 */
import type { InspectionEvent, Observer } from 'xstate';
import type { ChatNotification, ChatSnapshot } from '../../machines';
import type { ChatError } from '../errors';
import type { LeaveMessageOptions, RateOptions } from '../errands';
import type { Clock } from '../clock';
import type { InputLogHook } from '../replay/input-log';
import type { DesktopOptIn, NotificationOptions } from '../notifications';
import type { PreviewMode } from '../typing-preview';
import type { CanChatResult, Endpoints, ErrandCreated, MessageSent, SessionInfo, UploadResult } from '../protocol';
import type { ChatActor } from '../runtime/types';
import type { StorageLike } from '../session-store';
import type { IoFactory } from '../transport/link';

export type { ChatActor };


/** How to make a client. Only `baseURL` is required. */
export interface CentionChatOptions {
  /** `https://<cention api domain>/s/<workspace>`. */
  readonly baseURL: string;
  /** The area `canChat()`, `start()` and `resume()` use when not told another. */
  readonly area?: number;
  /**
   * The socket.io-client `io` factory; default socket.io-client 2 (Engine.IO 3, which Cention's
   * servers and the reference server speak). `io` of `cention-chat/socket.io-v4` for an Engine.IO 4 server.
   */
  readonly io?: IoFactory;
  /** The `fetch` for `canchat` and uploads; default the global one. */
  readonly fetch?: typeof globalThis.fetch;
  /** Where the session secret and unsent messages survive a page load; default `sessionStorage`, `null` for nowhere. */
  readonly storage?: StorageLike | null;
  /** Time and timers; default the real ones. Tests pass a manual clock. */
  readonly clock?: Clock;
  /** How long to wait for a reply to a socket request (ms, default 10,000). */
  readonly ackTimeout?: number;
  /** How long the `canchat` request may take (ms, default 15,000). */
  readonly httpTimeout?: number;
  /** How many connect errors in a row give up a start or resume (default 3). The link of a chat in progress never gives up. */
  readonly maxConnectErrors?: number;
  /** Ask the server to track the page address (`trackClientUrl`); default false. */
  readonly trackClientUrl?: boolean;
  /** Extra socket.io options, e.g. `{ transports: ['websocket'] }`. */
  readonly socketOptions?: Readonly<Record<string, unknown>>;
  /** Override the machine's delays (ms). */
  readonly delays?: Partial<Record<'agentTypingTimeout' | 'closeGrace' | 'outboxRetry', number>>;
  /** At most one typing preview per this many ms reaches the agent, always ending with the latest (default 300; 0: every change). */
  readonly previewEvery?: number;
  /**
   * What the agent sees of what the customer types: `'text'` (default) the text, `'length'` a
   * placeholder of the same length (`•••`), `'off'` nothing. Anything else throws `invalid-input`.
   */
  readonly preview?: PreviewMode;
  /**
   * Desktop notifications of agent messages while the page is hidden: `true` or options (see
   * {@link NotificationOptions}; `text: true` shows what the agent wrote). Nothing is asked of
   * the customer until the site calls `enableNotifications()` from a click.
   */
  readonly notifications?: boolean | NotificationOptions;
  /**
   * One connection for all the tabs of the site that show this chat (default `true`): one tab
   * holds the socket and the others follow it, through the Web Locks API and a
   * `BroadcastChannel`; where the browser has neither, each tab keeps its own socket. `false`:
   * this tab keeps its own socket.
   */
  readonly shareAcrossTabs?: boolean;
  /** Upload with `XMLHttpRequest` (progress events) or `fetch`; default: XMLHttpRequest where there is one. */
  readonly uploadWith?: 'xhr' | 'fetch';
  /** Handed to the XState actor: any XState v5 inspector (e.g. `@statelyai/inspect`) can watch the chat. */
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /** Records every input of the chat: a recorder of `cention-chat/replay` (`createRecorder()`). Nothing is recorded, and nothing is paid, without one. */
  readonly record?: InputLogHook;
}

/** What `start()` needs: who the customer is and what they ask. */
export interface StartOptions {
  readonly name: string;
  readonly message: string;
  readonly email?: string;
  readonly phone?: string;
  readonly externalData?: string;
  /** Default: the client's `area`. */
  readonly area?: number;
  readonly offlineChat?: boolean;
}

/**
 * A message on its way: the seed's "Unsent message object" (`id`, `message`) plus a promise
 * of the server's Message sent object.
 */
export interface OutgoingMessage {
  /** The umid, made on this device. */
  readonly id: string;
  readonly message: string;
  /** Resolves once the server has stored the message; rejects with a `ChatError` if it cannot be sent. */
  readonly sent: Promise<MessageSent>;
}

/** Options of `attach()`. */
export interface AttachOptions {
  /** Called as bytes go out. */
  readonly onProgress?: (progress: { readonly loaded: number; readonly total: number }) => void;
  /** Aborting it cancels the upload (the promise rejects with `upload-aborted`). */
  readonly signal?: AbortSignal;
  /** The upload's id in `uploads`; default one is made. */
  readonly id?: string;
}

/** Links to the transcript of the chat. */
export interface HistoryUrls {
  /** Downloads the transcript as text. */
  readonly save: string;
  /** A printable page of the transcript. */
  readonly print: string;
}

/**
 * One chat at a time: the running actor and the commands, which return promises or typed
 * results. {@link CentionChat} adds RxJS streams and views to it.
 */
export interface ChatEngine {
  /** The addresses derived from `baseURL`. */
  readonly endpoints: Endpoints;
  /**
   * The running XState actor, for a debugger's `getSnapshot()`: `undefined` until the chat's
   * runtime is loaded (on the first command that needs it, or at once when a kept chat waits to
   * be resumed).
   */
  readonly actor: ChatActor | undefined;

  /** Asks whether a chat can start in an area. Rejects only when the check itself could not be made. */
  canChat(area?: number): Promise<CanChatResult>;
  /** Starts a chat; resolves with the session once registered. */
  start(options: StartOptions): Promise<SessionInfo>;
  /** Queues a message; it is sent as soon as the chat and the link allow, exactly once. */
  send(text: string): OutgoingMessage;
  /** Sends a failed message again. */
  retry(umid: string): void;
  /**
   * Tells the agent what the customer is typing (`""`: stopped). Call it on every change of the
   * input: it is paced to one preview per `previewEvery` ms, ending with the latest text, and a
   * stop goes at once.
   */
  preview(text: string): void;
  /**
   * Uploads a file and announces it in the chat; resolves with the stored upload. A file the
   * area does not accept (attachments off, too large) is refused before it is sent; the limits
   * come from `canChat()`, which is asked first when it has not been for the chat's area.
   */
  attach(file: Blob, options?: AttachOptions): Promise<UploadResult>;
  /** Resumes the chat kept by an earlier page (area `-1`: whichever was kept last), or by the cookie. */
  resume(area?: number): Promise<SessionInfo>;
  /** Ends the chat; resolves once it has ended. */
  close(): Promise<void>;
  /** Lets go of the link but keeps the chat: `resume()` picks it up again. */
  disconnect(): void;
  /** Forgets the chat (a new one can start). */
  reset(): void;
  /**
   * The customer has seen the chat: the view's `unread` goes back to 0. Call it while the chat
   * is in view (its panel open, the page visible) and whenever that begins.
   */
  markRead(): void;
  /** Whether this tab keeps a chat (from an earlier page) that `resume()` can pick up; area `-1` or none: any. */
  hasKeptChat(area?: number): boolean;
  /** Links to save or print the transcript, once there is a session. */
  historyUrls(): HistoryUrls | undefined;
  /**
   * Leaves a message for the contact centre, for when no chat can start (closed, no agents,
   * queue full): it becomes an errand, and the promise resolves with its reference. Fields that
   * break the rules throw `invalid-input` before anything is sent; the server's refusals reject
   * with a `ChatError` (`invalid-input`, `unknown-area`, `http-error`, `timeout`).
   */
  leaveMessage(options: LeaveMessageOptions): Promise<ErrandCreated>;
  /**
   * Rates the chat that ended: a whole number from 1 to 5 and an optional comment, once per
   * chat. A rating out of range throws `invalid-input` before anything is sent; it rejects with
   * `no-session` when there is no chat, `invalid-state` while the chat goes on, `already-rated`
   * the second time, `http-error` or `timeout` when the request fails.
   */
  rate(options: RateOptions): Promise<void>;
  /**
   * The authorised link to an upload's `download` path (the session secret added), once there is
   * a session. `undefined` when the path is not an http(s) address on `baseURL`'s origin: the
   * secret goes nowhere else, and such a file is shown without a link.
   */
  downloadUrl(download: string): string | undefined;
  /** Stops it: the link closes, pending promises reject, nothing is left running. */
  stop(): void;
}

/** What the engine tells the face built on it, as it happens. */
export interface EngineHooks {
  /** The face's opt-in to desktop notifications, which the runtime shows (`core/runtime/desktop.ts`). */
  readonly desktop?: DesktopOptIn;
  /** Every notification of the machine, before the engine settles its promises. */
  readonly notification?: (notification: ChatNotification) => void;
  /**
   * Every new snapshot. Until the runtime is loaded, the snapshot of a chat that has not begun
   * (`idle`, with what `canChat()` learnt over HTTP).
   */
  readonly snapshot?: (snapshot: ChatSnapshot) => void;
  /**
   * What no command's promise tells alone: the machine stopped with an error (a bug: it must not
   * go unnoticed), or the runtime could not be loaded (the commands waiting for it are refused,
   * and the next command tries again).
   */
  readonly crashed?: (error: ChatError) => void;
  /** Something a server sent that the client will not use as it is (a file link that breaks the rules), as an `invalid-input` error. */
  readonly refusedInput?: (error: ChatError) => void;
}
