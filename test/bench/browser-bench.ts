/**
 * The client in Chromium, where it runs, next to a raw socket.io-client of the same version in
 * the same browser, against the reference server (in this process), all on websockets; each
 * page in a browser context of its own, so that each chat leads its own tabs (core/tabs).
 *
 * - Floods: the server writes `chat message` events (one message each, sockwrap-encoded, asking
 *   for their ack) as fast as it can, and the page counts them: ours on `messages$`, a raw client
 *   that acks and counts each event, and one that also decodes each payload, as any client that
 *   shows the messages must. Each client flooded in turn; each figure the median of its rounds
 *   (msg/s, from the first message to the last, on the page's clock). A browser hands each
 *   WebSocket message to the page as a task of its own: this is where the client's batching of
 *   a burst (core/transport/after-tasks.ts) shows, which a flood in Node, whose `ws` reads many
 *   messages at once, does not.
 * - Sends: from `send(text)` to its Message sent reply (`.sent` resolving), against raw `emit`
 *   with an ack on a socket that listens to nothing, and on one that acks every `chat message`
 *   event, as docs/protocol.md §2 asks of any client; in alternating blocks of 100 after a
 *   warm-up, whose first 200 sends are kept apart. The page's clock counts in steps of 0.1 ms (a
 *   page that is not cross-origin isolated), so the p50s are multiples of 100 µs.
 *
 *   npm run bench:browser     (npm run build && npx tsx test/bench/browser-bench.ts [--quick] [--v2-only | --v4-only])
 *
 * Part of `npm run bench`. Needs Chromium (`/usr/bin/chromium`, or `CHROMIUM_PATH`); without it,
 * it says so and measures nothing.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, withBenchPages } from './browser-page';
import { floodPayload } from './command-line';

const quick = process.argv.includes('--quick');
const versions = process.argv.includes('--v2-only') ? [2] : process.argv.includes('--v4-only') ? [4] : [2, 4];

/** The page's script: three clients per socket.io-client version, each counting what it takes in. */
const PAGE_SCRIPT = `
import { createCentionChat } from ${JSON.stringify(join(ROOT, 'dist/index.js'))};
import { io as ioV4 } from ${JSON.stringify(join(ROOT, 'dist/socket.io-v4.js'))};
import { AUTO_ACK, decodePayload, encodePayload } from ${JSON.stringify(join(ROOT, 'dist/protocol.js'))};
import { rawRegistration } from ${JSON.stringify(join(ROOT, 'test/bench/raw-registration.ts'))};
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
  return { sessionId, c, send: (text) => chat.send(text).sent };
}
/** kind: 'raw' acks and counts each chat message, 'decoding' decodes it first, 'quiet' listens to nothing. */
async function raw(version, baseURL, kind, url, path) {
  const socket = version === 4 ? ioV4(url, { path, forceNew: true, ...WEBSOCKET }) : ioV2(url, { path, forceNew: true, ...WEBSOCKET });
  await new Promise((resolve) => socket.once('connect', resolve));
  const answer = await new Promise((resolve) => socket.emit('register', encodePayload(rawRegistration(baseURL)), resolve));
  const c = counter();
  if (kind !== 'quiet') {
    socket.on('chat message', (payload, ack) => {
      if (kind === 'decoding' && decodePayload(payload) === undefined) return;
      ack?.(AUTO_ACK);
      c.tick();
    });
  }
  let n = 0;
  const send = (text) => new Promise((resolve) => socket.emit('chat message', encodePayload({ id: 'raw-' + ++n, message: text, mcount: n }), resolve));
  return { sessionId: decodePayload(answer).sessionId, c, send };
}
window.bench = {
  async add(name, version, kind, baseURL, url, path) {
    targets[name] = kind === 'ours' ? await ours(version, baseURL) : await raw(version, baseURL, kind, url, path);
    return targets[name].sessionId;
  },
  arm(name, wanted) {
    const c = targets[name].c;
    Object.assign(c, { wanted, count: 0, first: 0, last: 0 });
    c.finished = new Promise((resolve) => (c.done = resolve));
  },
  /** count sends one after another, each timed from the call to its reply (ms). */
  async sends(name, count) {
    const { send } = targets[name];
    const times = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      await send('Message ' + i);
      times.push(performance.now() - t0);
    }
    return times;
  },
  /** Once every message of the flood is in, or after 'timeout' ms (a client that lost its socket gets no more). */
  async finished(name, timeout) {
    const c = targets[name].c;
    await Promise.race([c.finished, new Promise((resolve) => setTimeout(resolve, timeout))]);
    return { ms: c.last - c.first, count: c.count };
  },
};
`;

