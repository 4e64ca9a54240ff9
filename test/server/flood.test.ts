/**
 * One client floods the server for a minute (docs/security.md): the server, in its own process
 * with a 256 MB heap, stays up, keeps answering another client, and gives its memory back once
 * the flood stops. This is the one slow test (about 75 s); every other test stays fast.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { decodePayload, encodePayload } from '../../core/protocol';
import type { FloodReport } from './support/flood-client';
import type { FloodServerMessage } from './support/flood-server';

const FLOOD_MS = 60_000;
const MB = 1024 * 1024;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./support/${name}`, import.meta.url));

type Heap = Extract<FloodServerMessage, { type: 'heap' }>;

const children: ChildProcess[] = [];
const sockets: Socket[] = [];
afterAll(() => {
  for (const socket of sockets) socket.close();
  for (const child of children) child.kill('SIGKILL');
});

function startFloodServer(): Promise<{ child: ChildProcess; ready: Extract<FloodServerMessage, { type: 'ready' }> }> {
  const child = spawn(process.execPath, ['--max-old-space-size=256', '--expose-gc', '--import', 'tsx', fixture('flood-server.ts')], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the flood server exited with ${String(code)}`)));
    child.on('message', (message: FloodServerMessage) => {
      if (message.type === 'ready') resolve({ child, ready: message });
    });
  });
}

function heapOf(child: ChildProcess): Promise<Heap> {
  return new Promise((resolve, reject) => {
    if (!child.connected) return reject(new Error(`the flood server died (exit code ${String(child.exitCode)}, signal ${String(child.signalCode)})`));
    const timer = setTimeout(() => reject(new Error('the flood server did not report its heap')), 10_000);
    const onMessage = (message: FloodServerMessage): void => {
      if (message.type !== 'heap') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    child.send({ type: 'heap' }, (error) => {
      if (!error) return;
      clearTimeout(timer);
      reject(new Error(`the flood server died: ${error.message}`));
    });
  });
}

function flood(ready: Extract<FloodServerMessage, { type: 'ready' }>): Promise<FloodReport> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture('flood-client.ts'), ready.url, ready.socketPath, ready.baseURL, String(FLOOD_MS)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (data: Buffer) => (output += data.toString()));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => {
      const line = output.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as FloodReport);
      else reject(new Error(`the flooder exited with ${String(code)}: ${output.slice(-500)}`));
    }),
  );
}

/** A customer on another address: connects, starts a chat, and times each message until its reply. */
async function otherCustomer(ready: Extract<FloodServerMessage, { type: 'ready' }>) {
  const socket = io(ready.url, { path: ready.socketPath, transports: ['websocket'], forceNew: true, localAddress: '127.0.0.2' } as Parameters<typeof io>[1]);
  sockets.push(socket);
  await new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(undefined));
    socket.once('connect_error', reject);
  });
  const request = (event: string, payload: unknown): Promise<Record<string, unknown>> =>
    new Promise((resolve) => socket.timeout(10_000).emit(event, encodePayload(payload), (error: Error | null, reply: unknown) => resolve(error ? { error: 'timeout' } : (decodePayload(reply) as Record<string, unknown>))));
  const started = await request('register', { area: 1, name: 'Other', email: '', phone: '', message: 'Hello', externalData: '', baseURL: ready.baseURL, offlineChat: false, trackClientUrl: false });
  expect(started).toMatchObject({ areaId: 1 });
  let n = 0;
  /** Sends one message; resolves with the milliseconds until its reply, or Infinity when it got none or an error. */
  const roundTrip = async (): Promise<number> => {
    const start = performance.now();
    const reply = await request('chat message', { id: `o-${++n}`, message: `Still there? ${n}`, mcount: n });
    return typeof reply['error'] === 'string' ? Infinity : performance.now() - start;
  };
  return { roundTrip };
}

const percentile = (values: readonly number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? NaN;
const ms = (value: number): string => `${value.toFixed(1)} ms`;
const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;

describe('a flood from one client', () => {
  it('leaves the server up, answering another client in its usual time, and its heap back at baseline once the flood stops', { timeout: 150_000 }, async () => {
    const { child, ready } = await startFloodServer();
    let exited = false;
    child.once('exit', () => (exited = true));
    const other = await otherCustomer(ready);

    const usual: number[] = [];
    for (let i = 0; i < 30; i++) usual.push(await other.roundTrip());
    const before = await heapOf(child);

    const flooding = flood(ready);
    const during: number[] = [];
    let flooded: FloodReport | undefined;
    void flooding.then((report) => (flooded = report));
    while (!flooded) {
      during.push(await other.roundTrip());
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const report = await flooding;
    const peak = (await heapOf(child)).peak;

    // The flood's chats end by themselves (5 s idle) and are forgotten (3 s later); the other customer's goes on.
    let after = await heapOf(child);
    for (let wait = 0; after.sessions > before.sessions && wait < 30; wait++) {
      await other.roundTrip();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      after = await heapOf(child);
    }
    const afterward: number[] = [];
    for (let i = 0; i < 30; i++) afterward.push(await other.roundTrip());

    console.log(
      [
        `flood: ${report.messagesSent} messages, ${report.registersSent} registers, ${report.previewsSent} previews sent; replies ${JSON.stringify(report.replies)}; uploads ${JSON.stringify(report.uploads)}; sockets ${report.socketsOpened} opened, ${report.socketsRefused} refused, ${report.socketsCut} cut`,
        `heap: before ${mb(before.heapUsed)}, peak ${mb(peak)}, after ${mb(after.heapUsed)} (limit ${mb(before.heapLimit)}); chats before ${before.sessions}, after ${after.sessions}`,
        `other client: usual p50 ${ms(percentile(usual, 0.5))} p95 ${ms(percentile(usual, 0.95))}; during the flood (${during.length}) p50 ${ms(percentile(during, 0.5))} p95 ${ms(percentile(during, 0.95))} max ${ms(Math.max(...during))}; after p50 ${ms(percentile(afterward, 0.5))}`,
      ].join('\n'),
    );

    // It was a flood, and the limits met it: rate limited answers, sockets cut and refused, uploads refused.
    expect(report.messagesSent + report.previewsSent + report.registersSent).toBeGreaterThan(10_000);
    expect(report.replies['rate limited']).toBeGreaterThan(100);
    expect(report.socketsCut).toBeGreaterThan(0);
    expect(report.socketsRefused).toBeGreaterThan(0);
    expect(report.uploads['403']).toBeGreaterThan(0);
    expect(report.uploads['429']).toBeGreaterThan(0);
    // The server stayed up and answered the other customer every time, within a second (its
    // usual time is milliseconds; a client's ack timeout is several seconds).
    expect(exited).toBe(false);
    expect(Math.max(...during)).toBeLessThan(1000);
    expect(percentile(afterward, 0.5)).toBeLessThan(Math.max(50, 5 * percentile(usual, 0.5)));
    // Its memory came back: the flood's chats are gone and the heap is where it started (give or
    // take the code and caches the flood warmed up), far below the peak.
    expect(after.sessions).toBe(before.sessions);
    expect(after.heapUsed).toBeLessThan(before.heapUsed + 4 * MB);
    expect(peak).toBeLessThan(before.heapLimit / 2);

    child.send({ type: 'stop' });
  });
});
