import { emit as emitWith, enqueueActions as enqueueActionsWith, setup } from 'xstate';
import type { ActionFunction } from 'xstate';
import { actors } from './chat.actors';
import { delays } from './chat.delays';
import type { ChatContext, ChatEvent, ChatInput, ChatNotification } from './chat.types';

/** The machine's types, for `setup({ types })`. */
export const types = {
  context: {} as ChatContext,
  events: {} as ChatEvent,
  input: {} as ChatInput,
  emitted: {} as ChatNotification,
};

/**
 * The machine set up without its actions, so that the actions (in their own file) are written
 * against its types: `setup()` returns builders typed to its context, events, actors, delays and
 * emitted notifications, which the chart's own `setup()` then takes back whole.
 */
export const chatSetup = setup({ types, actors, delays });

/** The actors as `setup()` types them for the actions that spawn or stop one. */
type ProvidedActor = Parameters<typeof chatSetup.createAction>[0] extends ActionFunction<ChatContext, ChatEvent, ChatEvent, unknown, infer TActor, never, never, keyof typeof delays, ChatNotification> ? TActor : never;

/** The types of an action that takes `params`; `setup()`'s own builders type params as `undefined`. */
type Collect<TParams extends object> = Parameters<typeof enqueueActionsWith<ChatContext, ChatEvent, TParams, ChatEvent, ProvidedActor, never, never, keyof typeof delays, ChatNotification>>[0];
type Emission<TParams extends object> = Parameters<typeof emitWith<ChatContext, ChatEvent, TParams, ChatEvent, ChatNotification>>[0];

/** `enqueueActions` for an action that takes `params` (its type comes from the implementation's second argument). */
export function enqueueActionsWithParams<TParams extends object>(collect: Collect<TParams>) {
  return enqueueActionsWith<ChatContext, ChatEvent, TParams, ChatEvent, ProvidedActor, never, never, keyof typeof delays, ChatNotification>(collect);
}

/** `emit` for an action that takes `params`. */
export function emitWithParams<TParams extends object>(notification: Emission<TParams>) {
  return emitWith<ChatContext, ChatEvent, TParams, ChatEvent, ChatNotification>(notification);
}
