/**
 * Limits on how much one client may ask of the server: how often (a {@link RateLimiter}, one
 * token bucket per key) and how much at once (a {@link ConcurrencyLimit}, a count per key).
 * A key is whatever the caller limits by: a socket id, a client address (`clientAddress` in
 * `proxy.ts`), a session id. Both run on the server's clock and remember a bounded number of
 * keys, so a client spraying new keys cannot grow the server's memory either.
 *
 * @example
 * ```ts
 * // An HTTP route allowing each address 10 requests a minute, in bursts of up to 10.
 * const errands = new RateLimiter({ count: 10, perMs: 60_000 }, () => clock.now());
 * if (!errands.take(clientAddress(req, trustProxy))) return sendJson(res, 429, { error: RATE_LIMITED });
 * ```
 *
 * @module
 */

/**
 * How often something may happen: `count` times per `perMs` milliseconds, in bursts of up to
 * `count`. A `count` of `Infinity` means no limit.
 */
export interface Rate {
  readonly count: number;
  readonly perMs: number;
}

/** The error of anything refused for coming too often or too many at once: socket acks `{error}`, HTTP 429 `{error}`. */
export const RATE_LIMITED = 'rate limited';

/** How many keys a limiter remembers by default; the least recently used is forgotten first. */
export const LIMITER_KEYS = 10_000;

/** Throws a `TypeError` naming `name` unless `rate` is a usable {@link Rate}. */
export function checkRate(name: string, rate: Rate): void {
  const { count, perMs } = rate;
  if (!(count > 0) || !(perMs > 0) || !Number.isFinite(perMs) || (Number.isFinite(count) && !Number.isInteger(count))) {
    throw new TypeError(`${name} must be { count: a positive integer or Infinity, perMs: a positive number }, got ${JSON.stringify(rate)}`);
  }
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * One {@link Rate} applied to many keys, each with its own token bucket: a key starts with
 * `count` tokens, each request takes some, and tokens come back at `count` per `perMs`.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly rate: Rate,
    private readonly now: () => number,
    private readonly maxKeys = LIMITER_KEYS,
  ) {
    checkRate('rate', rate);
  }

  /**
   * Takes `cost` tokens from `key` and says whether it could: `false` (taking nothing) when
   * fewer are left, so a refused request does not make the next one wait longer.
   */
  take(key: string, cost = 1): boolean {
    const { count, perMs } = this.rate;
    if (count === Infinity) return true;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: count, at: now };
    bucket.tokens = Math.min(count, bucket.tokens + (Math.max(0, now - bucket.at) * count) / perMs);
    bucket.at = now;
    const allowed = bucket.tokens >= cost;
    if (allowed) bucket.tokens -= cost;
    // Re-inserted, so the Map's order is least recently used first.
    this.buckets.delete(key);
    if (bucket.tokens < count) this.buckets.set(key, bucket);
    for (const oldest of this.buckets.keys()) {
      if (this.buckets.size <= this.maxKeys) break;
      this.buckets.delete(oldest);
    }
    return allowed;
  }

  /** Forgets a key that went away (a closed socket): its next request starts with a full bucket. */
  forget(key: string): void {
    this.buckets.delete(key);
  }

  /** How many keys it remembers now (never more than its bound). */
  get keys(): number {
    return this.buckets.size;
  }
}

/** At most `max` things open at once per key: sockets per address, uploads in flight per address. */
export class ConcurrencyLimit {
  private readonly open = new Map<string, number>();

  constructor(readonly max: number) {
    if (!(max >= 1) || (Number.isFinite(max) && !Number.isInteger(max))) throw new TypeError(`a concurrency limit must be a positive integer or Infinity, got ${max}`);
  }

  /** Whether `key` has room for one more. */
  hasRoom(key: string): boolean {
    return this.count(key) < this.max;
  }

  /** Counts one more open for `key`; `false` (counting nothing) when it already has `max`. Pair every `true` with one {@link release}. */
  acquire(key: string): boolean {
    const count = this.count(key);
    if (count >= this.max) return false;
    this.open.set(key, count + 1);
    return true;
  }

  /** One fewer open for `key`. */
  release(key: string): void {
    const count = this.count(key) - 1;
    if (count > 0) this.open.set(key, count);
    else this.open.delete(key);
  }

  /** How many `key` has open. */
  count(key: string): number {
    return this.open.get(key) ?? 0;
  }
}
