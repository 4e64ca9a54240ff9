/**
 * `cention-chat/vanilla`: a Cention chat for plain pages, as callbacks. One `bindChat()` call
 * wires a page to the chat's view, its new messages, receipts and errors; one `dispose()` lets
 * go of all of them.
 *
 * Pages without a build step can use the drop-in script instead: `dist/CentionChatAPI.js`
 * (`<script src="https://unpkg.com/cention-chat/dist/CentionChatAPI.js">`) defines the global
 * `_CentionChat()` of the Cention Chat API 5.1.0.
 *
 * @example
 * ```ts
 * import { describeMessage } from 'cention-chat';
 * import { bindChat } from 'cention-chat/vanilla';
 *
 * const chat = bindChat({ baseURL: 'https://cloud.cention.com/s/demo', area: 1 }, {
 *   view: (view) => (document.querySelector('#AgentTyping')!.hidden = !view.agentTyping),
 *   message: (message) => log.append(Object.assign(document.createElement('li'), { textContent: describeMessage(message).text })),
 * });
 * addEventListener('pagehide', chat.dispose);
 * ```
 *
 * @module vanilla
 */
import type { Subscription } from 'rxjs';
import type { CentionChat, CentionChatOptions, ChatError, ChatView, Message, Receipt } from '../../core';
import { clientOf, commandsOf } from '../commands';
import type { ChatCommands } from '../commands';

export type { ChatCommands };

/** What a page wants to hear about; every handler is optional. */
export interface ChatHandlers {
  /** The current view at once, then every change. */
  view?(view: ChatView): void;
  /** Every message of the transcript so far, then each new one, once. */
  message?(message: Message): void;
  /** Delivery receipts of own messages. */
  receipt?(receipt: Receipt): void;
  /** Refused commands, failed messages, connect errors. */
  error?(error: ChatError): void;
}

/** A page bound to a chat: the commands, the client, the latest view, and one `dispose()`. */
export interface BoundChat extends ChatCommands {
  /** The client behind it, for anything else it offers. */
  readonly client: CentionChat;
  /** The current view. */
  readonly view: ChatView;
  /** Unsubscribes every handler, and stops the client if `bindChat()` made it. */
  dispose(): void;
}

/**
 * Binds handlers to a chat. Given options, it makes a client that `dispose()` stops; given a
 * client, it only unsubscribes.
 *
 * @example
 * ```ts
 * const chat = bindChat(existingClient, { receipt: (r) => markMessage(r.umid, r.state) });
 * chat.send('Hello!');
 * chat.dispose();
 * ```
 */
export function bindChat(source: CentionChatOptions | CentionChat, handlers: ChatHandlers): BoundChat {
  const { client, owned } = clientOf(source);
  const subscriptions: Subscription[] = [];
  if (handlers.view) subscriptions.push(client.state$.subscribe((view) => handlers.view?.(view)));
  if (handlers.message) subscriptions.push(client.messages$.subscribe((message) => handlers.message?.(message)));
  if (handlers.receipt) subscriptions.push(client.receipts$.subscribe((receipt) => handlers.receipt?.(receipt)));
  if (handlers.error) subscriptions.push(client.errors$.subscribe((error) => handlers.error?.(error)));
  return {
    ...commandsOf(client),
    client,
    get view() {
      return client.getSnapshot();
    },
    dispose() {
      for (const subscription of subscriptions.splice(0)) subscription.unsubscribe();
      if (owned) client.stop();
    },
  };
}
