/**
 * What the memory benches share (memory-bench.ts, heap-per-client.ts): their command line, an
 * idle connected client of each kind (raw socket.io-client or ours, on socket.io-client 2 or 4,
 * registered and acking what the server sends), and the objects of a heap snapshot.
 *
 * @module
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
import { rawRegistration } from './raw-registration';

/** A bench process's command line: `<url> <socketPath> <baseURL> [--name value]…`, run with `--expose-gc`. */
export function benchCommandLine(script: string) {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run it with --expose-gc');
  const [url, socketPath, baseURL] = process.argv.slice(2);
  if (!url || !socketPath || !baseURL) throw new Error(`usage: ${script} <url> <socketPath> <baseURL>`);
  const arg = (name: string, fallback: string): string => {
    const at = process.argv.indexOf(`--${name}`);
    return at < 0 ? fallback : process.argv[at + 1]!;
  };
  return { gc, url, socketPath, baseURL, arg };
}

/** Only a websocket, for ours and raw alike: no polling requests in the measure. */
export const WEBSOCKET = { transports: ['websocket'] };
/** socket.io-client 4 and 2 from npm, as the raw clients use them. */
export const rawV4 = ioV4 as unknown as IoFactory;
export const rawV2: IoFactory = (uri, options) => ioV2(uri, options);
/** Our socket.io-client 4 (`cention-chat/socket.io-v4`, built). */
export const ourV4 = builtSocketIoV4.io;

type Where = { readonly url: string; readonly socketPath: string; readonly baseURL: string };

/** A raw socket.io-client on `make`: connected, registered, and acking every chat message as docs/protocol.md §2 asks. */
export async function rawClient(make: IoFactory, { url, socketPath, baseURL }: Where): Promise<SocketLike> {
  const socket = make(url.replace(/\/$/, ''), { path: socketPath, forceNew: true, withCredentials: true, reconnection: true, ...WEBSOCKET });
  await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
  socket.on('chat message', (...args: unknown[]) => (args.at(-1) as (v: string) => void)('onJson'));
  await new Promise<void>((resolve) => socket.emit('register', encodePayload(rawRegistration(baseURL)), () => resolve()));
  return socket;
}

/** Ours on `make`, or on its default transport (socket.io-client 2), with a chat started. */
export async function ourClient(make: IoFactory | undefined, { baseURL }: Where): Promise<CentionChat> {
  const chat = built.createCentionChat({ baseURL, area: 1, storage: null, socketOptions: WEBSOCKET, ...(make ? { io: make } : {}) });
  await chat.start({ name: 'Ours', message: 'Hello' });
  return chat;
}

/**
 * Writes a heap snapshot of this process and calls `visit` with each node's kind, name (a
 * constructor, a closure's name…) and own size. The file is removed, unless `keep`: then it is
 * left for a closer look, nothing is visited, and its path is returned.
 */
export function visitHeap(prefix: string, visit: (type: string, name: string, size: number) => void, keep = false): string | undefined {
  const file = join(tmpdir(), `${prefix}-${process.pid}-${Date.now()}.heapsnapshot`);
  writeHeapSnapshot(file);
  if (keep) return file;
  const heap = JSON.parse(readFileSync(file, 'utf8')) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] };
  rmSync(file);
  const fields = heap.snapshot.meta.node_fields;
  const [typeAt, nameAt, sizeAt] = [fields.indexOf('type'), fields.indexOf('name'), fields.indexOf('self_size')];
  const types = heap.snapshot.meta.node_types[0];
  for (let i = 0; i < heap.nodes.length; i += fields.length) visit(types[heap.nodes[i + typeAt]!]!, heap.strings[heap.nodes[i + nameAt]!]!, heap.nodes[i + sizeAt]!);
  return undefined;
}
