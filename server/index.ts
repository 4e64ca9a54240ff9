/**
 * The reference Cention chat server: socket.io (EIO 3 and 4, or like Cention's own EIO 3 only) and the HTTP API of docs/protocol.md
 * on one Node HTTP server, with simulated agents, the agent console, and the controls tests
 * need (agent actions, observation, fault injection, restarts) under an injectable clock.
 *
 * @example
 * ```ts
 * import { startServer } from './server';
 * import { io } from 'socket.io-client';
 *
 * const server = await startServer({ port: 0, areas: [{ id: 1, name: 'Support' }] });
 * const socket = io(server.url, { path: '/s/demo/socket/socket.io' });
 * const registered = server.waitFor('session-registered');
 * socket.emit('register', encodePayload({ area: 1, name: 'Ann', message: 'Hello' }), console.log);
 * const { sessionId } = await registered;
 * server.agent.say(sessionId, 'Hi Ann!');
 * await server.close();
 * ```
 *
 * @module server
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket as NetSocket } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import type { Clock } from '../core/clock';
import { systemClock } from '../core/clock';
import type { Message, UploadResult } from '../core/protocol';
import { AGENT_NAMESPACE, AgentConsole } from './agent-console';
import type { AreaConfig } from './areas';
import { resolveAreas } from './areas';
import type { Logger } from './bad-input';
import { BadInputLog, errorText } from './bad-input';
import { AgentActionError, ChatHub, SYSTEM_NAME } from './chat-hub';
import type { Encoding } from './client-outbox';
import { ClientOutbox } from './client-outbox';
import { serveClientSocket } from './client-socket';
import { BrowserKeys } from './cookies';
import { DEMO_AREAS } from './demo-areas';
import { Emitter } from './emitter';
import type { Errand } from './errands';
import { ErrandStore } from './errands';
import type { ChatServerEventMap, SessionSnapshot } from './events';
import type { OutgoingFaults } from './faults';
import { createHttpHandler, httpPaths } from './http-api';
import type { ServerLimits } from './limits';
import { SocketLimits, UploadLimits, resolveLimits } from './limits';
import type { AllowedOrigins } from './origin';
import { OriginPolicy } from './origin';
import { clientAddress } from './proxy';
import { AreaQueues } from './queue';
import { ConcurrencyLimit, RATE_LIMITED, RateLimiter } from './rate-limit';
import type { ChatSession } from './sessions';
import { SessionStore } from './sessions';
import { SimulatedAgents } from './simulated-agent';
import type { StaticMount } from './static-files';
import { StaticFiles } from './static-files';
import { ConsoleGrants, Signer } from './tokens';
import type { FileToAttach } from './uploads';
import { UploadStore, toUploadResult } from './uploads';

export type { AgentMode, AgentsConfig, AreaConfig, AreaFeatures, OpeningHours, OpeningSpan, Weekday } from './areas';
export type { BadInputReport, Logger } from './bad-input';
export type { Encoding } from './client-outbox';
export type { ChatServerEventMap, SessionSnapshot } from './events';
export type { OutgoingFaults } from './faults';
export type { AllowedOrigins } from './origin';
export type { AssignedAgent, ChatState, EndReason } from './sessions';
export type { StaticMount } from './static-files';
export type { FileToAttach } from './uploads';
export type { ServerLimits } from './limits';
export type { Rate } from './rate-limit';
export { DEFAULT_LIMITS } from './limits';
export { RATE_LIMITED, RateLimiter, ConcurrencyLimit } from './rate-limit';
export type { Errand } from './errands';
export type { ChatRating } from './sessions';
export type { ConsoleArea, ConsoleChat, ConsoleLine } from './agent-console';
export type { TranscriptLine } from './history';
export { AgentActionError, SYSTEM_NAME } from './chat-hub';
export { AGENT_NAMESPACE } from './agent-console';
export { DEMO_AREAS } from './demo-areas';
export { simulatedReplies } from './simulated-agent';

/** How to start a server. Everything is optional. */
export interface ServerOptions {
  /** Default 0: a free port. */
  readonly port?: number;
  /**
   * Serve https with this key and certificate (PEM) instead of plain http: `url` starts with
   * `https://` and the cookie gets `SameSite=None; Secure`.
   */
  readonly https?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /**
   * Behind a proxy that ends TLS: believe its `X-Forwarded-Proto: https` (the cookie gets
   * `SameSite=None; Secure`) and its `X-Forwarded-For` (the address bad input is logged under).
   * Default `false`, since any client can send those headers.
   */
  readonly trustProxy?: boolean;
  /** Default `127.0.0.1`. `localhost` listens on 127.0.0.1 and names itself `localhost`. */
  readonly host?: string;
  /** The workspace in `baseURL` (`/s/<workspace>`). Default `demo`. */
  readonly workspace?: string;
  /** Default {@link DEMO_AREAS}. */
  readonly areas?: readonly AreaConfig[];
  /** Web origins allowed on the socket handshake and HTTP. Default `'*'`: every origin. */
  readonly allowedOrigins?: AllowedOrigins;
  /** Time and timers of agents, expiry, fault delays. Default: the system clock. */
  readonly clock?: Clock;
  /** Where warnings go (bad input, once per kind and socket or client address). Default `console.warn`. */
  readonly logger?: Logger;
  /** How payloads travel to clients. Default `sockwrap`. */
  readonly encoding?: Encoding;
  /** Extra folders to serve, e.g. the example sites. */
  readonly static?: readonly StaticMount[];
  /**
   * The agent console: its page at `path` (default `/console/`) and the `/agent` namespace.
   * A console must present `key` (`#key=…` in the page's address, {@link ChatServer.consoleURL}).
   * Without one the server makes a random key; `key: false` lets any console in (tests may;
   * anyone who reaches the port then reads every chat). `false` turns the console off.
   */
  readonly agentConsole?: false | { readonly path?: string; readonly key?: string | false };
  /**
   * Limits on what one client may ask (messages, registers, previews and uploads per socket and
   * per address, sockets and uploads in flight per address, the upload disk quota), over
   * {@link DEFAULT_LIMITS}; see docs/security.md. `false` turns every limit off (benchmarks).
   */
  readonly limits?: Partial<ServerLimits> | false;
  /**
   * How long an ended chat is kept (its history, files and secret) before the server forgets
   * it. Default one hour; `Infinity` keeps every chat until the server stops.
   */
  readonly endedChatRetentionMs?: number;
  /**
   * Which Engine.IO protocols the socket.io endpoint speaks. `'both'` (default): 3 and 4, so
   * socket.io-client 1.x to 4.x connect. `3`: like a Cention 5.x server, Engine.IO 3 only
   * (socket.io-client 1.x and 2.x) with its heartbeat (ping every 25 s, timeout 60 s); an
   * Engine.IO 4 handshake is refused (HTTP 403).
   */
  readonly engineIO?: EngineIOMode;
}

