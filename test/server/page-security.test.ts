import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AREAS, onCleanup, register, startHarness } from './support/harness';
import { http } from './support/http';

/** The directives of a Content-Security-Policy header, by name. */
function directives(headers: IncomingHttpHeaders): Map<string, string[]> {
  const policy = String(headers['content-security-policy'] ?? '');
  return new Map(policy.split(';').map((part) => part.trim().split(/\s+/)).filter((words) => words[0]).map(([name = '', ...values]) => [name, values]));
}

/** Checks the headers of a page the server serves: strict CSP, nosniff, no referrer. */
function expectSafePage(headers: IncomingHttpHeaders, what: string): void {
  const csp = directives(headers);
  expect(csp.get('default-src'), what).toEqual(["'none'"]);
  for (const name of ['script-src', 'style-src']) {
    expect(csp.get(name), `${what} ${name}`).toContain("'self'");
    expect(csp.get(name), `${what} ${name}`).not.toContain("'unsafe-inline'");
    expect(csp.get(name), `${what} ${name}`).not.toContain("'unsafe-eval'");
  }
  expect(csp.get('frame-ancestors'), what).toEqual(["'none'"]);
  expect(csp.get('object-src'), what).toEqual(["'none'"]);
  expect(csp.get('base-uri'), what).toEqual(["'none'"]);
  expect(headers['x-content-type-options'], what).toBe('nosniff');
  expect(headers['referrer-policy'], what).toBe('no-referrer');
}

/** A folder with a small site in it, removed after the test. */
function site(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cention-site-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Shop</title><script src="app.js"></script>');
  writeFileSync(join(dir, 'app.js'), 'console.log("shop")');
  mkdirSync(join(dir, 'lib'));
  writeFileSync(join(dir, 'lib', 'CentionChatAPI.js'), 'var FOR_THIRD_PARTY_USE = true;');
  return dir;
}

describe('a safe page by default', () => {
  it('serves the sites, the console, the index page and the printed history with a strict policy', async () => {
    const dir = site();
    const { server, connect } = await startHarness({ static: [{ urlPath: '/shop/', dir }] });
    const { sessionSecret } = await register(await connect('v4'), AREAS.busy.id);
    const pages = {
      'a site page': `${server.url}/shop/`,
      'a site script': `${server.url}/shop/app.js`,
      'the console': `${server.url}/console/`,
      'the console script': `${server.url}/console/console.js`,
      'the index page': `${server.url}/`,
      'the printed history': `${server.baseURL}/socket/external.api/printhistory?area=${AREAS.busy.id}&secret=${encodeURIComponent(sessionSecret)}`,
    };
    for (const [what, url] of Object.entries(pages)) {
      const reply = await http(url);
      expect(reply.status, what).toBe(200);
      expectSafePage(reply.headers, what);
    }
  });

  it('lets a page the server writes run its own style and script by a nonce that changes every time', async () => {
    const { server, connect } = await startHarness();
    const { sessionSecret } = await register(await connect('v4'), AREAS.busy.id);
    const url = `${server.baseURL}/socket/external.api/printhistory?area=${AREAS.busy.id}&secret=${encodeURIComponent(sessionSecret)}`;
    const [first, second] = [await http(url), await http(url)];
    const nonceOf = (headers: IncomingHttpHeaders) => /'nonce-([^']+)'/.exec(String(headers['content-security-policy']))?.[1];
    const nonce = nonceOf(first.headers);
    expect(nonce).toMatch(/^[\w+/]{22}==$/);
    expect(nonceOf(second.headers)).not.toBe(nonce);
    expect(directives(first.headers).get('script-src')).toEqual(["'self'", `'nonce-${nonce}'`]);
    expect(first.text).toContain(`<style nonce="${nonce}">`);
    expect(first.text).toContain(`<script nonce="${nonce}">`);
    expect(first.text).not.toMatch(/ style="/);
  });
});

describe('the index page', () => {
  /** The links of the index page. */
  async function links(url: string): Promise<string[]> {
    const page = await http(`${url}/`);
    expectSafePage(page.headers, 'the index page');
    return [...page.text.matchAll(/href="([^"]+)"/g)].map((match) => match[1] ?? '').filter((href) => href !== 'data:,');
  }

  it('links only what answers: a site, the drop-in script; not folders without a page', async () => {
    const dir = site();
    const { server } = await startHarness({ agentConsole: { key: false }, static: [{ urlPath: '/shop/', dir }, { urlPath: '/dist/', dir: join(dir, 'lib') }] });
    const found = await links(server.url);
    expect(found.sort()).toEqual(['/console/', '/dist/CentionChatAPI.js', '/shop/']);
    for (const href of found) expect((await http(`${server.url}${href}`)).status, href).toBe(200);
  });

  it('names the console without linking it when it needs its key, and says where the address with the key is', async () => {
    const { server } = await startHarness({ agentConsole: { key: 'k3y' } });
    expect(await links(server.url)).toEqual([]);
    const page = await http(`${server.url}/`);
    expect(page.text).toContain('open it through the address the server printed when it started');
    expect(page.text).not.toContain('k3y');
  });
});
