/**
 * Floods in Chromium, where the chat runs: the reference server writes `chat message` events (one
 * message each, sockwrap-encoded, asking for their ack) as fast as it can to a client in a page,
 * and the page counts them. Ours (`createCentionChat`, counted on `messages$`) next to a raw
 * socket.io-client of the same version that acks and counts each event, and one that also
 * decodes each payload, as any client that shows the messages must. All on websockets, each
 * client's floods in turn, the figure of each the median of its rounds (msg/s, from the first
 * message to the last, on the page's clock).
 *
 * A browser hands each WebSocket message to the page as a task of its own: this is where the
 * client's batching of a burst (core/transport/after-tasks.ts) shows, which a flood in Node,
 * whose `ws` reads many messages at once, does not.
 *
 *   npm run bench:browser     (npm run build && npx tsx test/bench/browser-flood.ts [--quick] [--v2-only | --v4-only])
 *
 * Part of `npm run bench`. Needs Chromium (`/usr/bin/chromium`, or `CHROMIUM_PATH`); without it,
 * it says so and measures nothing.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { startServer } from '../../server';
import { floodPayload } from './command-line';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const quick = process.argv.includes('--quick');
const versions = process.argv.includes('--v2-only') ? [2] : process.argv.includes('--v4-only') ? [4] : [2, 4];

/** The page's script: three clients per socket.io-client version, each counting what it takes in. */
const PAGE_SCRIPT = `
import { createCentionChat } from ${JSON.stringify(join(ROOT, 'dist/index.js'))};
import { io as ioV4 } from ${JSON.stringify(join(ROOT, 'dist/socket.io-v4.js'))};
import { decodePayload, encodePayload } from ${JSON.stringify(join(ROOT, 'dist/protocol.js'))};
import ioV2 from 'socket.io-client-v2';

const WEBSOCKET = { transports: ['websocket'] };
const targets = {};
function counter() {
  const c = { wanted: Infinity, count: 0, first: 0, last: 0, done: undefined };
  c.tick = () => {
    const now = performance.now();
    if (c.count === 0) c.first = now;
    c.count++;
    c.last = now;
    if (c.count === c.wanted) c.done?.();
  };
  return c;
}
async function ours(version, baseURL) {
  const chat = createCentionChat({ baseURL, area: 1, storage: null, socketOptions: WEBSOCKET, ...(version === 4 ? { io: ioV4 } : {}) });
  const c = counter();
  chat.messages$.subscribe(() => c.tick());
  const { sessionId } = await chat.start({ name: 'Ours', message: 'Hello' });
  return { sessionId, c };
}
async function raw(version, baseURL, decode, url, path) {
  const socket = version === 4 ? ioV4(url, { path, forceNew: true, ...WEBSOCKET }) : ioV2(url, { path, forceNew: true, ...WEBSOCKET });
  await new Promise((resolve) => socket.once('connect', resolve));
  const register = { area: 1, name: 'Raw', email: '', phone: '', message: 'Hello', externalData: '', baseURL, offlineChat: false, trackClientUrl: false };
  const answer = await new Promise((resolve) => socket.emit('register', encodePayload(register), resolve));
  const c = counter();
  socket.on('chat message', (payload, ack) => {
    if (decode && decodePayload(payload) === undefined) return;
    ack?.('"onJson"');
    c.tick();
  });
  return { sessionId: decodePayload(answer).sessionId, c };
}
window.bench = {
  async add(name, version, kind, baseURL, url, path) {
    targets[name] = kind === 'ours' ? await ours(version, baseURL) : await raw(version, baseURL, kind === 'decoding', url, path);
    return targets[name].sessionId;
  },
  arm(name, wanted) {
    const c = targets[name].c;
    Object.assign(c, { wanted, count: 0, first: 0, last: 0 });
    c.finished = new Promise((resolve) => (c.done = resolve));
  },
  async finished(name) {
    const c = targets[name].c;
    await c.finished;
    return { ms: c.last - c.first, count: c.count };
  },
};
`;

