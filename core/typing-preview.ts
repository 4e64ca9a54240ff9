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

/** A paced preview; a class, not a closure per method, as every client has one and most never type. */
class PacedPreview implements TypingPreview {
  private timer: TimerHandle | undefined;
  private latest = '';
  private shown = '';
  private lastAt = -Infinity;

  constructor(
    private readonly send: (text: string) => void,
    private readonly clock: Clock,
    private readonly everyMs: number,
  ) {}

  typed(text: string): void {
    this.latest = text.trim() === '' ? '' : text;
    if (this.latest === '') {
      // Stopping is news the agent should have now, not at the end of the interval.
      this.cancel();
      this.flush();
      return;
    }
    if (this.timer !== undefined) return;
    const wait = this.lastAt + this.everyMs - this.clock.now();
    if (wait <= 0) this.flush();
    else this.timer = this.clock.setTimeout(() => this.flush(), wait);
  }

  dispose(): void {
    this.cancel();
    this.latest = '';
    this.shown = '';
    this.lastAt = -Infinity;
  }

  private cancel(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private flush(): void {
    this.timer = undefined;
    if (this.latest === this.shown) return;
    this.lastAt = this.clock.now();
    this.shown = this.latest;
    this.send(this.latest);
  }
}

/** Makes a paced preview. `everyMs` 0 sends every change at once. */
export function typingPreview(send: (text: string) => void, clock: Clock, everyMs: number): TypingPreview {
  return new PacedPreview(send, clock, everyMs);
}
