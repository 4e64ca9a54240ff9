/**
 * The reference server under a realistic load, and how many chats it holds.
 *
 *   npm run bench:server                                  5,000 chats, a message every 10 s each, 5 minutes
 *   npm run bench:server -- --chats 500 --duration 60s    a quick check
 *   npm run bench:server -- --capacity 1000 5000 10000    memory per chat held, at each step
 *
 * Options of the load run: `--chats N`, `--duration D` (`90s`, `5m`, or seconds; default 5m),
 * `--every S` (seconds between two messages of one chat), `--processes P` (load processes,
 * default 2), `--sample S` (seconds between two samples of the server, default 30), `--cpu-prof
 * DIR` (writes a CPU profile of the server there), `--server-flags "F…"` (Node's flags for the server
 * process, e.g. `--trace-gc`).
 *
 * The server runs alone in a child process (test/bench/server-load-server.ts) with every limit
 * on. Its per-socket limits are the defaults (one message every 10 s is far inside them); its
 * per-address limits are sized for the load by {@link limitsFor}, since every chat comes from
 * 127.0.0.1: twice what the load needs, and never below the default. The chats live in P other
 * processes (test/bench/server-load-chats.ts), each a socket.io-client 4 websocket that
 * registers, waits for its simulated agent's greeting and acks every `chat message` as a browser
 * does. Then chat `i` of `n` sends at `i / n` of every period, so the server gets an even stream
 * of `n / every` messages a second, and each send is timed from leaving to its reply (the Message
 * sent object, what `send().sent` resolves with) and to the agent's answer. Every `--sample`
 * seconds the server reports its heap (as it is, and just after its own last full GC), its RSS,
 * its CPU, its own GC pauses and its event loop's delay; a full GC is forced only before the
 * sends begin and after they end, since it stops the server as no real one is stopped. The load
 * processes report their own event loop's delay and how late their sends left, which says whether
 * they, and not the server, were the bottleneck. Needs `ulimit -n` above the number of chats
 * plus a margin.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { FromChats, Sends, ToChats } from './server-load-chats';
import type { AgentDelays, ServerReport, ServerSample, ServerSetup } from './server-load-server';
import { DEFAULT_LIMITS } from '../../server';
import type { ServerLimits } from '../../server';

const MB = 1024 * 1024;
const TARGET_P99_MS = 100;
/** The simulated agents': an answer comes `replyDelayMs + typingMs` after the message, on purpose. */
const AGENT_DELAYS: AgentDelays = { joinDelayMs: 50, replyDelayMs: 100, typingMs: 200 };

// ------------------------------------------------------------------ the limits

/**
 * The server's limits for `chats` chats from one address, each sending a message every
 * `everyS` seconds: what one address may do is scaled to what all the chats do, twice over, and
 * is never below the default. Per-socket limits are not touched: each chat is one person.
 */
export function limitsFor(chats: number, everyS: number): Partial<ServerLimits> {
  const atLeast = (rate: { count: number; perMs: number }, needed: number) => ({ count: Math.max(rate.count, Math.ceil(2 * needed)), perMs: rate.perMs });
  const { messagesPerAddress, textPerAddress, registersPerAddress, connectionsPerAddress } = DEFAULT_LIMITS;
  // A chat's texts are under 64 characters: `Hello from chat N` and `ping N R`.
  const messagesPer = (perMs: number) => (chats * perMs) / (everyS * 1000);
  return {
    messagesPerAddress: atLeast(messagesPerAddress, messagesPer(messagesPerAddress.perMs)),
    textPerAddress: atLeast(textPerAddress, 64 * (chats + messagesPer(textPerAddress.perMs))),
    // Every chat registers and connects once, within the first minute.
    registersPerAddress: atLeast(registersPerAddress, chats),
    connectionsPerAddress: atLeast(connectionsPerAddress, chats),
    socketsPerAddress: Math.max(DEFAULT_LIMITS.socketsPerAddress, 2 * chats),
  };
}

// ------------------------------------------------------------------ the processes

type Report<T, K> = Extract<T, { type: K }>;

