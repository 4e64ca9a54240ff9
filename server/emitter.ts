/**
 * A small typed event emitter whose listeners cannot break each other: one that throws is
 * reported and the rest still run.
 *
 * @module
 */

type Listener<T> = (payload: T) => void;

/** Typed events with disposers and promise-based waiting. */
export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();
  private readonly waiters = new Set<(error: Error) => void>();

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  /** Calls `listener` on every `event`; returns its disposer. */
  on<E extends keyof Events>(event: E, listener: Listener<Events[E]>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as Listener<never>);
    return () => {
      set.delete(listener as Listener<never>);
    };
  }

  emit<E extends keyof Events>(event: E, payload: Events[E]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<Events[E]>)(payload);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  /** Resolves with the next `event` that passes `predicate`; rejects when the emitter is cleared. */
  waitFor<E extends keyof Events>(event: E, predicate: (payload: Events[E]) => boolean = () => true): Promise<Events[E]> {
    return new Promise((resolve, reject) => {
      const settle = (): void => {
        off();
        this.waiters.delete(fail);
      };
      const fail = (error: Error): void => {
        settle();
        reject(error);
      };
      const off = this.on(event, (payload) => {
        if (!predicate(payload)) return;
        settle();
        resolve(payload);
      });
      this.waiters.add(fail);
    });
  }

  /** Drops every listener and rejects every pending wait. */
  clear(reason: string): void {
    this.listeners.clear();
    for (const fail of [...this.waiters]) fail(new Error(reason));
  }
}
