/**
 * The Cention Chat API 5.1.0, exactly as its documentation describes it, over the typed client.
 *
 * @module
 */
import type { ChatNotification, ChatSnapshot } from '../../machines';
import { createChatEngine } from '../engine';
import type { CentionChatOptions, ChatEngine } from '../engine';
import { describeMessage } from '../describe';
import type { DescribedMessage } from '../describe';
import { systemClock } from '../clock';
import { ChatError, quoted, requireInput } from '../errors';
import type { ChatErrorCode } from '../errors';
import type { LeaveMessageOptions, RateOptions } from '../errands';
import { fileNameOf } from '../http';
import { readPreviewMode } from '../typing-preview';
import { desktopOptIn } from '../notifications';
import { makeId } from '../ids';
import type { AgentPreview, CanChatResult, ChatRated, ErrandCreated, MessageAcked, MessageSent, SessionInfo, Translate, UploadResult } from '../protocol';

/** The event ids `registerAction` takes, and the arguments each handler gets. */
export interface ChatActionArguments {
  /** The agent is typing. */
  'agent preview': [preview: AgentPreview];
  /** No agent was available for the chat. */
  'agent unavailable': [];
  /** The chat is already closed. */
  'chat closed': [];
  /** The link dropped (an extension of 5.1.0: socket.io's own event name); the library reconnects by itself. */
  disconnect: [reason: string];
  /** A message could not be sent, and why (an extension of 5.1.0). */
  'message failed': [failed: { readonly id: string; readonly error: ChatError }];
  /** Bytes of a file `attachFile` is sending went out (an extension of 5.1.0); `id` is the one `cbOnDone` gets. */
  'upload progress': [progress: UploadProgress];
  /**
   * How many agent and system messages arrived since the customer last saw the chat changed (an
   * extension of 5.1.0): called with the new count, `0` after `markRead()`.
   */
  unread: [count: number];
  /** New messages (system messages already turned into text through `I`). */
  'chat message': [data: { agent: string; chat: DescribedMessage[]; client: string }];
  /** The connection succeeded. */
  connect: [];
  /**
   * The connection failed: an `Error` for each failed attempt, and a `ChatError` (with a `code`)
   * when a start gave up or the server refused it (e.g. `area-closed`).
   */
  connect_error: [error: Error];
  /** The chat ended (closed by the agent or the client, or expired). */
  'finish chat session': [];
  /** Messages were delivered to the agent. */
  'message acked': [acked: MessageAcked];
  /** A message reached the server. */
  'message sent': [sent: MessageSent];
  /** The place in the queue changed. */
  queue: [position: number];
  /** The queue is full. */
  'queue full': [];
}

/** An event id of `registerAction`. */
export type ChatAction = keyof ChatActionArguments;

const ACTIONS: readonly ChatAction[] = [
  'disconnect',
  'message failed',
  'upload progress',
  'unread',
  'agent preview',
  'agent unavailable',
  'chat closed',
  'chat message',
  'connect',
  'connect_error',
  'finish chat session',
  'message acked',
  'message sent',
  'queue',
  'queue full',
];

/** The seed's "Unsent message object". */
export interface UnsentMessage {
  readonly id: string;
  readonly message: string;
}

/** How far the upload of a file is (the `upload progress` event). */
export interface UploadProgress {
  /** The id `attachFile` gave the file; `cbOnDone` gets the same. */
  readonly id: string;
  /** The file's name. */
  readonly name: string;
  readonly loaded: number;
  readonly total: number;
}

/**
 * What `attachFile` hands `cbOnDone`: an Unsent message object (`id` made on this device,
 * `message` the file name), with the client's name and the stored file as the server describes it.
 */
export interface AttachedFile extends UnsentMessage {
  readonly name: string;
  readonly file: UploadResult;
}

/** What `attachFile` returns (an extension of 5.1.0, whose `attachFile` returns nothing): the file's id and a way to stop its upload. */
export interface AttachedUpload {
  /** The id `cbOnDone`, `cbOnFail` and `upload progress` carry. */
  readonly id: string;
  readonly name: string;
  /** Stops the upload if it is still under way: `cbOnFail` then gets an `upload-aborted` error. A file already sent stays sent. */
  cancel(): void;
}

/** `connect()` to start a chat. */
export interface ConnectParameters {
  readonly area: number;
  readonly name: string;
  readonly email?: string;
  readonly message: string;
  readonly phone?: string;
  readonly externalData?: string;
}

/** What a resume answers: the session, or why not. */
export type ResumeAnswer = SessionInfo | { readonly error: string };

