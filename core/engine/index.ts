/**
 * The chat engine: the commands, as promises, of one chat at a time. Both public faces stand
 * on it: the typed client adds RxJS streams and views, the 5.1.0 facade adds callbacks, and
 * neither re-implements a command. What it is made of, one concern a file:
 *
 * - `config.ts`: the options, checked, with their defaults;
 * - `promises.ts`: each command's promise, settled by the machine's notifications;
 * - `beside.ts`: the commands beside the machine (leaving a message, rating, links);
 * - `uploads.ts`: what `attach()` checks, and an upload's progress (loaded with the first file);
 * - this file: the commands, turned into the machine's `user.*` events;
 * - the runtime (`../runtime`: the machine, its socket and its HTTP), reached through one narrow
 *   seam ({@link ChatRuntime}); `lazy-runtime.ts` loads it when a command first needs it.
 *
 * @module
 */
import { phaseOf } from '../../machines/chat/chat.connect';
import type { ChatPhase, UserEvent } from '../../machines';
import { refusedFileLink } from '../describe';
import { checked } from '../errands';
import { ChatError, quoted, requireInput } from '../errors';
import { makeId } from '../ids';
import { withActor } from '../live-property';
import { readRegister } from '../protocol/checks';
import { LIMITS } from '../protocol/wire';
import type { CanChatResult, MessageSent, SessionInfo } from '../protocol';
import type { ChatRuntime } from '../runtime/types';
import { readChat } from '../session-store';
import { previewOf, readPreviewMode, typingPreview } from '../typing-preview';
import type { TypingPreview } from '../typing-preview';
import { besideTheMachine } from './beside';
import { configure } from './config';
import { startRuntime } from './default-runtime';
import { commandPromises } from './promises';
import type { Uploads } from './uploads';
import { loadUploads as loadUploadsModule } from './uploads-loader';
import type { CentionChatOptions, ChatEngine, EngineHooks } from './types';

export type { AttachOptions, CentionChatOptions, ChatActor, ChatEngine, EngineHooks, HistoryUrls, OutgoingMessage, StartOptions } from './types';

/** The phases in which a chat has stopped needing its link. */
const AT_REST: ReadonlySet<ChatPhase> = new Set(['idle', 'finished', 'queueFull', 'agentUnavailable']);

const CLOSE = { command: 'close' } as const;

