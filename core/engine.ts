/**
 * The chat engine: the chat actor with its link, HTTP and storage, and the commands as promises.
 * Both public faces sit on it: the typed client adds RxJS streams and views, the 5.1.0 facade
 * adds callbacks, and neither re-implements a command.
 *
 * @module
 */
import type { Actor, InspectionEvent, Observer } from 'xstate';
import { phaseOf } from '../machines';
import { createChatActor } from '../machines/chat/chat.bound';
import type { ChatMachine, ChatNotification, ChatPhase, ChatSnapshot, CommandRef } from '../machines';
import type { Clock } from './clock';
import { systemClock } from './clock';
import { ChatError, quoted, requireInput } from './errors';
import type { InputLogHook } from './replay/input-log';
import { createErrand, errandPayload, rateChat, ratingPayload } from './errands';
import type { LeaveMessageOptions, RateOptions } from './errands';
import { createCanChat, createUpload, diagnoseConnectError, fileNameOf } from './http';
import { makeId } from './ids';
import { LIMITS, endpoints as endpointsOf, readRegister } from './protocol';
import type { CanChatResult, ChatFeatures, Endpoints, ErrandCreated, Message, MessageSent, SessionInfo, UploadResult } from './protocol';
import { refusedFileLink } from './describe';
import { SessionStore, keyOf } from './session-store';
import { typingPreview } from './typing-preview';
import type { ChatKey, StorageLike } from './session-store';
import { createLink } from './transport/link';
import type { IoFactory } from './transport/link';
import { defaultIo } from './transport/socket-io';

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

/** The running chat actor. */
export type ChatActor = Actor<ChatMachine>;

/**
 * One chat at a time: the running actor and the commands, which return promises or typed
 * results. {@link CentionChat} adds RxJS streams and views to it.
 */
export interface ChatEngine {
  /** The addresses derived from `baseURL`. */
  readonly endpoints: Endpoints;
  /** The running XState actor. */
  readonly actor: ChatActor;

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
  /** Every notification of the machine, before the engine settles its promises. */
  readonly notification?: (notification: ChatNotification) => void;
  /** Every new snapshot. */
  readonly snapshot?: (snapshot: ChatSnapshot) => void;
  /** The machine stopped with an error (a bug: it must not go unnoticed). */
  readonly crashed?: (error: ChatError) => void;
  /** Something a server sent that the client will not use as it is (a file link that breaks the rules), as an `invalid-input` error. */
  readonly refusedInput?: (error: ChatError) => void;
}

function defaultStorage(): StorageLike | undefined {
  try {
    return (globalThis as { sessionStorage?: StorageLike }).sessionStorage;
  } catch {
    // Storage blocked by the browser: chats still work, only resuming on another page does not.
    return undefined;
  }
}

function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: ChatError): void;
}

function waiter<T>(): { promise: Promise<T>; settle: Waiter<T> } {
  let settle!: Waiter<T>;
  const promise = new Promise<T>((resolve, reject) => {
    settle = { resolve, reject };
  });
  return { promise, settle };
}

/** The phases in which a chat has stopped needing its link. */
const AT_REST: ReadonlySet<ChatPhase> = new Set(['idle', 'finished', 'queueFull', 'agentUnavailable']);

