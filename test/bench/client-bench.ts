/**
 * The client's speed, memory and size, side by side with a raw socket.io-client on the same server.
 *
 *   npm run bench            (builds, then runs this)
 *   npx tsx test/bench/client-bench.ts [--quick] [--check] [--floods]
 *
 * `--floods` measures the floods alone (no sends, memory, adapters or sizes), on `dist/` as it is.
 *
 * Ours is the built package (dist/), as a site runs it. The reference server runs in a child
 * process, so the clients measured here share no CPU time with it beyond what two cores imply.
 *
 * - Flood: the server writes pre-encoded `chat message` events (one message each,
 *   sockwrap-encoded, asking for the "onJson" ack as the protocol does) into one chat as fast as
 *   socket.io lets it; the client side is the bottleneck. messages/s from the first to the last
 *   message received, the median of rounds that alternate between the clients. Raw:
 *   socket.io-client 4 that acks each event and counts it (the floor of any client); beside it,
 *   one that also decodes each payload, as any client that shows the messages must. Ours:
 *   `createCentionChat`, counted on `messages$`. Floods of 1k, 10k and 100k go into the same
 *   chat, so the last lands on a transcript of over 300k messages.
 * - Send: from sending a message to its Message sent reply, on socket.io-client 4 for both, then
 *   on socket.io-client 2 (the typed client's default transport) for both. Raw: `emit` with an
 *   ack. Ours: `chat.send(text).sent`. Blocks of 100 alternate; the first 200 sends of the process
 *   get rows of their own.
 * - Memory (test/bench/memory-bench.ts, its own process with --expose-gc): heap per idle
 *   connected client next to a raw socket.io-client's, and one client's heap over 1,000 chats.
 * - Adapters (test/bench/adapter-bench.ts): a message in, the adapter's reactive value out, in a
 *   chat of 100 messages and of 10,000.
 * - Size: min+gzip of `dist/CentionChatAPI.js` (next to xstate alone, its one dependency), of
 *   the standalone script, of the ESM entry, and of each way socket.io-client could reach a
 *   site of the typed client.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { minify } from 'terser';
import { TERSER_COMPRESS } from '../../tsup.config';
import { loadavg } from 'node:os';
import { printBundleSizes } from './bundle-sizes';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import ioClientV2 from 'socket.io-client-v2';
// Ours as a site runs it: the built package (`npm run bench` builds it first), not the sources
// through tsx, whose transform adds work to many closures that the package does not have.
import { built, builtSocketIoV4 } from './built';
import { floodPayload } from './command-line';
import { rawRegistration } from './raw-registration';
import type { CentionChat } from '../../core';
// Ours on the same socket.io-client as the raw client, so the table compares the client, not the transport.
import { AUTO_ACK, decodePayload, encodePayload, readSessionInfo } from '../../core/protocol';
import type { SessionInfo } from '../../core/protocol';
import { measureAdapters } from './adapter-bench';

const { createCentionChat } = built;
const { io: ioV4 } = builtSocketIoV4;

type ToServer = { readonly type: 'flood'; readonly sessionId: number; readonly count: number; readonly firstId: number } | { readonly type: 'join'; readonly sessionId: number };
type ToParent = { readonly type: 'ready'; readonly baseURL: string; readonly url: string; readonly socketPath: string } | { readonly type: 'flooded'; readonly ms: number } | { readonly type: 'joined' };

// ------------------------------------------------------------------ the server process

async function serve(): Promise<void> {
  const { startServer } = await import('../../server');
  const server = await startServer({
    areas: [{ id: 1, name: 'Bench', agents: { mode: 'busy', names: ['Bea'] }, queueLimit: Infinity, idleTimeoutMs: 0 }],
    agentConsole: false,
    // The bench floods and sends from one address far faster than any person: no limits.
    limits: false,
    logger: (line) => console.error(line),
  });
  const reply = (message: ToParent): void => void process.send?.(message);
  process.on('message', (message: ToServer) => {
    if (message.type === 'join') {
      server.agent.join(message.sessionId, 'Bea');
      reply({ type: 'joined' });
      return;
    }
    // Encoded before the clock starts: the flood measures the clients, not the encoding.
    const payloads = Array.from({ length: message.count }, (_, i) => floodPayload(message.firstId + i));
    const noop = () => undefined;
    const start = performance.now();
    for (const payload of payloads) server.sendRaw(message.sessionId, 'chat message', payload, noop);
    reply({ type: 'flooded', ms: performance.now() - start });
  });
  reply({ type: 'ready', baseURL: server.baseURL, url: server.url, socketPath: server.socketPath });
}

// ------------------------------------------------------------------ the measuring process

class ServerProcess {
  private readonly waiting: ((message: ToParent) => void)[] = [];
  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: ToParent) => this.waiting.shift()?.(message));
  }

  static async start(): Promise<{ server: ServerProcess; ready: Extract<ToParent, { type: 'ready' }> }> {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const server = new ServerProcess(child);
    const ready = (await server.next()) as Extract<ToParent, { type: 'ready' }>;
    return { server, ready };
  }

  private next(): Promise<ToParent> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async ask(message: ToServer): Promise<ToParent> {
    const answer = this.next();
    this.child.send(message);
    return answer;
  }

  stop(): void {
    this.child.kill();
  }
}

const WEBSOCKET = { transports: ['websocket'] };

/** A raw socket, of socket.io-client 4 or 2, and `emit` with an ack as a promise (socket.io-client 4's `emitWithAck`). */
interface RawSocket {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each event has its own arguments
  on(event: string, listener: (...args: any[]) => void): unknown;
  close(): unknown;
  ask(event: string, payload: unknown): Promise<unknown>;
}