function start(file: string, flags: readonly string[], args: readonly string[] = []): ChildProcess {
  // 'advanced': the results hold NaN (no reply), which JSON would turn into null.
  return spawn(process.execPath, [...flags, '--import', 'tsx', fileURLToPath(new URL(file, import.meta.url)), ...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
}

function next<T extends { type: string }, K extends T['type']>(child: ChildProcess, type: K): Promise<Report<T, K>> {
  return new Promise((resolve, reject) => {
    const listener = (message: T): void => {
      if (message.type !== type) return;
      child.off('message', listener);
      child.off('exit', exited);
      resolve(message as Report<T, K>);
    };
    const exited = (code: number | null): void => reject(new Error(`a bench process exited (${String(code)}) before it sent "${type}"`));
    child.on('message', listener);
    child.once('exit', exited);
  });
}

interface Processes {
  readonly server: ChildProcess;
  readonly ready: Report<ServerReport, 'ready'>;
  readonly loads: readonly ChildProcess[];
  /** The server's sample; `gc`: after a full GC (the server stands still for it). */
  sample(gc: boolean): Promise<ServerSample>;
  /** Opens these chats, spread over the load processes. */
  open(chats: readonly number[]): Promise<void>;
  stop(): Promise<void>;
}

async function startProcesses(loadCount: number, limits: Partial<ServerLimits>, cpuProfileDir: string | undefined, serverFlags: readonly string[] = []): Promise<Processes> {
  const setup: ServerSetup = { delays: AGENT_DELAYS, limits };
  const server = start('./server-load-server.ts', ['--expose-gc', ...serverFlags, ...(cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [])], [JSON.stringify(setup)]);
  const ready = await next<ServerReport, 'ready'>(server, 'ready');
  const loads = Array.from({ length: loadCount }, () => start('./server-load-chats.ts', []));
  const exited = (child: ChildProcess): Promise<unknown> => new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
  return {
    server,
    ready,
    loads,
    sample: async (gc) => {
      const reply = next<ServerReport, 'sample'>(server, 'sample');
      server.send({ type: 'sample', gc });
      return reply;
    },
    open: async (chats) => {
      await Promise.all(
        loads.map((load, p) => {
          const opened = next<FromChats, 'opened'>(load, 'opened');
          load.send({ type: 'open', url: ready.url, socketPath: ready.socketPath, chats: chats.filter((_, i) => i % loads.length === p) } satisfies ToChats);
          return opened;
        }),
      );
    },
    stop: async () => {
      for (const load of loads) if (load.connected) load.send({ type: 'close' } satisfies ToChats);
      await Promise.all(loads.map(exited));
      server.send({ type: 'stop' });
      await exited(server);
    },
  };
}

// ------------------------------------------------------------------ figures

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

function sortedNumbers(values: Iterable<number>): number[] {
  return [...values].filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
}

const ms = (value: number): string => (value < 10 ? value.toFixed(1) : value.toFixed(0));
const mb = (bytes: number): string => (Number.isNaN(bytes) ? '–' : `${(bytes / MB).toFixed(0)} MB`);
const percent = (cpuMs: number, wallMs: number): string => `${((100 * cpuMs) / wallMs).toFixed(0)} %`;
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => row[c]?.length ?? 0))) ?? [];
  return rows.map((row) => row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd()).join('\n');
}

// ------------------------------------------------------------------ the load run

interface RunOptions {
  readonly chats: number;
  readonly durationS: number;
  readonly everyS: number;
  readonly processes: number;
  readonly sampleS: number;
  readonly cpuProfileDir: string | undefined;
  /** Node's flags for the server process (`--server-flags "--trace-gc --max-semi-space-size=32"`). */
  readonly serverFlags: readonly string[];
}

async function loadRun(options: RunOptions): Promise<void> {
  const { chats, durationS, everyS, processes, sampleS } = options;
  const everyMs = everyS * 1000;
  const rounds = Math.max(1, Math.round(durationS / everyS));
  const limits = limitsFor(chats, everyS);
  console.log(`${chats} chats, one message each every ${everyS} s (${((chats / everyS) | 0).toString()} a second), ${rounds} rounds (${rounds * everyS} s), ${processes} load processes; load average ${load()}`);
  console.log(`server limits per address, sized for the load (per socket: the defaults): ${JSON.stringify(limits)}`);
  const procs = await startProcesses(processes, limits, options.cpuProfileDir, options.serverFlags);
  if (options.serverFlags.length > 0) console.log(`server process flags: ${options.serverFlags.join(' ')}`);
  try {
    const opening = Date.now();
    await procs.open(Array.from({ length: chats }, (_, i) => i));
    const idle = await procs.sample(true);
    console.log(`opened in ${((Date.now() - opening) / 1000).toFixed(1)} s: ${idle.live} chats, ${idle.sockets} sockets, heap ${mb(idle.heapUsed)}, RSS ${mb(idle.rss)}`);

    const startAt = Date.now() + 1000;
    const results = procs.loads.map((child) => next<FromChats, 'result'>(child, 'result'));
    for (const child of procs.loads) child.send({ type: 'run', startAt, everyMs, rounds, totalChats: chats } satisfies ToChats);
    const samples: { readonly at: number; readonly sample: ServerSample }[] = [];
    const runMs = rounds * everyMs;
    let sampler: NodeJS.Timeout | undefined;
    // A forced full GC stops the server for a tenth of a second or more, which no real server
    // does: while the chats send, the heap is read after the server's own full GCs instead.
    const sampleAt = (k: number): void => {
      sampler = setTimeout(() => {
        void procs.sample(false).then((sample) => {
          samples.push({ at: k * sampleS, sample });
          console.log(`  ${String(k * sampleS).padStart(4)} s: heap ${mb(sample.heapUsed)}, after its last full GC ${mb(sample.heapAfterFullGc)}, RSS ${mb(sample.rss)}, CPU ${percent(sample.cpuMs, sample.wallMs)}, loop p99 ${ms(sample.loopP99)} ms, max ${ms(sample.loopMax)} ms; load average ${load()}`);
        });
        if ((k + 1) * sampleS * 1000 <= runMs) sampleAt(k + 1);
      }, startAt + k * sampleS * 1000 - Date.now());
    };
    sampleAt(1);
    const reports = await Promise.all(results);
    clearTimeout(sampler);
    const end = await procs.sample(true);
    samples.push({ at: -1, sample: end });
    report({ options, rounds, idle, samples, reports });
  } finally {
    await procs.stop();
  }
}

