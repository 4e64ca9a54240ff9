/**
 * The client's speed and size, side by side with a raw socket.io-client on the same server.
 *
 *   npm run bench            (builds, then runs this)
 *   npx tsx test/bench/client-bench.ts [--quick]
 *
 * The reference server runs in a child process, so the clients measured here share no CPU time
 * with it beyond what two cores imply. It floods pre-encoded `chat message` events (one
 * message each, sockwrap-encoded, asking for the "onJson" ack as the protocol does) into one
 * chat as fast as socket.io lets it write them; the client side is the bottleneck.
 *
 * - Flood: messages/s from the first to the last message received, the median of several
 *   rounds that alternate between the two clients. Raw: socket.io-client 4
 *   that acks each event and counts it (the floor of any client). Ours: `createCentionChat`,
 *   counted on `messages$` (decoded, read, deduplicated into the transcript, emitted). Floods of
 *   1k, 10k and 100k messages go into the same chat, so the last one lands on a transcript of
 *   over 100k messages: its time per message shows whether a message costs more in a long chat.
 * - Send: time from sending a message to its Message sent reply. Raw: `emitWithAck`. Ours:
 *   `chat.send(text).sent`. Rounds alternate between the two.
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
import { printBundleSizes } from './bundle-sizes';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { createCentionChat } from '../../core';
// Ours on the same socket.io-client as the raw client, so the table compares the client, not the transport.
import { io as ioV4 } from '../../core/transport/socket-io-v4';
import type { CentionChat } from '../../core';
import { AUTO_ACK, decodePayload, encodePayload, readSessionInfo } from '../../core/protocol';
import type { SessionInfo } from '../../core/protocol';

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
    const payloads: string[] = [];
    for (let i = 0; i < message.count; i++) {
      const id = message.firstId + i;
      payloads.push(encodePayload({ agent: 'Bea', client: 'Ada', chat: [{ id, sender: 'AGENT', sent: 1_767_600_000, sentHuman: '10:00', text: `Flood message number ${id}`, umid: '' }] }) as string);
    }
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

async function rawRegister(ready: Extract<ToParent, { type: 'ready' }>): Promise<{ socket: Socket; session: SessionInfo }> {
  const socket = io(ready.url, { path: ready.socketPath, forceNew: true, ...WEBSOCKET });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const answer = await socket.emitWithAck('register', encodePayload({ area: 1, name: 'Raw', email: '', phone: '', message: 'Hello', externalData: '', baseURL: ready.baseURL, offlineChat: false, trackClientUrl: false }));
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
}

/** Floods `count` messages and measures from the first received to the last. */
async function measureFlood(server: ServerProcess, sessionId: number, count: number, firstId: number, onMessage: (listener: () => void) => () => void): Promise<Flood> {
  let received = 0;
  let first = 0;
  let last = 0;
  const done = new Promise<void>((resolve) => {
    const off = onMessage(() => {
      if (received === 0) first = performance.now();
      received++;
      if (received === count) {
        last = performance.now();
        off();
        resolve();
      }
    });
  });
  const flooded = (await server.ask({ type: 'flood', sessionId, count, firstId })) as Extract<ToParent, { type: 'flooded' }>;
  await done;
  const ms = last - first;
  return { count, rate: (count - 1) / (ms / 1000), microsPerMessage: (ms * 1000) / (count - 1), serverMs: flooded.ms };
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

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const sizes = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
  // Short floods are noisy: more rounds for them; every figure is the median of its rounds.
  const roundsFor = (count: number) => (quick ? 1 : Math.max(3, Math.min(15, Math.round(30_000 / count))));
  const sends = quick ? 300 : 3_000;
  // Sends measured only once the JIT has settled on every path: a send of ours goes through
  // XState's interpreter, whose many branches V8 takes thousands of calls to optimise (after 200
  // the p50 is still 1.8× its steady value; after 3,000 it no longer moves).
  const warmUpSends = quick ? 300 : 3_000;
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

    // Two chats, one per client, each flooded in turn.
    const raw = await rawRegister(ready);
    raw.socket.on('chat message', (_payload: unknown, ack?: (value: string) => void) => ack?.(AUTO_ACK));
    const rawListeners = new Set<() => void>();
    raw.socket.on('chat message', () => {
      for (const listener of rawListeners) listener();
    });
    const chat: CentionChat = createCentionChat({ baseURL: ready.baseURL, area: 1, storage: null, socketOptions: WEBSOCKET, io: ioV4 });
    const ours = await chat.start({ name: 'Ours', message: 'Hello' });
    const ourListeners = new Set<() => void>();
    chat.messages$.subscribe(() => {
      for (const listener of ourListeners) listener();
    });
    const listen = (set: Set<() => void>) => (listener: () => void) => {
      set.add(listener);
      return () => set.delete(listener);
    };

    // Warm up both paths (JIT) before measuring.
    await measureFlood(server, raw.session.sessionId, 5_000, ids(5_000), listen(rawListeners));
    await measureFlood(server, ours.sessionId, 5_000, ids(5_000), listen(ourListeners));

    const perMessage: Record<number, number> = {};
    for (const count of sizes) {
      const rawRates: Flood[] = [];
      const ourRates: Flood[] = [];
      for (let round = 0; round < roundsFor(count); round++) {
        rawRates.push(await measureFlood(server, raw.session.sessionId, count, ids(count), listen(rawListeners)));
        ourRates.push(await measureFlood(server, ours.sessionId, count, ids(count), listen(ourListeners)));
      }
      const median = (floods: Flood[]) => [...floods].sort((a, b) => a.rate - b.rate)[floods.length >> 1]!;
      const r = median(rawRates);
      const o = median(ourRates);
      perMessage[count] = o.microsPerMessage;
      rows.push({
        measure: `flood ${count.toLocaleString('en')} msgs → messages$ (msg/s)`,
        ours: Math.round(o.rate).toLocaleString('en'),
        raw: Math.round(r.rate).toLocaleString('en'),
        ratio: (o.rate / r.rate).toFixed(2),
        target: '≥ 0.80',
        ok: o.rate / r.rate >= 0.8,
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

    chat.stop();
    raw.socket.close();

    // Sends: fresh chats, once the floods' clients have gone, so this measures sending and not
    // the floods' 350,000-message transcript.
    const rawSender = await rawRegister(ready);
    // A raw client that also acks every event, as docs/protocol.md §2 asks of any client: the echo
    // and the agent's events after each send cost it one more packet out, as they cost ours.
    const ackingSender = await rawRegister(ready);
    ackingSender.socket.on('chat message', (_payload: unknown, ack?: (value: string) => void) => ack?.(AUTO_ACK));
    const sender = createCentionChat({ baseURL: ready.baseURL, area: 1, storage: null, socketOptions: WEBSOCKET, io: ioV4 });
    const senderSession = await sender.start({ name: 'Sender', message: 'Hello' });
    await server.ask({ type: 'join', sessionId: senderSession.sessionId });
    await server.ask({ type: 'join', sessionId: rawSender.session.sessionId });
    await server.ask({ type: 'join', sessionId: ackingSender.session.sessionId });
    const rawTimes: number[] = [];
    const ackingTimes: number[] = [];
    const ourTimes: number[] = [];
    const coldRawTimes: number[] = [];
    const coldOurTimes: number[] = [];
    const block = 100;
    let n = 0;
    for (let done = 0; done < sends + warmUpSends; done += block) {
      for (let i = 0; i < block; i++) {
        const payload = encodePayload({ id: `raw-${++n}`, message: `Raw message ${n}`, mcount: n });
        const t0 = performance.now();
        await rawSender.socket.emitWithAck('chat message', payload);
        if (done >= warmUpSends) rawTimes.push(performance.now() - t0);
        else if (done < 200) coldRawTimes.push(performance.now() - t0);
      }
      for (let i = 0; i < block; i++) {
        const payload = encodePayload({ id: `acking-${++n}`, message: `Raw message ${n}`, mcount: n });
        const t0 = performance.now();
        await ackingSender.socket.emitWithAck('chat message', payload);
        if (done >= warmUpSends) ackingTimes.push(performance.now() - t0);
      }
      for (let i = 0; i < block; i++) {
        const t0 = performance.now();
        await sender.send(`Our message ${++n}`).sent;
        if (done >= warmUpSends) ourTimes.push(performance.now() - t0);
        else if (done < 200) coldOurTimes.push(performance.now() - t0);
      }
    }
    const rawP50 = percentile(rawTimes, 50) * 1000;
    const ourP50 = percentile(ourTimes, 50) * 1000;
    rows.push({
      measure: `send → Message sent, p50 (µs, ${ourTimes.length} sends)`,
      ours: ourP50.toFixed(0),
      raw: rawP50.toFixed(0),
      ratio: (ourP50 / rawP50).toFixed(2),
      target: '≤ 1.25',
      ok: ourP50 / rawP50 <= 1.25,
    });
    const ackingP50 = percentile(ackingTimes, 50) * 1000;
    rows.push({
      measure: 'send p50 (µs), vs a raw client that acks as §2 asks',
      ours: ourP50.toFixed(0),
      raw: ackingP50.toFixed(0),
      ratio: (ourP50 / ackingP50).toFixed(2),
      target: '',
      ok: undefined,
    });
    const coldRawP50 = percentile(coldRawTimes, 50) * 1000;
    const coldOurP50 = percentile(coldOurTimes, 50) * 1000;
    rows.push({ measure: 'send p50 (µs), the first 200 sends (JIT warming up)', ours: coldOurP50.toFixed(0), raw: coldRawP50.toFixed(0), ratio: (coldOurP50 / coldRawP50).toFixed(2), target: '', ok: undefined });
    rows.push({ measure: 'send p90 (µs)', ours: (percentile(ourTimes, 90) * 1000).toFixed(0), raw: (percentile(rawTimes, 90) * 1000).toFixed(0), ratio: '', target: '', ok: undefined });
    sender.stop();
    rawSender.socket.close();
    ackingSender.socket.close();
  } finally {
    server.stop();
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

  const header: Row = { measure: 'measure', ours: 'ours', raw: 'raw socket.io-client', ratio: 'ratio', target: 'target', ok: undefined };
  const widths = (Object.keys(header) as (keyof Row)[]).filter((k) => k !== 'ok').map((key) => Math.max(...[header, ...rows].map((row) => String(row[key]).length)));
  const line = (row: Row, mark: string) => `| ${[row.measure, row.ours, row.raw, row.ratio, row.target].map((cell, i) => String(cell).padEnd(widths[i]!)).join(' | ')} | ${mark} |`;
  console.log(line(header, 'ok'));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|----|`);
  for (const row of rows) console.log(line(row, row.ok === undefined ? '  ' : row.ok ? 'ok' : 'NO'));
  await printBundleSizes();
  if (process.argv.includes('--check') && rows.some((row) => row.ok === false)) process.exitCode = 1;
}

if (process.argv.includes('--serve')) void serve();
else await main();
