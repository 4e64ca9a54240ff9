import type { LockManagerLike } from '../../core/tabs';

/**
 * The Web Locks API as the tabs of one browser share it, for tests in Node: exclusive locks by
 * name, granted in the order asked, `ifAvailable` and `signal` as the standard has them. A lock
 * is held until its callback's promise settles.
 */
export class FakeLocks implements LockManagerLike {
  private readonly held = new Set<string>();
  private readonly waiting = new Map<string, (() => void)[]>();

  request(name: string, options: { ifAvailable?: boolean; signal?: AbortSignal }, callback: (lock: unknown) => unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(name) ?? [];
      this.waiting.set(name, queue);
      const grant = () => {
        this.held.add(name);
        Promise.resolve()
          .then(() => callback({ name, mode: 'exclusive' }))
          .then(resolve, reject)
          .finally(() => {
            this.held.delete(name);
            queue.shift()?.();
          });
      };
      if (!this.held.has(name) && queue.length === 0) return grant();
      if (options.ifAvailable) {
        Promise.resolve()
          .then(() => callback(null))
          .then(resolve, reject);
        return;
      }
      if (options.signal?.aborted) return reject(new DOMException('The request was aborted.', 'AbortError'));
      queue.push(grant);
      options.signal?.addEventListener('abort', () => {
        const at = queue.indexOf(grant);
        if (at < 0) return;
        queue.splice(at, 1);
        reject(new DOMException('The request was aborted.', 'AbortError'));
      });
    });
  }

  /** The locks held and asked for, as `navigator.locks.query()` tells them. */
  query(): Promise<{ held: { name: string; mode: 'exclusive' }[]; pending: { name: string; mode: 'exclusive' }[] }> {
    const pending = [...this.waiting].flatMap(([name, queue]) => queue.map(() => ({ name, mode: 'exclusive' as const })));
    return Promise.resolve({ held: [...this.held].map((name) => ({ name, mode: 'exclusive' as const })), pending });
  }

  /** Whether someone holds the lock `name`. */
  isHeld(name: string): boolean {
    return this.held.has(name);
  }
}

type MessageListener = (event: { readonly data: unknown }) => void;

/**
 * A BroadcastChannel of one process that loses what `lose` says it should: for a tab that misses
 * entries of the log. Messages are cloned (`structuredClone`) and delivered in a later task, to
 * every other channel of the same name, in the order they were posted.
 */
export function lossyChannels(lose: (data: unknown, receiver: number) => boolean) {
  const open = new Map<string, Set<{ id: number; listeners: Set<MessageListener> }>>();
  let channels = 0;
  return class LossyChannel {
    private readonly self = { id: ++channels, listeners: new Set<MessageListener>() };
    private closed = false;
    constructor(private readonly name: string) {
      if (!open.has(name)) open.set(name, new Set());
      open.get(name)!.add(this.self);
    }
    postMessage(data: unknown) {
      if (this.closed) throw new DOMException('The channel is closed.', 'InvalidStateError');
      for (const other of open.get(this.name) ?? []) {
        if (other === this.self || lose(data, other.id)) continue;
        const copy = structuredClone(data);
        setTimeout(() => {
          for (const listener of other.listeners) listener({ data: copy });
        }, 0);
      }
    }
    addEventListener(_type: 'message', listener: MessageListener) {
      this.self.listeners.add(listener);
    }
    removeEventListener(_type: 'message', listener: MessageListener) {
      this.self.listeners.delete(listener);
    }
    close() {
      this.closed = true;
      open.get(this.name)?.delete(this.self);
    }
  };
}
