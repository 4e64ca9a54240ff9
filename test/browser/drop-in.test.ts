import type { ConsoleMessage, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatServer } from '../../server';
import { REPAIRED, SEED_SNIPPETS } from '../core/fixtures/seed-snippets';
import { ENGINE_IO_MODES, describeMode } from '../support/engine-io';
import { AREA, requireBuilt, useChromiumAndModeServers, visit } from './support';
import type { SocketJsVersion, Visit } from './support';

const shared = useChromiumAndModeServers();

beforeAll(() => requireBuilt('vanilla'));

/**
 * Opens a page written for the original (test/browser/fixtures/seed-page.html): socket.js (if
 * any), then the script; the seed's snippets then run on it as they are printed (the two broken
 * ones with the least repair). Records what the page logs, and counts its loads of the drop-in's engine.
 */
async function open(v: Visit, server: ChatServer, script: 'CentionChatAPI.js' | 'CentionChatAPI.standalone.js', socketJs: SocketJsVersion | undefined) {
  const logged: ConsoleMessage[] = [];
  v.page.on('console', (message) => logged.push(message));
  countEngineLoads(v.page);
  const query = new URLSearchParams({ script: script === 'CentionChatAPI.js' ? 'drop-in' : 'standalone', ...(socketJs ? { socket: socketJs } : {}) });
  await v.page.goto(`${server.url}/seed/seed-page.html?${query}`);
  return logged;
}

/** How many times each page asked for `CentionChatAPI.engine.js`. */
const engineLoads = new WeakMap<Page, number>();

function countEngineLoads(page: Page): void {
  engineLoads.set(page, 0);
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/dist/CentionChatAPI.engine.js') engineLoads.set(page, (engineLoads.get(page) ?? 0) + 1);
  });
}

/**
 * Runs a snippet in the page's global scope, as a `<script>` of the page would (its `var`s become
 * globals). Through the browser's debugging protocol, not an inline `<script>`: the server sends
 * every page with a Content-Security-Policy that forbids inline scripts, as a real site may.
 */
async function run(page: Page, code: string): Promise<void> {
  await page.evaluate(`${code}\n;undefined`);
}

/** Records the page's events of the seed in `window.seen`, in order, with their first argument. */
async function recordEvents(page: Page): Promise<void> {
  await run(
    page,
    `window.seen = [];
    ['connect', 'connect_error', 'queue', 'message sent', 'finish chat session'].forEach(function (name) {
      CentionChat.registerAction(name, function (data) { seen.push({ name: name, data: data instanceof Error ? data.message : data }); });
    });`,
  );
}

async function seen(page: Page, name: string, predicate: (data: unknown) => boolean = () => true): Promise<unknown> {
  let found: unknown;
  await expect
    .poll(async () => {
      const all = await page.evaluate(() => (window as unknown as { seen: { name: string; data: unknown }[] }).seen);
      found = all.find((e) => e.name === name && predicate(e.data));
      return found !== undefined;
    }, { timeout: 15_000 })
    .toBe(true);
  return (found as { data: unknown }).data;
}

/** The seed's `init`, pointed at our server, with the events recorded; then `canChat`, which must answer open (plain HTTP). */
async function initAndCanChat(page: Page, server: ChatServer): Promise<void> {
  await run(page, `${SEED_SNIPPETS.init}\nCentionChat.baseURL = ${JSON.stringify(server.baseURL)};`);
  await recordEvents(page);
  await run(page, `CentionChat.canChat(function (o) { seen.push({ name: "canChat", data: o }); }, ${AREA.simulated});`);
  expect(await seen(page, 'canChat')).toMatchObject({ chatOpen: true, error: '' });
}

const PAGES = [
  { script: 'CentionChatAPI.js', socketJs: '1.7.4' },
  { script: 'CentionChatAPI.js', socketJs: '2.5.0' },
  { script: 'CentionChatAPI.standalone.js', socketJs: 'none' },
] as const;

