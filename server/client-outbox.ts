/**
 * Everything the server sends to chat clients goes out here: encoded (sockwrap by default, or
 * plain JSON), through the fault injector, with the `"onJson"` auto-ack of `chat message`
 * tracked per message.
 *
 * @module
 */
import type { Namespace } from 'socket.io';
import type { Clock } from '../core/clock';
import type { ServerEventName, ServerEvents } from '../core/protocol';
import { encodePayload } from '../core/protocol';
import type { Emission } from './faults';
import { FaultInjector } from './faults';

/** How payloads travel: sockwrap (docs/protocol.md §2, the default) or plain JSON objects. */
export type Encoding = 'sockwrap' | 'json';

/** An event's payload arguments: none for the events of §5 that carry nothing. */
export type PayloadArgs<E extends ServerEventName> = ServerEvents[E] extends undefined ? [] : [ServerEvents[E]];

/** Called when a browser answers the ack of a `chat message`. */
export type AutoAckListener = (socketId: string, sessionId: number | undefined, messageIds: readonly number[], value: unknown) => void;

/** The one way out to chat clients. */
export class ClientOutbox {
  readonly faults: FaultInjector;

  constructor(
    private readonly namespace: Namespace,
    clock: Clock,
    public encoding: Encoding,
    private readonly onAutoAck: AutoAckListener,
  ) {
    this.faults = new FaultInjector(clock, (emission) => this.deliver(emission));
  }

  /** Encodes one payload in the current encoding. */
  encode(payload: unknown): unknown {
    return this.encoding === 'sockwrap' ? encodePayload(payload) : payload;
  }

  /** Answers a client emit's acknowledgement, if it asked for one (and the session's faults do not lose it). */
  reply(ack: ((...args: unknown[]) => void) | undefined, payload: unknown, sessionId: number | undefined): void {
    if (this.faults.effective(sessionId).loseReplies) return;
    ack?.(this.encode(payload));
  }

  /** Sends a §5 event to one socket through the faults of its session. */
  send<E extends ServerEventName>(socketId: string, sessionId: number | undefined, event: E, ...payload: PayloadArgs<E>): void {
    const args: unknown[] = payload.map((p) => this.encode(p));
    if (event === 'chat message') {
      const messageIds = (payload[0] as ServerEvents['chat message']).chat.map((m) => m.id);
      args.push((value: unknown) => this.onAutoAck(socketId, sessionId, messageIds, value));
    }
    this.faults.send({ socketId, sessionId, event, args });
  }

  /** Sends arguments exactly as given, past encoding and faults. Returns whether the socket was there. */
  raw(socketId: string, event: string, args: readonly unknown[]): boolean {
    const socket = this.namespace.sockets.get(socketId);
    if (!socket?.connected) return false;
    socket.emit(event, ...args);
    return true;
  }

  private deliver({ socketId, event, args }: Emission): void {
    // A socket that went away meanwhile simply misses the event, as on a real network.
    this.raw(socketId, event, args);
  }
}
