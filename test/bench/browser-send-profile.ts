/**
 * Where a send's time goes in Chromium: a CPU profile of the page while ours sends, one send after
 * another, each awaited (as in browser-bench.ts), against the reference server.
 *
 *   npm run build && npx tsx test/bench/browser-send-profile.ts [--v2] [--sends N] [--warm-up N] [--out FILE]
 *
 * The page script is bundled from `dist/` without minifying, so the profile names our functions.
 * Writes the profile (`.cpuprofile`, for Chrome DevTools) and prints the functions that took most
 * of the page's samples, by their own time and with what they call.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { numberArg as arg } from './command-line';
import { ROOT, withBenchPages } from './browser-page';

const v2 = process.argv.includes('--v2');
const SENDS = arg('sends', 2000);
const WARM_UP = arg('warm-up', 3000);
const outIndex = process.argv.indexOf('--out');
const OUT = outIndex > 0 ? process.argv[outIndex + 1]! : 'browser-sends.cpuprofile';

const PAGE_SCRIPT = `
import { createCentionChat } from ${JSON.stringify(join(ROOT, 'dist/index.js'))};
import { io as ioV4 } from ${JSON.stringify(join(ROOT, 'dist/socket.io-v4.js'))};
let send;
window.bench = {
  async start(baseURL, version) {
    const chat = createCentionChat({ baseURL, area: 1, storage: null, socketOptions: { transports: ['websocket'] }, ...(version === 4 ? { io: ioV4 } : {}) });
    await chat.start({ name: 'Ours', message: 'Hello' });
    send = (text) => chat.send(text).sent;
  },
  async sends(count) {
    const times = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      await send('Message ' + i);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return times[times.length >> 1];
  },
};
`;

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
}

/** The functions with most samples: own time, and own time with everything below them. */
function summary(profile: Profile): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const name = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.split('/').at(-1) ?? '';
    return `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let busy = 0;
  for (const id of profile.samples) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)' || node.callFrame.functionName === '(program)') continue;
    busy++;
    self.set(name(node), (self.get(name(node)) ?? 0) + 1);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = name(byId.get(at)!);
      if (seen.has(n)) continue;
      seen.add(n);
      total.set(n, (total.get(n) ?? 0) + 1);
    }
  }
  const top = (map: Map<string, number>, count: number) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, count).map(([n, c]) => `${((100 * c) / busy).toFixed(1).padStart(5)} %  ${n}`);
  return [`${profile.samples.length} samples, ${busy} busy in the page's script`, 'own time:', ...top(self, 25), 'with what they call:', ...top(total, 40)];
}

await withBenchPages(
  'browser send profile',
  PAGE_SCRIPT,
  async ({ server, open }) => {
    const page = await open();
    type Bench = { start(baseURL: string, version: number): Promise<void>; sends(count: number): Promise<number> };
    await page.evaluate(([baseURL, version]) => (window as unknown as { bench: Bench }).bench.start(baseURL, version), [server.baseURL, v2 ? 2 : 4] as const);
    await page.evaluate((n) => (window as unknown as { bench: Bench }).bench.sends(n), WARM_UP);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
    await cdp.send('Profiler.start');
    const p50 = await page.evaluate((n) => (window as unknown as { bench: Bench }).bench.sends(n), SENDS);
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
    writeFileSync(OUT, JSON.stringify(profile));
    console.log(`socket.io-client ${v2 ? 2 : 4}: ${SENDS} sends after ${WARM_UP}, p50 ${(p50 * 1000).toFixed(0)} µs (profiler on); profile in ${OUT}`);
    for (const line of summary(profile)) console.log(line);
  },
  { minify: false },
);
