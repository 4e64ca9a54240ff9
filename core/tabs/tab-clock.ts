/**
 * The chat actor's clock in a tab that shares its chat. Every `setTimeout` the actor makes is
 * numbered (1, 2, 3…, cancelled ones included), as in the input log. The leading tab runs the
 * timers for real and says when one fires; a following tab fires timer #k only when the log
 * says so. A tab that takes the lead schedules what is pending for real, at the time it was
 * due; a tab that lets go of the lead stops its real timers and waits for the log again.
 *
 * @module
 */
import type { Clock, TimerHandle } from '../clock';
import { ChatError } from '../errors';

interface Pending {
  readonly callback: () => void;
  readonly due: number;
  handle?: TimerHandle;
}

/** The actor's clock of a sharing tab. */
export interface TabClock extends Clock {
  /** How many timers the actor has set; set by a tab that takes the log up where the leader dropped what came before (nothing pending then). */
  timers: number;
  /** Whether no timer is pending. */
  readonly idle: boolean;
  /** The log says timer #k fired: run it (a follower). Throws `invalid-input` when there is no such timer pending. */
  fire(k: number): void;
  /** Runs the pending timers for real from now on, each at the time it was due; `fired(k)` is told before each runs. */
  lead(fired: (k: number) => void): void;
  /** Stops the real timers; pending ones wait for the log. */
  follow(): void;
  /** Forgets every pending timer. */
  dispose(): void;
}

/** Makes the clock; it follows (runs no timer) until told to lead. */
export function tabClock(base: Clock): TabClock {
  let timers = 0;
  const pending = new Map<number, Pending>();
  let leading: ((k: number) => void) | undefined;

  const run = (k: number, tell: boolean) => {
    const timer = pending.get(k);
    if (!timer) throw new ChatError('invalid-input', `The chat log fires timer #${k}, which this tab ${k > timers ? 'has not set' : 'cancelled or fired already'}.`);
    pending.delete(k);
    if (tell) leading?.(k);
    timer.callback();
  };
  const schedule = (k: number, timer: Pending) => {
    timer.handle = base.setTimeout(() => {
      if (pending.get(k) === timer) run(k, true);
    }, Math.max(0, timer.due - base.now()));
  };

  return {
    get timers() {
      return timers;
    },
    set timers(count) {
      timers = count;
    },
    get idle() {
      return pending.size === 0;
    },
    now: () => base.now(),
    setTimeout(callback, ms) {
      const k = ++timers;
      const timer: Pending = { callback, due: base.now() + ms };
      pending.set(k, timer);
      if (leading) schedule(k, timer);
      return k as TimerHandle;
    },
    clearTimeout(handle) {
      const timer = pending.get(handle as number);
      if (!timer) return;
      if (timer.handle !== undefined) base.clearTimeout(timer.handle);
      pending.delete(handle as number);
    },
    fire: (k) => run(k, false),
    lead(fired) {
      leading = fired;
      for (const [k, timer] of pending) if (timer.handle === undefined) schedule(k, timer);
    },
    follow() {
      leading = undefined;
      for (const timer of pending.values()) {
        if (timer.handle !== undefined) base.clearTimeout(timer.handle);
        delete timer.handle;
      }
    },
    dispose() {
      for (const timer of pending.values()) if (timer.handle !== undefined) base.clearTimeout(timer.handle);
      pending.clear();
      leading = undefined;
    },
  };
}