/** What `createErrand`'s and `rateChat`'s callbacks get when it did not work: the sentence, and the `ChatError` code to branch on. */
export interface ExtensionFailure {
  readonly error: string;
  readonly code: ChatErrorCode;
}

/** `createErrand()`: the message to leave, in an area (required: the facade has no default area). */
export type CreateErrandParameters = LeaveMessageOptions & { readonly area: number };

/** `connect()` to resume a chat (`area: -1`: whichever this browser has). */
export interface ResumeParameters {
  readonly resume: true;
  readonly area?: number;
  readonly callback?: (msg: ResumeAnswer) => void;
}

/** The `CentionChat` object `_CentionChat()` returns. */
export interface CentionChatAPI {
  /** `https://<cention api domain>/s/<workspace>`. */
  baseURL: string;
  /** Translates the sentences of system messages; returning nothing keeps the English one. */
  I: Translate;
  /** The session secret of the current chat (`""` when there is none), for history links. */
  readonly sessionSecret: string;
  /** The chat engine underneath, once made (an extension of 5.1.0): the running actor and promise-based commands. */
  readonly client: ChatEngine | undefined;
  /** Registers the handler of an event; a second registration for the same event replaces the first. */
  registerAction<A extends ChatAction>(action: A, handler: (...args: ChatActionArguments[A]) => void): void;
  /** Starts a chat, or with `{resume: true, area, callback}` resumes one. */
  connect(parameters: ConnectParameters | ResumeParameters): void;
  /** Resets the chat state; call it before starting a new chat after one ended. */
  resetChat(): void;
  /** Resumes the chat this browser has going (cookie or kept secret). */
  tryResume(handler: (msg: ResumeAnswer) => void): void;
  /** Lets go of the connection (the chat can be resumed). */
  disconnect(): void;
  /** Queues a message for the agent; returns its Unsent message object at once. */
  message(text: string): UnsentMessage;
  /**
   * Uploads a file and tells the agent; `cbOnDone` gets the Unsent message object once it is
   * attached. The seed says this function "takes 3 parameters" and names two: the third,
   * `cbOnFail`, gets the `ChatError` when the file cannot be sent (too large, attachments off,
   * network) and the file's `{id, name}` (the id its `upload progress` events carried). It
   * returns (an extension of 5.1.0) the file's id and `cancel()`, which stops the upload.
   */
  attachFile(file: Blob, cbOnDone?: (um: AttachedFile) => void, cbOnFail?: (error: ChatError, file: { readonly id: string; readonly name: string }) => void): AttachedUpload;
  /** Tells the agent what the customer is typing. */
  preview(text: string): void;
  /** Asks whether a chat can start in `area`. */
  canChat(handler: (o: CanChatResult) => void, area?: number): void;
  /** Ends the chat. */
  close(): void;
  /**
   * The customer has seen the chat (an extension of 5.1.0): the `unread` count goes back to 0.
   * Call it while the chat is in view and whenever it comes into view.
   */
  markRead(): void;
  /**
   * Turns on desktop notifications of agent messages while the page is hidden (an extension of
   * 5.1.0; needs the `notifications` option of `_CentionChat(options)`). It asks the browser for
   * permission, so call it from a click, never on load; resolves with the browser's answer.
   */
  enableNotifications(): Promise<NotificationPermission>;
  /**
   * Leaves a message for the contact centre when no chat can start (an extension of 5.1.0): it
   * becomes an errand. `cb` gets `{reference}`, or `{error, code}` (bad input included: this
   * never throws).
   */
  createErrand(params: CreateErrandParameters, cb?: (answer: ErrandCreated | ExtensionFailure) => void): void;
  /**
   * Rates the chat that ended, once (an extension of 5.1.0): `{rating}` from 1 to 5 and an
   * optional `comment`. `cb` gets `{rated: true}`, or `{error, code}` (`already-rated` the second
   * time; bad input included: this never throws).
   */
  rateChat(params: RateOptions, cb?: (answer: ChatRated | ExtensionFailure) => void): void;
}

/** Options for tests and special set-ups; `_CentionChat()` needs none. */
export type FacadeOptions = Omit<CentionChatOptions, 'baseURL' | 'area'>;

const WIRE_ERROR: Partial<Record<ChatError['code'], string>> = {
  'no-session': 'no session',
  'chat-closed': 'chat closed',
  'area-closed': 'chat closed',
  'unknown-area': 'unknown area',
  'queue-full': 'queue full',
  'agent-unavailable': 'agent unavailable',
};

function errorText(error: unknown): string {
  if (error instanceof ChatError) return WIRE_ERROR[error.code] ?? error.message;
  return error instanceof Error ? error.message : String(error);
}

