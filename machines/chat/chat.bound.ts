import { createActor, fromCallback } from 'xstate';
import type { Actor, ActorSystem, EventObject, InspectionEvent, Observer } from 'xstate';
import type { ChatInput } from './chat.types';
import type { actors as slots } from './chat.actors';
import { chatMachine } from './chat.machine';
import type { ChatMachine } from './chat.machine';

/** The I/O of one chat: what fills the machine's `link`, `canChat` and `upload` slots for it. */
export type ChatActors = { readonly [K in keyof typeof slots]: (typeof slots)[K] };

/** Each running chat's I/O, by the actor system of its actor (every actor of one chat shares it). */
const bound = new WeakMap<ActorSystem<never>, ChatActors>();

function slot<K extends keyof ChatActors>(name: K): ChatActors[K] {
  return fromCallback<EventObject, never>((args) => {
    const logic = bound.get(args.system as ActorSystem<never>)?.[name] as { config: (a: typeof args) => (() => void) | void } | undefined;
    if (!logic) throw new Error(`The chat machine's ${name} actor was started by an actor that createChatActor() did not make.`);
    return logic.config(args);
  }) as unknown as ChatActors[K];
}

/**
 * The chat machine once provided, for every chat: each slot runs the logic given to
 * {@link createChatActor} for the chat it runs in. `chatMachine.provide()` per chat would copy
 * the whole chart for each one, about 70 KiB of heap per client.
 */
const sharedMachine: ChatMachine = chatMachine.provide({ actors: { link: slot('link'), canChat: slot('canChat'), upload: slot('upload') } });

/** What {@link createChatActor} passes on to `createActor`, and the chat's own delays. */
export interface ChatActorOptions {
  readonly input: ChatInput;
  readonly clock?: NonNullable<NonNullable<Parameters<typeof createActor>[1]>['clock']>;
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  readonly delays?: Partial<Record<string, number>>;
}

/**
 * Creates the actor of one chat with its own I/O, on the chat machine shared by every chat.
 * `delays` other than the chart's (tests, mostly) cost that chat its own copy of the chart.
 */
export function createChatActor(actors: ChatActors, options: ChatActorOptions): Actor<ChatMachine> {
  const { delays, input, ...actorOptions } = options;
  const machine = delays ? sharedMachine.provide({ delays: delays as Record<string, number> }) : sharedMachine;
  // An empty input is the machine's default: left out where no inspector sees the init event
  // carry it. xstate adds the options it is given to its defaults, and an added key gives each
  // actor's options a shape of their own in V8 (about 450 B of heap per chat).
  // (xstate types `input` as required of a machine that declares one; the chart reads none as empty.)
  const empty = Object.keys(input).length === 0 && !actorOptions.inspect;
  const actor = createActor(machine, (empty ? actorOptions : { ...actorOptions, input }) as typeof actorOptions & { input: ChatInput });
  bound.set(actor.system as ActorSystem<never>, actors);
  return actor;
}