/** The Engine.IO protocols a server accepts: 3 only (like Cention's own servers) or 3 and 4. */
export type EngineIOMode = 3 | 'both';

/** Cention 5.x's heartbeat (docs/protocol.md §2), used in the Engine.IO 3 only mode. */
const CENTION_HEARTBEAT = { pingInterval: 25_000, pingTimeout: 60_000 } as const;

/** The Engine.IO protocol revision a handshake asks for (`?EIO=3`), as sent. */
function engineRevisionOf(req: IncomingMessage): string | null {
  return new URL(req.url ?? '/', 'http://host').searchParams.get('EIO');
}

/** How long an ended chat is kept by default. */
export const DEFAULT_ENDED_CHAT_RETENTION_MS = 60 * 60_000;

/** What an agent does, for tests. Each throws an {@link AgentActionError} when the chat cannot take it. */
export interface AgentControls {
  /** Takes a queued chat as a person named `name` (default: the area's first agent name). */
  join(sessionId: number, name?: string): void;
  /** Writes a message to the customer. */
  say(sessionId: number, text: string): Message;
  /** Shows the agent typing a message of this length; 0 stops it. */
  type(sessionId: number, messageLen: number): void;
  /** Announces every undelivered client message as delivered (`message acked`); returns their ids. */
  ack(sessionId: number): number[];
  /** Attaches a file as the agent (FILE_UPLOAD); the customer downloads it with the secret. */
  attach(sessionId: number, file: FileToAttach): Promise<UploadResult>;
  /**
   * Transfers the chat to the person `name`: `AGENTS_ADDED [name]`, then `AGENTS_REMOVED` with
   * the agent who had it (a simulated agent too, which then stops answering). The chat stays
   * assigned; it does not queue again.
   */
  transfer(sessionId: number, name: string): void;
  /** The agent leaves (`AGENT_LEFT`); the chat waits at the front of the queue again. */
  leave(sessionId: number): void;
  /** Ends the chat as the agent: `OWNER_ENDS_CHAT`, then `finish chat session`. */
  end(sessionId: number): void;
}

