/**
 * Callback actor logic made for each chat at a fraction of `fromCallback`'s heap.
 *
 * @module
 */
import { fromCallback } from 'xstate';
import type { AnyEventObject, CallbackActorLogic, CallbackLogicFunction, EventObject } from 'xstate';

type Callback<TEvent extends EventObject, TInput> = CallbackLogicFunction<TEvent, AnyEventObject, TInput>;

/** Every chat's callback logic but its `config`: it runs the `config` of the logic its actor was made from. */
const shared = fromCallback<EventObject, unknown>((args) => (args.self as unknown as { readonly logic: { readonly config: Callback<EventObject, unknown> } }).logic.config(args));

/**
 * What `fromCallback(callback)` makes, at a fraction of its heap: all but `config` is one object
 * for every chat, where `fromCallback` makes five closures more for each (every connected
 * client has a link, a canChat and an upload logic). The chat machine calls each chat's
 * `config` itself (machines/chat/chat.bound.ts); an actor made from this logic alone reaches
 * the same `config` through the shared part.
 */
export function callbackLogic<TEvent extends EventObject, TInput = unknown>(callback: Callback<TEvent, TInput>): CallbackActorLogic<TEvent, TInput> {
  return { ...shared, config: callback } as unknown as CallbackActorLogic<TEvent, TInput>;
}
