/**
 * How late a process's event loop runs: a timer that should fire every {@link TICK_MS} ms, and
 * how much later than that it fires. What the bench processes report about themselves.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

const TICK_MS = 2;

/** An event loop's delay over some time, in ms. */
export interface LoopDelay {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** Starts watching this process's event loop. */
export function watchLoopDelay(): { read(): LoopDelay; reset(): void; stop(): void } {
  const histogram = monitorEventLoopDelay({ resolution: TICK_MS });
  histogram.enable();
  // The histogram holds the time between two ticks (ns); the delay is what exceeds the tick.
  const late = (ns: number): number => Math.max(0, ns / 1e6 - TICK_MS);
  return {
    read: () => ({ p50: late(histogram.percentile(50)), p99: late(histogram.percentile(99)), max: late(histogram.max) }),
    reset: () => histogram.reset(),
    stop: () => histogram.disable(),
  };
}