interface RunResult {
  readonly options: RunOptions;
  readonly rounds: number;
  readonly idle: ServerSample;
  readonly samples: readonly { readonly at: number; readonly sample: ServerSample }[];
  readonly reports: readonly Report<FromChats, 'result'>[];
}

function report({ options, rounds, idle, samples, reports }: RunResult): void {
  const { chats, sampleS } = options;
  const all: Sends = { at: [], late: [], latency: [], answer: [] };
  for (const { sends } of reports) for (const key of ['at', 'late', 'latency', 'answer'] as const) all[key].push(...sends[key]);
  const answerWait = AGENT_DELAYS.replyDelayMs + AGENT_DELAYS.typingMs;

  // Per window of `sampleS` seconds: the sends due in it, next to the server's sample at its end.
  const rows: string[][] = [['window', 'sends', 'p50', 'p99', 'max', 'answer − wait p99', 'server CPU', 'server loop p99', 'loop max', 'server GCs: n, max, sum, full max', 'forced GC', 'heap', 'after its last full GC', 'RSS']];
  const windows = Math.ceil((rounds * options.everyS) / sampleS);
  for (let w = 0; w < windows; w++) {
    const inWindow = all.at.flatMap((at, i) => (at >= w * sampleS * 1000 && at < (w + 1) * sampleS * 1000 ? [i] : []));
    const latency = sortedNumbers(inWindow.map((i) => all.latency[i] as number));
    const answer = sortedNumbers(inWindow.map((i) => (all.answer[i] as number) - answerWait));
    const sample = samples.find((s) => s.at === (w + 1) * sampleS)?.sample;
    rows.push([
      `${w * sampleS}–${(w + 1) * sampleS} s`,
      String(inWindow.length),
      `${ms(percentile(latency, 50))} ms`,
      `${ms(percentile(latency, 99))} ms`,
      `${ms(latency.at(-1) ?? Number.NaN)} ms`,
      `${ms(percentile(answer, 99))} ms`,
      sample ? percent(sample.cpuMs, sample.wallMs) : '',
      sample ? `${ms(sample.loopP99)} ms` : '',
      sample ? `${ms(sample.loopMax)} ms` : '',
      sample ? `${sample.gcCount}, ${ms(sample.gcPauseMax)}, ${ms(sample.gcPauseSum)}, ${ms(sample.gcMajorMax)} ms` : '',
      sample && sample.gcMs > 0 ? `${ms(sample.gcMs)} ms` : '',
      sample ? `${mb(sample.heapUsed)}${sample.gcMs > 0 ? ' (after GC)' : ''}` : '',
      sample ? mb(sample.heapAfterFullGc) : '',
      sample ? mb(sample.rss) : '',
    ]);
  }
  const end = samples.at(-1)?.sample ?? idle;
  rows.push(['after the run', '', '', '', '', '', '', '', '', '', `${ms(end.gcMs)} ms`, `${mb(end.heapUsed)} (after GC)`, '', mb(end.rss)]);
  console.log(`\nsend → Message sent, by window (the server's sample is taken at the window's end):\n${table(rows)}`);

  const latency = sortedNumbers(all.latency);
  const answer = sortedNumbers(all.answer.map((a) => a - answerWait));
  const late = sortedNumbers(all.late);
  const missing = all.latency.filter(Number.isNaN).length;
  const unanswered = all.answer.filter(Number.isNaN).length;
  const errors = reports.reduce((n, r) => n + r.errors, 0);
  const messages = all.at.length * 2;
  const p99 = percentile(latency, 99);
  const ownFullGcs = samples.filter((s) => s.at > 0 && !Number.isNaN(s.sample.heapAfterFullGc));
  console.log(`
send → Message sent over ${latency.length} sends: p50 ${ms(percentile(latency, 50))} ms, p90 ${ms(percentile(latency, 90))} ms, p99 ${ms(p99)} ms, p99.9 ${ms(percentile(latency, 99.9))} ms, max ${ms(latency.at(-1) ?? Number.NaN)} ms (target p99 < ${TARGET_P99_MS} ms: ${p99 < TARGET_P99_MS ? 'met' : 'MISSED'})
  no reply ${missing}, error replies ${errors}, no answer ${unanswered}
agent's answer − its ${answerWait} ms of reading and typing: p50 ${ms(percentile(answer, 50))} ms, p99 ${ms(percentile(answer, 99))} ms, max ${ms(answer.at(-1) ?? Number.NaN)} ms
server heap after GC: ${mb(idle.heapUsed)} at the start with ${chats} chats open, after the server's own full GCs ${ownFullGcs.map((s) => `${mb(s.sample.heapAfterFullGc)} (${s.at} s)`).join(', ') || '–'}, ${mb(end.heapUsed)} at the end after ${messages} more messages stored (${((end.heapUsed - idle.heapUsed) / messages).toFixed(0)} bytes each); RSS ${mb(idle.rss)} → ${mb(end.rss)}`);
  const loadRows: string[][] = [['load process', 'chats', 'CPU', 'loop p50', 'loop p99', 'loop max', 'send late p50', 'p99', 'max']];
  reports.forEach((r, p) => {
    const lateness = sortedNumbers(r.sends.late);
    loadRows.push([String(p + 1), String(Math.ceil((chats - p) / reports.length)), percent(r.cpuMs, r.wallMs), `${ms(r.loopP50)} ms`, `${ms(r.loopP99)} ms`, `${ms(r.loopMax)} ms`, `${ms(percentile(lateness, 50))} ms`, `${ms(percentile(lateness, 99))} ms`, `${ms(lateness.at(-1) ?? Number.NaN)} ms`]);
  });
  console.log(`\n${table(loadRows)}\nsends late p99 over all: ${ms(percentile(late, 99))} ms; load average now ${load()}`);
}