describe.each(ENGINE_IO_MODES.flatMap((mode) => PAGES.map((page) => ({ ...page, mode, on: describeMode(mode) }))))(
  '$script with socket.js $socketJs, on $on',
  ({ script, socketJs, mode }) => {
    it('runs the seed\'s snippets as printed: canChat, connect, queue, the agent, a message and its "message sent", finish', async () => {
      const server = shared.server(mode);
      const v = await visit(shared.browser);
      try {
        const logged = await open(v, server, script, socketJs === 'none' ? undefined : socketJs);
        const { page } = v;
        expect(await page.evaluate(() => typeof (window as { io?: unknown }).io)).toBe(socketJs === 'none' ? 'undefined' : 'function');
        await run(page, SEED_SNIPPETS.init);
        // The document's cloud server is not reachable from a test: point the page at ours.
        await run(page, `CentionChat.baseURL = ${JSON.stringify(server.baseURL)}; CentionAreaId = ${AREA.simulated};`);
        await run(page, SEED_SNIPPETS.translation);
        await run(page, SEED_SNIPPETS.messageAcked);
        await run(page, SEED_SNIPPETS.chatMessage);
        await recordEvents(page);
        await run(page, REPAIRED.canChat);
        await run(page, 'CentionChat.canChat(function (o) { seen.push({ name: "canChat", data: o }); }, CentionAreaId);');
        expect(await seen(page, 'canChat')).toMatchObject({ chatOpen: true, error: '' });
        // A visitor who never chats downloads no engine; one who does, the drop-in's once (the standalone carries its own).
        expect(engineLoads.get(page)).toBe(0);

        const registered = server.waitFor('session-registered', (e) => e.clientName === 'John Smith');
        await run(page, REPAIRED.connect);
        const { sessionId } = await registered;
        await seen(page, 'connect');
        expect(await seen(page, 'queue')).toBe(1);
        // The simulated agent Alice joins; the snippet's handler logs each chat message.
        await expect.poll(() => logged.some((m) => m.text().startsWith('Chat message received')), { timeout: 15_000 }).toBe(true);
        await expect.poll(() => server.session(sessionId)?.agent, { timeout: 15_000 }).toBe('Alice');

        await run(page, SEED_SNIPPETS.message);
        const sending = await page.evaluate(() => (window as unknown as { sending: { id: string; message: string } }).sending);
        expect(sending).toEqual({ id: expect.stringMatching(/^c-/), message: 'Hello! Are you there?' });
        expect(await seen(page, 'message sent', (d) => (d as { umid: string }).umid === sending.id)).toMatchObject({ id: expect.stringMatching(/^\d+$/) });
        expect(server.session(sessionId)!.transcript.filter((m) => m.umid === sending.id)).toHaveLength(1);
        expect(engineLoads.get(page)).toBe(script === 'CentionChatAPI.js' ? 1 : 0);

        const previewed = server.waitFor('preview', (e) => e.sessionId === sessionId);
        await run(page, SEED_SNIPPETS.preview);
        expect((await previewed).preview).toBe('Hello! Are y');

        await run(page, SEED_SNIPPETS.finish);
        await page.locator('#CentionChatFinishButton').click();
        await seen(page, 'finish chat session');
        expect(server.session(sessionId)?.state).toBe('ended');
        expect(await page.evaluate(() => (window as unknown as { seen: { name: string }[] }).seen.filter((e) => e.name === 'connect_error'))).toEqual([]);
        expect(logged.filter((m) => m.type() === 'error').map((m) => m.text())).toEqual([]);
        expect(v.pageErrors).toEqual([]);
      } finally {
        await v.context.close();
      }
    });
  },
);

