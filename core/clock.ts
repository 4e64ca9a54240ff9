/**
 * The seam through which core and the reference server read time and set timers, so tests can
 * drive time by hand instead of sleeping.
 *
 * @module
 */

/** An opaque timer handle. */
export type TimerHandle = { readonly __timer: unique symbol } | number | object;

/** Time and timers. {@link systemClock} is the real one. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock: `Date.now` and the global timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms) as unknown as TimerHandle,
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
};
