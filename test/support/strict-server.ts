/**
 * A strict, independent Cention chat server for tests: "an independent server drops what ours
 * forgives". It is written from the protocol alone (docs/protocol.md, §1–§8: the shared contract) and shares no code with
 * `server/` (nor with the client's protocol code: its codec and readers are its own), so a
 * client that only works because both sides share a mistake fails against it. Where the spec
 * leaves room, it takes the strictest reading:
 *
 * - Engine.IO 3 only, like a real Cention 5.x server: an Engine.IO 4 handshake is refused
 *   (socket.io 4 with `allowEIO3`, and `EIO=4` turned away).
 * - Every client payload must be sockwrap-encoded exactly (`encodeURIComponent` of the JSON
 *   text) and present; a missing payload, a plain object, or a field of the wrong type gets
 *   `{error: "invalid input: <field>"}` (or nothing, where there is no ack to answer).
 * - Each client event is handled a moment after it arrives (`handlingMs` on its clock, or the
 *   next turn of the event loop), and dropped, unanswered and unstored, if its socket has
 *   disconnected by then: a packet that arrives while the client disconnects is lost.
 * - `restart()` cuts every connection and forgets every umid and which message id each umid
 *   had: the transcript comes back with `umid: ""`, and a resent umid is stored anew.
 *
 * It has no uploads, history pages or idle expiry: the spec does not require a client to need
 * them, and what it has is enough for the conformance and property tests of the client.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { Server } from 'socket.io';
import type { Socket } from 'socket.io';

/** The timers it needs; any `Clock` of the tests fits. */
export interface StrictClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: never): void;
}

/** One area of the strict server. */
export interface StrictArea {
  readonly id: number;
  /** Default true. */
  readonly open?: boolean;
  /** Agents online in the area; default 1. */
  readonly agents?: number;
}

/** How to start it. */
export interface StrictServerOptions {
  readonly areas?: readonly StrictArea[];
  /** Time for `sent`, `sentHuman` and the handling delay. Default: the system clock. */
  readonly clock?: StrictClock;
  /** How long after its arrival an event is handled, on `clock`; 0 (default): the next turn of the event loop. */
  readonly handlingMs?: number;
  /** The workspace of `baseURL` (`/s/<workspace>`); default `strict`. */
  readonly workspace?: string;
}

/** A transcript message (docs/protocol.md §6). */
export interface StrictMessage {
  readonly id: number;
  readonly sender: 'CLIENT' | 'AGENT' | 'SYSTEM';
  readonly sent: number;
  readonly sentHuman: string;
  readonly text: string;
  umid: string;
}

/** What a test sees of a session. */
export interface StrictSession {
  readonly sessionId: number;
  readonly areaId: number;
  readonly clientName: string;
  readonly agent: string;
  readonly finished: boolean;
  readonly transcript: readonly StrictMessage[];
}

/** A running strict server. */
export interface StrictServer {
  /** The origin, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** The Cention `baseURL`. */
  readonly baseURL: string;
  /** Client events that arrived, handled or not. */
  readonly arrived: number;
  /** Client events dropped because their socket had disconnected before they were handled. */
  readonly dropped: number;
  /** Client payloads refused for breaking the spec, by event: `"register: invalid input: payload"`... */
  readonly refused: readonly string[];
  /** What the agent does. */
  readonly agent: {
    join(sessionId: number, name: string): void;
    say(sessionId: number, text: string): StrictMessage;
    /** Tells the client every undelivered client message was delivered; returns their ids. */
    ack(sessionId: number): number[];
    end(sessionId: number, name: string): void;
  };
  /** Resolves with the next session that registers. */
  nextSession(): Promise<StrictSession>;
  session(sessionId: number): StrictSession | undefined;
  /** How many sockets are bound to a chat now. */
  socketsOf(sessionId: number): number;
  /** Cuts the connections of a chat, as a network failure would; the client reconnects. Returns how many. */
  drop(sessionId: number): number;
  /** Cuts every connection and forgets every umid and the message id it had. Sessions live on. */
  restart(): void;
  close(): Promise<void>;
}

