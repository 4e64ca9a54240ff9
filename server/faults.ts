/**
 * Fault injection on what the server sends: delay, duplicate and reorder its events, and lose
 * its replies, for the whole server or one session, deterministically (delays run on the
 * injected clock).
 *
 * Delay, duplicate and reorder touch events only, never acks: an ack is the reply to one
 * client emit and socket.io delivers it exactly once. A reply can only be lost, as when the
 * link dies between the server acting on an emit and its answer reaching the browser.
 *
 * @module
 */
import type { Clock, TimerHandle } from '../core/clock';

/** The faults applied to outgoing events. Every field defaults to off. */
export interface OutgoingFaults {
  /** Hold each event this long on the server's clock before sending it (order is kept). */
  readonly delayMs: number;
  /** Send each event twice. */
  readonly duplicate: boolean;
  /** Hold each event until the next one to the same socket, then send the pair swapped. */
  readonly reorder: boolean;
  /** Act on every client emit as usual (store the message, register…) but never send its reply. */
  readonly loseReplies: boolean;
}

/** One event on its way to one socket, already encoded. */
export interface Emission {
  readonly socketId: string;
  readonly sessionId: number | undefined;
  readonly event: string;
  readonly args: readonly unknown[];
}

const NO_FAULTS: OutgoingFaults = { delayMs: 0, duplicate: false, reorder: false, loseReplies: false };

/** Routes emissions through the configured faults to `deliver`. */
export class FaultInjector {
  private global: Partial<OutgoingFaults> = {};
  private readonly bySession = new Map<number, Partial<OutgoingFaults>>();
  private readonly held = new Map<string, Emission>();
  private readonly timers = new Set<TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly deliver: (emission: Emission) => void,
  ) {}

  /** Turns faults on or off for one session, or for every session when `sessionId` is omitted. */
  set(faults: Partial<OutgoingFaults>, sessionId?: number): void {
    if (sessionId === undefined) this.global = { ...this.global, ...faults };
    else this.bySession.set(sessionId, { ...this.bySession.get(sessionId), ...faults });
    this.releaseUnheld();
  }

  /** Turns off every fault of one session, or every fault anywhere when `sessionId` is omitted. */
  clear(sessionId?: number): void {
    if (sessionId === undefined) {
      this.global = {};
      this.bySession.clear();
    } else {
      this.bySession.delete(sessionId);
    }
    this.releaseUnheld();
  }

  /** The faults in force for a session (its own over the global ones). */
  effective(sessionId: number | undefined): OutgoingFaults {
    const own = sessionId === undefined ? undefined : this.bySession.get(sessionId);
    return { ...NO_FAULTS, ...this.global, ...own };
  }

  /** Sends an emission through the faults in force for its session. */
  send(emission: Emission): void {
    if (this.effective(emission.sessionId).reorder) {
      const waiting = this.held.get(emission.socketId);
      if (!waiting) {
        this.held.set(emission.socketId, emission);
        return;
      }
      this.held.delete(emission.socketId);
      this.release(emission);
      this.release(waiting);
      return;
    }
    this.release(emission);
  }

  /** Sends every event held for reordering now, in the order it came. */
  flush(): void {
    const held = [...this.held.values()];
    this.held.clear();
    for (const emission of held) this.release(emission);
  }

  /** Drops every held and delayed event and cancels the timers. */
  dispose(): void {
    this.held.clear();
    for (const timer of this.timers) this.clock.clearTimeout(timer);
    this.timers.clear();
    this.global = {};
    this.bySession.clear();
  }

  private releaseUnheld(): void {
    for (const [socketId, emission] of [...this.held]) {
      if (this.effective(emission.sessionId).reorder) continue;
      this.held.delete(socketId);
      this.release(emission);
    }
  }

  private release(emission: Emission): void {
    const { delayMs, duplicate } = this.effective(emission.sessionId);
    for (let copy = duplicate ? 2 : 1; copy > 0; copy--) {
      if (delayMs <= 0) {
        this.deliver(emission);
        continue;
      }
      const timer = this.clock.setTimeout(() => {
        this.timers.delete(timer);
        this.deliver(emission);
      }, delayMs);
      this.timers.add(timer);
    }
  }
}
