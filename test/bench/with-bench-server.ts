/**
 * Runs one memory bench alone against the bench's server, without the rest of `npm run bench`:
 *
 *   npm run bench:memory     (builds, then runs memory-bench.ts this way)
 *   npm run build && npx tsx test/bench/with-bench-server.ts memory-bench.ts [--clients N] [--chats N]
 *   npm run build && npx tsx test/bench/with-bench-server.ts heap-per-client.ts --which ours2 [--clients N] [--top N]
 *
 * Starts test/bench/client-bench.ts --serve in a child process, waits for its address, then runs
 * `node --expose-gc --import tsx test/bench/<script> <url> <socketPath> <baseURL> [args…]` and
 * passes its output through.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const [script, ...args] = process.argv.slice(2);
if (!script) throw new Error('usage: with-bench-server.ts <script in test/bench> [args…]');
const here = (file: string) => fileURLToPath(new URL(`./${file}`, import.meta.url));
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

const server = spawn(process.execPath, ['--import', 'tsx', here('client-bench.ts'), '--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const ready = await new Promise<{ url: string; socketPath: string; baseURL: string }>((resolve) => server.once('message', resolve));
console.error(`load average at the start: ${load()}`);
const bench = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', here(script), ready.url, ready.socketPath, ready.baseURL, ...args], { stdio: 'inherit' });
const code = await new Promise<number | null>((resolve) => bench.on('exit', resolve));
console.error(`load average at the end: ${load()}`);
server.kill();
process.exitCode = code ?? 1;