const SYSTEM_PREFIX = '\u0001JSON';
const COOKIE = 'CentionChatSession';

// ------------------------------------------------------------------ sockwrap, strictly

/** The payload a client sent, if it is exactly sockwrap-encoded JSON of an object. */
function strictDecode(raw: unknown): Record<string, unknown> | undefined {
  if (typeof raw !== 'string') return undefined;
  let text: string;
  try {
    text = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  // Encoded means encoded: a plain JSON text that happens to survive percent-decoding is not.
  if (encodeURIComponent(text) !== raw) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function encode(payload: object): string {
  return encodeURIComponent(JSON.stringify(payload));
}

type Fields = Record<string, 'string' | 'number' | 'boolean' | 'object'>;

/** The first field that is missing or of the wrong type, or `undefined` when all are right. */
function wrongField(payload: Record<string, unknown>, fields: Fields, optional: Fields = {}): string | undefined {
  for (const [name, type] of Object.entries(fields)) {
    const value = payload[name];
    if (typeof value !== type || value === null || (type === 'number' && !Number.isFinite(value))) return name;
  }
  for (const [name, type] of Object.entries(optional)) if (payload[name] !== undefined && typeof payload[name] !== type) return name;
  return undefined;
}

// ------------------------------------------------------------------ the chats

interface Chat {
  readonly sessionId: number;
  readonly secret: string;
  readonly areaId: number;
  readonly clientName: string;
  readonly cookie: string | undefined;
  agent: string;
  finished: boolean;
  readonly transcript: StrictMessage[];
  /** umid → message id, until a restart forgets it. */
  readonly umids: Map<string, number>;
  /** Client message ids the agent has not acked yet. */
  readonly undelivered: number[];
  readonly sockets: Set<Socket>;
}

const REGISTER: Fields = { area: 'number', name: 'string', email: 'string', phone: 'string', message: 'string', externalData: 'string', baseURL: 'string', offlineChat: 'boolean', trackClientUrl: 'boolean' };

/** Starts a strict server on 127.0.0.1, port 0. */
export async function startStrictServer(options: StrictServerOptions = {}): Promise<StrictServer> {
  const clock: StrictClock = options.clock ?? { now: () => Date.now(), setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (h) => clearTimeout(h) };
  const areas = new Map((options.areas ?? [{ id: 1 }]).map((a) => [a.id, { open: a.open ?? true, agents: a.agents ?? 1 }]));
  const basePath = `/s/${options.workspace ?? 'strict'}`;
  const chats = new Map<number, Chat>();
  const bySecret = new Map<string, Chat>();
  const byCookie = new Map<string, Chat>();
  const chatOf = new Map<Socket, Chat>();
  const queue: Chat[] = [];
  const timers = new Set<unknown>();
  const immediates = new Set<NodeJS.Immediate>();
  const refused: string[] = [];
  const registered: ((chat: Chat) => void)[] = [];
  let nextSessionId = 1;
  let nextMessageId = 1;
  let dropped = 0;
  let arrived = 0;

  const newMessage = (sender: StrictMessage['sender'], text: string, umid = ''): StrictMessage => {
    const now = clock.now();
    const time = new Date(now);
    const sentHuman = `${String(time.getUTCHours()).padStart(2, '0')}:${String(time.getUTCMinutes()).padStart(2, '0')}`;
    return { id: nextMessageId++, sender, sent: Math.floor(now / 1000), sentHuman, text, umid };
  };
  const system = (event: object): string => SYSTEM_PREFIX + JSON.stringify(event);

  /** Sends one `chat message` event with these messages to every socket of the chat; the client acks it. */
  const tell = (chat: Chat, messages: readonly StrictMessage[], only?: Socket): void => {
    const payload = encode({ agent: chat.agent, chat: messages, client: chat.clientName });
    for (const socket of only ? [only] : chat.sockets) socket.emit('chat message', payload, () => undefined);
  };
  const post = (chat: Chat, message: StrictMessage): StrictMessage => {
    chat.transcript.push(message);
    tell(chat, [message]);
    return message;
  };
  const tellQueue = (): void => {
    queue.forEach((chat, i) => {
      for (const socket of chat.sockets) socket.emit('queue', i + 1);
    });
  };
  const finish = (chat: Chat, event: object): void => {
    if (chat.finished) return;
    post(chat, newMessage('SYSTEM', system(event)));
    chat.finished = true;
    const waiting = queue.indexOf(chat);
    if (waiting >= 0) {
      queue.splice(waiting, 1);
      tellQueue();
    }
    for (const socket of chat.sockets) socket.emit('finish chat session');
  };
  const closed = (socket: Socket, ack: (reply: unknown) => void): void => {
    ack(encode({ error: 'chat closed' }));
    socket.emit('chat closed');
  };
  const bind = (socket: Socket, chat: Chat): void => {
    chatOf.get(socket)?.sockets.delete(socket);
    chatOf.set(socket, chat);
    chat.sockets.add(socket);
  };
  const sessionInfo = (chat: Chat) => ({ sessionId: chat.sessionId, sessionSecret: chat.secret, areaId: chat.areaId, clientName: chat.clientName });

  // ---------------------------------------------------------------- HTTP: canchat
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://strict.invalid');
    const origin = req.headers.origin;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (origin) Object.assign(headers, { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' });
    if (req.method !== 'GET' || url.pathname !== `${basePath}/socket/external.api/canchat`) {
      res.writeHead(404, headers).end(JSON.stringify({ error: 'not found' }));
      return;
    }
    const areaId = Number(url.searchParams.get('area'));
    const area = areas.get(areaId);
    const secret = url.searchParams.get('secret');
    const kept = secret ? bySecret.get(secret) : undefined;
    const body = area
      ? {
          chatOpen: area.open,
          agentsAvailable: area.agents,
          feature: { 'chat.attachment': false, 'chat.max-attachment-size': 0, 'chat.max-image-size': 0, 'chat.external-source-page': '' },
          resumable: kept !== undefined && !kept.finished && kept.areaId === areaId,
          error: '',
        }
      : { chatOpen: false, agentsAvailable: 0, feature: {}, resumable: false, error: 'unknown area' };
    res.writeHead(200, headers).end(JSON.stringify(body));
  });
  const connections = new Set<NetSocket>();
  http.on('connection', (connection) => {
    connections.add(connection);
    connection.on('close', () => connections.delete(connection));
  });

  // ---------------------------------------------------------------- socket.io, Engine.IO 3 only
  const io = new Server(http, {
    path: `${basePath}/socket/socket.io`,
    allowEIO3: true,
    serveClient: false,
    cookie: false,
    cors: { origin: (sent, callback) => callback(null, sent ?? false), credentials: true },
    allowRequest: (req, callback) => {
      const eio = new URL(req.url ?? '/', 'http://strict.invalid').searchParams.get('EIO');
      callback(eio === '3' ? null : 'Engine.IO 3 only', eio === '3');
    },
  });
  io.engine.on('initial_headers', (headers: Record<string, string>, req: IncomingMessage) => {
    if (!cookieOf(req)) headers['Set-Cookie'] = `${COOKIE}=${randomBytes(16).toString('hex')}; Path=/; HttpOnly`;
  });

  io.on('connection', (socket) => {
    /** Handles an event a moment after it came, unless the socket has gone by then. */
    const handle = (event: string, run: (payload: Record<string, unknown> | undefined, ack: ((reply: unknown) => void) | undefined) => void) => {
      socket.on(event, (...args: unknown[]) => {
        arrived++;
        const last = args.at(-1);
        const ack = typeof last === 'function' ? (last as (reply: unknown) => void) : undefined;
        const payload = strictDecode(ack ? args.at(-2) : last);
        const raw = ack ? args.length - 1 : args.length;
        const go = () => {
          if (!socket.connected) {
            dropped++;
            return;
          }
          run(raw === 1 ? payload : undefined, ack);
        };
        if ((options.handlingMs ?? 0) > 0) {
          const timer = clock.setTimeout(() => {
            timers.delete(timer);
            go();
          }, options.handlingMs ?? 0);
          timers.add(timer);
        } else {
          const immediate = setImmediate(() => {
            immediates.delete(immediate);
            go();
          });
          immediates.add(immediate);
        }
      });
    };
    const refuse = (event: string, field: string, ack: ((reply: unknown) => void) | undefined) => {
      refused.push(`${event}: invalid input: ${field}`);
      ack?.(encode({ error: `invalid input: ${field}` }));
    };

    handle('register', (payload, ack) => {
      if (!ack) return void refused.push('register: no ack');
      if (!payload) return refuse('register', 'payload', ack);
      const wrong = wrongField(payload, REGISTER);
      if (wrong) return refuse('register', wrong, ack);
      const p = payload as { area: number; name: string; message: string };
      const area = areas.get(p.area);
      if (!area) return ack(encode({ error: 'unknown area' }));
      if (!area.open) return ack(encode({ error: 'chat closed' }));
      const question = p.message.trim();
      if (question.length < 1 || question.length > 10_000 || question.startsWith('\u0001')) return refuse('register', 'message', ack);
      if (p.name.trim() === '') return refuse('register', 'name', ack);
      const cookie = cookieOf(socket.request);
      const chat: Chat = {
        sessionId: nextSessionId++,
        secret: randomBytes(16).toString('hex'),
        areaId: p.area,
        clientName: p.name.trim(),
        cookie,
        agent: '',
        finished: false,
        transcript: [],
        umids: new Map(),
        undelivered: [],
        sockets: new Set(),
      };
      chats.set(chat.sessionId, chat);
      bySecret.set(chat.secret, chat);
      if (cookie) byCookie.set(cookie, chat);
      bind(socket, chat);
      ack(encode(sessionInfo(chat)));
      const first = newMessage('CLIENT', question);
      chat.transcript.push(first);
      chat.undelivered.push(first.id);
      tell(chat, [first]);
      queue.push(chat);
      tellQueue();
      for (const listener of registered.splice(0)) listener(chat);
    });

    handle('resume', (payload, ack) => {
      if (!ack) return void refused.push('resume: no ack');
      if (!payload) return refuse('resume', 'payload', ack);
      const wrong = wrongField(payload, { href: 'string', trackClientUrl: 'boolean' }, { secret: 'string' });
      if (wrong) return refuse('resume', wrong, ack);
      const secret = payload['secret'] as string | undefined;
      const cookie = cookieOf(socket.request);
      const chat = secret ? bySecret.get(secret) : cookie ? byCookie.get(cookie) : undefined;
      if (!chat) return ack(encode({ error: 'no session' }));
      if (chat.finished) return closed(socket, ack);
      bind(socket, chat);
      ack(encode(sessionInfo(chat)));
      tell(chat, chat.transcript, socket);
      const place = queue.indexOf(chat);
      if (place >= 0) socket.emit('queue', place + 1);
    });

    handle('chat message', (payload, ack) => {
      if (!ack) return void refused.push('chat message: no ack');
      if (!payload) return refuse('chat message', 'payload', ack);
      const wrong = wrongField(payload, { id: 'string', message: 'string', mcount: 'number' });
      if (wrong) return refuse('chat message', wrong, ack);
      const umid = payload['id'] as string;
      const text = (payload['message'] as string).trim();
      if (umid.length < 1 || umid.length > 64) return refuse('chat message', 'id', ack);
      if (text.length < 1 || text.length > 10_000 || text.startsWith('\u0001')) return refuse('chat message', 'message', ack);
      const chat = chatOf.get(socket);
      if (!chat) return ack(encode({ error: 'no session' }));
      if (chat.finished) return closed(socket, ack);
      const known = chat.umids.get(umid);
      if (known !== undefined) {
        const stored = chat.transcript.find((m) => m.id === known)!;
        const receipt = { id: `already-seen-${umid}`, umid, sent: stored.sent, sentHuman: stored.sentHuman };
        ack(encode(receipt));
        socket.emit('message sent', encode(receipt));
        return;
      }
      const message = newMessage('CLIENT', text, umid);
      chat.transcript.push(message);
      chat.umids.set(umid, message.id);
      chat.undelivered.push(message.id);
      const receipt = { id: String(message.id), umid, sent: message.sent, sentHuman: message.sentHuman };
      ack(encode(receipt));
      socket.emit('message sent', encode(receipt));
      tell(chat, [message]);
    });

    handle('preview', (payload) => {
      if (!payload || wrongField(payload, { preview: 'string' })) refused.push('preview: invalid input: preview');
    });

    handle('add attachment', (payload, ack) => {
      if (!ack) return void refused.push('add attachment: no ack');
      if (!payload) return refuse('add attachment', 'payload', ack);
      const wrong = wrongField(payload, { area: 'number', file: 'object', sessionSecret: 'string' });
      if (wrong) return refuse('add attachment', wrong, ack);
      // No uploads here: no file can have been stored.
      refuse('add attachment', 'file', ack);
    });

    handle('close chat', (payload, ack) => {
      if (!ack) return void refused.push('close chat: no ack');
      if (!payload) return refuse('close chat', 'payload', ack);
      const chat = chatOf.get(socket);
      if (!chat) return ack(encode({ error: 'no session' }));
      if (chat.finished) return closed(socket, ack);
      ack(encode({ closed: true }));
      finish(chat, { event: 'CLIENT_ENDS_CHAT', name: chat.clientName });
    });

    socket.on('disconnect', () => {
      chatOf.get(socket)?.sockets.delete(socket);
      chatOf.delete(socket);
    });
  });

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const live = (sessionId: number): Chat => {
    const chat = chats.get(sessionId);
    if (!chat || chat.finished) throw new Error(`strict server: no live chat ${sessionId}`);
    return chat;
  };
  const view = (chat: Chat): StrictSession => ({
    sessionId: chat.sessionId,
    areaId: chat.areaId,
    clientName: chat.clientName,
    agent: chat.agent,
    finished: chat.finished,
    transcript: chat.transcript.map((m) => ({ ...m })),
  });

  return {
    url,
    baseURL: url + basePath,
    get arrived() {
      return arrived;
    },
    get dropped() {
      return dropped;
    },
    refused,
    agent: {
      join(sessionId, name) {
        const chat = live(sessionId);
        chat.agent = name;
        const place = queue.indexOf(chat);
        if (place >= 0) queue.splice(place, 1);
        post(chat, newMessage('SYSTEM', system({ event: 'AGENTS_ADDED', names: [name] })));
        tellQueue();
      },
      say: (sessionId, text) => post(live(sessionId), newMessage('AGENT', text)),
      ack(sessionId) {
        const chat = live(sessionId);
        const ids = chat.undelivered.splice(0);
        if (ids.length > 0) for (const socket of chat.sockets) socket.emit('message acked', encode({ ids }));
        return ids;
      },
      end: (sessionId, name) => finish(live(sessionId), { event: 'OWNER_ENDS_CHAT', name }),
    },
    nextSession: () => new Promise((resolve) => registered.push((chat) => resolve(view(chat)))),
    session(sessionId) {
      const chat = chats.get(sessionId);
      return chat && view(chat);
    },
    socketsOf: (sessionId) => chats.get(sessionId)?.sockets.size ?? 0,
    drop(sessionId) {
      const sockets = [...(chats.get(sessionId)?.sockets ?? [])];
      for (const socket of sockets) socket.conn.close();
      return sockets.length;
    },
    restart() {
      for (const socket of io.of('/').sockets.values()) socket.conn.close();
      for (const chat of chats.values()) {
        chat.umids.clear();
        for (const message of chat.transcript) message.umid = '';
      }
    },
    async close() {
      for (const timer of timers) clock.clearTimeout(timer as never);
      timers.clear();
      for (const immediate of immediates) clearImmediate(immediate);
      immediates.clear();
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
        for (const connection of connections) connection.destroy();
      });
    },
  };
}

function cookieOf(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE && value.length > 0) return value.join('=');
  }
  return undefined;
}
