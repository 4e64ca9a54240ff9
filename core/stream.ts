/**
 * The client's streams without RxJS in the first bundle: RxJS is about 4 KiB min+gzip, half the
 * budget of a site that has not chatted yet. A {@link Stream} is what an RxJS `Observable` is to
 * its user: `subscribe(next | observer)` gives a subscription, `pipe()` takes RxJS operators
 * (`filter`, `map`, `take`…, which chain through `lift` as on an Observable), `forEach` gives a
 * promise, and `from()` of RxJS (or any library that reads `Symbol.observable`) takes it. The
 * client's streams are typed as RxJS Observables (a type, no bytes) and are these at run time.
 *
 * @module
 */

/** What a stream calls: any of the three, as RxJS's partial observers. */
export interface PartialObserver<T> {
  next?(value: T): void;
  error?(error: unknown): void;
  complete?(): void;
}

type Teardown = (() => void) | { unsubscribe(): void } | void | undefined;

/** RxJS's interop key: `Symbol.observable` where a polyfill made one, else the string it stands for. */
const OBSERVABLE: string = ((typeof Symbol === 'function' && (Symbol as { observable?: symbol }).observable) || '@@observable') as string;

/** Whether `o` is already a subscriber (ours or RxJS's): it is used as it is, so teardowns chain. */
function isSubscriber<T>(o: unknown): o is Subscriber<T> {
  const s = o as Partial<Subscriber<T>> | null;
  return typeof s === 'object' && s !== null && typeof s.add === 'function' && typeof s.unsubscribe === 'function' && typeof s.next === 'function' && 'closed' in s;
}

/** One subscription: the observer while open, and what to undo when it closes (the RxJS Subscription shape). */
export class Subscriber<T> {
  closed = false;
  private undo: (() => void)[] = [];
  constructor(private readonly observer: PartialObserver<T>) {}
  next(value: T): void {
    if (!this.closed) this.observer.next?.(value);
  }
  error(error: unknown): void {
    if (this.closed) return;
    this.unsubscribe();
    if (this.observer.error) this.observer.error(error);
    // As RxJS does with an error nobody handles: thrown where the page's error handler sees it.
    else setTimeout(() => {
      throw error;
    });
  }
  complete(): void {
    if (this.closed) return;
    this.unsubscribe();
    this.observer.complete?.();
  }
  add(teardown: Teardown): void {
    if (!teardown) return;
    const run = typeof teardown === 'function' ? teardown : () => teardown.unsubscribe();
    if (this.closed) run();
    else this.undo.push(run);
  }
  remove(): void {
    // RxJS calls it on a parent it was added to; what is added here is undone once, at the end, anyway.
  }
  unsubscribe(): void {
    if (this.closed) return;
    this.closed = true;
    for (const run of this.undo.splice(0)) run();
  }
}

/**
 * A cold stream: `produce` runs once per subscriber, with the stream as `this`, and returns what
 * undoes it. The streams a client holds from the start share their `produce` functions and keep
 * what each reads in `source` and `select`: every connected client has them, and most are never
 * subscribed to, so each is one small object and no closure.
 */
export class Stream<T> {
  constructor(
    private readonly produce: (this: Stream<T>, subscriber: Subscriber<T>) => Teardown,
    /** What a shared `produce` reads. */
    readonly source?: unknown,
    readonly select?: unknown,
  ) {}
  subscribe(observer?: PartialObserver<T> | ((value: T) => void) | null): Subscriber<T> {
    const subscriber = isSubscriber<T>(observer) ? observer : new Subscriber<T>(typeof observer === 'function' ? { next: observer } : (observer ?? {}));
    subscriber.add(this.produce(subscriber));
    return subscriber;
  }
  /** Applies RxJS operators (or any functions of a stream) in turn. */
  pipe(...operators: ((source: unknown) => unknown)[]): unknown {
    return operators.reduce<unknown>((source, operator) => operator(source), this);
  }
  /** What RxJS operators call: `operator` is called with the subscriber as `this` and this stream. */
  lift<R>(operator: { call(subscriber: Subscriber<R>, source: Stream<T>): Teardown }): Stream<R> {
    return new Stream<R>((subscriber) => operator.call(subscriber, this));
  }
  /** Calls `next` with every value; resolves when the stream completes. */
  forEach(next: (value: T) => void): Promise<void> {
    return new Promise((resolve, reject) => void this.subscribe({ next, error: reject, complete: resolve }));
  }
  [OBSERVABLE](): this {
    return this;
  }
}

/** A hot stream: every `next` goes to the subscribers of the moment; `complete` ends them all. */
export class Subject<T> extends Stream<T> {
  // Both set when first needed (declared, so no field is defined before): most subjects of an
  // idle client never have a subscriber.
  declare subscribers: Subscriber<T>[] | undefined;
  declare done: boolean | undefined;
  constructor() {
    super(hot as (this: Stream<T>, subscriber: Subscriber<T>) => Teardown);
  }
  next(value: T): void {
    for (const subscriber of this.subscribers ?? []) subscriber.next(value);
  }
  complete(): void {
    this.done = true;
    for (const subscriber of this.subscribers?.splice(0) ?? []) subscriber.complete();
  }
}
function hot<T>(this: Subject<T>, subscriber: Subscriber<T>): Teardown {
  if (this.done) return subscriber.complete();
  (this.subscribers ??= []).push(subscriber);
  return () => {
    this.subscribers = this.subscribers?.filter((s) => s !== subscriber);
  };
}

/** What `source` tells, without the means to tell it (RxJS's `asObservable()`). */
export function relay<T>(source: Stream<T>): Stream<T> {
  return new Stream(relayed, source);
}
function relayed<T>(this: Stream<T>, subscriber: Subscriber<T>): Teardown {
  return (this.source as Stream<T>).subscribe(subscriber);
}

/** The values `select` picks from `source`, each only when it differs from the last (RxJS's `map` then `distinctUntilChanged`). */
export function changesOf<S, T>(source: Stream<S>, select: (value: S) => T): Stream<T> {
  return new Stream(changes, source, select);
}
function changes<S, T>(this: Stream<T>, subscriber: Subscriber<T>): Teardown {
  const select = this.select as (value: S) => T;
  let seen = false;
  let last: T | undefined;
  return (this.source as Stream<S>).subscribe({
    next(value) {
      const selected = select(value);
      if (seen && Object.is(selected, last)) return;
      seen = true;
      last = selected;
      subscriber.next(selected);
    },
    complete: () => subscriber.complete(),
  });
}
