/**
 * The `link` actor: one socket.io connection speaking the Cention protocol, filling the chat
 * machine's `link` slot. It encodes commands with sockwrap, decodes server events leniently,
 * acks every server emit with `"onJson"`, and times out replies on the injected clock.
 *
 * @module
 */
import type { LinkCommand, LinkEvent, Reply } from '../../machines';
import { callbackLogic } from '../callback-logic';
import type { Clock, TimerHandle } from '../clock';
import {
  AUTO_ACK,
  SERVER_EVENTS,
  decodePayload,
  encodePayload,
  isErrorReply,
  readAgentPreview,
  readChatMessageEvent,
  readMessageAcked,
  readMessageSent,
  readQueuePosition,
  readSessionInfo,
} from '../protocol';
import type { ClientEventName, Endpoints, Message, ServerEventName } from '../protocol';
import { afterQueuedTasks } from './after-tasks';
import { followPage } from './page-life';
import type { PageEvents } from './page-life';

/** A socket event listener. */
export type Listener = (...args: unknown[]) => void;

/** The part of a socket.io-client socket (version 2 or 4) the link uses. */
export interface SocketLike {
  readonly connected: boolean;
  on(event: string, listener: Listener): unknown;
  off(event: string, listener?: Listener): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  connect(): unknown;
  disconnect(): unknown;
  /** socket.io-client 3 and later: `listener` hears every event, its name first. The link uses it where it is there. */
  onAny?(listener: (event: unknown, ...args: unknown[]) => void): unknown;
  /** socket.io-client 3 and later: without a listener, forgets every `onAny` listener. */
  offAny?(listener?: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** Options the link passes to the `io` factory. */
export interface IoOptions {
  readonly path: string;
  readonly withCredentials: boolean;
  /** Every link gets its own manager, so stopping it frees everything. */
  readonly forceNew: boolean;
  readonly reconnection: boolean;
  readonly [option: string]: unknown;
}

/**
 * Makes a socket, like socket.io-client's `io(uri, options)`. Any socket.io-client from 2 (for
 * EIO 3 servers) to 4 fits.
 */
export type IoFactory = (uri: string, options: IoOptions) => SocketLike;

/** What a link needs to know. */
export interface LinkConfig {
  readonly io: IoFactory;
  readonly endpoints: Endpoints;
  readonly clock: Clock;
  /** How long to wait for a reply before it counts as `"timeout"`. */
  readonly ackTimeout: number;
  /** Sent in `resume` (`register` carries its own). */
  readonly trackClientUrl: boolean;
  /** The page's address for `resume`. */
  readonly href: () => string;
  /** Extra socket.io options (e.g. `transports`); they win over the defaults. */
  readonly socketOptions?: Readonly<Record<string, unknown>>;
  /** Says why the socket could not connect (asked once per outage); default: socket.io's own words. */
  readonly diagnose?: (socketError: string) => Promise<string>;
  /** The page's life (wake, offline, pagehide), which the socket follows; none outside a browser page. */
  readonly page?: PageEvents | undefined;
}

/** The one event a socket.io-client 1 or 2 socket tells the link, with every server event inside it. */
const HEARD = '*';

/** Every event the link listens to. */
const LINK_EVENTS: readonly string[] = [...SERVER_EVENTS, 'connect', 'connect_error', 'disconnect', HEARD];
const SERVER_EVENT_NAMES: ReadonlySet<unknown> = new Set(SERVER_EVENTS);

/** How long to wait before reconnecting a socket the server disconnected on purpose. */
const REJOIN_AFTER_KICK_MS = 1_000;

function toReply<T>(decoded: unknown, read: (value: unknown) => T | undefined): Reply<T> {
  if (isErrorReply(decoded)) return { ok: false, error: decoded.error };
  const value = read(decoded);
  return value === undefined ? { ok: false, error: 'invalid reply' } : { ok: true, value };
}

function confirm(decoded: unknown): true | undefined {
  return typeof decoded === 'object' && decoded !== null ? true : undefined;
}

/** socket.io-client 1 and 2 (`lib/socket.js`): every event packet goes through the socket's `onevent`. */
interface LegacySocket extends SocketLike {
  /** Adds the packet's ack, then tells its `data` (`[name, ...args, ack]`) to the listeners of `name`, or keeps it until `connect`. */
  onevent(packet: { readonly data?: unknown[]; readonly id?: unknown }): void;
}

/** Creates the link actor logic for the chat machine's `link` slot. */
export function createLink(config: LinkConfig) {
  return callbackLogic<LinkCommand>(({ sendBack, receive }) => {
    const { clock, endpoints } = config;
    let socket: SocketLike;
    try {
      socket = config.io(endpoints.origin, {
        path: endpoints.socketPath,
        withCredentials: true,
        forceNew: true,
        reconnection: true,
        // Connect once every listener is in place.
        autoConnect: false,
        ...config.socketOptions,
      });
    } catch (error) {
      // No socket at all (e.g. no socket.io on the page): no retry can mend that.
      const message = error instanceof Error ? error.message : String(error);
      queueMicrotask(() => sendBack({ type: 'link.connectError', message, final: true } satisfies LinkEvent));
      return () => undefined;
    }
    let stopped = false;
    const on = (event: string, listener: Listener) => socket.on(event, listener);

    // ---------------------------------------------------------------- replies
    // Each waiting request's timer, by request (made with a request, let go of once none waits:
    // an idle client keeps none).
    let awaiting: Map<number, TimerHandle> | undefined;
    /** The timer of request `id` if it still waits, no longer kept. */
    const stopWaiting = (id: number) => {
      const timer = awaiting?.get(id);
      awaiting?.delete(id);
      if (awaiting?.size === 0) awaiting = undefined;
      return timer;
    };
    // umids whose `chat message` got a reply on this connection and no `message sent` yet (made
    // with the first: a client that sends nothing keeps none).
    let replied: Set<string> | undefined;
    let nextRequest = 0;
    const request = (event: ClientEventName, payload: unknown, onReply: (decoded: unknown) => LinkEvent) => {
      if (!socket.connected) {
        deliver(onReply({ error: 'offline' }));
        return;
      }
      const id = ++nextRequest;
      (awaiting ??= new Map()).set(
        id,
        clock.setTimeout(() => {
          stopWaiting(id);
          deliver(onReply({ error: 'timeout' }));
        }, config.ackTimeout),
      );
      socket.emit(event, encodePayload(payload), (raw: unknown) => {
        const timer = stopWaiting(id);
        if (timer === undefined) return;
        clock.clearTimeout(timer);
        deliver(onReply(decodePayload(raw)));
      });
    };
    const forgetReplies = () => {
      // A reply can only come on the connection its request went out on.
      for (const timer of awaiting?.values() ?? []) clock.clearTimeout(timer);
      awaiting = undefined;
      replied = undefined;
    };

    // ---------------------------------------------------------------- server events
    // Server events are handed to the machine in the order they came, once the tasks already
    // queued have run (after-tasks.ts): what arrived in a burst is handled together, after the
    // code that was waiting on a reply has run (a reply does not wait for the events behind it,
    // nor for their decoding), and `chat message` events of a burst reach the machine as one
    // batch, so a flood costs one transition per burst, not per message, even in a browser,
    // where each WebSocket message is a task of its own. A reply or a change of the connection
    // first delivers every event before it.
    type Arrival = { readonly name: ServerEventName; readonly payload: unknown; readonly ack: Listener | undefined };
    let arrivals: Arrival[] = [];
    let scheduled = false;
    const flushEvents = () => {
      scheduled = false;
      if (arrivals.length === 0) return;
      const pending = arrivals;
      arrivals = [];
      let batch: { agent: string; client: string; readonly chat: Message[]; readonly acks: Listener[] } | undefined;
      const sendBatch = () => {
        if (!batch) return;
        const { agent, client, chat, acks } = batch;
        batch = undefined;
        sendBack({ type: 'server.chatMessage', agent, client, chat } satisfies LinkEvent);
        for (const ack of acks) ack(AUTO_ACK);
      };
      for (const { name, payload, ack } of pending) {
        if (stopped) return;
        if (name === 'chat message') {
          batch ??= { agent: '', client: '', chat: [], acks: [] };
          const event = readChatMessageEvent(decodePayload(payload));
          if (event) {
            for (const message of event.chat) batch.chat.push(message);
            if (event.agent !== '') batch.agent = event.agent;
            if (event.client !== '') batch.client = event.client;
          }
          if (ack) batch.acks.push(ack);
          continue;
        }
        sendBatch();
        const event = toLinkEvent(name, decodePayload(payload));
        // Acked once read, before the machine acts on it: an event that ends the chat stops
        // this link, and an ack after that would never leave.
        ack?.(AUTO_ACK);
        if (event && !stopped) sendBack(event);
      }
      if (!stopped) sendBatch();
    };
    const deliver = (event: LinkEvent) => {
      flushEvents();
      if (!stopped) sendBack(event);
    };
    const toLinkEvent = (name: ServerEventName, decoded: unknown): LinkEvent | undefined => {
      switch (name) {
        case 'message sent': {
          const receipt = readMessageSent(decoded);
          // The reply and this event are one completion (docs/protocol.md §5): once the reply has
          // come, the event tells the machine nothing new, and skipping it keeps a send to one
          // transition.
          if (!receipt || replied?.delete(receipt.umid)) return undefined;
          return { type: 'server.messageSent', receipt };
        }
        case 'message acked':
          return { type: 'server.messageAcked', ids: readMessageAcked(decoded).ids };
        case 'agent preview':
          return { type: 'server.agentPreview', messageLen: readAgentPreview(decoded).messageLen };
        case 'queue': {
          const position = readQueuePosition(decoded);
          return position === undefined ? undefined : { type: 'server.queue', position };
        }
        case 'queue full':
          return { type: 'server.queueFull' };
        case 'agent unavailable':
          return { type: 'server.agentUnavailable' };
        case 'chat closed':
          return { type: 'server.chatClosed' };
        case 'finish chat session':
          return { type: 'server.finished' };
        default:
          return undefined;
      }
    };
    const arrive = (name: ServerEventName, args: unknown[]) => {
      const last = args[args.length - 1];
      const ack = typeof last === 'function' ? (last as Listener) : undefined;
      // An event without a payload has its ack first.
      arrivals.push({ name, payload: args[0] === ack ? undefined : args[0], ack });
      if (!scheduled) {
        scheduled = true;
        afterQueuedTasks(flushEvents);
      }
    };
    // socket.io-client 3 and later tell every event to one listener, and 1 and 2 hand every event
    // to one method (below); only a socket with neither needs a listener per event, and each
    // costs the socket a list of its own on every connected client.
    const heard = (event: unknown, ...args: unknown[]) => {
      if (SERVER_EVENT_NAMES.has(event)) arrive(event as ServerEventName, args);
    };
    if (socket.onAny) {
      socket.onAny(heard);
    } else if ((socket as Partial<LegacySocket>).onevent) {
      // socket.io-client 1 and 2 have no `onAny`, but every event packet goes through `onevent`:
      // there each reaches socket.io's own `onevent` as an event named HEARD, its name and
      // arguments inside, so that socket.io adds the ack and keeps one that comes before
      // `connect` for then, as it does for every event; and one listener hears them all.
      const legacy = socket as LegacySocket;
      const { onevent } = legacy;
      legacy.onevent = (packet) => onevent.call(legacy, { id: packet.id, data: [HEARD, ...(packet.data || [])] });
      on(HEARD, heard as Listener);
    } else {
      for (const name of SERVER_EVENTS) on(name, (...args) => arrive(name, args));
    }

    // ---------------------------------------------------------------- the connection
    let rejoinTimer: TimerHandle | undefined;
    // Why the connection fails is asked once per outage, and every failed attempt of it says so.
    let diagnosis: Promise<string> | undefined;
    on('connect', () => {
      diagnosis = undefined;
      deliver({ type: 'link.connected' });
    });
    on('connect_error', (error) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!config.diagnose) return deliver({ type: 'link.connectError', message });
      diagnosis ??= config.diagnose(message).catch(() => message);
      void diagnosis.then((why) => {
        if (!stopped && !socket.connected) deliver({ type: 'link.connectError', message: why });
      });
    });
    on('disconnect', (reason) => {
      forgetReplies();
      deliver({ type: 'link.disconnected', reason: String(reason) });
      // socket.io-client does not come back by itself after the server let go of it on purpose;
      // the chat should, and the resume tells whether the chat still exists.
      if (reason === 'io server disconnect' && !stopped) {
        rejoinTimer = clock.setTimeout(() => {
          rejoinTimer = undefined;
          socket.connect();
        }, REJOIN_AFTER_KICK_MS);
      }
    });

    // ---------------------------------------------------------------- commands
    receive((command) => {
      switch (command.type) {
        case 'register':
          request('register', command.payload, (d) => ({ type: 'reply.register', reply: toReply(d, readSessionInfo) }));
          break;
        case 'resume': {
          const payload = { href: config.href(), trackClientUrl: config.trackClientUrl, ...(command.secret ? { secret: command.secret } : {}) };
          request('resume', payload, (d) => ({ type: 'reply.resume', reply: toReply(d, readSessionInfo) }));
          break;
        }
        case 'chatMessage': {
          const umid = command.payload.id;
          request('chat message', command.payload, (d) => {
            const reply = toReply(d, (value) => {
              const receipt = readMessageSent(value);
              return receipt && { ...receipt, umid };
            });
            if (reply.ok) {
              replied ??= new Set();
              replied.add(umid);
              // A server that never sends `message sent` must not make this grow without end.
              if (replied.size > 1_000) replied.delete(replied.values().next().value as string);
            }
            return { type: 'reply.chatMessage', umid, reply };
          });
          break;
        }
        case 'preview':
          if (socket.connected) socket.emit('preview', encodePayload({ preview: command.preview }));
          break;
        case 'addAttachment': {
          const { uploadId } = command;
          request('add attachment', command.payload, (d) => ({ type: 'reply.addAttachment', uploadId, reply: toReply(d, confirm) }));
          break;
        }
        case 'closeChat':
          request('close chat', {}, (d) => ({ type: 'reply.closeChat', reply: toReply(d, confirm) }));
          break;
      }
    });

    // Page life (core/transport/page-life.ts): reconnect at once on wake, drop on offline and pagehide.
    const unfollowPage = config.page ? followPage(config.page, socket) : undefined;
    socket.connect();

    return () => {
      stopped = true;
      unfollowPage?.();
      arrivals = [];
      forgetReplies();
      if (rejoinTimer !== undefined) clock.clearTimeout(rejoinTimer);
      // The socket is this link's alone (forceNew): its listeners go event by event, with no
      // list of them kept by every connected client. One argument: `off(event)` drops them all.
      for (const event of LINK_EVENTS) socket.off(event);
      socket.offAny?.();
      socket.disconnect();
    };
  });
}
