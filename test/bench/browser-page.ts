/**
 * What the Chromium benches share: a page script bundled by esbuild (from `dist/` and
 * node_modules, as a site would), served by the reference server with one bench area, and
 * headless Debian Chromium, each page opened in a browser context of its own.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { startServer } from '../../server';
import type { ChatServer } from '../../server';
import { CHROMIUM_PATH, launchChromium } from '../support/chromium';

/** The repository's root, for the page script's imports of `dist/`. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface BenchPages {
  readonly server: ChatServer;
  /**
   * A new page of the script, in a browser context of its own: two chats of one site in one
   * profile would share one socket (tab sharing, core/tabs), and the second would be a following tab.
   */
  open(): Promise<Page>;
  /** What the pages threw, for the bench to fail on. */
  readonly errors: readonly string[];
}

/**
 * Runs `measure` with pages of `script` (an ES module, bundled) served by a reference server whose
 * area 1 has a busy agent, so chats wait in its queue. Resolves without calling `measure`, after
 * saying so, where there is no Chromium (`/usr/bin/chromium`, or `CHROMIUM_PATH`).
 */
export async function withBenchPages(what: string, script: string, measure: (pages: BenchPages) => Promise<void>, { minify = true }: { readonly minify?: boolean } = {}): Promise<void> {
  if (!existsSync(CHROMIUM_PATH)) {
    console.log(`${what}: not measured, no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'cention-browser-bench-'));
  try {
    await build({ stdin: { contents: script, resolveDir: ROOT, sourcefile: 'bench-page.js' }, bundle: true, format: 'iife', minify, target: 'es2020', outfile: join(dir, 'bench.js'), logLevel: 'error', define: { 'process.env.NODE_ENV': '"production"' } });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>bench</title><script src="bench.js"></script>');
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      areas: [{ id: 1, name: 'Bench', agents: { mode: 'busy', names: ['Bea'] }, queueLimit: Infinity, idleTimeoutMs: 0 }],
      agentConsole: false,
      limits: false,
      logger: () => undefined,
      static: [{ urlPath: '/bench/', dir }],
    });
    const browser = await launchChromium();
    try {
      const errors: string[] = [];
      const open = async () => {
        const page = await (await browser.newContext()).newPage();
        page.on('pageerror', (error) => errors.push(String(error)));
        await page.goto(`${server.url.replace(/\/$/, '')}/bench/index.html`);
        return page;
      };
      await measure({ server, open, errors });
      if (errors.length > 0) throw new Error(`the page failed: ${errors.join('; ')}`);
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