async function main(): Promise<void> {
  const executablePath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    console.log(`browser floods: not measured, no Chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH)`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'cention-browser-flood-'));
  try {
    await build({ stdin: { contents: PAGE_SCRIPT, resolveDir: ROOT, sourcefile: 'bench-page.js' }, bundle: true, format: 'iife', minify: true, target: 'es2020', outfile: join(dir, 'bench.js'), logLevel: 'error', define: { 'process.env.NODE_ENV': '"production"' } });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>flood</title><script src="bench.js"></script>');
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      areas: [{ id: 1, name: 'Bench', agents: { mode: 'busy', names: ['Bea'] }, queueLimit: Infinity, idleTimeoutMs: 0 }],
      agentConsole: false,
      limits: false,
      logger: () => undefined,
      static: [{ urlPath: '/bench/', dir }],
    });
    const browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(`${server.url.replace(/\/$/, '')}/bench/index.html`);
      const kinds = ['raw', 'decoding', 'ours'] as const;
      const sizes = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
      const roundsFor = (count: number) => (quick ? 1 : Math.max(3, Math.min(9, Math.round(30_000 / count))));
      let nextId = 1_000_000;
      const flood = async (name: string, sessionId: number, count: number): Promise<number> => {
        await page.evaluate(([n, c]) => (window as unknown as { bench: { arm(n: string, c: number): void } }).bench.arm(n, c), [name, count] as const);
        const first = nextId;
        nextId += count;
        const noop = () => undefined;
        for (let i = 0; i < count; i++) server.sendRaw(sessionId, 'chat message', floodPayload(first + i), noop);
        const { ms } = await page.evaluate((n) => (window as unknown as { bench: { finished(n: string): Promise<{ ms: number }> } }).bench.finished(n), name);
        return ((count - 1) / ms) * 1000;
      };
      console.log(`load average at the start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
      console.log('| socket.io-client | flood | ours (msg/s) | raw | ours / raw | raw that decodes | ours / it | target |');
      console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
      for (const version of versions) {
        const sessions: Record<string, number> = {};
        for (const kind of kinds) {
          const name = `${kind}${version}`;
          sessions[name] = await page.evaluate(
            ([n, v, k, baseURL, url, path]) => (window as unknown as { bench: { add(...a: unknown[]): Promise<number> } }).bench.add(n, v, k, baseURL, url, path),
            [name, version, kind, server.baseURL, server.url.replace(/\/$/, ''), server.socketPath] as const,
          );
          // The area's simulated agent may have taken the chat already.
          if (server.session(sessions[name]!)?.state === 'queued') server.agent.join(sessions[name]!, 'Bea');
        }
        // Warm up every path (JIT) before measuring.
        for (const kind of kinds) await flood(`${kind}${version}`, sessions[`${kind}${version}`]!, 5_000);
        for (const count of sizes) {
          const rates: Record<(typeof kinds)[number], number[]> = { raw: [], decoding: [], ours: [] };
          for (let round = 0; round < roundsFor(count); round++) {
            for (const kind of kinds) rates[kind].push(await flood(`${kind}${version}`, sessions[`${kind}${version}`]!, count));
          }
          const median = (list: number[]) => [...list].sort((a, b) => a - b)[list.length >> 1]!;
          const [o, r, d] = [median(rates.ours), median(rates.raw), median(rates.decoding)];
          console.log(`| ${version} | ${count.toLocaleString('en')} | ${o.toFixed(0)} | ${r.toFixed(0)} | **${(o / r).toFixed(2)}** | ${d.toFixed(0)} | ${(o / d).toFixed(2)} | ≥ 0.85 |`);
        }
      }
      console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
      if (errors.length > 0) throw new Error(`the page failed: ${errors.join('; ')}`);
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
