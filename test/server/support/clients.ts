/**
 * Raw socket.io clients for the conformance suite: socket.io-client 4 (EIO 4) and
 * socket.io-client 2 (EIO 3) behind one small interface. They speak the wire protocol by hand:
 * payloads go out sockwrap-encoded, everything that comes in is decoded leniently and logged in
 * arrival order (acks too, as `ack:<event>`), and server emits that ask for an ack get "onJson".
 * Tests wait on that log; nothing sleeps.
 */
import { io as ioV4 } from 'socket.io-client';
import ioV2 from 'socket.io-client-v2';
import { AUTO_ACK, SERVER_EVENTS, decodePayload, encodePayload } from '../../../core/protocol';
import type { ChatServer } from '../../../server';
import { PROJECT_ENGINE_IO } from '../../support/engine-io';

export type ClientKind = 'v4' | 'v2';

/**
 * The chat clients a server of this project's mode takes, for `describe.each`: both, or on an
 * Engine.IO-3-only server (the second run of this suite) socket.io-client 2 alone.
 */
export const CLIENT_KINDS: readonly ClientKind[] = PROJECT_ENGINE_IO === 3 ? ['v2'] : ['v4', 'v2'];

/** One thing the client received, in order. */
export interface Received {
  readonly event: string;
  /** The first argument, decoded (sockwrap or plain). */
  readonly payload: unknown;
  /** Every argument as it came off the wire (without the ack function). */
  readonly raw: readonly unknown[];
}

export interface ConnectOptions {
  /** A `Cookie` header to send with the handshake. */
  readonly cookie?: string;
  /** An `Origin` header to send with the handshake. */
  readonly origin?: string;
  /** Answer acks with "onJson" at once (default), or keep them for {@link TestClient.answerAcks}. */
  readonly autoAck?: boolean;
  readonly transports?: readonly ('polling' | 'websocket')[];
  /** More server event names to listen to (socket.io-client 2 has no catch-all listener). */
  readonly extraEvents?: readonly string[];
  /** A namespace other than `/` (socket.io-client 4 only), e.g. the agent console's `/agent`. */
  readonly namespace?: string;
  /** socket.io-client 4's handshake `auth`. */
  readonly auth?: Readonly<Record<string, string>>;
  /** For an https server: the certificate to trust. */
  readonly ca?: string;
  /** The local address to connect from, e.g. `127.0.0.2`: another client as the server sees it (websocket only). */
  readonly localAddress?: string;
}

interface AnySocket {
  readonly id: string | undefined;
  readonly connected: boolean;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  close(): unknown;
}

interface Waiter {
  readonly events: readonly string[];
  readonly predicate: (payload: unknown) => boolean;
  readonly resolve: (received: Received) => void;
}

const LIFECYCLE = ['connect', 'disconnect', 'connect_error'] as const;

function open(kind: ClientKind, server: ChatServer, options: ConnectOptions): AnySocket {
  const extraHeaders: Record<string, string> = {};
  if (options.cookie !== undefined) extraHeaders['cookie'] = options.cookie;
  if (options.origin !== undefined) extraHeaders['origin'] = options.origin;
  const common = {
    path: server.socketPath,
    forceNew: true,
    reconnectionDelay: 20,
    reconnectionDelayMax: 100,
    randomizationFactor: 0,
    timeout: 5000,
    extraHeaders,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    ...(options.transports ? { transports: [...options.transports] } : {}),
    ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress, transports: ['websocket'] }),
  };
  if (kind === 'v2') return ioV2(server.url, common) as unknown as AnySocket;
  const path = options.namespace === undefined ? common.path : server.agentSocketPath;
  return ioV4(server.url + (options.namespace ?? ''), { ...common, path, withCredentials: true, ...(options.auth ? { auth: options.auth } : {}) }) as unknown as AnySocket;
}

/** A raw chat client that logs what it receives and lets a test wait for it. */
export class TestClient {
  /** Everything received, in order: server events, `ack:<event>` replies, and connect/disconnect. */
  readonly log: Received[] = [];
  private readonly consumed = new Set<Received>();
  private readonly waiters: Waiter[] = [];
  private readonly heldAcks: ((value: unknown) => void)[] = [];

