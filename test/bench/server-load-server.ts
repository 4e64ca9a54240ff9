/**
 * The server process of `npm run bench:server`: one reference server, alone in its process so
 * that its memory and CPU are its own. It answers the bench's `sample` with its memory (the heap
 * after a full GC, and the RSS), the CPU it used and how late its event loop ran since the last
 * sample.
 *
 * Run by test/bench/server-load.ts, not by hand.
 */
import { constants, performance, PerformanceObserver } from 'node:perf_hooks';
import { startServer } from '../../server';
import type { ServerLimits } from '../../server';
import { watchLoopDelay } from './loop-delay';

/** The simulated agents' delays, which the bench gives as the process's one argument. */
export interface AgentDelays {
  readonly joinDelayMs: number;
  readonly replyDelayMs: number;
  readonly typingMs: number;
}

/** What the bench gives the server process: the agents' delays and the limits sized for the load. */
export interface ServerSetup {
  readonly delays: AgentDelays;
  readonly limits: Partial<ServerLimits>;
}

/** What the server process tells the bench. */
export type ServerReport =
  | { readonly type: 'ready'; readonly url: string; readonly socketPath: string }
  | ({ readonly type: 'sample' } & ServerSample);

/** The server as one sample sees it. */
export interface ServerSample {
  /** Chats not ended, and the client sockets bound to chats (`NaN` in a sample without a full GC). */
  readonly live: number;
  readonly sockets: number;
  /** Bytes; after a full GC when the sample asked for one. */
  readonly heapUsed: number;
  readonly rss: number;
  /** How long the full GC this sample asked for took (ms; 0 without one): the server stood still for it. */
  readonly gcMs: number;
  /** CPU time (user + system) since the previous sample, in ms, and the wall time it covers. */
  readonly cpuMs: number;
  readonly wallMs: number;
  /** The event loop's delay since the previous sample (ms), before this sample's GC. */
  readonly loopP50: number;
  readonly loopP99: number;
  readonly loopMax: number;
  /** The server's own garbage collections since the previous sample (not the bench's forced ones): how many, the longest pause and their sum (ms), and the longest full (mark-compact) one. */
  readonly gcCount: number;
  readonly gcPauseMax: number;
  readonly gcPauseSum: number;
  readonly gcMajorMax: number;
  /** The heap (bytes) just after the server's last own full GC in this window, `NaN` without one: memory read without stopping the server. */
  readonly heapAfterFullGc: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('the server process needs --expose-gc');

const { delays, limits } = JSON.parse(process.argv[2] ?? '{}') as ServerSetup;
const server = await startServer({
  areas: [{ id: 1, name: 'Load', agents: { mode: 'simulated', names: ['Alice', 'Bob', 'Carol', 'Dan'], ...delays }, queueLimit: Infinity, idleTimeoutMs: 60 * 60_000 }],
  agentConsole: false,
  // Every limit stays on; the per-address ones are sized by the bench for its chats, which all come from 127.0.0.1.
  limits,
  logger: (line) => console.error(line),
});

const report = (message: ServerReport): void => {
  process.send?.(message);
};

const loop = watchLoopDelay();
// V8's own pauses since the last sample, to tell a stall of the server's GC from one of the machine.
type Pauses = { -readonly [K in 'gcCount' | 'gcPauseMax' | 'gcPauseSum' | 'gcMajorMax' | 'heapAfterFullGc']: ServerSample[K] };
const noPauses = (): Pauses => ({ gcCount: 0, gcPauseMax: 0, gcPauseSum: 0, gcMajorMax: 0, heapAfterFullGc: Number.NaN });
let pauses = noPauses();
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const detail = (entry as { detail?: { kind?: number; flags?: number } }).detail;
    if (((detail?.flags ?? 0) & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) !== 0) continue;
    pauses.gcCount++;
    pauses.gcPauseSum += entry.duration;
    pauses.gcPauseMax = Math.max(pauses.gcPauseMax, entry.duration);
    if (detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
      pauses.gcMajorMax = Math.max(pauses.gcMajorMax, entry.duration);
      pauses.heapAfterFullGc = process.memoryUsage().heapUsed;
    }
  }
}).observe({ entryTypes: ['gc'] });
let cpu = process.cpuUsage();
let wall = performance.now();

const count = (): { live: number; sockets: number } => {
  const sessions = server.sessions();
  return { live: sessions.filter((s) => s.state !== 'ended').length, sockets: sessions.reduce((n, s) => n + s.connectedSockets, 0) };
};

const sample = (withGc: boolean): ServerSample => {
  const delay = loop.read();
  const used = process.cpuUsage(cpu);
  const now = performance.now();
  // Counted only with a full GC (before it, so that the snapshots counted are collected with the
  // rest): a snapshot of every chat copies every transcript, which stopped the server for up to
  // a third of a second once it held 300,000 messages.
  const { live, sockets } = withGc ? count() : { live: Number.NaN, sockets: Number.NaN };
  const gcFrom = performance.now();
  if (withGc) gc();
  const gcMs = withGc ? performance.now() - gcFrom : 0;
  const memory = process.memoryUsage();
  const result: ServerSample = {
    live,
    sockets,
    heapUsed: memory.heapUsed,
    rss: memory.rss,
    gcMs,
    cpuMs: (used.user + used.system) / 1000,
    wallMs: now - wall,
    loopP50: delay.p50,
    loopP99: delay.p99,
    loopMax: delay.max,
    ...pauses,
  };
  pauses = noPauses();
  // The next window starts after this sample's own work.
  loop.reset();
  cpu = process.cpuUsage();
  wall = performance.now();
  return result;
};

process.on('message', (message: { type?: string; gc?: boolean }) => {
  if (message.type === 'sample') report({ type: 'sample', ...sample(message.gc === true) });
  if (message.type === 'stop') void server.close().then(() => process.exit(0));
});
report({ type: 'ready', url: server.url, socketPath: server.socketPath });
