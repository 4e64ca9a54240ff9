/**
 * The typed, promise-based Cention chat client: the chat engine, with its state as views and
 * RxJS streams.
 *
 * @module
 */
import type { ChatNotification, ChatSnapshot, ChatView } from '../machines';
import { createChatEngine } from './engine';
import type { CentionChatOptions, ChatEngine, EngineHooks } from './engine';
import type { ChatError } from './errors';
import { withActor } from './live-property';
import { ChatStreams, viewOf } from './streams';
import { desktopOptIn } from './notifications';
import type { DesktopOptIn } from './notifications';

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
 * What the engine tells, into the client's streams. The engine tells its first snapshot as it
 * starts, before the streams exist: they begin from it. (A class: every client has one.)
 */
class Sink implements EngineHooks {
  constructor(readonly desktop: DesktopOptIn) {}
  declare latest: ChatSnapshot | undefined;
  declare streams: ChatStreams | undefined;
  notification(n: ChatNotification): void {
    this.streams?.notify(n);
  }
  snapshot(s: ChatSnapshot): void {
    this.latest = s;
    this.streams?.nextSnapshot(s);
  }
  crashed(error: ChatError): void {
    this.streams?.error(error);
  }
  refusedInput(error: ChatError): void {
    this.streams?.error(error);
  }
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
  // Read before the engine starts, so that a bad option leaves nothing running.
  const desktop = desktopOptIn(typeof options === 'object' && options !== null ? options.notifications : undefined);
  const sink = new Sink(desktop);
  const engine = createChatEngine(options, sink);
  const streams = new ChatStreams(sink.latest as ChatSnapshot);
  sink.streams = streams;
  let stopped = false;
  // The engine's commands, spread after the client's own properties: its getter of `actor` in
  // the literal, or the engine spread first, made every client a dictionary or a shape of its
  // own, over 2 KiB of heap (see live-property.ts).
  const { actor: _actor, ...commands } = engine;
  const client: Omit<CentionChat, 'actor'> = {
    state$: streams.state$,
    messages$: streams.messages$,
    receipts$: streams.receipts$,
    agentTyping$: streams.agentTyping$,
    queue$: streams.queue$,
    errors$: streams.errors$,
    enableNotifications: desktop.enable,
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
    ...commands,
    stop() {
      if (stopped) return;
      stopped = true;
      desktop.disable();
      engine.stop();
      streams.complete();
    },
  };
  // The engine's actor as it is at each read: there is none until the runtime is loaded.
  return withActor(client, () => engine.actor);
}
