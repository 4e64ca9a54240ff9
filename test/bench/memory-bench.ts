/**
 * What the client holds in memory: the heap of an idle connected client next to a raw
 * socket.io-client's, and the heap of a client after one chat and after a thousand.
 *
 *   npm run build && node --expose-gc --import tsx test/bench/memory-bench.ts <url> <socketPath> <baseURL> [--clients N] [--chats N]
 *
 * Run by test/bench/client-bench.ts against its server process; prints one JSON line.
 *
 * - Idle clients: N clients, each with a chat started (registered, its greeting in), then a
 *   full GC; the heap grown, per client. Raw: N socket.io-client sockets, each registered and
 *   acking what the server sends. Both on socket.io-client 4 and on socket.io-client 2 (the
 *   typed client's default), raw against ours on the same version.
 * - Many chats: one client starts a chat and closes it, 1,000 times; at 1, 100 and 1,000 chats,
 *   the heap after GCs and the JavaScript objects in it (from a heap snapshot).
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { io as ioV4 } from 'socket.io-client';
import ioV2 from 'socket.io-client-v2';
// Ours as a site runs it: the built package (`npm run build` first), not the sources through tsx,
// whose transform gives many closures a property of their own.
import { built, builtSocketIoV4 } from './built';
import type { CentionChat } from '../../core';
import type { IoFactory, SocketLike } from '../../core/transport/link';
import { encodePayload } from '../../core/protocol';

const { createCentionChat } = built;
const { io: ourIoV4 } = builtSocketIoV4;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run it with --expose-gc');

const [url, socketPath, baseURL] = process.argv.slice(2);
if (!url || !socketPath || !baseURL) throw new Error('usage: memory-bench.ts <url> <socketPath> <baseURL>');
const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
};
const CLIENTS = arg('clients', 200);
const CHATS = arg('chats', 1000);
const WEBSOCKET = { transports: ['websocket'] };

/** The heap after full GCs, once it no longer shrinks. */
async function settledHeap(): Promise<number> {
  let last = Infinity;
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc!();
    const used = process.memoryUsage().heapUsed;
    if (used >= last - 1024) return used;
    last = used;
  }
  return last;
}

async function rawClient(make: IoFactory): Promise<SocketLike> {
  const socket = make(url!.replace(/\/$/, ''), { path: socketPath!, forceNew: true, withCredentials: true, reconnection: true, ...WEBSOCKET });
  await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
  socket.on('chat message', (...args: unknown[]) => (args.at(-1) as (v: string) => void)('onJson'));
  await new Promise<void>((resolve) => socket.emit('register', encodePayload({ area: 1, name: 'Raw', email: '', phone: '', message: 'Hello', externalData: '', baseURL, offlineChat: false, trackClientUrl: false }), () => resolve()));
  return socket;
}

/** Ours on `make`, or on its default transport (socket.io-client 2). */
async function ourClient(make: IoFactory | undefined): Promise<CentionChat> {
  const chat = createCentionChat({ baseURL: baseURL!, area: 1, storage: null, socketOptions: WEBSOCKET, ...(make ? { io: make } : {}) });
  await chat.start({ name: 'Ours', message: 'Hello' });
  return chat;
}

/** Heap per client of `count` made by `make`, after the first few have warmed every path. */
async function perClient<T>(make: () => Promise<T>, stop: (client: T) => void): Promise<number> {
  const warm = await make();
  const before = await settledHeap();
  const clients: T[] = [];
  for (let i = 0; i < CLIENTS; i++) clients.push(await make());
  // Let the server's greetings and the acks settle.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const after = await settledHeap();
  for (const client of clients) stop(client);
  stop(warm);
  return (after - before) / CLIENTS;
}

const v4 = ioV4 as unknown as IoFactory;
const v2: IoFactory = (uri, options) => ioV2(uri, options);
const rawV4 = await perClient(() => rawClient(v4), (s) => void s.disconnect());
const oursV4 = await perClient(() => ourClient(ourIoV4), (c) => c.stop());
const rawV2 = await perClient(() => rawClient(v2), (s) => void s.disconnect());
const oursV2 = await perClient(() => ourClient(undefined), (c) => c.stop());

// One client, many chats: start, close, again. At 1, 100 and CHATS chats: the heap after GCs, and
// the JavaScript objects in it (objects, closures, arrays, strings, counted in a heap snapshot:
// not V8's compiled code, object shapes and their dependency lists, which grow as the JIT
// optimises the paths of a chat and are the process's, not the client's). A client that kept a
// listener, timer, subscription or transcript of each chat would add objects from 100 to CHATS.
const JS_TYPES = new Set(['object', 'closure', 'array', 'string', 'concatenated string', 'sliced string', 'regexp', 'number', 'bigint']);
function jsObjects(): { count: number; bytes: number } {
  const file = join(tmpdir(), `memory-bench-${process.pid}.heapsnapshot`);
  writeHeapSnapshot(file);
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] };
  rmSync(file);
  const fields = snapshot.snapshot.meta.node_fields;
  const [typeAt, nameAt, sizeAt] = [fields.indexOf('type'), fields.indexOf('name'), fields.indexOf('self_size')];
  const types = snapshot.snapshot.meta.node_types[0];
  let count = 0;
  let bytes = 0;
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    if (!JS_TYPES.has(types[snapshot.nodes[i + typeAt]!]!) || snapshot.strings[snapshot.nodes[i + nameAt]!]!.startsWith('system /')) continue;
    count++;
    bytes += snapshot.nodes[i + sizeAt]!;
  }
  return { count, bytes };
}
const chat = createCentionChat({ baseURL, area: 1, storage: null, socketOptions: WEBSOCKET, io: ourIoV4 });
const checkpoints: { chats: number; heap: number; objects: number; objectBytes: number }[] = [];
for (let done = 0; done < CHATS; ) {
  await chat.start({ name: 'Ada', message: 'Hello' });
  await chat.close();
  done++;
  if (done === 1 || done === 100 || done === CHATS) {
    const heap = await settledHeap();
    const { count, bytes } = jsObjects();
    checkpoints.push({ chats: done, heap, objects: count, objectBytes: bytes });
  }
}
chat.stop();

console.log(JSON.stringify({ clients: CLIENTS, rawV4, oursV4, rawV2, oursV2, checkpoints }));
process.exit(0);
