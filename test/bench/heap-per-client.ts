/**
 * Where an idle connected client's heap goes: heap snapshots before and after N clients (ours or
 * a raw socket.io-client), the objects grown per client, by kind and constructor.
 *
 *   npm run build && node --expose-gc --import tsx test/bench/heap-per-client.ts <url> <socketPath> <baseURL> [--clients N] [--which ours4|raw4|ours2|raw2] [--top N]
 *
 * Run against the bench's server (test/bench/client-bench.ts --serve). A tool for looking closer,
 * not part of `npm run bench`.
 */
import { benchCommandLine, ourClient, ourV4, rawClient, rawV2, rawV4, visitHeap } from './idle-clients';

const where = benchCommandLine('heap-per-client.ts');
const { gc, arg } = where;
const CLIENTS = Number(arg('clients', '100'));
const WHICH = arg('which', 'ours4');
const TOP = Number(arg('top', '40'));

function make(): Promise<unknown> {
  if (WHICH === 'raw4' || WHICH === 'raw2') return rawClient(WHICH === 'raw4' ? rawV4 : rawV2, where);
  return ourClient(WHICH === 'ours4' ? ourV4 : undefined, where);
}

type Counts = Map<string, { count: number; bytes: number }>;
async function snapshot(): Promise<Counts> {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  const counts: Counts = new Map();
  // Kept for a closer look (e.g. which objects are new, and what holds them): not counted here,
  // as the counts of the first snapshot would be in the second.
  const kept = visitHeap(
    'heap-per-client',
    (type, name, size) => {
      const key = `${type} ${type === 'number' || type.endsWith('string') ? '' : name.slice(0, 80)}`;
      const entry = counts.get(key) ?? { count: 0, bytes: 0 };
      entry.count++;
      entry.bytes += size;
      counts.set(key, entry);
    },
    process.argv.includes('--keep'),
  );
  if (kept) console.log(`snapshot ${kept}`);
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
