/**
 * The commands' promises, settled by what the machine tells: a session, a check's answer, a
 * message's receipt, an upload's end, or a refusal naming the command it answers. Nothing here
 * waits on a timer or a socket: every promise ends with the notification that ends it, or when
 * the chat is reset or the client stopped.
 *
 * @module
 */
import type { ChatNotification, CommandRef } from '../../machines';
import { ChatError } from '../errors';

interface Waiter {
  resolve(value: never): void;
  reject(error: ChatError): void;
}

/** Which promises a notification about `ref` settles. */
function keyOf(ref: CommandRef): string {
  if ('requestId' in ref) return `canChat ${ref.requestId}`;
  // A refused retry is the failure of the message's one promise.
  if ('umid' in ref) return `send ${ref.umid}`;
  if ('uploadId' in ref) return `${ref.command} ${ref.uploadId}`;
  return ref.command;
}

/** Every command promise of one engine. */
export interface CommandPromises {
  /** A new promise of the command `ref` names, settled by the notifications about it. */
  wait<T>(ref: CommandRef): Promise<T>;
  /** Whether a promise of this command waits. */
  has(ref: CommandRef): boolean;
  /** Resolves every promise of `ref` with `value`. */
  resolve(ref: CommandRef, value?: unknown): void;
  /** Rejects every promise of `ref`. */
  reject(ref: CommandRef, error: ChatError): void;
  /** Rejects every promise but those of `canChat` (unless `checks` too): the chat they belong to is gone. */
  abandon(error: ChatError, checks: boolean): void;
  /** Settles what a notification of the machine settles. */
  notified(notification: ChatNotification): void;
}

/**
 * The promises of one engine: a class, not a closure per method, as every client has one. Its
 * map is declared (no class field, which the ES2020 drop-in would lower to a helper's call) and
 * made when a command first waits.
 */
class Promises implements CommandPromises {
  declare private waiting: Map<string, Waiter[]> | undefined;

  wait<T>(ref: CommandRef): Promise<T> {
    return new Promise((resolve, reject) => {
      const waiting = (this.waiting ??= new Map());
      const key = keyOf(ref);
      waiting.set(key, [...(waiting.get(key) ?? []), { resolve: resolve as (value: never) => void, reject }]);
    });
  }

  has(ref: CommandRef): boolean {
    return this.waiting?.has(keyOf(ref)) === true;
  }

  resolve(ref: CommandRef, value?: unknown): void {
    this.take(keyOf(ref), (w) => w.resolve(value as never));
  }

  reject(ref: CommandRef, error: ChatError): void {
    this.take(keyOf(ref), (w) => w.reject(error));
  }

  abandon(error: ChatError, checks: boolean): void {
    for (const key of [...(this.waiting?.keys() ?? [])]) if (checks || !key.startsWith('canChat ')) this.take(key, (w) => w.reject(error));
  }

  notified(n: ChatNotification): void {
    switch (n.type) {
      case 'session':
        return this.resolve({ command: n.resumed ? 'resume' : 'start' }, n.session);
      case 'rejected':
        return this.reject(n.ref, ChatError.from(n.fault));
      case 'availability':
        return this.resolve({ command: 'canChat', requestId: n.availability.requestId }, n.availability.result);
      case 'receipt': {
        const ref = { command: 'send', umid: n.umid } as const;
        if (n.state === 'sent' && n.receipt) this.resolve(ref, n.receipt);
        if (n.state === 'failed') this.reject(ref, ChatError.from(n.fault ?? { code: 'server-error', message: 'The message could not be sent.' }));
        return;
      }
      case 'upload': {
        const { uploadId, state, result, fault } = n.upload;
        const ref = { command: 'attach', uploadId } as const;
        if (state === 'done' && result) this.resolve(ref, result);
        if ((state === 'failed' || state === 'canceled') && fault) this.reject(ref, ChatError.from(fault));
        return;
      }
      default:
        return;
    }
  }

  /** Settles every promise of `key`, and forgets it. */
  private take(key: string, settle: (waiter: Waiter) => void): void {
    const list = this.waiting?.get(key);
    this.waiting?.delete(key);
    for (const waiter of list ?? []) settle(waiter);
  }
}

/** Makes the promises of one engine. */
export function commandPromises(): CommandPromises {
  return new Promises();
}
