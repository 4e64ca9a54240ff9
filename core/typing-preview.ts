/**
 * The customer's typing preview, paced: the agent sees what the customer types at most once
 * per interval, always ending with the latest text, and at once when the customer stops.
 *
 * @module
 */
import type { Clock, TimerHandle } from './clock';

/** Paces `send` for one chat; `dispose()` cancels what is pending. */
export interface TypingPreview {
  /** What the customer's input holds now; blank means they stopped typing. */
  typed(text: string): void;
  /** Forgets what was sent (a new chat starts from nothing) and cancels what is pending. */
  dispose(): void;
}

/** Makes a paced preview. `everyMs` 0 sends every change at once. */
export function typingPreview(send: (text: string) => void, clock: Clock, everyMs: number): TypingPreview {
  let timer: TimerHandle | undefined;
  let latest = '';
  let shown = '';
  let lastAt = -Infinity;
  const cancel = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  };
  const flush = () => {
    timer = undefined;
    if (latest === shown) return;
    lastAt = clock.now();
    shown = latest;
    send(latest);
  };
  return {
    typed(text) {
      latest = text.trim() === '' ? '' : text;
      if (latest === '') {
        // Stopping is news the agent should have now, not at the end of the interval.
        cancel();
        flush();
        return;
      }
      if (timer !== undefined) return;
      const wait = lastAt + everyMs - clock.now();
      if (wait <= 0) flush();
      else timer = clock.setTimeout(flush, wait);
    },
    dispose() {
      cancel();
      latest = '';
      shown = '';
      lastAt = -Infinity;
    },
  };
}