  private constructor(
    readonly kind: ClientKind,
    private readonly socket: AnySocket,
    private readonly autoAck: boolean,
    extraEvents: readonly string[],
  ) {
    for (const event of [...SERVER_EVENTS, ...extraEvents]) {
      socket.on(event, (...args: unknown[]) => {
        const ack = typeof args.at(-1) === 'function' ? (args.pop() as (value: unknown) => void) : undefined;
        this.record(event, args);
        if (!ack) return;
        if (this.autoAck) ack(AUTO_ACK);
        else this.heldAcks.push(ack);
      });
    }
    for (const event of LIFECYCLE) socket.on(event, (...args: unknown[]) => this.record(event, args));
  }

  /** Connects and resolves once connected; rejects with the `connect_error`. */
  static async connect(kind: ClientKind, server: ChatServer, options: ConnectOptions = {}): Promise<TestClient> {
    const client = new TestClient(kind, open(kind, server, options), options.autoAck ?? true, options.extraEvents ?? []);
    const first = await client.nextOf(['connect', 'connect_error']);
    if (first.event === 'connect_error') {
      client.close();
      throw Object.assign(new Error(`connect_error: ${String((first.payload as Error | undefined)?.message ?? first.payload)}`), { cause: first.payload });
    }
    return client;
  }

  /** The socket.io id of the current connection. */
  get id(): string {
    return this.socket.id ?? '';
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** Whether socket.io-client will reconnect by itself (v4: `socket.active`; v2: its manager's `skipReconnect`). */
  get willReconnect(): boolean {
    const socket = this.socket as { active?: boolean; io?: { skipReconnect?: boolean } };
    return this.kind === 'v4' ? socket.active === true : socket.io?.skipReconnect === false;
  }

  /** Emits a client event the way the protocol wants it: sockwrap-encoded, asking for an ack. */
  request(event: string, payload: unknown = {}): Promise<unknown> {
    return this.requestRaw(event, encodePayload(payload));
  }

  /** Emits raw arguments (not encoded) and asks for an ack; resolves with the decoded reply. */
  requestRaw(event: string, ...args: unknown[]): Promise<unknown> {
    return new Promise((resolve) => {
      this.socket.emit(event, ...args, (reply: unknown) => {
        this.record(`ack:${event}`, [reply]);
        resolve(decodePayload(reply));
      });
    });
  }

  /** Emits a client event without asking for an ack (as `preview` is sent). */
  send(event: string, payload: unknown = {}): void {
    this.socket.emit(event, encodePayload(payload));
  }

  /** Emits raw arguments without an ack. */
  sendRaw(event: string, ...args: unknown[]): void {
    this.socket.emit(event, ...args);
  }

  /** The next `event` not yet taken by an earlier `next` and passing `predicate` (decoded payload). */
  async next<T = unknown>(event: string, predicate: (payload: T) => boolean = () => true): Promise<T> {
    return (await this.nextReceived(event, predicate as (payload: unknown) => boolean)).payload as T;
  }

  /** Like {@link next}, but resolves with the whole log entry (raw arguments too). */
  nextReceived(event: string, predicate: (payload: unknown) => boolean = () => true): Promise<Received> {
    return this.nextOf([event], predicate);
  }

  /** Every payload of `event` received so far. */
  all<T = unknown>(event: string): T[] {
    return this.log.filter((r) => r.event === event).map((r) => r.payload as T);
  }

  /** The names of everything received so far, in order (optionally only these names). */
  names(only?: readonly string[]): string[] {
    return this.log.map((r) => r.event).filter((name) => !only || only.includes(name));
  }

  /** Answers every ack held back (with `autoAck: false`) with `value`. */
  answerAcks(value: unknown = AUTO_ACK): number {
    const acks = this.heldAcks.splice(0);
    for (const ack of acks) ack(value);
    return acks.length;
  }

  close(): void {
    this.socket.close();
  }

  private nextOf(events: readonly string[], predicate: (payload: unknown) => boolean = () => true): Promise<Received> {
    const found = this.log.find((r) => events.includes(r.event) && !this.consumed.has(r) && predicate(r.payload));
    if (found) {
      this.consumed.add(found);
      return Promise.resolve(found);
    }
    return new Promise((resolve) => this.waiters.push({ events, predicate, resolve }));
  }

  private record(event: string, raw: unknown[]): void {
    const received: Received = { event, payload: decodePayload(raw[0]), raw };
    this.log.push(received);
    const index = this.waiters.findIndex((w) => w.events.includes(event) && w.predicate(received.payload));
    if (index < 0) return;
    const [waiter] = this.waiters.splice(index, 1);
    this.consumed.add(received);
    waiter?.resolve(received);
  }
}