/** The page's own `…/s/<workspace>` when the page is served by the Cention server itself. */
function firstPartyBaseURL(): string | undefined {
  const location = (globalThis as { location?: { origin: string; pathname: string } }).location;
  if (!location) return undefined;
  const workspace = /^\/s\/[^/]+/.exec(location.pathname);
  return location.origin + (workspace ? workspace[0] : '');
}

/**
 * The facade's state lives in this closure, so the object a page holds has exactly the seed's
 * members (`baseURL`, `I`, the functions) and nothing of ours to trip over.
 */
function createFacade(options: FacadeOptions): CentionChatAPI {
  // The engine is made on first use; a bad option is told now, where the page wrote it.
  readPreviewMode(options.preview);
  const desktop = desktopOptIn(options.notifications);
  const clock = options.clock ?? systemClock;
  const handlers = new Map<ChatAction, (...args: never[]) => void>();
  let chat: ChatEngine | undefined;
  let chatBaseURL = '';
  let unread = 0;

  const call = <A extends ChatAction>(action: A, ...args: ChatActionArguments[A]): void => {
    const handler = handlers.get(action) as ((...a: ChatActionArguments[A]) => void) | undefined;
    if (!handler) return;
    try {
      handler(...args);
    } catch (error) {
      // A failing handler of the page must not stop the chat or the other handlers.
      console.error(`CentionChat: the "${action}" handler threw`, error);
    }
  };
  const warn = (error: unknown): void => {
    console.warn('CentionChat:', error instanceof Error ? error.message : error);
  };
  // A page's mistake that the original lets pass is said once, not on every call.
  const warned = new Set<string>();
  const warnOnce = (message: string): void => {
    if (warned.has(message)) return;
    warned.add(message);
    warn(message);
  };

  // Files on their way (attachFile's id by the upload's download path), so their chat message
  // completes them with `message sent` like a message's, after cbOnDone has had the id.
  const files = new Map<string, { readonly id: string; done: boolean; sent?: MessageSent }>();
  const fileSent = (file: { readonly id: string; done: boolean; sent?: MessageSent }, download: string): void => {
    if (!file.done || !file.sent) return;
    files.delete(download);
    call('message sent', file.sent);
  };

  const dispatch = (n: ChatNotification): void => {
    switch (n.type) {
      case 'messages': {
        const chat = n.messages.map((m) => describeMessage(m, (text) => api.I(text), chatBaseURL));
        call('chat message', { agent: n.agent, chat, client: n.client });
        for (const m of chat) {
          const download = m.sender === 'CLIENT' && m.event?.event === 'FILE_UPLOAD' ? (m.event as { fileDownload?: unknown }).fileDownload : undefined;
          const file = typeof download === 'string' ? files.get(download) : undefined;
          if (!file) continue;
          file.sent = { id: String(m.id), umid: file.id, sent: m.sent, sentHuman: m.sentHuman };
          fileSent(file, download as string);
        }
        break;
      }
      case 'upload':
        if (n.upload.result && n.upload.state !== 'failed' && n.upload.state !== 'canceled' && !files.has(n.upload.result.download)) {
          files.set(n.upload.result.download, { id: n.upload.uploadId, done: false });
        }
        break;
      case 'receipt':
        if (n.state === 'sent' && n.receipt) call('message sent', n.receipt);
        if (n.state === 'failed') call('message failed', { id: n.umid, error: ChatError.from(n.fault ?? { code: 'server-error', message: 'The message could not be sent.' }) });
        break;
      case 'acked':
        call('message acked', { ids: n.ids });
        break;
      case 'agentTyping':
        call('agent preview', { messageLen: n.messageLen });
        break;
      case 'queue':
        call('queue', n.position);
        break;
      case 'queueFull':
        call('queue full');
        break;
      case 'agentUnavailable':
        call('agent unavailable');
        break;
      case 'chatClosed':
        call('chat closed');
        break;
      case 'finished':
        call('finish chat session');
        break;
      case 'connected':
        call('connect');
        break;
      case 'disconnected':
        call('disconnect', n.reason);
        break;
      case 'connectError':
        call('connect_error', new Error(n.message));
        break;
      case 'rejected':
        // The seed's functions "do nothing" where they make no sense; say why instead of nothing.
        if (n.ref.command !== 'start' && n.ref.command !== 'resume' && n.ref.command !== 'canChat') warn(ChatError.from(n.fault));
        break;
      default:
        break;
    }
  };

  const unreadOf = (snapshot: ChatSnapshot): void => {
    if (snapshot.context.unread === unread) return;
    unread = snapshot.context.unread;
    call('unread', unread);
  };

  /** The engine for the current `baseURL`, made on first use. */
  const use = (): ChatEngine => {
    let baseURL = api.baseURL;
    if (!baseURL && (globalThis as { FOR_THIRD_PARTY_USE?: unknown }).FOR_THIRD_PARTY_USE === false) baseURL = firstPartyBaseURL() ?? '';
    requireInput(typeof baseURL === 'string' && baseURL !== '', 'Set CentionChat.baseURL (https://<cention api domain>/s/<workspace>) before using the chat.');
    if (chat && chatBaseURL === baseURL) return chat;
    chat?.stop();
    // A file link that breaks the rules reaches the page as `fileDownload: ""`; the console says why.
    chat = createChatEngine({ ...options, baseURL }, { desktop, notification: dispatch, snapshot: unreadOf, refusedInput: warn });
    chatBaseURL = baseURL;
    return chat;
  };

  /** Runs an extension's request and hands its answer, or its failure, to `cb`: never a throw at the page. */
  const answer = <T>(what: string, cb: ((value: T | ExtensionFailure) => void) | undefined, run: () => Promise<T>): void => {
    let pending: Promise<T>;
    try {
      pending = run();
    } catch (error) {
      pending = Promise.reject(error);
    }
    const deliver = (value: T | ExtensionFailure): void => {
      if (typeof cb !== 'function') {
        if ('error' in (value as object)) warn(`${what}: ${(value as ExtensionFailure).error}`);
        return;
      }
      try {
        cb(value);
      } catch (error) {
        console.error(`CentionChat: the ${what} callback threw`, error);
      }
    };
    pending.then(deliver, (error: unknown) => {
      const failure = error instanceof ChatError ? error : new ChatError('invalid-input', error instanceof Error ? error.message : String(error));
      deliver({ error: failure.message, code: failure.code });
    });
  };

  const resumeWith = (area: number | undefined, callback: ((msg: ResumeAnswer) => void) | undefined): void => {
    requireInput(callback === undefined || typeof callback === 'function', 'The resume callback must be a function.');
    const engine = use();
    engine
      .resume(area ?? -1)
      .then(
        (session) => {
          callback?.({ areaId: session.areaId, clientName: session.clientName, sessionId: session.sessionId, sessionSecret: session.sessionSecret });
          // The original's server sends the transcript after the resume's answer. Where this
          // machine holds it already (a tab that follows another's chat, a detached chat), the
          // server's copy is nothing new to it: the page gets it from here, once.
          const now = engine.actor?.getSnapshot().context;
          if (now && now.transcript.length > 0) {
            call('chat message', { agent: now.agent, chat: [...now.transcript].map((m) => describeMessage(m, (text) => api.I(text), chatBaseURL)), client: session.clientName });
          }
        },
        (error: unknown) => {
          // Not reaching the server is a connect error whatever the command was.
          if (error instanceof ChatError && error.code === 'connect-failed') call('connect_error', error);
          callback?.({ error: errorText(error) });
        },
      );
  };

  const api: CentionChatAPI = {
    baseURL: '',
    I: (text) => text,

    get sessionSecret(): string {
      return chat?.actor?.getSnapshot().context.session?.sessionSecret ?? '';
    },

    get client(): ChatEngine | undefined {
      return chat;
    },

    registerAction(action, handler) {
      // The original takes any name and calls only the ones it knows: a page may register more.
      if (!ACTIONS.includes(action)) return warnOnce(`registerAction: no event is called ${JSON.stringify(action)}, so its handler will not be called; the events are ${ACTIONS.map((a) => `"${a}"`).join(', ')}.`);
      if (typeof handler !== 'function') return warnOnce(`registerAction("${action}") needs a function, got ${quoted(handler)}.`);
      handlers.set(action, handler as (...args: never[]) => void);
    },

    connect(parameters) {
      requireInput(typeof parameters === 'object' && parameters !== null, 'connect() needs an object: {area, name, email, message} or {resume: true, area, callback}.');
      if ('resume' in parameters && parameters.resume === true) {
        resumeWith(parameters.area, parameters.callback);
        return;
      }
      const p = parameters as ConnectParameters;
      requireInput(typeof p.area === 'number', 'connect() needs the area id as a number.');
      use()
        .start({
          area: p.area,
          name: p.name,
          message: p.message,
          ...(p.email !== undefined ? { email: p.email } : {}),
          ...(p.phone !== undefined ? { phone: p.phone } : {}),
          ...(p.externalData !== undefined ? { externalData: p.externalData } : {}),
        })
        .catch((error: unknown) => {
          const code = error instanceof ChatError ? error.code : undefined;
          // queue full and agent unavailable have events of their own.
          if (code === 'queue-full' || code === 'agent-unavailable') return;
          // A start overtaken by resetChat() or made during a chat is the page's doing, not the connection's.
          if (code === 'invalid-state') return warn(error);
          call('connect_error', error instanceof Error ? error : new Error(String(error)));
        });
    },

    resetChat() {
      chat?.reset();
    },

    tryResume(handler) {
      requireInput(typeof handler === 'function', 'tryResume() needs a handler function.');
      resumeWith(-1, handler);
    },

    disconnect() {
      chat?.disconnect();
    },

    message(text) {
      const { id, message } = use().send(text);
      return { id, message };
    },

    attachFile(file, cbOnDone, cbOnFail) {
      requireInput(cbOnDone === undefined || typeof cbOnDone === 'function', 'attachFile(file, cbOnDone, cbOnFail): cbOnDone must be a function.');
      requireInput(cbOnFail === undefined || typeof cbOnFail === 'function', 'attachFile(file, cbOnDone, cbOnFail): cbOnFail must be a function.');
      const engine = use();
      // Like message(), the file gets an id made here at once; every report about it carries it.
      const id = makeId('f', clock);
      const name = fileNameOf(file);
      const aborter = new AbortController();
      engine.attach(file, { id, signal: aborter.signal, onProgress: ({ loaded, total }) => call('upload progress', { id, name, loaded, total }) }).then(
        (result) => {
          cbOnDone?.({ id, message: result.value, name: engine.actor?.getSnapshot().context.session?.clientName ?? '', file: result });
          const pending = files.get(result.download);
          if (!pending) return;
          pending.done = true;
          fileSent(pending, result.download);
        },
        (error: unknown) => {
          const failure = error instanceof ChatError ? error : new ChatError('upload-failed', String(error));
          if (cbOnFail) cbOnFail(failure, { id, name });
          else warn(failure);
        },
      );
      return { id, name, cancel: () => aborter.abort() };
    },

    preview(text) {
      use().preview(text);
    },

    canChat(handler, area) {
      if (typeof handler !== 'function') return warnOnce(`canChat(handler, area) needs a handler function, got ${quoted(handler)}.`);
      const failed = (error: unknown) => handler({ chatOpen: false, agentsAvailable: 0, feature: {}, resumable: false, error: errorText(error) });
      if (typeof area !== 'number' || !Number.isSafeInteger(area)) {
        // Like an answer of the server: through the handler, after this call returns.
        const error = `canChat(handler, area) needs the area id as a number, got ${quoted(area)}.`;
        warnOnce(error);
        void Promise.resolve().then(() => failed(error));
        return;
      }
      use().canChat(area).then(handler, failed);
    },

    close() {
      if (!chat) {
        warn(new ChatError('no-session', 'There is no chat to close.'));
        return;
      }
      chat.close().catch((error: unknown) => warn(error));
    },

    markRead() {
      chat?.markRead();
    },

    enableNotifications() {
      return desktop.enable();
    },

    createErrand(params, cb) {
      answer('createErrand', cb, () => {
        requireInput(typeof params === 'object' && params !== null, 'createErrand(params, cb) needs {area, name, email, subject, message}.');
        requireInput(typeof params.area === 'number', 'createErrand() needs the area id as a number.');
        return use().leaveMessage(params);
      });
    },

    rateChat(params, cb) {
      answer('rateChat', cb, () => {
        requireInput(typeof params === 'object' && params !== null, 'rateChat(params, cb) needs {rating} from 1 to 5 and optionally a comment.');
        if (!chat) throw new ChatError('no-session', 'There is no chat to rate.');
        return chat.rate(params).then((): ChatRated => ({ rated: true }));
      });
    },
  };
  return api;
}

/**
 * The Cention Chat API 5.1.0: returns a new `CentionChat` object. Set `baseURL`, register the
 * event handlers, then `canChat` / `connect` / `tryResume` as the Cention documentation shows.
 *
 * @example
 * ```js
 * var CentionChat = _CentionChat();
 * CentionChat.baseURL = 'https://cloud.cention.com/s/demo';
 * CentionChat.registerAction('chat message', function (data) {
 *   data.chat.forEach(function (msg) { show(msg.sender, msg.text); });
 * });
 * CentionChat.connect({ area: 1, name: 'John Smith', email: 'john.smith@gmail.com', message: 'Hello!' });
 * ```
 */
export function _CentionChat(options: FacadeOptions = {}): CentionChatAPI {
  return createFacade(options);
}
