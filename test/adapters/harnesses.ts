import { effectScope, watch } from 'vue';
import { bindChat } from '../../adapters/vanilla';
import { centionChatStore } from '../../adapters/svelte';
import { useCentionChat } from '../../adapters/vue';
import type { ChatCommands } from '../../adapters/vanilla';
import type { CentionChat, CentionChatOptions, ChatFault, ChatFeatures, ChatPhase, ChatView, Message, OutboxEntry } from '../../core';

/** The chat as a framework shows it: read through the adapter's own reactive values. */
export interface Shown {
  readonly view: ChatView;
  readonly phase: ChatPhase;
  readonly transcript: readonly Message[];
  readonly pending: readonly OutboxEntry[];
  readonly queuePosition: number | undefined;
  readonly agent: string;
  readonly agentTyping: boolean;
  readonly unread: number;
  readonly features: ChatFeatures;
  readonly lastError: ChatFault | undefined;
}

/** One adapter in use, the way the conformance suite drives it. */
export interface Adapted {
  readonly client: CentionChat;
  readonly commands: ChatCommands;
  /** What the framework shows now. */
  shown(): Shown;
  /** How many changes reached the framework's reactive value. */
  changes(): number;
  /** What a component unmount (or page unload) does. */
  dispose(): void;
}

/** An adapter under test. */
export interface AdapterHarness {
  readonly name: string;
  adapt(source: CentionChatOptions | CentionChat): Adapted;
}

function shownOf(view: ChatView): Shown {
  const { phase, pending, queuePosition, agent, agentTyping, unread, features, lastError } = view;
  return { view, phase, transcript: view.transcript.toArray(), pending, queuePosition, agent, agentTyping, unread, features, lastError };
}

const vue: AdapterHarness = {
  name: 'vue',
  adapt(source) {
    const scope = effectScope();
    let changes = 0;
    const chat = scope.run(() => {
      const used = useCentionChat(source);
      watch(used.state, () => void changes++, { flush: 'sync' });
      return used;
    })!;
    return {
      client: chat.client,
      commands: chat,
      // Every field through its own computed ref, as a template would read it.
      shown: () => ({
        view: chat.state.value,
        phase: chat.phase.value,
        transcript: chat.transcript.value,
        pending: chat.pending.value,
        queuePosition: chat.queuePosition.value,
        agent: chat.agent.value,
        agentTyping: chat.agentTyping.value,
        unread: chat.unread.value,
        features: chat.features.value,
        lastError: chat.lastError.value,
      }),
      changes: () => changes,
      dispose: () => scope.stop(),
    };
  },
};

const svelte: AdapterHarness = {
  name: 'svelte',
  adapt(source) {
    const chat = centionChatStore(source);
    let latest: ChatView | undefined;
    let changes = -1;
    // What `$chat` compiles to: subscribe, and unsubscribe plus the component's onDestroy at the end.
    const unsubscribe = chat.subscribe((view) => {
      latest = view;
      changes++;
    });
    return {
      client: chat.client,
      commands: chat,
      shown: () => shownOf(latest!),
      changes: () => changes,
      dispose: () => {
        unsubscribe();
        chat.stop();
      },
    };
  },
};

const vanilla: AdapterHarness = {
  name: 'vanilla',
  adapt(source) {
    let latest: ChatView | undefined;
    let changes = -1;
    const chat = bindChat(source, {
      view: (view) => {
        latest = view;
        changes++;
      },
    });
    return {
      client: chat.client,
      commands: chat,
      shown: () => shownOf(latest!),
      changes: () => changes,
      dispose: chat.dispose,
    };
  },
};

/** The three adapters, for `describe.each`. */
export const ADAPTERS: readonly AdapterHarness[] = [vue, svelte, vanilla];