function rawSocket(ready: Extract<ToParent, { type: 'ready' }>, version: 2 | 4): RawSocket {
  if (version === 4) {
    const socket: Socket = io(ready.url, { path: ready.socketPath, forceNew: true, ...WEBSOCKET });
    return { on: (event, listener) => socket.on(event, listener), close: () => socket.close(), ask: (event, payload) => socket.emitWithAck(event, payload) };
  }
  const socket = ioClientV2(ready.url.replace(/\/$/, ''), { path: ready.socketPath, forceNew: true, ...WEBSOCKET });
  return {
    on: (event, listener) => socket.on(event, listener as (...args: unknown[]) => void),
    close: () => socket.close(),
    ask: (event, payload) => new Promise((resolve) => socket.emit(event, payload, resolve)),
  };
}

async function rawRegister(ready: Extract<ToParent, { type: 'ready' }>, version: 2 | 4 = 4): Promise<{ socket: RawSocket; session: SessionInfo }> {
  const socket = rawSocket(ready, version);
  await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
  const answer = await socket.ask('register', encodePayload(rawRegistration(ready.baseURL)));
  const session = readSessionInfo(decodePayload(answer));
  if (!session) throw new Error(`register failed: ${String(answer)}`);
  return { socket, session };
}

interface Flood {
  readonly count: number;
  readonly rate: number;
  readonly microsPerMessage: number;
  /** How long the server took to write the flood: if it is as long as the client took, the server was the bottleneck. */
  readonly serverMs: number;
  /** The measuring process's CPU time per message (µs), from the first message to the last: on a busy machine it moves less than the time on the clock. */
  readonly cpuMicrosPerMessage: number;
}

/** A client a flood goes to: its chat, and each flooded message as the client has taken it in. */
interface FloodTarget {
  readonly sessionId: number;
  /** Calls `listener` for each message; returns how to stop. */
  onMessage(listener: () => void): () => void;
  close(): void;
}

