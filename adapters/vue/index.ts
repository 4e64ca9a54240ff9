/**
 * `cention-chat/vue`: a Cention chat as reactive Vue state, for as long as the component (or
 * effect scope) that asked for it lives. Safe under SSR: nothing connects, and nothing touches
 * `window`, until a command is called.
 *
 * @example
 * ```html
 * <script setup lang="ts">
 * import { describeMessage } from 'cention-chat';
 * import { useCentionChat } from 'cention-chat/vue';
 *
 * const { phase, transcript, send } = useCentionChat({ baseURL: 'https://cloud.cention.com/s/demo', area: 1 });
 * </script>
 *
 * <template>
 *   <ol aria-live="polite"><li v-for="m in transcript" :key="m.id">{{ describeMessage(m).text }}</li></ol>
 *   <button :disabled="phase !== 'connected'" @click="send('Hello!')">Say hello</button>
 * </template>
 * ```
 *
 * @module vue
 */
import { computed, getCurrentScope, onScopeDispose, shallowReadonly, shallowRef, triggerRef } from 'vue';
import type { ComputedRef, ShallowRef } from 'vue';
import type { CentionChat, CentionChatOptions, ChatFault, ChatFeatures, ChatPhase, ChatView, Message, OutboxEntry, UploadEntry } from '../../core';
import { clientOf, commandsOf } from '../commands';
import type { ChatCommands } from '../commands';
import { TranscriptArray } from '../transcript-array';

export type { ChatCommands };

/** What {@link useCentionChat} returns: the view as refs, the commands, and the client. */
export interface UseCentionChatReturn extends ChatCommands {
  /** The client behind it, for its streams (`messages$`, `receipts$`, `errors$`...). */
  readonly client: CentionChat;
  /** The whole {@link ChatView}, replaced on every change. */
  readonly state: Readonly<ShallowRef<ChatView>>;
  readonly phase: ComputedRef<ChatPhase>;
  /**
   * The transcript as an array. It grows in place as messages arrive (the ref triggers, so
   * `v-for`, `computed` and `watch(transcript, …)` follow it) and is a new array only when the
   * transcript was rebuilt (a reset, a message that came out of order): a message costs the same
   * in a long chat as in a short one.
   */
  readonly transcript: Readonly<ShallowRef<readonly Message[]>>;
  /** Own messages the transcript does not show yet, with their delivery state. */
  readonly pending: ComputedRef<readonly OutboxEntry[]>;
  readonly outbox: ComputedRef<readonly OutboxEntry[]>;
  readonly uploads: ComputedRef<readonly UploadEntry[]>;
  readonly queuePosition: ComputedRef<number | undefined>;
  readonly agent: ComputedRef<string>;
  readonly agentTyping: ComputedRef<boolean>;
  /** Agent and system messages since the customer last saw the chat; `markRead()` clears it. */
  readonly unread: ComputedRef<number>;
  readonly features: ComputedRef<ChatFeatures>;
  readonly lastError: ComputedRef<ChatFault | undefined>;
}

/**
 * Uses a Cention chat in a component. Given options, it makes a client and stops it when the
 * component's scope ends; given a client, it only lets go of it then.
 *
 * @example
 * ```ts
 * const chat = useCentionChat({ baseURL: 'https://cloud.cention.com/s/demo', area: 1 });
 * onMounted(async () => {
 *   if ((await chat.canChat()).resumable) await chat.resume();
 * });
 * ```
 */
export function useCentionChat(source: CentionChatOptions | CentionChat): UseCentionChatReturn {
  const { client, owned } = clientOf(source);
  const state = shallowRef(client.getSnapshot());
  const messages = new TranscriptArray();
  messages.follow(state.value.transcript);
  const transcript = shallowRef(messages.items);
  const unsubscribe = client.subscribe((view) => {
    state.value = view;
    const change = messages.follow(view.transcript);
    if (change === 'replaced') transcript.value = messages.items;
    else if (change === 'appended') triggerRef(transcript);
  });
  if (getCurrentScope()) {
    onScopeDispose(() => {
      unsubscribe();
      if (owned) client.stop();
    });
  }
  const field = <K extends keyof ChatView>(key: K) => computed(() => state.value[key]);
  return {
    ...commandsOf(client),
    client,
    state: shallowReadonly(state),
    phase: field('phase'),
    transcript: shallowReadonly(transcript),
    pending: field('pending'),
    outbox: field('outbox'),
    uploads: field('uploads'),
    queuePosition: field('queuePosition'),
    agent: field('agent'),
    agentTyping: field('agentTyping'),
    unread: field('unread'),
    features: field('features'),
    lastError: field('lastError'),
  };
}
