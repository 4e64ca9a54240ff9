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
import { benchCommandLine, ourClient, ourV4, rawClient, rawV2, rawV4, visitHeap, WEBSOCKET } from './idle-clients';
import { built } from './built';

const where = benchCommandLine('memory-bench.ts');
const { gc, baseURL } = where;
const arg = (name: string, fallback: number): number => Number(where.arg(name, String(fallback)));
const CLIENTS = arg('clients', 200);
const CHATS = arg('chats', 1000);

/** The heap after full GCs, once it no longer shrinks. */
async function settledHeap(): Promise<number> {
  let last = Infinity;
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    const used = process.memoryUsage().heapUsed;
    if (used >= last - 1024) return used;
    last = used;
  }
  return last;
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

const rawOnV4 = await perClient(() => rawClient(rawV4, where), (s) => void s.disconnect());
const oursOnV4 = await perClient(() => ourClient(ourV4, where), (c) => c.stop());
const rawOnV2 = await perClient(() => rawClient(rawV2, where), (s) => void s.disconnect());
const oursOnV2 = await perClient(() => ourClient(undefined, where), (c) => c.stop());

// One client, many chats: start, close, again. At 1, 100 and CHATS chats: the heap after GCs, and
// the JavaScript objects in it (objects, closures, arrays, strings, counted in a heap snapshot:
// not V8's compiled code, object shapes and their dependency lists, which grow as the JIT
// optimises the paths of a chat and are the process's, not the client's). A client that kept a
// listener, timer, subscription or transcript of each chat would add objects from 100 to CHATS.
const JS_TYPES = new Set(['object', 'closure', 'array', 'string', 'concatenated string', 'sliced string', 'regexp', 'number', 'bigint']);
function jsObjects(): { count: number; bytes: number } {
  let count = 0;
  let bytes = 0;
  visitHeap('memory-bench', (type, name, size) => {
    if (!JS_TYPES.has(type) || name.startsWith('system /')) return;
    count++;
    bytes += size;
  });
  return { count, bytes };
}
const chat = built.createCentionChat({ baseURL, area: 1, storage: null, socketOptions: WEBSOCKET, io: ourV4 });
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

console.log(JSON.stringify({ clients: CLIENTS, rawV4: rawOnV4, oursV4: oursOnV4, rawV2: rawOnV2, oursV2: oursOnV2, checkpoints }));
process.exit(0);
