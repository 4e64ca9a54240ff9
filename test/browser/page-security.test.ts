/**
 * The reference server's Content-Security-Policy as a browser enforces it: what it blocks is
 * reported (the helper every browser scenario uses), and the pages that had inline parts (the
 * statechart inspector of `?inspect`, the printed history) work under it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../server';
import { AREA, SITES, expectNoCspViolations, pageURL, requireBuilt, startChat, visit, useChromiumAndSiteServer } from './support';

const shared = useChromiumAndSiteServer();

describe('the page security policy in a browser', () => {
  it('blocks an inline script and a style attribute on a page of the server, and the helper reports both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cention-inline-'));
    const inline = await startServer({ port: 0, agentConsole: false, logger: () => undefined, static: [{ urlPath: '/shop/', dir }] });
    try {
      writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Inline</title><p id="note" style="color: rgb(255, 0, 0)">Hi</p><script>window.ranInline = true;</script>');
      const v = await visit(shared.browser);
      await v.page.goto(`${inline.url}/shop/`);
      await expect.poll(() => v.cspViolations.length).toBe(2);
      expect(v.cspViolations.map((text) => text.split(' ')[0]).sort()).toEqual(['script-src-elem', 'style-src-attr']);
      expect(await v.page.evaluate(() => (window as { ranInline?: boolean }).ranInline)).toBeUndefined();
      expect(await v.page.locator('#note').evaluate((note) => getComputedStyle(note).color)).not.toBe('rgb(255, 0, 0)');
      expect(() => expectNoCspViolations(v)).toThrow(/Content-Security-Policy violations/);
      await v.context.close();
    } finally {
      await inline.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(SITES)('shows the statechart inspector of ?inspect on the %s site, styled, with nothing blocked', async (site) => {
    requireBuilt(site);
    const v = await visit(shared.browser);
    await v.page.goto(`${pageURL(shared.server, site, AREA.played)}&inspect`);
    const panel = v.page.locator('.cention-inspector');
    await panel.waitFor();
    await startChat(v.page, shared.server);
    await panel.locator('[data-state="chat.live.session.queued"].active').waitFor();
    expect(await panel.evaluate((element) => getComputedStyle(element).position)).toBe('fixed');
    expectNoCspViolations(v);
    expect(v.pageErrors).toEqual([]);
    await v.context.close();
    for (const session of shared.server.sessions()) if (session.state !== 'ended') shared.server.agent.end(session.id);
  });
});