/** Creates the chat engine (see {@link createCentionChat} for the typed client on it). */
export function createChatEngine(options: CentionChatOptions, hooks: EngineHooks = {}): ChatEngine {
  const config = configure(options);
  const previewMode = readPreviewMode(options.preview);
  const { endpoints, clock, store } = config;
  const promises = commandPromises();
  const send = (event: UserEvent) => runtime.send(event);
  // Uploads are loaded with the first file (a lazy chunk of their own): most chats send none.
  let files: Uploads | undefined;
  const loadUploads = () => loadUploadsModule().then(({ uploads }) => (files ??= uploads({ send }, promises, clock)));
  // Made when the customer first types: most clients never do, and each would keep one.
  const previewEvery = Math.max(0, options.previewEvery ?? 300);
  let typing: TypingPreview | undefined;
  let stopped = false;
  // Request ids start anywhere, so that those of tabs sharing one chat (core/tabs) never meet.
  let nextCheck = Math.floor(Math.random() * 2 ** 30) * 1_000_000;

  const runtime: ChatRuntime = startRuntime(hooks.desktop?.options ? { ...config, desktop: hooks.desktop } : config, {
    snapshot(snapshot) {
      hooks.snapshot?.(snapshot);
      files?.changed(snapshot);
      if (promises.has(CLOSE) && AT_REST.has(phaseOf(snapshot))) promises.resolve(CLOSE);
    },
    notification(n) {
      hooks.notification?.(n);
      // A file link from the server that is not a download of baseURL's origin is shown without a link, and said once, as it arrives.
      if (n.type === 'messages' && hooks.refusedInput) {
        for (const message of n.messages) {
          const upload = refusedFileLink(message, endpoints.baseURL);
          const name = typeof upload?.fileName === 'string' ? upload.fileName.slice(0, 200) : '';
          if (upload) hooks.refusedInput(new ChatError('invalid-input', `The server sent the file ${JSON.stringify(name)} with a link that is not an http(s) download of ${endpoints.origin}: it is shown without a link.`));
        }
      }
      if (n.type === 'finished') typing?.dispose();
      promises.notified(n);
    },
    failed(error) {
      // A runtime that never loaded leaves its commands unanswered: they are refused.
      if (error instanceof ChatError) promises.abandon(error, false);
      hooks.crashed?.(error instanceof ChatError ? error : new ChatError('invalid-state', `The chat stopped unexpectedly: ${String(error)}`, { cause: error }));
    },
  });

  const ensureRunning = () => {
    if (stopped) throw new ChatError('invalid-state', 'This chat client was stopped; create a new one.');
  };
  const areaOf = (area: number | undefined, what: string): number => {
    const chosen = area ?? config.area;
    requireInput(chosen !== undefined && Number.isSafeInteger(chosen), `${what} needs an area: pass one, or set \`area\` in createCentionChat().`);
    return chosen;
  };
  const needs = (input: unknown, what: string) => requireInput(typeof input === 'object' && input !== null, what);
  const beside = besideTheMachine({ config, getSnapshot: () => runtime.getSnapshot(), ensureRunning, areaOf, needs });

  const commands: Omit<ChatEngine, 'actor'> = {
    endpoints,

    canChat(area) {
      ensureRunning();
      const which = areaOf(area, 'canChat()');
      const requestId = ++nextCheck;
      const answer = promises.wait<CanChatResult>({ command: 'canChat', requestId });
      send({ type: 'user.canChat', area: which, requestId });
      return answer;
    },

    start(input) {
      ensureRunning();
      needs(input, 'start() needs { name, message } and optionally email, phone, area.');
      const registration = checked(
        'start()',
        readRegister({
          area: areaOf(input.area, 'start()'),
          name: input.name,
          email: input.email ?? '',
          phone: input.phone ?? '',
          message: input.message,
          externalData: input.externalData ?? '',
          baseURL: endpoints.baseURL,
          offlineChat: input.offlineChat ?? false,
          trackClientUrl: config.trackClientUrl,
        }),
      );
      const started = promises.wait<SessionInfo>({ command: 'start' });
      send({ type: 'user.start', registration });
      return started;
    },

    send(text) {
      ensureRunning();
      requireInput(typeof text === 'string', `send() needs the message as a string, got ${typeof text}.`);
      const message = text.trim();
      requireInput(message.length >= LIMITS.messageMin, 'send() needs a message that is not empty.');
      requireInput(message.length <= LIMITS.messageMax, `A message can be at most ${LIMITS.messageMax} characters; this one has ${message.length}.`);
      const id = makeId('c', clock);
      const sent = promises.wait<MessageSent>({ command: 'send', umid: id });
      // The caller may never look at `sent`; an unsent message must not become an unhandled rejection.
      sent.catch(() => undefined);
      send({ type: 'user.send', umid: id, text: message });
      return { id, message, sent };
    },

    retry(umid) {
      ensureRunning();
      requireInput(typeof umid === 'string' && umid !== '', 'retry() needs the id of a failed message.');
      send({ type: 'user.retry', umid });
    },

    preview(text) {
      ensureRunning();
      requireInput(typeof text === 'string', `preview() needs a string, got ${typeof text}.`);
      const shown = previewOf(text.slice(0, LIMITS.messageMax), previewMode);
      if (shown !== undefined) (typing ??= typingPreview((text) => send({ type: 'user.preview', text }), clock, previewEvery)).typed(shown);
    },

    attach(file, attachOptions = {}) {
      ensureRunning();
      requireInput(typeof Blob !== 'undefined' && file instanceof Blob, 'attach() needs a File or Blob.');
      const { context } = runtime.getSnapshot();
      const area = context.session?.areaId;
      // The limits come with canChat; a page that did not ask gets them asked for here, so a file
      // the area refuses is refused before a byte goes out.
      const known = area === undefined || context.availability?.area === area;
      const features = known ? Promise.resolve(context.availability?.result.feature ?? {}) : engine.canChat(area).then((answer) => answer.feature);
      return Promise.all([features, loadUploads()]).then(([limits, loaded]) => (stopped ? Promise.reject(new ChatError('invalid-state', 'The chat client was stopped.')) : loaded.upload(file, limits, attachOptions)));
    },

    resume(area) {
      ensureRunning();
      requireInput(area === undefined || Number.isSafeInteger(area), `resume() takes an area id or -1, got ${quoted(area)}.`);
      const which = area ?? config.area ?? -1;
      const kept = readChat(store, which);
      const resumed = promises.wait<SessionInfo>({ command: 'resume' });
      send({ type: 'user.resume', ...(kept ? { secret: kept.secret, area: kept.area, outbox: kept.outbox } : which >= 0 ? { area: which } : {}) });
      return resumed;
    },

    close() {
      ensureRunning();
      const closed = promises.wait<void>(CLOSE);
      // Where closing is already done (the machine takes it and says nothing), it is done now; a
      // runtime still loading, or the tab that leads, has not taken it yet.
      if (send({ type: 'user.close' }) && AT_REST.has(phaseOf(runtime.getSnapshot()))) promises.resolve(CLOSE);
      return closed;
    },

    disconnect() {
      ensureRunning();
      send({ type: 'user.disconnect' });
    },

    reset() {
      ensureRunning();
      typing?.dispose();
      send({ type: 'user.reset' });
      promises.abandon(new ChatError('invalid-state', 'The chat was reset.'), false);
    },

    markRead() {
      ensureRunning();
      send({ type: 'user.markRead' });
    },

    ...beside,

    hasKeptChat(area) {
      return readChat(store, area ?? config.area ?? -1) !== undefined;
    },

    stop() {
      if (stopped) return;
      stopped = true;
      typing?.dispose();
      promises.abandon(new ChatError('invalid-state', 'The chat client was stopped.'), true);
      runtime.stop();
    },
  };
  // The runtime's actor as it is at each read; a getter in the literal would make every engine a dictionary (see live-property.ts).
  const engine: ChatEngine = withActor(commands, () => runtime.actor);
  return engine;
}
