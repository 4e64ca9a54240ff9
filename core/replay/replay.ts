/**
 * Replay: the chat machine fed an input log, with no network and on a clock that fires the
 * actor's timers only when the log says they fired. The same inputs in the same order give the
 * same states, context and transcript at every step, whatever the wall clock does.
 *
 * @module
 */
import { fromCallback } from 'xstate';
import type { Actor, EventObject, InspectionEvent } from 'xstate';
import { createChatActor } from '../../machines/chat/chat.bound';
import type { CanChatInput, ChatEvent, ChatInput, ChatMachine, ChatSnapshot, LinkCommand, UploadInput } from '../../machines';
import type { Clock, TimerHandle } from '../clock';
import { ChatError } from '../errors';
import type { InputEntry } from './input-log';
import { readRecording } from './recording';
import type { ChatRecording } from './recording';

/** Stand in for the link, canChat and upload actors: what they sent back is in the log. */
const inert = {
  link: fromCallback<LinkCommand>(() => undefined),
  canChat: fromCallback<EventObject, CanChatInput>(() => undefined),
  upload: fromCallback<EventObject, UploadInput>(() => undefined),
};

/** A chat machine that only moves when it is handed the entries of an input log. */
export interface Replica {
  /** The replica's actor (for `getSnapshot()`, `on()`, `subscribe()`). */
  readonly actor: Actor<ChatMachine>;
  /**
   * Hands it the next entry; returns the snapshot after it and the event the machine took (the
   * logged one, or the timer's). Throws `invalid-input` when the log fires a timer this machine
   * never set or has cancelled: the log is not this machine's, or entries are missing.
   */
  apply(entry: InputEntry): { readonly snapshot: ChatSnapshot; readonly event: ChatEvent | undefined };
  /** Stops the actor. */
  stop(): void;
}

/** Options of {@link createReplica}. */
export interface ReplicaOptions {
  /** The machine's input, as the chat being followed has it. */
  readonly input?: ChatInput;
  /** The clock time before the first entry (default 0). */
  readonly startedAt?: number;
}

/** Makes a {@link Replica}: the chat machine with inert actors, on a clock the log drives. */
export function createReplica(options: ReplicaOptions = {}): Replica {
  let now = options.startedAt ?? 0;
  let timers = 0;
  const pending = new Map<number, () => void>();
  const clock: Clock = {
    now: () => now,
    setTimeout: (callback) => {
      const fire = ++timers;
      pending.set(fire, callback);
      return fire as TimerHandle;
    },
    clearTimeout: (handle) => void pending.delete(handle as number),
  };
  let taken: ChatEvent | undefined;
  const inspect = (inspection: InspectionEvent) => {
    if (inspection.type === '@xstate.event' && inspection.actorRef.sessionId === inspection.rootId) taken = inspection.event as ChatEvent;
  };
  const actor = createChatActor(inert, { clock, inspect, input: options.input ?? {} });
  actor.start();
  return {
    actor,
    apply(entry) {
      now = entry.t;
      taken = undefined;
      if ('fire' in entry) {
        const fire = pending.get(entry.fire);
        if (!fire) throw new ChatError('invalid-input', `The log fires timer #${entry.fire}, which this chat has ${entry.fire > timers ? 'not set yet' : 'cancelled or fired already'}: the log is not this chat's, or entries are missing.`);
        pending.delete(entry.fire);
        fire();
      } else {
        actor.send(entry.event);
      }
      const snapshot = actor.getSnapshot();
      if (snapshot.status === 'error') throw new ChatError('invalid-state', `The chat machine stopped with an error on ${'fire' in entry ? `timer #${entry.fire}` : entry.event.type}: ${String(snapshot.error)}`, { cause: snapshot.error });
      return { snapshot, event: taken };
    },
    stop: () => void actor.stop(),
  };
}

/** One step of a replay. */
export interface ReplayStep {
  /** 0 for the snapshot before any input, then 1, 2, 3… for each entry. */
  readonly index: number;
  /** The entry's time (`startedAt` for step 0). */
  readonly t: number;
  /** The log entry of this step; absent for step 0. */
  readonly entry?: InputEntry;
  /** The event the machine took at this step (a timer's own event for a firing); absent for step 0. */
  readonly event?: ChatEvent;
  /** The machine's snapshot after this step. */
  readonly snapshot: ChatSnapshot;
}

/**
 * Replays a recording: the same machine, no network, a virtual clock. Yields the snapshot
 * before any input, then the snapshot after each entry. The recording is read (and refused
 * with `invalid-input` if malformed) before this returns; a log that does not fit the machine
 * throws while it is replayed.
 *
 * @example
 * ```ts
 * import { replayChat } from 'cention-chat/replay';
 *
 * for (const step of replayChat(await file.text())) {
 *   console.log(step.index, step.event?.type, step.snapshot.value);
 * }
 * ```
 */
export function replayChat(recording: ChatRecording | string): IterableIterator<ReplayStep> {
  const read = readRecording(recording);
  function* steps(): Generator<ReplayStep> {
    const replica = createReplica({ input: read.input, startedAt: read.startedAt });
    try {
      yield { index: 0, t: read.startedAt, snapshot: replica.actor.getSnapshot() };
      for (const [i, entry] of read.entries.entries()) {
        const { snapshot, event } = replica.apply(entry);
        yield { index: i + 1, t: entry.t, entry, snapshot, ...(event ? { event } : {}) };
      }
    } finally {
      replica.stop();
    }
  }
  return steps();
}
