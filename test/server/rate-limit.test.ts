import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit, RateLimiter } from '../../server';

describe('RateLimiter', () => {
  it('allows a burst of count, then count per perMs as time passes', () => {
    let now = 0;
    const limiter = new RateLimiter({ count: 3, perMs: 3000 }, () => now);

    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([true, true, true, false]);
    now += 999;
    expect(limiter.take('a')).toBe(false);
    now += 1;
    expect([limiter.take('a'), limiter.take('a')]).toEqual([true, false]);
    now += 60_000;
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([true, true, true, false]);
  });

  it('keeps each key apart, and a refused request costs nothing', () => {
    let now = 0;
    const limiter = new RateLimiter({ count: 10, perMs: 1000 }, () => now);

    expect(limiter.take('a', 8)).toBe(true);
    expect(limiter.take('a', 3)).toBe(false);
    expect(limiter.take('a', 2)).toBe(true);
    expect(limiter.take('b', 10)).toBe(true);
    expect(limiter.take('a', 11)).toBe(false);
    now += 1000;
    expect(limiter.take('a', 10)).toBe(true);
  });

  it('remembers a bounded number of keys, forgets full buckets, and lets a forgotten key start afresh', () => {
    const limiter = new RateLimiter({ count: 1, perMs: 60_000 }, () => 0, 100);

    for (let n = 0; n < 10_000; n++) limiter.take(`198.51.100.${n}`);
    expect(limiter.keys).toBe(100);
    limiter.forget('198.51.100.9999');
    expect(limiter.take('198.51.100.9999')).toBe(true);
    const roomy = new RateLimiter({ count: 5, perMs: 1000 }, () => 0);
    roomy.take('a');
    roomy.forget('a');
    expect(roomy.keys).toBe(0);
  });

  it('has no limit with count Infinity, and refuses a nonsense rate', () => {
    const limiter = new RateLimiter({ count: Infinity, perMs: 1 }, () => 0);
    for (let n = 0; n < 1000; n++) expect(limiter.take('a', 1e9)).toBe(true);
    expect(limiter.keys).toBe(0);
    expect(() => new RateLimiter({ count: 0, perMs: 1000 }, () => 0)).toThrow(TypeError);
    expect(() => new RateLimiter({ count: 5, perMs: 0 }, () => 0)).toThrow(TypeError);
  });
});

describe('ConcurrencyLimit', () => {
  it('counts what is open per key and refuses more than max until one is released', () => {
    const limit = new ConcurrencyLimit(2);

    expect([limit.acquire('a'), limit.acquire('a'), limit.acquire('a'), limit.acquire('b')]).toEqual([true, true, false, true]);
    expect(limit.hasRoom('a')).toBe(false);
    limit.release('a');
    expect(limit.hasRoom('a')).toBe(true);
    expect(limit.count('a')).toBe(1);
    limit.release('a');
    limit.release('b');
    expect([limit.count('a'), limit.count('b')]).toEqual([0, 0]);
  });
});
