/**
 * The heap of a page whose client has started and closed many chats, in Chromium: with tab
 * sharing (the default in a browser) and without it. Heap after three forced GCs (CDP), at 10,
 * 110 and 310 chats; each chat queued, then closed. A tool for looking closer, not part of
 * `npm run bench` (which holds the 1,000-chat target in Node, where no tabs are shared).
 *
 *   npm run build && npx tsx test/bench/browser-chats.ts
 */
import { join } from 'node:path';
import { ROOT, withBenchPages } from './browser-page';

const PAGE_SCRIPT = `
import { createCentionChat } from ${JSON.stringify(join(ROOT, 'dist/index.js'))};
let chat;
window.bench = {
  make(baseURL, share) {
    chat = createCentionChat({ baseURL, area: 1, storage: null, shareAcrossTabs: share });
  },
  async chats(n) {
    for (let i = 0; i < n; i++) {
      await chat.start({ name: 'Ada', message: 'Hello ' + i });
      await chat.close();
    }
  },
};
`;

type Bench = { make(baseURL: string, share: boolean): void; chats(n: number): Promise<void> };

await withBenchPages('the heap over many chats', PAGE_SCRIPT, async ({ server, open }) => {
  for (const share of [true, false, true, false]) {
    const page = await open();
    const cdp = await page.context().newCDPSession(page);
    await page.evaluate(([baseURL, s]) => (window as unknown as { bench: Bench }).bench.make(baseURL, s), [server.baseURL, share] as const);
    const heap = async () => {
      for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize / 1024;
    };
    const figures: [number, number][] = [];
    let done = 0;
    for (const upTo of [10, 110, 310]) {
      await page.evaluate((n) => (window as unknown as { bench: Bench }).bench.chats(n), upTo - done);
      done = upTo;
      figures.push([done, await heap()]);
    }
    const [, at110] = figures[1]!;
    const [, at310] = figures[2]!;
    console.log(`shareAcrossTabs: ${share}: heap after ${figures.map(([n, kib]) => `${n} chats ${kib.toFixed(0)} KiB`).join(', ')}; ${(((at310 - at110) * 1024) / 200).toFixed(0)} B per chat from 110 to 310`);
    await page.context().close();
  }
});
