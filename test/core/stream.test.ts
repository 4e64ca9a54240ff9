/**
 * The client's streams are RxJS-like without RxJS (core/stream.ts): what a site does with an
 * Observable works on them, RxJS operators included.
 */
import { describe, expect, it } from 'vitest';
import { distinctUntilChanged, filter, firstValueFrom, from, map, take, toArray } from 'rxjs';
import type { Observable } from 'rxjs';
import { Stream, Subject, changesOf } from '../../core/stream';

const asObservable = <T>(stream: Stream<T>) => stream as unknown as Observable<T>;

describe('a stream', () => {
  it('takes RxJS operators through pipe, and firstValueFrom reads it', async () => {
    const numbers = new Subject<number>();
    const firstTwoEven = firstValueFrom(asObservable(numbers).pipe(filter((n) => n % 2 === 0), map((n) => n * 10), take(2), toArray()));
    for (const n of [1, 2, 3, 4, 5, 6]) numbers.next(n);
    await expect(firstTwoEven).resolves.toEqual([20, 40]);
  });

  it('lets go of its source when an operator has had enough', () => {
    const numbers = new Subject<number>();
    const seen: number[] = [];
    asObservable(numbers).pipe(take(1)).subscribe((n) => seen.push(n));
    numbers.next(1);
    numbers.next(2);
    expect(seen).toEqual([1]);
    expect((numbers as unknown as { subscribers: unknown[] }).subscribers).toHaveLength(0);
  });

  it('is taken by RxJS from()', async () => {
    const words = new Stream<string>((subscriber) => {
      subscriber.next('a');
      subscriber.next('b');
      subscriber.complete();
    });
    await expect(firstValueFrom(from(asObservable(words)).pipe(toArray()))).resolves.toEqual(['a', 'b']);
  });

  it('stops calling a subscriber that unsubscribed, and completes the others', () => {
    const numbers = new Subject<number>();
    const a: number[] = [];
    const b: string[] = [];
    const first = numbers.subscribe((n) => a.push(n));
    numbers.subscribe({ next: (n) => b.push(String(n)), complete: () => b.push('done') });
    numbers.next(1);
    first.unsubscribe();
    numbers.next(2);
    numbers.complete();
    numbers.next(3);
    expect(a).toEqual([1]);
    expect(b).toEqual(['1', '2', 'done']);
  });

  it('tells only changes of what it selects, like map then distinctUntilChanged', async () => {
    const values = new Subject<{ n: number }>();
    const ours: number[] = [];
    const theirs: number[] = [];
    changesOf(values, (v) => v.n).subscribe((n) => ours.push(n));
    asObservable(values).pipe(map((v) => v.n), distinctUntilChanged()).subscribe((n) => theirs.push(n));
    for (const n of [1, 1, 2, 2, 1]) values.next({ n });
    expect(ours).toEqual([1, 2, 1]);
    expect(ours).toEqual(theirs);
  });

  it('resolves forEach when it completes', async () => {
    const numbers = new Subject<number>();
    const seen: number[] = [];
    const done = numbers.forEach((n) => seen.push(n));
    numbers.next(7);
    numbers.complete();
    await done;
    expect(seen).toEqual([7]);
  });
});