async function main(): Promise<void> {
  await withBenchPages('browser floods and sends', PAGE_SCRIPT, async ({ server, open }) => {
    type Bench = { add(...a: unknown[]): Promise<number>; arm(n: string, c: number): void; finished(n: string, timeout: number): Promise<{ ms: number; count: number }>; sends(n: string, c: number): Promise<number[]> };
    const bench = (page: Page) => ({
      async add(name: string, version: number, kind: string): Promise<number> {
        const sessionId = await page.evaluate(([n, v, k, baseURL, url, path]) => (window as unknown as { bench: Bench }).bench.add(n, v, k, baseURL, url, path), [name, version, kind, server.baseURL, server.url.replace(/\/$/, ''), server.socketPath] as const);
        // The area's simulated agent may have taken the chat already.
        if (server.session(sessionId)?.state === 'queued') server.agent.join(sessionId, 'Bea');
        return sessionId;
      },
      arm: (name: string, count: number) => page.evaluate(([n, c]) => (window as unknown as { bench: Bench }).bench.arm(n, c), [name, count] as const),
      finished: (name: string, timeout: number) => page.evaluate(([n, t]) => (window as unknown as { bench: Bench }).bench.finished(n, t), [name, timeout] as const),
      sends: (name: string, count: number) => page.evaluate(([n, c]) => (window as unknown as { bench: Bench }).bench.sends(n, c), [name, count] as const),
    });
    const median = (list: number[]) => [...list].sort((a, b) => a - b)[list.length >> 1]!;
    console.log(`load average at the start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

    // Floods: three clients per version in a page of their own, each flooded in turn.
    const kinds = ['raw', 'decoding', 'ours'] as const;
    const sizes = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
    // A flood of 100,000 takes some 20 s per client here: one round of it, three of 10,000, nine of 1,000.
    const roundsFor = (count: number) => (quick ? 1 : Math.max(1, Math.min(9, Math.round(30_000 / count))));
    let nextId = 1_000_000;
    const flood = async (floods: ReturnType<typeof bench>, name: string, sessionId: number, count: number): Promise<number> => {
      await floods.arm(name, count);
      const first = nextId;
      nextId += count;
      const noop = () => undefined;
      for (let i = 0; i < count; i++) server.sendRaw(sessionId, 'chat message', floodPayload(first + i), noop);
      // A flood that stalls fails the run rather than hanging it: at least 500 messages a second.
      const timeout = Math.max(30_000, count * 2);
      const { ms, count: got } = await floods.finished(name, timeout);
      if (got !== count) throw new Error(`${name}: ${got} of ${count} messages within ${timeout / 1000} s`);
      return ((count - 1) / ms) * 1000;
    };
    console.log('| socket.io-client | flood | ours (msg/s) | raw | ours / raw | raw that decodes | ours / it | target |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const version of versions) {
      const sessions: Record<string, number> = {};
      const floodsPage = await open();
      const floods = bench(floodsPage);
      for (const kind of kinds) sessions[kind] = await floods.add(`${kind}${version}`, version, kind);
      // Warm up every path (JIT) before measuring.
      for (const kind of kinds) await flood(floods, `${kind}${version}`, sessions[kind]!, 5_000);
      for (const count of sizes) {
        const rates: Record<(typeof kinds)[number], number[]> = { raw: [], decoding: [], ours: [] };
        for (let round = 0; round < roundsFor(count); round++) {
          for (const kind of kinds) rates[kind].push(await flood(floods, `${kind}${version}`, sessions[kind]!, count));
        }
        const [o, r, d] = [median(rates.ours), median(rates.raw), median(rates.decoding)];
        console.log(`| ${version} | ${count.toLocaleString('en')} | ${o.toFixed(0)} | ${r.toFixed(0)} | **${(o / r).toFixed(2)}** | ${d.toFixed(0)} | ${(o / d).toFixed(2)} | ≥ 0.85 |`);
      }
      await floodsPage.context().close();
    }

    // Sends: fresh clients in a fresh page, in alternating blocks of 100, after a warm-up of
    // which the first 200 are kept apart. Raw: `emit` with an ack, on a socket that listens to
    // nothing, and on one that acks every event, as docs/protocol.md §2 asks of any client.

    const [count, warmUp, block] = quick ? [300, 300, 100] : [3_000, 3_000, 100];
    console.log('');
    console.log('| socket.io-client | send → Message sent p50, ours (µs) | raw | ours / raw | raw that acks | ours / it | first 200, ours / raw | target |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
    // 'raw' acks every chat message, as the flood's raw client does.
    const senders = ['quiet', 'raw', 'ours'] as const;
    for (const version of versions) {
      const sendsPage = await open();
      const sends = bench(sendsPage);
      for (const kind of senders) await sends.add(`${kind}-sender${version}`, version, kind);
      const times: Record<(typeof senders)[number], number[]> = { quiet: [], raw: [], ours: [] };
      const cold: Record<(typeof senders)[number], number[]> = { quiet: [], raw: [], ours: [] };
      for (let done = 0; done < count + warmUp; done += block) {
        for (const kind of senders) {
          const measured = await sends.sends(`${kind}-sender${version}`, block);
          if (done >= warmUp) times[kind].push(...measured);
          else if (done < 200) cold[kind].push(...measured);
        }
      }
      const us = (list: number[]) => median(list) * 1000;
      const [o, r, a] = [us(times.ours), us(times.quiet), us(times.raw)];
      const [co, cr] = [us(cold.ours), us(cold.quiet)];
      console.log(`| ${version} | ${o.toFixed(0)} | ${r.toFixed(0)} | **${(o / r).toFixed(2)}** | ${a.toFixed(0)} | ${(o / a).toFixed(2)} | ${co.toFixed(0)} / ${cr.toFixed(0)} = **${(co / cr).toFixed(2)}** | ≤ 1.25 |`);
      await sendsPage.context().close();
    }
    console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  });
}

await main();
