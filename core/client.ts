/**
 * The typed, promise-based Cention chat client: the chat engine, with its state as views and
 * RxJS streams.
 *
 * @module
 */
import type { ChatSnapshot, ChatView } from '../machines';
import { createChatEngine } from './engine';
import type { CentionChatOptions, ChatEngine } from './engine';
import { ChatStreams, viewOf } from './streams';
import { desktopOptIn } from './notifications';

/**
 * A Cention chat client: one chat at a time, its state as a {@link ChatView} and as RxJS
 * streams, and commands that return promises or typed results.
 */
export interface CentionChat extends ChatEngine, Pick<ChatStreams, 'state$' | 'messages$' | 'receipts$' | 'agentTyping$' | 'queue$' | 'errors$'> {
  /** The chat as a view a UI renders. */
  getSnapshot(): ChatView;
  /** Calls `listener` with the current view at once, then with every change (the Svelte store contract); returns the unsubscribe function. */
  subscribe(listener: (view: ChatView) => void): () => void;
  /**
   * Turns on the desktop notifications of the `notifications` option: asks the browser for
   * permission, so call it from a click (never on load), and resolves with its answer. From then
   * on, an agent message that arrives while the page is hidden shows a notification. Rejects
   * with `invalid-state` without the option, `no-browser` where there are no notifications.
   */
  enableNotifications(): Promise<NotificationPermission>;
  /** Stops the client: the link closes, every stream completes, nothing is left running. */
  stop(): void;
}

/**
 * Creates a Cention chat client.
 *
 * @example
 * ```ts
 * import { createCentionChat } from 'cention-chat';
 *
 * const chat = createCentionChat({ baseURL: 'https://cloud.cention.com/s/demo', area: 1 });
 * const { chatOpen, agentsAvailable } = await chat.canChat();
 * if (chatOpen && agentsAvailable > 0) {
 *   chat.messages$.subscribe((message) => render(message));
 *   await chat.start({ name: 'Ada', email: 'ada@example.com', message: 'Where is my parcel?' });
 *   await chat.send('It was due on Monday.').sent;
 * }
 * ```
 */
export function createCentionChat(options: CentionChatOptions): CentionChat {
  // The engine tells its first snapshot as it starts, before the streams exist: they begin from it.
  // Read before the engine starts, so that a bad option leaves nothing running.
  const desktop = desktopOptIn(typeof options === 'object' && options !== null ? options.notifications : undefined);
  const sink: { latest?: ChatSnapshot; streams?: ChatStreams } = {};
  const engine = createChatEngine(options, {
    desktop,
    notification: (n) => sink.streams?.notify(n),
    snapshot: (s) => {
      sink.latest = s;
      sink.streams?.nextSnapshot(s);
    },
    crashed: (error) => sink.streams?.error(error),
    refusedInput: (error) => sink.streams?.error(error),
  });
  const streams = new ChatStreams(sink.latest as ChatSnapshot);
  sink.streams = streams;
  let stopped = false;
  return {
    ...engine,
    // A getter of the engine's: spread, it would be read once, before there is an actor.
    get actor() {
      return engine.actor;
    },
    state$: streams.state$,
    messages$: streams.messages$,
    receipts$: streams.receipts$,
    agentTyping$: streams.agentTyping$,
    queue$: streams.queue$,
    errors$: streams.errors$,
    enableNotifications: () => desktop.enable(),
    getSnapshot: () => viewOf(streams.snapshot),
    subscribe(listener) {
      if (stopped) {
        // The store contract: a subscriber always hears the current value, even of a stopped client.
        listener(viewOf(streams.snapshot));
        return () => undefined;
      }
      const subscription = streams.state$.subscribe(listener);
      return () => subscription.unsubscribe();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      desktop.disable();
      engine.stop();
      streams.complete();
    },
  };
}
