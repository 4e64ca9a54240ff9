/**
 * Where an idle connected client's heap goes: heap snapshots before and after N clients (ours or
 * a raw socket.io-client), the objects grown per client, by kind and constructor.
 *
 *   npm run build && node --expose-gc --import tsx test/bench/heap-per-client.ts <url> <socketPath> <baseURL> [--clients N] [--which ours4|raw4|ours2|raw2] [--top N]
 *
 * Run against the bench's server (test/bench/client-bench.ts --serve). A tool for looking closer,
 * not part of `npm run bench`.
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { io as ioV4 } from 'socket.io-client';
import ioV2 from 'socket.io-client-v2';
import { built, builtSocketIoV4 } from './built';
import type { IoFactory } from '../../core/transport/link';
import { encodePayload } from '../../core/protocol';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run it with --expose-gc');
const [url, socketPath, baseURL] = process.argv.slice(2);
if (!url || !socketPath || !baseURL) throw new Error('usage: heap-per-client.ts <url> <socketPath> <baseURL>');
const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : process.argv[at + 1]!;
};
const CLIENTS = Number(arg('clients', '100'));
const WHICH = arg('which', 'ours4');
const TOP = Number(arg('top', '40'));
const WEBSOCKET = { transports: ['websocket'] };
const v4 = ioV4 as unknown as IoFactory;
const v2: IoFactory = (uri, options) => ioV2(uri, options);

async function make(): Promise<unknown> {
  if (WHICH.startsWith('raw')) {
    const socket = (WHICH === 'raw4' ? v4 : v2)(url!.replace(/\/$/, ''), { path: socketPath!, forceNew: true, withCredentials: true, reconnection: true, ...WEBSOCKET });
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    socket.on('chat message', (...args: unknown[]) => (args.at(-1) as (v: string) => void)('onJson'));
    await new Promise<void>((resolve) => socket.emit('register', encodePayload({ area: 1, name: 'Raw', email: '', phone: '', message: 'Hello', externalData: '', baseURL, offlineChat: false, trackClientUrl: false }), () => resolve()));
    return socket;
  }
  const chat = built.createCentionChat({ baseURL: baseURL!, area: 1, storage: null, socketOptions: WEBSOCKET, ...(WHICH === 'ours4' ? { io: builtSocketIoV4.io } : {}) });
  await chat.start({ name: 'Ours', message: 'Hello' });
  return chat;
}

let taken = 0;
type Counts = Map<string, { count: number; bytes: number }>;
async function snapshot(): Promise<Counts> {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc!();
  }
  const file = join(tmpdir(), `heap-per-client-${process.pid}-${++taken}.heapsnapshot`);
  writeHeapSnapshot(file);
  // Kept for a closer look (e.g. which objects are new, and what holds them): not counted here,
  // as the counts of the first snapshot would be in the second.
  if (process.argv.includes('--keep')) {
    console.log(`snapshot ${file}`);
    return new Map();
  }
  const heap = JSON.parse(readFileSync(file, 'utf8')) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] };
  rmSync(file);
  const fields = heap.snapshot.meta.node_fields;
  const [typeAt, nameAt, sizeAt] = [fields.indexOf('type'), fields.indexOf('name'), fields.indexOf('self_size')];
  const types = heap.snapshot.meta.node_types[0];
  const counts: Counts = new Map();
  for (let i = 0; i < heap.nodes.length; i += fields.length) {
    const type = types[heap.nodes[i + typeAt]!]!;
    let name = heap.strings[heap.nodes[i + nameAt]!]!;
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string') name = '';
    if (type === 'number') name = '';
    const key = `${type} ${name.slice(0, 80)}`;
    const entry = counts.get(key) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += heap.nodes[i + sizeAt]!;
    counts.set(key, entry);
  }
  return counts;
}

const kept = [await make()];
const before = await snapshot();
for (let i = 0; i < CLIENTS; i++) kept.push(await make());
await new Promise((resolve) => setTimeout(resolve, 300));
const after = await snapshot();
const rows: { key: string; count: number; bytes: number }[] = [];
for (const [key, { count, bytes }] of after) {
  const was = before.get(key) ?? { count: 0, bytes: 0 };
  rows.push({ key, count: (count - was.count) / CLIENTS, bytes: (bytes - was.bytes) / CLIENTS });
}
rows.sort((a, b) => b.bytes - a.bytes);
const total = rows.reduce((sum, row) => sum + row.bytes, 0);
console.log(`${WHICH}: ${(total / 1024).toFixed(2)} KiB per client in the snapshot (${CLIENTS} clients)`);
for (const row of rows.slice(0, TOP)) console.log(`${row.bytes.toFixed(0).padStart(7)} B ${row.count.toFixed(2).padStart(7)}  ${row.key}`);
process.exit(0);
