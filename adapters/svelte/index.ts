/**
 * `cention-chat/svelte`: a Cention chat as a Svelte store of its {@link ChatView}, with the
 * commands beside it. It meets the store contract without importing svelte, so `$chat` works in
 * Svelte 4 and 5, and `fromStore(chat)` gives runes a `.current`. Safe under SvelteKit SSR:
 * nothing connects, and nothing touches `window`, until a command is called.
 *
 * @example
 * ```html
 * <script>
 *   import { onDestroy } from 'svelte';
 *   import { describeMessage } from 'cention-chat';
 *   import { centionChatStore } from 'cention-chat/svelte';
 *
 *   const chat = centionChatStore({ baseURL: 'https://cloud.cention.com/s/demo', area: 1 });
 *   const transcript = chat.transcript;
 *   onDestroy(chat.stop);
 * </script>
 *
 * <ol aria-live="polite">
 *   {#each $transcript as m (m.id)}<li>{describeMessage(m).text}</li>{/each}
 * </ol>
 * <button disabled={$chat.phase !== 'connected'} on:click={() => chat.send('Hello!')}>Say hello</button>
 * ```
 *
 * @module svelte
 */
import type { CentionChat, CentionChatOptions, ChatView, Message } from '../../core';
import { clientOf, commandsOf } from '../commands';
import type { ChatCommands } from '../commands';
import { TranscriptArray } from '../transcript-array';

export type { ChatCommands };

/** A readable Svelte store of the chat's view, with the client's commands. */
export interface CentionChatStore extends ChatCommands {
  /** The store contract: `run` gets the current view at once, then every change; returns the unsubscribe. */
  subscribe(run: (view: ChatView) => void, invalidate?: () => void): () => void;
  /**
   * The transcript as a store of an array, for `{#each $transcript as m (m.id)}`. The array grows
   * in place as messages arrive and the store tells its subscribers each time; it is a new array
   * only when the transcript was rebuilt (a reset, a message out of order). A message costs the
   * same in a long chat as in a short one, where `$chat.transcript.toArray()` copies the whole
   * list on every change.
   */
  readonly transcript: {
    subscribe(run: (messages: readonly Message[]) => void, invalidate?: () => void): () => void;
  };
  /** The client behind it, for its streams (`messages$`, `receipts$`, `errors$`...). */
  readonly client: CentionChat;
  /** Stops the client if this store made it (call it from `onDestroy`); a client you passed in is yours to stop. */
  stop(): void;
}

/**
 * Makes a store of a Cention chat. Given options, it makes a client that `stop()` stops; given a
 * client, it only adapts it.
 *
 * @example
 * ```ts
 * const chat = centionChatStore({ baseURL: 'https://cloud.cention.com/s/demo', area: 1 });
 * const phase = derived(chat, (view) => view.phase);
 * const view = fromStore(chat); // Svelte 5 runes (fromStore from 'svelte/store'): view.current.phase
 * ```
 */
export function centionChatStore(source: CentionChatOptions | CentionChat): CentionChatStore {
  const { client, owned } = clientOf(source);
  return {
    ...commandsOf(client),
    client,
    subscribe: (run) => client.subscribe(run),
    transcript: {
      subscribe(run) {
        // One array per subscriber, which follows the client's transcripts; Svelte re-reads an array it is given again.
        const messages = new TranscriptArray();
        let first = true;
        return client.subscribe((view) => {
          if (messages.follow(view.transcript) === 'none' && !first) return;
          first = false;
          run(messages.items);
        });
      },
    },
    stop: () => {
      if (owned) client.stop();
    },
  };
}
