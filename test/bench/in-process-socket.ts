/**
 * A socket in the same process for the benches that measure the client's own work with no
 * network: it connects on the next microtask, answers `register` as the reference server does,
 * and lets the bench fire any server event at the client. Subclasses answer more (`emit`).
 */
import type { Listener, SocketLike } from '../../core/transport/link';
import { encodePayload } from '../../core/protocol';

export class InProcessSocket implements SocketLike {
  connected = false;
  private readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  off(event: string, listener?: Listener): this {
    this.listeners.set(event, listener ? (this.listeners.get(event) ?? []).filter((l) => l !== listener) : []);
    return this;
  }
  emit(event: string, ...args: unknown[]): this {
    const ack = args.at(-1);
    if (event === 'register' && typeof ack === 'function') queueMicrotask(() => ack(encodePayload({ sessionId: 1, sessionSecret: 'secret', areaId: 1, clientName: 'Ada' })));
    return this;
  }
  connect(): this {
    queueMicrotask(() => {
      this.connected = true;
      this.fire('connect');
    });
    return this;
  }
  disconnect(): this {
    this.connected = false;
    return this;
  }
  fire(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
}

/**
 * The next turn of the event loop (`setImmediate`): what a client on this socket was fired is
 * handed to its machine by then, as the link hands a burst over once the tasks queued before it
 * have run (core/transport/after-tasks.ts).
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
