/**
 * The input log: everything that entered the chat actor from outside, in the order it entered,
 * with the timers that fired in between. The machine is pure, so this log is its whole life:
 * a recording is this log written down, a replay feeds it to the same machine, and a tab that
 * shares a chat follows another tab's log as it grows.
 *
 * An *input* is an event the root actor received from outside itself: a command (`user.*`, from
 * the engine) or what a child sent back (`link.*`, `server.*`, `reply.*`, `check.*`,
 * `upload.*`). A *timer firing* is written as its ordinal: the actor's clock numbers every
 * `setTimeout` call the actor makes (1, 2, 3…, cancelled ones included), and the same machine
 * given the same inputs makes the same calls in the same order, so "timer #k fired" means the
 * same thing in every replica, whatever the wall clock did.
 *
 * @module
 */
import type { InspectionEvent, Observer } from 'xstate';
import type { ChatEvent, ChatSnapshot } from '../../machines';
import type { Clock } from '../clock';
import { ChatError } from '../errors';

/** An event that entered the chat actor from outside, at `t` (the recording clock's ms). */
export interface InputEvent {
  readonly t: number;
  readonly event: ChatEvent;
}

/** The actor's timer number `fire` (the `fire`-th `setTimeout` it made) fired at `t`. */
export interface TimerFiring {
  readonly t: number;
  readonly fire: number;
}

/** One entry of the input log. */
export type InputEntry = InputEvent | TimerFiring;

/** An inspector as the chat options take it. */
export type Inspector = Observer<InspectionEvent> | ((event: InspectionEvent) => void);

/** The inspector as one function (an observer's `next`), for a hook that watches first and hands every inspection on. */
export function inspectorFunction(inspector: Inspector | undefined): ((event: InspectionEvent) => void) | undefined {
  return typeof inspector === 'function' ? inspector : inspector ? (event) => inspector.next?.(event) : undefined;
}

/**
 * What the chat engine needs of whoever logs its inputs (its `record` option): a clock for the
 * actor, which numbers the actor's timers, and an inspector, which sees the inputs. The engine
 * makes no other call, so a chat that records nothing pays nothing.
 */
export interface InputLogHook {
  /** The clock the actor runs on: `clock` with every `setTimeout` numbered. Called once, when the actor is made. */
  clock(clock: Clock): Clock;
  /** The actor's inspector: logs the inputs, then hands every inspection event to `next` (the chat's own `inspect`). */
  inspect(next?: Inspector): (event: InspectionEvent) => void;
}

/** Where an input log writes. */
export interface InputLogSink {
  /** Every input and timer firing, as it happens. */
  entry(entry: InputEntry): void;
  /** The actor's first snapshot, before any input. */
  started?(snapshot: ChatSnapshot, t: number): void;
}

/** Whether an entry is a timer firing. */
export function isTimerFiring(entry: InputEntry): entry is TimerFiring {
  return 'fire' in entry;
}

/** The input an inspection event shows entering the root chat actor from outside; `undefined` for anything else. */
export function inputOf(inspection: InspectionEvent): ChatEvent | undefined {
  if (inspection.type !== '@xstate.event' || inspection.actorRef.sessionId !== inspection.rootId) return undefined;
  const { event, sourceRef, actorRef } = inspection;
  // The init is the actor's own start; an event the actor sent itself is a timer (logged as its firing).
  if (event.type === 'xstate.init' || sourceRef === actorRef || actorRef.getSnapshot().status !== 'active') return undefined;
  return event as ChatEvent;
}

/**
 * Makes the hook that logs a chat actor's inputs to `sink`. One hook serves one actor: a second
 * `clock()` call throws `invalid-state`.
 */
export function createInputLog(sink: InputLogSink): InputLogHook {
  let base: Clock | undefined;
  let timers = 0;
  const now = () => base?.now() ?? 0;
  return {
    clock(clock) {
      if (base) throw new ChatError('invalid-state', 'An input log follows one chat: make one per client.');
      base = clock;
      return {
        now: () => clock.now(),
        setTimeout: (callback, ms) => {
          const fire = ++timers;
          return clock.setTimeout(() => {
            sink.entry({ t: clock.now(), fire });
            callback();
          }, ms);
        },
        clearTimeout: (handle) => clock.clearTimeout(handle),
      };
    },
    inspect(next) {
      const forward = inspectorFunction(next);
      return (inspection) => {
        const root = inspection.actorRef.sessionId === inspection.rootId;
        const input = inputOf(inspection);
        if (input) sink.entry({ t: now(), event: input });
        else if (root && inspection.type === '@xstate.snapshot' && inspection.event.type === 'xstate.init') {
          sink.started?.(inspection.snapshot as ChatSnapshot, now());
        }
        forward?.(inspection);
      };
    },
  };
}
