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
 * A cold stream: `produce` runs once per subscriber and returns what undoes it. The streams a
 * client holds from the start subclass it and override `produce`, so that an idle client's
 * streams are a few small objects and no closures: every connected client has them, and most
 * are never subscribed to.
 */
export class Stream<T> {
  constructor(produce?: (subscriber: Subscriber<T>) => Teardown) {
    if (produce) this.produce = produce;
  }
  /** What a new subscriber starts; returns what undoes it. A stream made without one tells nothing (as RxJS's `new Observable()`). */
  protected produce(_subscriber: Subscriber<T>): Teardown {
    return undefined;
  }
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
  // Made with the first subscriber: most subjects of an idle client never have one.
  private subscribers: Subscriber<T>[] | undefined;
  private done = false;
  protected override produce(subscriber: Subscriber<T>): Teardown {
    if (this.done) return subscriber.complete();
    (this.subscribers ??= []).push(subscriber);
    return () => {
      this.subscribers = this.subscribers?.filter((s) => s !== subscriber);
    };
  }
  next(value: T): void {
    if (!this.subscribers) return;
    for (const subscriber of this.subscribers) subscriber.next(value);
  }
  complete(): void {
    this.done = true;
    for (const subscriber of this.subscribers?.splice(0) ?? []) subscriber.complete();
  }
}

/** A subject that holds its latest value and tells it to each new subscriber first (RxJS's `BehaviorSubject`). */
export class Latest<T> extends Subject<T> {
  constructor(public value: T) {
    super();
  }
  protected override produce(subscriber: Subscriber<T>): Teardown {
    subscriber.next(this.value);
    return super.produce(subscriber);
  }
  override next(value: T): void {
    this.value = value;
    super.next(value);
  }
}

/** What a subject tells, without the means to tell it (RxJS's `asObservable()`). */
export class Relay<T> extends Stream<T> {
  constructor(private readonly source: Stream<T>) {
    super();
  }
  protected override produce(subscriber: Subscriber<T>): Teardown {
    return this.source.subscribe(subscriber);
  }
}

/** The values `select` picks from `source`, each only when it differs from the last (see {@link changesOf}). */
class Changes<S, T> extends Stream<T> {
  constructor(
    private readonly source: Stream<S>,
    private readonly select: (value: S) => T,
  ) {
    super();
  }
  protected override produce(subscriber: Subscriber<T>): Teardown {
    const { select } = this;
    let seen = false;
    let last: T | undefined;
    return this.source.subscribe({
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
}

/** The values `select` picks from `source`, each only when it differs from the last (RxJS's `map` then `distinctUntilChanged`). */
export function changesOf<S, T>(source: Stream<S>, select: (value: S) => T): Stream<T> {
  return new Changes(source, select);
}