/** Fault injection on outgoing events (see docs/server.md). */
export interface FaultControls {
  /** Turns faults on or off for one session, or for all when `sessionId` is omitted. */
  set(faults: Partial<OutgoingFaults>, sessionId?: number): void;
  /** Turns every fault off, for one session or all. Held events are sent. */
  clear(sessionId?: number): void;
  /** Sends every event held for reordering now. */
  flush(): void;
  /** The faults in force for a session. */
  effective(sessionId?: number): OutgoingFaults;
}

/** How {@link ChatServer.restart} comes back. */
export interface RestartOptions {
  /** Lose the umid memory: transcript messages come back with `umid: ""`, resent umids are stored anew. */
  readonly forgetUmids?: boolean;
  /** Lose everything: every `resume` then gets `{error: "no session"}`. */
  readonly forgetSessions?: boolean;
}

/** A running server: where it is, what tests can do to it, and how to stop it. */
export interface ChatServer {
  /** The origin, e.g. `http://127.0.0.1:53122`. */
  readonly url: string;
  /** The Cention `baseURL`, e.g. `http://127.0.0.1:53122/s/demo`. */
  readonly baseURL: string;
  /** The socket.io `path` option. */
  readonly socketPath: string;
  /** The socket.io `path` of the agent console's `/agent` namespace: `socketPath`, or its own with `engineIO: 3`. */
  readonly agentSocketPath: string;
  /** The Engine.IO protocols the socket.io endpoint accepts. */
  readonly engineIO: EngineIOMode;
  readonly port: number;
  /** Whether the HTTP server is listening. */
  readonly listening: boolean;
  /** The agent console's address (with its key), when it is on. */
  readonly consoleURL: string | undefined;
  /** The key a console must present (`auth: { key }`), when the console is on with one. */
  readonly consoleKey: string | undefined;
  /** The temporary folder uploads are kept in; `close()` removes it. */
  readonly uploadDir: string;
  readonly agent: AgentControls;
  readonly faults: FaultControls;
  /** Switches how payloads travel from now on. */
  setEncoding(encoding: Encoding): void;
  /** Calls `listener` on each `event`; returns its disposer. */
  on<E extends keyof ChatServerEventMap>(event: E, listener: (payload: ChatServerEventMap[E]) => void): () => void;
  /** Resolves with the next `event` that passes `predicate`. */
  waitFor<E extends keyof ChatServerEventMap>(event: E, predicate?: (payload: ChatServerEventMap[E]) => boolean): Promise<ChatServerEventMap[E]>;
  /** A session's snapshot, or `undefined` when the server does not know it. */
  session(sessionId: number): SessionSnapshot | undefined;
  /** Every session, oldest first. */
  sessions(): SessionSnapshot[];
  /** The messages customers left (`createerrand`), oldest first. */
  errands(): readonly Errand[];
  /** The session ids waiting in an area's queue, first in line first. */
  queue(areaId: number): readonly number[];
  /** Cuts the network under a chat's sockets; socket.io-client reconnects by itself. Returns how many. */
  dropClient(sessionId: number): number;
  /** Disconnects a chat's sockets from the server side; socket.io-client does not reconnect. */
  kickClient(sessionId: number): number;
  /** Closes every connection and the listener, then listens again on the same port. */
  restart(options?: RestartOptions): Promise<void>;
  /** Sends `args` as they are (no encoding, no faults) to a chat's sockets. Returns how many. */
  sendRaw(sessionId: number, event: string, ...args: unknown[]): number;
  /** Frees everything: sockets, listener, timers, the agent namespace, the upload folder. */
  close(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const CONSOLE_DIR = join(here, '..', 'examples', 'console');
const SOCKET_IO_CLIENT_DIR = join(dirname(createRequire(import.meta.url).resolve('socket.io/package.json')), 'client-dist');

/** Starts a server; resolves once it listens. See {@link ServerOptions} and {@link ChatServer}. */
export async function startServer(options: ServerOptions = {}): Promise<ChatServer> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? ((line: string) => console.warn(line));
  const workspace = options.workspace ?? 'demo';
  if (!/^[\w-]+$/.test(workspace)) throw new TypeError(`workspace must be letters, digits, "_" or "-", got ${JSON.stringify(workspace)}`);
  const host = options.host ?? '127.0.0.1';
  const listenHost = host === 'localhost' ? '127.0.0.1' : host;
  const basePath = `/s/${workspace}`;
  const socketPath = `${basePath}/socket/socket.io`;
  const areas = resolveAreas(options.areas ?? DEMO_AREAS);
  const origin = new OriginPolicy(options.allowedOrigins ?? '*');
  const consoleOptions = options.agentConsole === false ? undefined : { path: '/console/', ...options.agentConsole };
  const consolePath = consoleOptions?.path.endsWith('/') === false ? `${consoleOptions.path}/` : consoleOptions?.path;
  const consoleKey = consoleOptions === undefined || consoleOptions.key === false ? undefined : (consoleOptions.key ?? randomBytes(18).toString('base64url'));
  if (consoleKey === '') throw new TypeError('agentConsole.key must not be empty: leave it out for a random key, or pass false for none');
  const limits = resolveLimits(options.limits);
  const endedChatRetentionMs = options.endedChatRetentionMs ?? DEFAULT_ENDED_CHAT_RETENTION_MS;
  if (!(endedChatRetentionMs >= 0)) throw new TypeError(`endedChatRetentionMs must be 0 or more milliseconds (Infinity keeps every chat), got ${endedChatRetentionMs}`);

  const events = new Emitter<ChatServerEventMap>((error) => logger(`cention-chat server: an event listener failed: ${errorText(error)}`));
  const badInput = new BadInputLog(logger, (report) => events.emit('bad-input', report));
  const store = new SessionStore();
  const errands = new ErrandStore();
  const queues = new AreaQueues();
  const uploads = await UploadStore.open(httpPaths(basePath).download, limits.uploadDiskBytes);
  const trustProxy = options.trustProxy ?? false;
  const addressOf = (req: IncomingMessage): string => clientAddress(req, trustProxy);
  const signer = new Signer();
  const browserKeys = new BrowserKeys(signer, basePath, trustProxy);
  const grants = new ConsoleGrants(signer, () => clock.now());
  const socketsPerAddress = new ConcurrencyLimit(limits.socketsPerAddress);
  const connectionsPerAddress = new RateLimiter(limits.connectionsPerAddress, () => clock.now());

  const engineIO = options.engineIO ?? 'both';
  if (engineIO !== 3 && engineIO !== 'both') throw new TypeError(`engineIO must be 3 or 'both', got ${JSON.stringify(engineIO)}`);
  const cors = { origin: (sent: string | undefined, callback: (error: Error | null, allowed: string | false) => void) => callback(null, sent !== undefined && origin.listed(sent) ? sent : false), credentials: true };
  const io = new Server({
    path: socketPath,
    allowEIO3: true,
    ...(engineIO === 3 ? CENTION_HEARTBEAT : {}),
    serveClient: false,
    cookie: false,
    cors,
    allowRequest: (req, callback) => {
      if (!origin.allowsRequest(req)) return callback('origin not allowed', false);
      if (engineIO === 3 && engineRevisionOf(req) !== '3') return callback('this server speaks Engine.IO 3 only (socket.io-client 1.x or 2.x)', false);
      const address = addressOf(req);
      if (!socketsPerAddress.hasRoom(address)) return callback('too many connections from this address', false);
      if (!connectionsPerAddress.take(address)) return callback(RATE_LIMITED, false);
      callback(null, true);
    },
  });
  const chatNamespace = io.of('/');
  // The agent console is ours, not Cention's: its page speaks socket.io-client 4, so a server
  // that refuses Engine.IO 4 on the chat's path serves the console on a path of its own.
  const agentSocketPath = engineIO === 3 ? `${basePath}/agent/socket.io` : socketPath;
  const agentIo = consoleOptions && engineIO === 3 ? new Server({ path: agentSocketPath, serveClient: false, cookie: false, cors, allowRequest: (req, callback) => callback(null, origin.allowsRequest(req)) }) : undefined;
  const agentNamespace = consoleOptions ? (agentIo ?? io).of(AGENT_NAMESPACE) : undefined;

  const outbox: ClientOutbox = new ClientOutbox(chatNamespace, clock, options.encoding ?? 'sockwrap', (socketId, sessionId, ids, value) => hub.autoAcked(socketId, sessionId, ids, value));
  const hub = new ChatHub({
    clock,
    areas,
    store,
    queues,
    uploads,
    outbox,
    events,
    peopleOnline: () => agentNamespace?.sockets.size ?? 0,
    reportBadInput: (source, kind, detail) => badInput.report(source, kind, detail),
    endedChatRetentionMs,
  });
  const simulated = new SimulatedAgents(hub, events, clock, areas);
  const agentConsole = agentNamespace
    ? new AgentConsole({ namespace: agentNamespace, hub, events, uploads, areas, now: () => clock.now(), allSessions: () => store.all(), errands: () => errands.all(), key: consoleKey, grants })
    : undefined;

  const largestUpload = Math.max(0, ...[...areas.values()].filter((a) => a.features['chat.attachment']).map((a) => Math.max(a.features['chat.max-attachment-size'], a.features['chat.max-image-size'])));
  const mounts: StaticMount[] = [...(consolePath ? [{ urlPath: consolePath, dir: CONSOLE_DIR }, { urlPath: `${consolePath}vendor/`, dir: SOCKET_IO_CLIENT_DIR }] : []), ...(options.static ?? [])];
  const reportHttp = (req: IncomingMessage, kind: string, detail: string): void => badInput.report(addressOf(req), kind, detail);
  const sessionOfTicket = (ticket: string): ChatSession | undefined => {
    const sessionId = grants.sessionOfTicket(ticket);
    return sessionId === undefined ? undefined : store.get(sessionId);
  };
  const handler = createHttpHandler({
    basePath,
    clock,
    areas,
    hub,
    store,
    origin,
    browserKeys,
    uploadContext: {
      store: uploads,
      clock,
      largestUpload,
      sessionOf: (credential) => ('secret' in credential ? store.withSecret(credential.secret) : sessionOfTicket(credential.ticket)),
      sessionsOfCookie: (req) => {
        const { key, fresh } = browserKeys.keyOf(req);
        return fresh ? [] : store.ofBrowser(key);
      },
      limits: new UploadLimits(limits, () => clock.now()),
      addressOf,
      reportBadInput: reportHttp,
    },
    grants,
    contact: { areas, sessions: store, errands, clock, events },
    contactLimit: new RateLimiter(limits.contactsPerAddress, () => clock.now()),
    addressOf,
    staticFiles: new StaticFiles(mounts),
    consoleConfig: consolePath ? { path: `${consolePath}config.json`, body: { baseURL: basePath, socketPath: agentSocketPath, namespace: AGENT_NAMESPACE, keyRequired: consoleKey !== undefined } } : undefined,
    logger,
    reportBadInput: reportHttp,
  });
  const httpServer = options.https ? createHttpsServer({ key: options.https.key, cert: options.https.cert }, handler) : createServer(handler);
  // Every TCP connection, so a restart can cut them all like a network failure would.
  const connections = new Set<NetSocket>();
  httpServer.on('connection', (socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  io.attach(httpServer);
  agentIo?.attach(httpServer);
  io.engine.on('initial_headers', (headers: Record<string, string>, req) => {
    const { key, fresh } = browserKeys.keyOf(req);
    if (fresh) headers['Set-Cookie'] = browserKeys.setCookie(req, key);
  });
  io.engine.on('connection_error', (error: { req?: IncomingMessage; code?: number; message?: string; context?: { message?: unknown } }) =>
    badInput.report(error.req ? addressOf(error.req) : 'engine', `connection error ${String(error.code)}`, typeof error.context?.message === 'string' ? error.context.message : (error.message ?? '')),
  );
  // The cap on connections per address; allowRequest refuses most, this catches handshakes that raced past it.
  io.engine.on('connection', (connection: { request: IncomingMessage; close(): void; once(event: 'close', listener: () => void): void }) => {
    const address = addressOf(connection.request);
    if (!socketsPerAddress.acquire(address)) {
      badInput.report(address, 'connection error too many', 'too many connections from this address');
      return connection.close();
    }
    connection.once('close', () => socketsPerAddress.release(address));
  });
  const socketLimits = new SocketLimits(limits, () => clock.now());
  chatNamespace.on('connection', (socket) => serveClientSocket(socket, { hub, outbox, badInput, browserKeys, events, logger, limits: socketLimits, addressOf }));

  const listen = (port: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const fail = (error: Error): void => reject(error);
      httpServer.once('error', fail);
      httpServer.listen(port, listenHost, () => {
        httpServer.off('error', fail);
        resolve();
      });
    });
  const stopListening = (): Promise<void> =>
    new Promise((resolve) => {
      httpServer.close(() => resolve());
      for (const socket of connections) socket.destroy();
    });

  try {
    await listen(options.port ?? 0);
  } catch (error) {
    simulated.dispose();
    agentConsole?.dispose();
    await io.close();
    await agentIo?.close();
    await uploads.dispose();
    throw error;
  }
  const address = httpServer.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 0);
  const url = `${options.https ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const chat = (sessionId: number): ChatSession => {
    const session = hub.session(sessionId);
    if (!session) throw new AgentActionError(`no chat ${sessionId}`);
    return session;
  };
  const socketsOf = (sessionId: number): string[] => [...(hub.session(sessionId)?.sockets ?? [])];

  let closing: Promise<void> | undefined;

  return {
    url,
    baseURL: url + basePath,
    socketPath,
    agentSocketPath,
    engineIO,
    port,
    get listening() {
      return httpServer.listening;
    },
    uploadDir: uploads.dir,
    consoleURL: consolePath === undefined ? undefined : `${url}${consolePath}${consoleKey === undefined ? '' : `#key=${encodeURIComponent(consoleKey)}`}`,
    consoleKey,
    agent: {
      join: (sessionId, name) => {
        const session = chat(sessionId);
        hub.assign(session, { name: name ?? session.area.agents.names[0] ?? 'Agent', kind: 'person' });
      },
      say: (sessionId, text) => hub.say(chat(sessionId), text),
      type: (sessionId, messageLen) => hub.type(chat(sessionId), messageLen),
      ack: (sessionId) => hub.ack(chat(sessionId)),
      attach: async (sessionId, file) => {
        const session = chat(sessionId);
        if (!session.live) throw new AgentActionError(`chat ${sessionId} has ended`);
        const stored = await uploads.store(sessionId, file);
        hub.attach(session, stored);
        return toUploadResult(stored);
      },
      transfer: (sessionId, name) => {
        if (typeof name !== 'string' || name.trim() === '') throw new AgentActionError('transfer needs the name of the agent who takes the chat');
        hub.transfer(chat(sessionId), { name: name.trim(), kind: 'person' });
      },
      leave: (sessionId) => hub.leave(chat(sessionId)),
      end: (sessionId) => {
        const session = chat(sessionId);
        hub.end(session, 'agent', session.agent?.name ?? SYSTEM_NAME);
      },
    },
    faults: {
      set: (faults, sessionId) => outbox.faults.set(faults, sessionId),
      clear: (sessionId) => outbox.faults.clear(sessionId),
      flush: () => outbox.faults.flush(),
      effective: (sessionId) => outbox.faults.effective(sessionId),
    },
    setEncoding: (encoding) => {
      outbox.encoding = encoding;
    },
    on: (event, listener) => events.on(event, listener),
    waitFor: (event, predicate) => events.waitFor(event, predicate),
    session: (sessionId) => {
      const session = hub.session(sessionId);
      return session && hub.snapshot(session);
    },
    sessions: () => [...store.all()].map((session) => hub.snapshot(session)),
    errands: () => errands.all(),
    queue: (areaId) => hub.queueOf(areaId),
    dropClient: (sessionId) => {
      const sockets = socketsOf(sessionId).flatMap((id) => chatNamespace.sockets.get(id) ?? []);
      for (const socket of sockets) socket.conn.close();
      return sockets.length;
    },
    kickClient: (sessionId) => {
      const sockets = socketsOf(sessionId).flatMap((id) => chatNamespace.sockets.get(id) ?? []);
      for (const socket of sockets) socket.disconnect(true);
      return sockets.length;
    },
    restart: async ({ forgetUmids = false, forgetSessions = false } = {}) => {
      await stopListening();
      hub.reset({ forgetSessions });
      if (forgetSessions) {
        simulated.reset();
        await uploads.forgetAll();
      } else if (forgetUmids) {
        store.forgetUmids();
      }
      await listen(port);
    },
    sendRaw: (sessionId, event, ...args) => socketsOf(sessionId).filter((id) => outbox.raw(id, event, args)).length,
    close: () => {
      closing ??= (async () => {
        simulated.dispose();
        agentConsole?.dispose();
        hub.dispose();
        outbox.faults.dispose();
        const closed = Promise.all([io.close(), agentIo?.close()]);
        for (const socket of connections) socket.destroy();
        await closed;
        await uploads.dispose();
        events.clear('the server was closed');
      })();
      return closing;
    },
  };
}