/** Creates the chat engine (see {@link createCentionChat} for the typed client on it). */
export function createChatEngine(options: CentionChatOptions, hooks: EngineHooks = {}): ChatEngine {
  requireInput(typeof options === 'object' && options !== null, 'The chat needs an options object with a baseURL: { baseURL: "https://cloud.cention.com/s/demo" }.');
  let endpoints: Endpoints;
  try {
    endpoints = endpointsOf(options.baseURL);
  } catch (error) {
    throw new ChatError('invalid-input', (error as Error).message);
  }
  requireInput(options.area === undefined || Number.isSafeInteger(options.area), `area must be an integer, got ${quoted(options.area)}.`);
  const clock = options.clock ?? systemClock;
  const store = new SessionStore(options.storage === null ? undefined : (options.storage ?? defaultStorage()), endpoints.baseURL);
  const fetchImpl = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  const useXhr = options.uploadWith === 'xhr' || (options.uploadWith === undefined && typeof XMLHttpRequest !== 'undefined');
  const http = {
    endpoints,
    fetch: fetchImpl,
    clock,
    timeout: options.httpTimeout ?? 15_000,
    secretFor: (area: number) => store.read(area)?.secret,
    xhr: useXhr ? () => new XMLHttpRequest() : undefined,
  };
  const { record } = options;
  const inspect = record ? record.inspect(options.inspect) : options.inspect;
  // One chart for every client, this client's I/O bound to its actor (machines/chat/chat.bound.ts).
  const actor: ChatActor = createChatActor(
    {
      link: createLink({
        io: options.io ?? defaultIo,
        endpoints,
        clock,
        ackTimeout: options.ackTimeout ?? 10_000,
        trackClientUrl: options.trackClientUrl ?? false,
        href: () => (globalThis as { location?: { href: string } }).location?.href ?? '',
        ...(options.socketOptions ? { socketOptions: options.socketOptions } : {}),
        diagnose: (socketError) => diagnoseConnectError(http, socketError),
      }),
      canChat: createCanChat(http),
      upload: createUpload(http),
    },
    {
      ...(options.delays ? { delays: options.delays } : {}),
      clock: record ? record.clock(clock) : clock,
      input: { ...(options.maxConnectErrors !== undefined ? { maxConnectErrors: options.maxConnectErrors } : {}) },
      ...(inspect ? { inspect } : {}),
    },
  );

  const defaultArea = options.area;

  // ------------------------------------------------------------------ command promises
  const starts: Waiter<SessionInfo>[] = [];
  const resumes: Waiter<SessionInfo>[] = [];
  const closes: Waiter<void>[] = [];
  const checks = new Map<number, Waiter<CanChatResult>>();
  const sends = new Map<string, Waiter<MessageSent>>();
  const attaches = new Map<string, { settle: Waiter<UploadResult>; onProgress?: AttachOptions['onProgress']; loaded: number; dispose?: () => void }>();
  let nextCheck = 0;
  let stopped = false;

  const drain = <T>(list: Waiter<T>[], settle: (w: Waiter<T>) => void) => {
    for (const w of list.splice(0)) settle(w);
  };
  const failCommand = (ref: CommandRef, error: ChatError) => {
    switch (ref.command) {
      case 'start':
        return drain(starts, (w) => w.reject(error));
      case 'resume':
        return drain(resumes, (w) => w.reject(error));
      case 'close':
        return drain(closes, (w) => w.reject(error));
      case 'canChat':
        checks.get(ref.requestId)?.reject(error);
        checks.delete(ref.requestId);
        return;
      case 'send':
      case 'retry':
        sends.get(ref.umid)?.reject(error);
        sends.delete(ref.umid);
        return;
      case 'attach':
        settleAttach(ref.uploadId, (a) => a.settle.reject(error));
        return;
      default:
        return;
    }
  };
  const settleAttach = (uploadId: string, settle: (a: NonNullable<ReturnType<typeof attaches.get>>) => void) => {
    const pending = attaches.get(uploadId);
    if (!pending) return;
    attaches.delete(uploadId);
    pending.dispose?.();
    settle(pending);
  };
  const abandonAll = (error: ChatError, which: 'chat' | 'everything') => {
    drain(starts, (w) => w.reject(error));
    drain(resumes, (w) => w.reject(error));
    drain(closes, (w) => w.reject(error));
    for (const w of sends.values()) w.reject(error);
    sends.clear();
    for (const id of [...attaches.keys()]) settleAttach(id, (a) => a.settle.reject(error));
    if (which === 'everything') {
      for (const w of checks.values()) w.reject(error);
      checks.clear();
    }
  };

  const typing = typingPreview((text) => actor.send({ type: 'user.preview', text }), clock, Math.max(0, options.previewEvery ?? 300));

  const onNotification = (n: ChatNotification) => {
    hooks.notification?.(n);
    switch (n.type) {
      case 'messages':
        if (hooks.refusedInput) reportRefusedLinks(n.messages, hooks.refusedInput);
        break;
      case 'finished':
        typing.dispose();
        break;
      case 'session':
        drain(n.resumed ? resumes : starts, (w) => w.resolve(n.session));
        break;
      case 'rejected':
        failCommand(n.ref, ChatError.from(n.fault));
        break;
      case 'availability':
        checks.get(n.availability.requestId)?.resolve(n.availability.result);
        checks.delete(n.availability.requestId);
        break;
      case 'receipt':
        if (n.state === 'sent' && n.receipt) sends.get(n.umid)?.resolve(n.receipt);
        if (n.state === 'failed') sends.get(n.umid)?.reject(ChatError.from(n.fault ?? { code: 'server-error', message: 'The message could not be sent.' }));
        if (n.state !== 'acked') sends.delete(n.umid);
        break;
      case 'upload': {
        const { upload } = n;
        if (upload.state === 'done' && upload.result) settleAttach(upload.uploadId, (a) => a.settle.resolve(upload.result!));
        if ((upload.state === 'failed' || upload.state === 'canceled') && upload.fault) settleAttach(upload.uploadId, (a) => a.settle.reject(ChatError.from(upload.fault!)));
        break;
      }
      default:
        break;
    }
  };
  // A file link from the server that is not a download of baseURL's origin is shown without a link, and said once, as it arrives.
  const reportRefusedLinks = (messages: readonly Message[], report: (error: ChatError) => void) => {
    for (const message of messages) {
      const upload = refusedFileLink(message, endpoints.baseURL);
      if (!upload) continue;
      const name = typeof upload.fileName === 'string' ? upload.fileName.slice(0, 200) : '';
      report(new ChatError('invalid-input', `The server sent the file ${JSON.stringify(name)} with a link that is not an http(s) download of ${endpoints.origin}: it is shown without a link.`));
    }
  };
  const notificationSubscription = actor.on('*', (n) => onNotification(n as ChatNotification));

  // ------------------------------------------------------------------ state, storage, progress
  // The chat an earlier page kept, as resume() read it. While the machine resumes it (its
  // resumeSecret is this chat's) and the server has not answered, it is what this page holds,
  // and what the customer writes meanwhile is kept under it; a new chat or a reset clears the
  // machine's resumeSecret, and with it this hold.
  let resumingFrom: ChatKey | undefined;
  // What the store was last told, so it is written only when that changes.
  let written: { session: SessionInfo | undefined; holder: ChatKey | undefined; outbox: unknown; over: boolean; area: number | undefined } = {
    session: undefined,
    holder: undefined,
    outbox: undefined,
    over: false,
    area: undefined,
  };
  // Runs on every transition, a message flood included: it must stay O(1) and build no view.
  const onSnapshot = (snapshot: ChatSnapshot) => {
    hooks.snapshot?.(snapshot);
    const { context } = snapshot;
    const phase = phaseOf(snapshot);
    const over = phase === 'finished';
    const resumed = context.session === undefined && resumingFrom !== undefined && resumingFrom.secret === context.resumeSecret ? resumingFrom : undefined;
    if (context.session !== written.session || resumed !== written.holder || context.outbox !== written.outbox || over !== written.over) {
      // Keep the chat and the unsent messages for the next page; forget them once the chat is over.
      const holder = context.session ? keyOf(context.session) : resumed;
      if (holder && !over) store.write(holder, context.outbox);
      else if (written.area !== undefined) store.clear(written.area);
      written = { session: context.session, holder: resumed, outbox: context.outbox, over, area: holder && !over ? holder.area : undefined };
    }
    if (closes.length > 0 && AT_REST.has(phase)) drain(closes, (w) => w.resolve());
    if (attaches.size > 0) {
      for (const upload of context.uploads) {
        const pending = attaches.get(upload.uploadId);
        if (pending && upload.loaded !== pending.loaded) {
          pending.loaded = upload.loaded;
          pending.onProgress?.({ loaded: upload.loaded, total: upload.size });
        }
      }
    }
  };
  const snapshotSubscription = actor.subscribe({
    next: onSnapshot,
    // A crash of the machine is a bug; it must not take the page down silently.
    error: (error) => hooks.crashed?.(new ChatError('invalid-state', `The chat stopped unexpectedly: ${String(error)}`, { cause: error })),
  });
  actor.start();

  const ensureRunning = () => {
    if (stopped) throw new ChatError('invalid-state', 'This chat client was stopped; create a new one.');
  };
  const areaOr = (area: number | undefined, what: string): number => {
    const chosen = area ?? defaultArea;
    requireInput(chosen !== undefined && Number.isSafeInteger(chosen), `${what} needs an area: pass one, or set \`area\` in createCentionChat().`);
    return chosen;
  };

  const upload = (file: Blob, features: ChatFeatures, attachOptions: AttachOptions): Promise<UploadResult> => {
    if (stopped) return Promise.reject(new ChatError('invalid-state', 'The chat client was stopped.'));
    if (features['chat.attachment'] === false) return Promise.reject(new ChatError('attachments-disabled', 'This chat does not accept attachments.'));
    const isImage = file.type.startsWith('image/');
    const limit = (isImage ? features['chat.max-image-size'] : undefined) ?? features['chat.max-attachment-size'];
    if (typeof limit === 'number' && limit > 0 && file.size > limit) {
      return Promise.reject(new ChatError('file-too-large', `The file is ${humanSize(file.size)}; this chat accepts ${isImage ? 'images' : 'files'} up to ${humanSize(limit)}.`));
    }
    if (attachOptions.signal?.aborted) return Promise.reject(new ChatError('upload-aborted', 'The upload was cancelled before it started.'));
    const uploadId = attachOptions.id ?? makeId('f', clock);
    if (attaches.has(uploadId)) return Promise.reject(new ChatError('invalid-input', `An upload with the id ${uploadId} is already under way.`));
    const { promise, settle } = waiter<UploadResult>();
    const signal = attachOptions.signal;
    const onAbort = () => actor.send({ type: 'user.cancelUpload', uploadId });
    signal?.addEventListener('abort', onAbort, { once: true });
    attaches.set(uploadId, {
      settle,
      loaded: 0,
      ...(attachOptions.onProgress ? { onProgress: attachOptions.onProgress } : {}),
      ...(signal ? { dispose: () => signal.removeEventListener('abort', onAbort) } : {}),
    });
    actor.send({ type: 'user.attach', uploadId, file, fileName: fileNameOf(file), size: file.size, fileType: file.type });
    return promise;
  };

  const engine: ChatEngine = {
    endpoints,
    actor,

    canChat(area) {
      ensureRunning();
      const which = areaOr(area, 'canChat()');
      const requestId = ++nextCheck;
      const { promise, settle } = waiter<CanChatResult>();
      checks.set(requestId, settle);
      actor.send({ type: 'user.canChat', area: which, requestId });
      return promise;
    },

    start(input) {
      ensureRunning();
      requireInput(typeof input === 'object' && input !== null, 'start() needs { name, message } and optionally email, phone, area.');
      const area = areaOr(input.area, 'start()');
      const checked = readRegister({
        area,
        name: input.name,
        email: input.email ?? '',
        phone: input.phone ?? '',
        message: input.message,
        externalData: input.externalData ?? '',
        baseURL: endpoints.baseURL,
        offlineChat: input.offlineChat ?? false,
        trackClientUrl: options.trackClientUrl ?? false,
      });
      if (!checked.ok) throw new ChatError('invalid-input', `start(): ${checked.field} is missing or invalid.`);
      const { promise, settle } = waiter<SessionInfo>();
      starts.push(settle);
      actor.send({ type: 'user.start', registration: checked.value });
      return promise;
    },

    send(text) {
      ensureRunning();
      requireInput(typeof text === 'string', `send() needs the message as a string, got ${typeof text}.`);
      const trimmed = text.trim();
      requireInput(trimmed.length >= LIMITS.messageMin, 'send() needs a message that is not empty.');
      requireInput(trimmed.length <= LIMITS.messageMax, `A message can be at most ${LIMITS.messageMax} characters; this one has ${trimmed.length}.`);
      const id = makeId('c', clock);
      const { promise, settle } = waiter<MessageSent>();
      // The caller may never look at `sent`; an unsent message must not become an unhandled rejection.
      promise.catch(() => undefined);
      sends.set(id, settle);
      actor.send({ type: 'user.send', umid: id, text: trimmed });
      return { id, message: trimmed, sent: promise };
    },

    retry(umid) {
      ensureRunning();
      requireInput(typeof umid === 'string' && umid !== '', 'retry() needs the id of a failed message.');
      actor.send({ type: 'user.retry', umid });
    },

    preview(text) {
      ensureRunning();
      requireInput(typeof text === 'string', `preview() needs a string, got ${typeof text}.`);
      typing.typed(text.slice(0, LIMITS.messageMax));
    },

    attach(file, attachOptions = {}) {
      ensureRunning();
      requireInput(typeof Blob !== 'undefined' && file instanceof Blob, 'attach() needs a File or Blob.');
      const { context } = actor.getSnapshot();
      const area = context.session?.areaId;
      // The limits come with canChat; a page that did not ask gets them asked for here, so a file
      // the area refuses is refused before a byte goes out.
      const known = area === undefined || context.availability?.area === area;
      const features = known ? Promise.resolve(context.availability?.result.feature ?? {}) : engine.canChat(area).then((answer) => answer.feature);
      return features.then((limits) => upload(file, limits, attachOptions));
    },

    resume(area) {
      ensureRunning();
      requireInput(area === undefined || Number.isSafeInteger(area), `resume() takes an area id or -1, got ${quoted(area)}.`);
      const which = area ?? defaultArea ?? -1;
      const kept = store.read(which);
      if (kept) resumingFrom = kept;
      const { promise, settle } = waiter<SessionInfo>();
      resumes.push(settle);
      actor.send({
        type: 'user.resume',
        ...(kept ? { secret: kept.secret, area: kept.area, outbox: kept.outbox } : which >= 0 ? { area: which } : {}),
      });
      promise.catch((error: unknown) => {
        if (error instanceof ChatError && (error.code === 'no-session' || error.code === 'chat-closed')) {
          resumingFrom = undefined;
          store.clear(kept?.area ?? which);
        }
      });
      return promise;
    },

    close() {
      ensureRunning();
      const { promise, settle } = waiter<void>();
      closes.push(settle);
      actor.send({ type: 'user.close' });
      if (closes.includes(settle) && AT_REST.has(phaseOf(actor.getSnapshot()))) drain(closes, (w) => w.resolve());
      return promise;
    },

    disconnect() {
      ensureRunning();
      actor.send({ type: 'user.disconnect' });
    },

    reset() {
      ensureRunning();
      const kept = actor.getSnapshot().context.session;
      typing.dispose();
      actor.send({ type: 'user.reset' });
      abandonAll(new ChatError('invalid-state', 'The chat was reset.'), 'chat');
      if (kept) store.clear(kept.areaId);
    },

    markRead() {
      ensureRunning();
      actor.send({ type: 'user.markRead' });
    },

    historyUrls() {
      const { session } = actor.getSnapshot().context;
      if (!session) return undefined;
      const query = { area: session.areaId, secret: session.sessionSecret };
      return { save: endpoints.api('savehistory', query), print: endpoints.api('printhistory', query) };
    },

    leaveMessage(input) {
      ensureRunning();
      requireInput(typeof input === 'object' && input !== null, 'leaveMessage() needs { name, email, subject, message } and optionally area.');
      return createErrand(http, errandPayload(input, areaOr(input.area, 'leaveMessage()')));
    },

    rate(input) {
      ensureRunning();
      requireInput(typeof input === 'object' && input !== null, 'rate() needs { rating } (1 to 5) and optionally a comment.');
      const snapshot = actor.getSnapshot();
      const { session } = snapshot.context;
      // A bad rating is the caller's mistake whatever the chat's state: it is told first.
      const payload = ratingPayload(input, session?.sessionSecret ?? 'no chat yet');
      if (!session) return Promise.reject(new ChatError('no-session', 'There is no chat to rate.'));
      if (phaseOf(snapshot) !== 'finished') return Promise.reject(new ChatError('invalid-state', 'The chat has not ended yet; rate it once it has.'));
      return rateChat(http, payload);
    },

    downloadUrl(download) {
      const { session } = actor.getSnapshot().context;
      return session ? endpoints.download(download, session.sessionSecret) : undefined;
    },

    hasKeptChat(area) {
      return store.read(area ?? defaultArea ?? -1) !== undefined;
    },

    stop() {
      if (stopped) return;
      stopped = true;
      typing.dispose();
      abandonAll(new ChatError('invalid-state', 'The chat client was stopped.'), 'everything');
      notificationSubscription.unsubscribe();
      snapshotSubscription.unsubscribe();
      actor.stop();
    },
  };
  return engine;
}