/** The listeners of one flood target's messages. */
function heard(): { readonly notify: () => void; readonly onMessage: FloodTarget['onMessage'] } {
  const listeners = new Set<() => void>();
  return {
    notify: () => {
      for (const listener of listeners) listener();
    },
    onMessage: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * A raw socket.io-client 4 in a chat of its own that acks each event and counts it (the floor of
 * any client), or with `decode` first decodes its payload (sockwrap: percent-decoding, then JSON),
 * as any client that shows the messages must: the protocol's share of a flood.
 */
async function rawFloodTarget(ready: Extract<ToParent, { type: 'ready' }>, decode: boolean): Promise<FloodTarget> {
  const { socket, session } = await rawRegister(ready);
  const messages = heard();
  socket.on('chat message', (payload: unknown, ack?: (value: string) => void) => {
    if (decode && decodePayload(payload) === undefined) return;
    ack?.(AUTO_ACK);
    messages.notify();
  });
  return { sessionId: session.sessionId, onMessage: messages.onMessage, close: () => void socket.close() };
}

/** Floods `count` messages and measures from the first received to the last. */
async function measureFlood(server: ServerProcess, { sessionId, onMessage }: FloodTarget, count: number, firstId: number): Promise<Flood> {
  let received = 0;
  let first = 0;
  let last = 0;
  let cpu = { user: 0, system: 0 };
  const done = new Promise<void>((resolve) => {
    const off = onMessage(() => {
      if (received === 0) {
        first = performance.now();
        cpu = process.cpuUsage();
      }
      received++;
      if (received === count) {
        last = performance.now();
        cpu = process.cpuUsage(cpu);
        off();
        resolve();
      }
    });
  });
  const flooded = (await server.ask({ type: 'flood', sessionId, count, firstId })) as Extract<ToParent, { type: 'flooded' }>;
  await done;
  const ms = last - first;
  return { count, rate: (count - 1) / (ms / 1000), microsPerMessage: (ms * 1000) / (count - 1), serverMs: flooded.ms, cpuMicrosPerMessage: (cpu.user + cpu.system) / (count - 1) };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** min+gzip of an entry, bundled by esbuild and minified by terser as the drop-in script is (tsup.config.ts). */
async function gzipSize(entry: string, external: string[] = []): Promise<number> {
  const result = await build({ entryPoints: [entry], bundle: true, write: false, format: 'esm', platform: 'browser', target: 'es2020', external, logLevel: 'silent' });
  const minified = await minify(result.outputFiles[0]!.text, { module: true, compress: TERSER_COMPRESS, format: { comments: false } });
  return gzipSync(minified.code ?? '', { level: 9 }).length;
}

interface Row {
  readonly measure: string;
  readonly ours: string;
  readonly raw: string;
  readonly ratio: string;
  readonly target: string;
  readonly ok: boolean | undefined;
}

interface Memory {
  readonly clients: number;
  readonly rawV4: number;
  readonly oursV4: number;
  readonly rawV2: number;
  readonly oursV2: number;
  readonly checkpoints: readonly { readonly chats: number; readonly heap: number; readonly objects: number; readonly objectBytes: number }[];
}

/** Runs test/bench/memory-bench.ts in its own process (--expose-gc) against the bench's server. */
function measureMemory(ready: Extract<ToParent, { type: 'ready' }>, quick: boolean): Promise<Memory> {
  const args = ['--expose-gc', '--import', 'tsx', fileURLToPath(new URL('./memory-bench.ts', import.meta.url)), ready.url, ready.socketPath, ready.baseURL, ...(quick ? ['--clients', '50', '--chats', '200'] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as Memory);
      else reject(new Error(`memory-bench exited with ${String(code)}: ${out}`));
    }),
  );
}

interface Sends {
  readonly raw: number[];
  readonly acking: number[];
  readonly ours: number[];
  readonly coldRaw: number[];
  readonly coldOurs: number[];
}

/**
 * Sends of ours and of two raw clients on one socket.io-client version, in alternating blocks of
 * 100: `warmUp` sends each first (of which the first 200 are kept apart), then `count` measured.
 */
async function measureSends(server: ServerProcess, ready: Extract<ToParent, { type: 'ready' }>, version: 2 | 4, count: number, warmUp: number): Promise<Sends> {
  const rawSender = await rawRegister(ready, version);
  // A raw client that also acks every event, as docs/protocol.md §2 asks of any client: the echo
  // and the agent's events after each send cost it one more packet out, as they cost ours.
  const ackingSender = await rawRegister(ready, version);
  ackingSender.socket.on('chat message', (_payload: unknown, ack?: (value: string) => void) => ack?.(AUTO_ACK));
  const sender = createCentionChat({ baseURL: ready.baseURL, area: 1, storage: null, socketOptions: WEBSOCKET, ...(version === 4 ? { io: ioV4 } : {}) });
  const senderSession = await sender.start({ name: 'Sender', message: 'Hello' });
  await server.ask({ type: 'join', sessionId: senderSession.sessionId });
  await server.ask({ type: 'join', sessionId: rawSender.session.sessionId });
  await server.ask({ type: 'join', sessionId: ackingSender.session.sessionId });
  const result: Sends = { raw: [], acking: [], ours: [], coldRaw: [], coldOurs: [] };
  const block = 100;
  let n = 0;
  for (let done = 0; done < count + warmUp; done += block) {
    const keep = (measured: number[], cold: number[] | undefined, ms: number) => {
      if (done >= warmUp) measured.push(ms);
      else if (done < 200) cold?.push(ms);
    };
    for (let i = 0; i < block; i++) {
      const payload = encodePayload({ id: `raw-${++n}`, message: `Raw message ${n}`, mcount: n });
      const t0 = performance.now();
      await rawSender.socket.ask('chat message', payload);
      keep(result.raw, result.coldRaw, performance.now() - t0);
    }
    for (let i = 0; i < block; i++) {
      const payload = encodePayload({ id: `acking-${++n}`, message: `Raw message ${n}`, mcount: n });
      const t0 = performance.now();
      await ackingSender.socket.ask('chat message', payload);
      keep(result.acking, undefined, performance.now() - t0);
    }
    for (let i = 0; i < block; i++) {
      const t0 = performance.now();
      await sender.send(`Our message ${++n}`).sent;
      keep(result.ours, result.coldOurs, performance.now() - t0);
    }
  }
  sender.stop();
  rawSender.socket.close();
  ackingSender.socket.close();
  return result;
}

/** The p50 of ours and raw (µs) and their ratio, against `target` when there is one. */
function ratioRow(ours: number[], raw: number[], target: number | undefined): Omit<Row, 'measure'> {
  const o = percentile(ours, 50) * 1000;
  const r = percentile(raw, 50) * 1000;
  return { ours: o.toFixed(0), raw: r.toFixed(0), ratio: (o / r).toFixed(2), target: target === undefined ? '' : `≤ ${target}`, ok: target === undefined ? undefined : o / r <= target };
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const floodsOnly = process.argv.includes('--floods');
  const sizes = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
  // Short floods are noisy: more rounds for them; every figure is the median of its rounds.
  const roundsFor = (count: number) => (quick ? 1 : Math.max(3, Math.min(15, Math.round(30_000 / count))));
  const sends = quick ? 300 : 3_000;
  // Sends measured only once the JIT has settled on every path: a send of ours goes through
  // XState's interpreter, whose many branches V8 takes thousands of calls to optimise (after 200
  // the p50 is still 1.8× its steady value; after 3,000 it no longer moves).
  const warmUpSends = quick ? 300 : 3_000;
  const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`load average at the start: ${load()}`);
  const { server, ready } = await ServerProcess.start();
  const rows: Row[] = [];
  let nextId = 1_000_000;
  /** A fresh range of message ids: a client rightly drops ids it has already shown. */
  const ids = (count: number) => {
    const first = nextId;
    nextId += count;
    return first;
  };
  try {

    // Three chats, one per client, each flooded in turn: the raw floor, the raw client that
    // decodes, and ours.
    const chat: CentionChat = createCentionChat({ baseURL: ready.baseURL, area: 1, storage: null, socketOptions: WEBSOCKET, io: ioV4 });
    const ourMessages = heard();
    chat.messages$.subscribe(ourMessages.notify);
    const targets = {
      raw: await rawFloodTarget(ready, false),
      decoding: await rawFloodTarget(ready, true),
      ours: { sessionId: (await chat.start({ name: 'Ours', message: 'Hello' })).sessionId, onMessage: ourMessages.onMessage, close: () => chat.stop() },
    };
    const clients = ['raw', 'decoding', 'ours'] as const;

    // Warm up every path (JIT) before measuring.
    for (const client of clients) await measureFlood(server, targets[client], 5_000, ids(5_000));

    const perMessage: Record<number, number> = {};
    // The same floods in CPU time, printed as they end: less moved by other work on the machine than the rates.
    const cpuNotes: string[] = [];
    for (const count of sizes) {
      const rates: Record<(typeof clients)[number], Flood[]> = { raw: [], decoding: [], ours: [] };
      for (let round = 0; round < roundsFor(count); round++) {
        for (const client of clients) rates[client].push(await measureFlood(server, targets[client], count, ids(count)));
      }
      const median = (floods: Flood[]) => [...floods].sort((a, b) => a.rate - b.rate)[floods.length >> 1]!;
      const r = median(rates.raw);
      const d = median(rates.decoding);
      const o = median(rates.ours);
      const cpu = (floods: Flood[]) => [...floods].map((flood) => flood.cpuMicrosPerMessage).sort((a, b) => a - b)[floods.length >> 1]!;
      cpuNotes.push(`flood ${count.toLocaleString('en')}: CPU µs per message (median), ours ${cpu(rates.ours).toFixed(1)}, raw ${cpu(rates.raw).toFixed(1)}, raw/ours ${(cpu(rates.raw) / cpu(rates.ours)).toFixed(2)}, raw that decodes ${cpu(rates.decoding).toFixed(1)}`);
      perMessage[count] = o.microsPerMessage;
      rows.push({
        measure: `flood ${count.toLocaleString('en')} msgs → messages$ (msg/s)`,
        ours: Math.round(o.rate).toLocaleString('en'),
        raw: Math.round(r.rate).toLocaleString('en'),
        ratio: (o.rate / r.rate).toFixed(2),
        target: '≥ 0.85',
        ok: o.rate / r.rate >= 0.85,
      });
      rows.push({
        measure: `… against a raw client that decodes each message`,
        ours: Math.round(o.rate).toLocaleString('en'),
        raw: Math.round(d.rate).toLocaleString('en'),
        ratio: (o.rate / d.rate).toFixed(2),
        target: '',
        ok: undefined,
      });
      if (Math.max(r.serverMs, o.serverMs) > 0.8 * Math.min(r.microsPerMessage, o.microsPerMessage) * count / 1000) {
        console.warn(`note: the server took ${Math.round(Math.max(r.serverMs, o.serverMs))} ms to write ${count} messages; the flood may be server-bound`);
      }
    }
    const smallest = sizes[0]!;
    const largest = sizes.at(-1)!;
    const growth = perMessage[largest]! / perMessage[smallest]!;
    rows.push({
      measure: `µs per message, ${largest.toLocaleString('en')} vs ${smallest.toLocaleString('en')} (transcript ${Math.round(chat.getSnapshot().transcript.length / 1000)}k)`,
      ours: `${perMessage[largest]!.toFixed(2)} vs ${perMessage[smallest]!.toFixed(2)}`,
      raw: '',
      ratio: growth.toFixed(2),
      target: '≤ 1.25 (flat)',
      ok: growth <= 1.25,
    });

    for (const client of clients) targets[client].close();
    for (const note of cpuNotes) console.log(note);
    if (floodsOnly) return printRows(rows, load);

    // Sends: fresh chats, once the floods' clients have gone, so this measures sending and not
    // the floods' 350,000-message transcript. First on socket.io-client 4 for both (the first
    // sends of the process: the cold row), then on socket.io-client 2, the typed client's default.
    for (const version of [4, 2] as const) {
      const s = await measureSends(server, ready, version, sends, warmUpSends);
      const v = `socket.io-client ${version}`;
      rows.push({ measure: `send → Message sent, p50 (µs, ${s.ours.length} sends), ${v}`, ...ratioRow(s.ours, s.raw, 1.25) });
      rows.push({ measure: `send p50 (µs), ${v}, vs a raw client that acks as §2 asks`, ...ratioRow(s.ours, s.acking, undefined) });
      rows.push({ measure: `send p50 (µs), ${v}, the first 200 sends${version === 4 ? ' (JIT warming up)' : ' (after those of 4)'}`, ...ratioRow(s.coldOurs, s.coldRaw, version === 4 ? 1.25 : undefined) });
      rows.push({ measure: `send p90 (µs), ${v}`, ours: (percentile(s.ours, 90) * 1000).toFixed(0), raw: (percentile(s.raw, 90) * 1000).toFixed(0), ratio: '', target: '', ok: undefined });
    }

    // Memory, in a process of its own with --expose-gc, against the same server.
    const memory = await measureMemory(ready, quick);
    const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
    for (const [version, ours, raw] of [[4, memory.oursV4, memory.rawV4], [2, memory.oursV2, memory.rawV2]] as const) {
      rows.push({ measure: `heap per idle connected client (${memory.clients} clients), socket.io-client ${version}`, ours: kib(ours), raw: kib(raw), ratio: (ours / raw).toFixed(2), target: '≤ 2', ok: ours / raw <= 2 });
    }
    const [one, hundred, many] = memory.checkpoints;
    rows.push({
      measure: `heap after 1 / 100 / ${many!.chats.toLocaleString('en')} chats, one client`,
      ours: `${kib(one!.heap)} / ${kib(hundred!.heap)} / ${kib(many!.heap)}`,
      raw: '',
      ratio: '',
      target: '',
      ok: undefined,
    });
    // What a client keeps of each chat: the JavaScript objects (not V8's compiled code) grown from 100 chats on.
    const perChat = (many!.objectBytes - hundred!.objectBytes) / (many!.chats - hundred!.chats);
    rows.push({
      measure: `JS objects in the heap at 1 / 100 / ${many!.chats.toLocaleString('en')} chats; bytes per chat from 100 on`,
      ours: `${one!.objects.toLocaleString('en')} / ${hundred!.objects.toLocaleString('en')} / ${many!.objects.toLocaleString('en')}; ${perChat.toFixed(0)} B`,
      raw: '',
      ratio: '',
      target: '≤ 16 B (none kept)',
      ok: perChat <= 16,
    });
  } finally {
    server.stop();
  }

  // The adapters: a message in, the reactive value out, in a chat of 100 messages and of 10,000.
  const adapters = await measureAdapters([100, 10_000], 100, quick ? 10 : 30);
  for (const [path, byLength] of Object.entries(adapters)) {
    const short = byLength[100]!;
    const long = byLength[10_000]!;
    const before = path.includes('before');
    rows.push({ measure: `adapter, µs per message at 10,000 vs 100: ${path}`, ours: `${long.toFixed(1)} vs ${short.toFixed(1)}`, raw: '', ratio: (long / short).toFixed(2), target: before ? '' : '≤ 1.25', ok: before ? undefined : long / short <= 1.25 });
  }

  const gzipped = (file: string) => gzipSync(readFileSync(new URL(`../../dist/${file}`, import.meta.url)), { level: 9 }).length;
  const script = gzipped('CentionChatAPI.js');
  const standalone = gzipped('CentionChatAPI.standalone.js');
  // The drop-in script bundles xstate alone (socket.io is the page's socket.js; no RxJS: the 5.1.0 face has no streams).
  const deps = await gzipSize(fileURLToPath(new URL('./deps-entry.ts', import.meta.url)));
  const esmOurs = await gzipSize(fileURLToPath(new URL('../../core/index.ts', import.meta.url)), ['xstate', 'rxjs', 'socket.io-client', 'socket.io-client-v2']);
  const esmAll = await gzipSize(fileURLToPath(new URL('../../core/index.ts', import.meta.url)));
  // How socket.io-client 2 could reach a site of the typed client: as the npm dependency (chosen) or its slim build.
  const transportV2 = await gzipSize(fileURLToPath(new URL('./transport-v2-entry.ts', import.meta.url)));
  const transportV2Slim = await gzipSize(fileURLToPath(new URL('../../node_modules/socket.io-client-v2/dist/socket.io.slim.js', import.meta.url)));
  const transportV4 = await gzipSize(fileURLToPath(new URL('../../core/transport/socket-io-v4.ts', import.meta.url)));
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  rows.push({ measure: 'dist/CentionChatAPI.js, min+gzip', ours: kib(script), raw: `${kib(deps)} (xstate)`, ratio: '', target: '≤ 26 KiB', ok: script <= 26 * 1024 });
  rows.push({ measure: 'dist/CentionChatAPI.standalone.js, min+gzip', ours: kib(standalone), raw: '', ratio: '', target: '', ok: undefined });
  rows.push({ measure: 'ESM core (cention-chat), min+gzip', ours: `${kib(esmOurs)} own + deps = ${kib(esmAll)}`, raw: '', ratio: '', target: '', ok: undefined });
  rows.push({ measure: 'typed client transport, min+gzip', ours: `socket.io-client 2 (npm) ${kib(transportV2)}`, raw: `2 slim ${kib(transportV2Slim)}, 4 ${kib(transportV4)}`, ratio: '', target: '', ok: undefined });

  printRows(rows, load);
  await printBundleSizes();
}

/** The table of `rows`, then the load average. */
function printRows(rows: readonly Row[], load: () => string): void {
  const header: Row = { measure: 'measure', ours: 'ours', raw: 'raw socket.io-client', ratio: 'ratio', target: 'target', ok: undefined };
  const widths = (Object.keys(header) as (keyof Row)[]).filter((k) => k !== 'ok').map((key) => Math.max(...[header, ...rows].map((row) => String(row[key]).length)));
  const line = (row: Row, mark: string) => `| ${[row.measure, row.ours, row.raw, row.ratio, row.target].map((cell, i) => String(cell).padEnd(widths[i]!)).join(' | ')} | ${mark} |`;
  console.log(line(header, 'ok'));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|----|`);
  for (const row of rows) console.log(line(row, row.ok === undefined ? '  ' : row.ok ? 'ok' : 'NO'));
  console.log(`load average at the end: ${load()}`);
  if (process.argv.includes('--check') && rows.some((row) => row.ok === false)) process.exitCode = 1;
}

if (process.argv.includes('--serve')) void serve();
else await main();
