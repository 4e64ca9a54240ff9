/**
 * What the package costs a site, held to its budgets (issue 9; issue 7 for the drop-in): one-line
 * consumers built by Vite for production against `dist/` (test/bench/bundle-sizes.ts, which
 * `npm run bench` prints). A size check, not a timing. `npm test` builds `dist/` first. The drop-in
 * script's budget is held in browser-script.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CONSUMERS, measureBundles } from '../bench/bundle-sizes';
import type { BundleSize } from '../bench/bundle-sizes';

let sizes: BundleSize[];

beforeAll(async () => {
  sizes = await measureBundles();
}, 120_000);

describe('what an import adds to a site built by Vite', () => {
  for (const consumer of CONSUMERS) {
    it(`${consumer.name}: at most ${(consumer.limit / 1024).toFixed(1)} KiB min+gzip in the first bundle${consumer.lazy ? '' : ', and no lazy chunk'}`, () => {
      const size = sizes.find((s) => s.consumer === consumer)!;
      expect(size.first).toBeLessThanOrEqual(consumer.limit);
      if (!consumer.lazy) expect(size.lazy).toBe(0);
    });
  }

  it('loads the engine (xstate, socket.io-client, the statechart) in a lazy chunk, not the first bundle', () => {
    const chat = sizes.find((s) => s.consumer.name === 'createCentionChat')!;
    // xstate alone is about 12 KiB min+gzip: a lazy chunk without it would be far smaller.
    expect(chat.lazy).toBeGreaterThan(20 * 1024);
  });
});