describe.each(ENGINE_IO_MODES.map((mode) => ({ mode, on: describeMode(mode) })))('CentionChatAPI.js without socket.js, on $on', ({ mode }) => {
  it('says so once at load and by connect_error, and canChat still works', async () => {
    const server = shared.server(mode);
    const v = await visit(shared.browser);
    try {
      const sessionsBefore = server.sessions().length;
      const logged = await open(v, server, 'CentionChatAPI.js', undefined);
      const { page } = v;
      const errors = () => logged.filter((m) => m.type() === 'error').map((m) => m.text());
      expect(errors()).toEqual([expect.stringMatching(/^CentionChat: socket\.js is missing: .*socket\.io-client 1\.x or 2\.x/)]);
      await initAndCanChat(page, server);
      await run(page, REPAIRED.connect);
      expect(await seen(page, 'connect_error')).toContain('socket.js is missing');
      expect(errors()).toHaveLength(1);
      expect(server.sessions()).toHaveLength(sessionsBefore);
      expect(v.pageErrors).toEqual([]);
    } finally {
      await v.context.close();
    }
  });
});

describe('CentionChatAPI.js whose engine is not beside it', () => {
  it('names the address it tried, once in the console and by connect_error; canChat still works, and the next connect tries again', async () => {
    const server = shared.server(3);
    const v = await visit(shared.browser);
    try {
      await v.context.route('**/dist/CentionChatAPI.engine.js*', (route) => route.fulfill({ status: 404, body: 'Not found' }));
      const logged = await open(v, server, 'CentionChatAPI.js', '2.5.0');
      const { page } = v;
      const errors = () => logged.filter((m) => m.type() === 'error' && m.text().startsWith('CentionChat:')).map((m) => m.text());
      await initAndCanChat(page, server);
      await run(page, REPAIRED.connect);
      const address = `${server.url}/dist/CentionChatAPI.engine.js?v=`;
      expect(await seen(page, 'connect_error')).toContain(`${address}`);
      expect(errors()).toEqual([expect.stringContaining(`${address}`)]);
      await run(page, REPAIRED.connect);
      await expect.poll(() => errors().length).toBe(2);
      expect(engineLoads.get(page)).toBe(2);
      expect(v.pageErrors).toEqual([]);
    } finally {
      await v.context.close();
    }
  });
});

describe('CentionChatAPI.js on a page that enforces Trusted Types', () => {
  it('loads its engine through its own policy, `cention-chat`, and chats', async () => {
    const server = shared.server(3);
    const v = await visit(shared.browser);
    try {
      // A page of its own: the seed page writes its scripts with document.write, which Trusted Types forbid.
      const policy = "script-src 'self'; require-trusted-types-for 'script'; trusted-types cention-chat";
      await v.context.route(`${server.url}/trusted-types.html`, (route) =>
        route.fulfill({
          headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': policy },
          body: '<!doctype html><title>Trusted Types</title><script src="/vendor/socket.io-client-2/socket.io.js"></script><script src="/dist/CentionChatAPI.js"></script>',
        }),
      );
      const { page } = v;
      countEngineLoads(page);
      await page.goto(`${server.url}/trusted-types.html`);
      // Enforced: a plain string is refused where a script's address goes.
      expect(await page.evaluate(() => { try { document.createElement('script').src = '/x.js'; return 'taken'; } catch (error) { return (error as Error).name; } })).toBe('TypeError');
      await run(page, `${SEED_SNIPPETS.init}\nCentionChat.baseURL = ${JSON.stringify(server.baseURL)};`);
      await recordEvents(page);
      const registered = server.waitFor('session-registered', (e) => e.clientName === 'John Smith');
      await run(page, REPAIRED.connect);
      await registered;
      await seen(page, 'connect');
      expect(engineLoads.get(page)).toBe(1);
      // The one refusal is the probe's above.
      expect(v.cspViolations).toEqual([expect.stringContaining('(HTMLScriptElement src|/x.js)')]);
      expect(v.pageErrors).toEqual([]);
    } finally {
      await v.context.close();
    }
  });
});