// ------------------------------------------------------------------ capacity

async function capacity(steps: readonly number[], processes: number): Promise<void> {
  console.log(`capacity: ${steps.join(', ')} chats, ${processes} load processes; load average ${load()}`);
  const procs = await startProcesses(processes, limitsFor(Math.max(...steps), 10), undefined);
  try {
    const idle = await procs.sample(true);
    const rows: string[][] = [['chats', 'live', 'sockets', 'open time', 'server RSS', 'server heap', 'heap per chat']];
    rows.push(['idle', '', '', '', mb(idle.rss), mb(idle.heapUsed), '']);
    let opened = 0;
    for (const target of steps) {
      const started = Date.now();
      await procs.open(Array.from({ length: Math.max(0, target - opened) }, (_, i) => opened + i));
      opened = Math.max(opened, target);
      const s = await procs.sample(true);
      rows.push([String(target), String(s.live), String(s.sockets), `${((Date.now() - started) / 1000).toFixed(1)} s`, mb(s.rss), mb(s.heapUsed), `${((s.heapUsed - idle.heapUsed) / s.live / 1024).toFixed(1)} KB`]);
    }
    console.log(`${table(rows)}\nload average now ${load()}`);
  } finally {
    await procs.stop();
  }
}

// ------------------------------------------------------------------ arguments

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!(value > 0)) throw new Error(`--${name} takes a positive number, got ${String(process.argv[at + 1])}`);
  return value;
}

/** `--duration`: `90s`, `5m` or a number of seconds; default 5 minutes. */
function duration(): number {
  const at = process.argv.indexOf('--duration');
  if (at < 0) return 300;
  const text = process.argv[at + 1] ?? '';
  const parsed = /^(\d+(?:\.\d+)?)(s|m)?$/.exec(text);
  if (!parsed) throw new Error(`--duration takes 90s, 5m or a number of seconds, got ${JSON.stringify(text)}`);
  return Number(parsed[1]) * (parsed[2] === 'm' ? 60 : 1);
}

const processes = option('processes', 2);
if (process.argv.includes('--capacity')) {
  const steps = process.argv.slice(process.argv.indexOf('--capacity') + 1).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  await capacity(steps.length > 0 ? steps : [1000, 5000, 10_000], processes);
} else {
  const profileAt = process.argv.indexOf('--cpu-prof');
  const flagsAt = process.argv.indexOf('--server-flags');
  await loadRun({
    chats: option('chats', 5000),
    durationS: duration(),
    everyS: option('every', 10),
    processes,
    sampleS: option('sample', 30),
    cpuProfileDir: profileAt < 0 ? undefined : (process.argv[profileAt + 1] ?? 'server-profile'),
    serverFlags: flagsAt < 0 ? [] : (process.argv[flagsAt + 1] ?? '').split(/\s+/).filter(Boolean),
  });
}
