import { filter, firstValueFrom, take, toArray } from 'rxjs';
import type { Observable } from 'rxjs';
import { io } from 'socket.io-client';
import { afterEach, beforeEach, expect, onTestFinished } from 'vitest';
import { _CentionChat, ChatError, createCentionChat } from '../../core';
import type { CentionChat, CentionChatAPI, CentionChatOptions, ChatAction, ChatView, DescribedMessage, FacadeOptions, IoFactory, StorageLike } from '../../core';
import { SERVER_EVENTS } from '../../core/protocol';
import type { ChatServer } from '../../server';
import { startTestServer } from '../support/chat-server';
import type { ManualClock } from '../support/manual-clock';

/** Web Storage in memory, shared between "pages" of one test. */
export function memoryStorage(): StorageLike & { readonly items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/** What a chat's machine is, as JSON: its states, its context (transcript and all), its children's ids. To compare the tabs of one chat. */
export function machineStateOf(chat: CentionChat): unknown {
  const snapshot = chat.actor!.getSnapshot();
  return JSON.parse(JSON.stringify({ value: snapshot.value, context: snapshot.context, children: Object.keys(snapshot.children) }));
}

/** Resolves with the first view that passes `predicate` (the current one included). */
export function view(chat: CentionChat, predicate: (view: ChatView) => boolean): Promise<ChatView> {
  return firstValueFrom(chat.state$.pipe(filter(predicate)));
}

/** Waits for a promise, but not for ever: what never comes fails, saying what it waited for. */
export async function within<T>(what: string, promise: Promise<T>, ms = 15_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves with the first `n` values of a stream. */
export function first<T>(stream: Observable<T>, n = 1): Promise<T[]> {
  return firstValueFrom(stream.pipe(take(n), toArray()));
}

/**
 * A reference server per test and clients that are stopped after it. Fast reconnects, so a
 * dropped link comes back in tens of milliseconds.
 */
export function useChatServer(serverOptions: Parameters<typeof startTestServer>[0] = {}) {
  const context = {} as { server: ChatServer; clock: ManualClock; client(options?: Partial<CentionChatOptions>): CentionChat };
  const clients: CentionChat[] = [];
  beforeEach(async () => {
    const { server, clock } = await startTestServer(serverOptions);
    context.server = server;
    context.clock = clock;
    context.client = (options = {}) => {
      const chat = createCentionChat({
        baseURL: server.baseURL,
        area: 1,
        storage: null,
        socketOptions: { reconnectionDelay: 20, reconnectionDelayMax: 100, randomizationFactor: 0 },
        ...options,
      });
      clients.push(chat);
      return chat;
    };
  });
  afterEach(async () => {
    for (const chat of clients.splice(0)) chat.stop();
    await context.server.close();
  });
  return context;
}

/** The part of a socket.io-client socket (2 or 4) and its manager that tests look at. */
export interface ProbedSocket {
  readonly connected: boolean;
  listeners(event: string): unknown[];
  /** socket.io-client 3 and later: the `onAny` listeners. */
  listenersAny?(): unknown[];
  readonly io: { listeners(event: string): unknown[]; readonly engine?: { readonly readyState?: string } };
}

/** An `io` factory (socket.io-client 4 unless told another) that remembers every socket it made. */
export function recordingIo(base: unknown = io): { readonly factory: IoFactory; readonly sockets: ProbedSocket[] } {
  const sockets: ProbedSocket[] = [];
  const factory: IoFactory = (uri, options) => {
    const socket = (base as IoFactory)(uri, options);
    sockets.push(socket as unknown as ProbedSocket);
    return socket;
  };
  return { factory, sockets };
}

const SOCKET_EVENTS = ['connect', 'disconnect', 'connect_error', ...SERVER_EVENTS];
const MANAGER_EVENTS = ['open', 'packet', 'error', 'close', 'ping', 'reconnect', 'reconnect_attempt', 'reconnect_error', 'reconnect_failed'];

/** How many listeners are still on a socket (the link's events, and any of every event) and on its manager (the connection's). */
export function listenersLeft(socket: ProbedSocket): number {
  const count = (on: { listeners(event: string): unknown[] }, events: readonly string[]) => events.reduce((sum, event) => sum + on.listeners(event).length, 0);
  return count(socket, SOCKET_EVENTS) + (socket.listenersAny?.().length ?? 0) + count(socket.io, MANAGER_EVENTS);
}

/** How many TCP sockets and timers the process holds. */
export function heldResources(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'Timeout').length;
}

/** The keys of a Message (docs/protocol.md §6); a system message has its structured `event` beside them. */
const MESSAGE_KEYS = ['id', 'sender', 'sent', 'sentHuman', 'text', 'umid'];

/**
 * Exactly the arguments each handler gets: the seed's table for its eleven events, docs/facade.md
 * for the three extensions. Every event `recordEvents` records is held to this after its test.
 */
export const DOCUMENTED_ARGUMENTS: { readonly [A in ChatAction]: (args: unknown[]) => void } = {
  'agent preview': (args) => expect(args).toStrictEqual([{ messageLen: expect.any(Number) }]),
  'agent unavailable': (args) => expect(args).toStrictEqual([]),
  'chat closed': (args) => expect(args).toStrictEqual([]),
  'chat message': (args) => {
    expect(args).toStrictEqual([{ agent: expect.any(String), chat: expect.any(Array), client: expect.any(String) }]);
    for (const message of (args[0] as { chat: DescribedMessage[] }).chat) {
      expect(Object.keys(message).sort()).toEqual(message.event ? [...MESSAGE_KEYS, 'event'].sort() : MESSAGE_KEYS);
    }
  },
  connect: (args) => expect(args).toStrictEqual([]),
  connect_error: (args) => {
    expect(args).toHaveLength(1);
    expect(args[0]).toBeInstanceOf(Error);
  },
  'finish chat session': (args) => expect(args).toStrictEqual([]),
  'message acked': (args) => {
    expect(args).toStrictEqual([{ ids: expect.any(Array) }]);
    for (const id of (args[0] as { ids: unknown[] }).ids) expect(id).toEqual(expect.any(Number));
  },
  'message sent': (args) => expect(args).toStrictEqual([{ id: expect.any(String), umid: expect.any(String), sent: expect.any(Number), sentHuman: expect.stringMatching(/^\d\d:\d\d$/) }]),
  queue: (args) => {
    expect(args).toStrictEqual([expect.any(Number)]);
    expect(Number.isInteger(args[0]) && (args[0] as number) >= 1).toBe(true);
  },
  'queue full': (args) => expect(args).toStrictEqual([]),
  disconnect: (args) => expect(args).toStrictEqual([expect.any(String)]),
  'message failed': (args) => expect(args).toStrictEqual([{ id: expect.any(String), error: expect.any(ChatError) }]),
  'upload progress': (args) => expect(args).toStrictEqual([{ id: expect.stringMatching(/^f-/), name: expect.any(String), loaded: expect.any(Number), total: expect.any(Number) }]),
  unread: (args) => {
    expect(args).toStrictEqual([expect.any(Number)]);
    expect(Number.isInteger(args[0]) && (args[0] as number) >= 0).toBe(true);
  },
};

const EVENTS = Object.keys(DOCUMENTED_ARGUMENTS) as ChatAction[];

/** `_CentionChat(options)`, whose engine is stopped after the test (the 5.1.0 API has no stop of its own). */
export function facade(options: FacadeOptions = {}): CentionChatAPI {
  const chat = _CentionChat(options);
  onTestFinished(() => chat.client?.stop());
  return chat;
}

/**
 * Records every event of the facade (but those in `except`), in order. When the test ends, every
 * recorded event is checked against {@link DOCUMENTED_ARGUMENTS}.
 */
export function recordEvents(chat: CentionChatAPI, except: readonly ChatAction[] = []) {
  const seen: { event: ChatAction; args: unknown[] }[] = [];
  onTestFinished(() => {
    for (const { event, args } of seen) DOCUMENTED_ARGUMENTS[event](args);
  });
  const listen = (event: ChatAction) => chat.registerAction(event, (...args: unknown[]) => seen.push({ event, args }));
  for (const event of EVENTS) if (!except.includes(event)) listen(event);
  return {
    seen,
    /** Takes an event over (a registration replaces the handler before it). */
    listen,
    async next(event: ChatAction, predicate: (args: unknown[]) => boolean = () => true, from = 0) {
      await expect.poll(() => seen.slice(from).find((s) => s.event === event && predicate(s.args)), { timeout: 10_000 }).toBeDefined();
      return seen.slice(from).find((s) => s.event === event && predicate(s.args))!.args;
    },
  };
}
