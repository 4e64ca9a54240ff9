import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AxeResults, RunOptions } from 'axe-core';
import type { Browser, BrowserContext, Download, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { startServer } from '../../server';
import type { AreaConfig, ChatServer, EngineIOMode } from '../../server';
import { launchChromium } from '../support/chromium';
import { ENGINE_IO_MODES } from '../support/engine-io';

/** The browser tests' Chromium (test/support/chromium.ts), for the files that launch their own. */
export { launchChromium };

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The three example sites; every scenario runs against each through the ids of docs/example-sites.md. */
export const SITES = ['vanilla', 'vue', 'svelte'] as const;
export type Site = (typeof SITES)[number];

/** Where a site's pages are: the vanilla site as written, the Vite sites as built by `npm run build:examples`. */
export function siteDir(site: Site): string {
  return site === 'vanilla' ? join(ROOT, 'examples', 'vanilla') : join(ROOT, 'examples', site, 'dist');
}

/** Throws, naming the command to run, when a site (or the browser script it loads) is not built. */
export function requireBuilt(site: Site): void {
  for (const page of ['index.html', 'second.html']) {
    const file = join(siteDir(site), page);
    if (!existsSync(file)) {
      throw new Error(`The ${site} example site is not built: ${file} is missing. Run \`npm run build:examples\` (and \`npm run build\`) before the browser tests.`);
    }
  }
  if (!existsSync(join(ROOT, 'dist', 'CentionChatAPI.js'))) throw new Error('dist/CentionChatAPI.js is missing: run `npm run build` before the browser tests.');
}

const KB = 1024;

/** The largest attachment the attachment areas take: small, so a refusal is cheap to provoke. */
export const MAX_ATTACHMENT = 64 * KB;

/** One area per answer a site must show. Simulated agents run on the real clock with short waits. */
export const AREA = {
  /** Simulated agent Alice: joins after 1 s, reads after 0.1 s, types for 1 s, answers. */
  simulated: 1,
  closed: 2,
  /** No agents: `agentsAvailable: 0`. */
  nobody: 3,
  /** Agents online but the queue takes nobody: a start gets `queue full`. */
  full: 4,
  /** Agent Bea is online and busy: the test plays her through `server.agent`. */
  played: 5,
  noAttachments: 6,
} as const;

const attachments = { 'chat.attachment': true, 'chat.max-attachment-size': MAX_ATTACHMENT, 'chat.max-image-size': MAX_ATTACHMENT } as const;

export const BROWSER_AREAS: readonly AreaConfig[] = [
  { id: AREA.simulated, name: 'Support', agents: { mode: 'simulated', names: ['Alice'], joinDelayMs: 1_000, replyDelayMs: 100, typingMs: 1_000 }, features: attachments },
  { id: AREA.closed, name: 'Sales', hours: 'never', agents: { mode: 'busy', names: ['Sam'] } },
  { id: AREA.nobody, name: 'Billing', agents: { mode: 'none' } },
  { id: AREA.full, name: 'Busy', agents: { mode: 'busy', names: ['Dana'] }, queueLimit: 0 },
  { id: AREA.played, name: 'Played', agents: { mode: 'busy', names: ['Bea'] }, features: attachments },
  { id: AREA.noAttachments, name: 'No files', agents: { mode: 'busy', names: ['Eve'] }, features: { 'chat.attachment': false } },
];

/** The socket.js a page may load: socket.io-client 1.7.4 or 2.5.0, served under `/vendor/`. */
export type SocketJsVersion = '1.7.4' | '2.5.0';

/**
 * The reference server with the browser areas, serving the three sites, `dist/` and the
 * socket.js files like `npm run demo`, in an Engine.IO mode (default both 3 and 4).
 */
export function startSiteServer(engineIO: EngineIOMode = 'both'): Promise<ChatServer> {
  return startServer({
    port: 0,
    host: '127.0.0.1',
    areas: BROWSER_AREAS,
    agentConsole: false,
    logger: () => undefined,
    engineIO,
    static: [
      ...SITES.map((site) => ({ urlPath: `/${site}/`, dir: siteDir(site) })),
      { urlPath: '/dist/', dir: join(ROOT, 'dist') },
      { urlPath: '/vendor/socket.io-client-1/', dir: join(ROOT, 'node_modules', 'socket.io-client-v1', 'dist') },
      { urlPath: '/vendor/socket.io-client-2/', dir: join(ROOT, 'node_modules', 'socket.io-client-v2', 'dist') },
      // A page written for the original script, to run the seed's snippets on.
      { urlPath: '/seed/', dir: join(ROOT, 'test', 'browser', 'fixtures') },
    ],
  });
}

/**
 * One Chromium and one site server (Engine.IO 3 and 4) for the whole file, started before its
 * first test and closed after its last: read them as `shared.browser` and `shared.server`.
 */
export function useChromiumAndSiteServer(): { readonly browser: Browser; readonly server: ChatServer } {
  let browser: Browser | undefined;
  let server: ChatServer | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
    server = await startSiteServer();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  const started = <T>(what: T | undefined, name: string): T => {
    if (what === undefined) throw new Error(`the ${name} is started in beforeAll: read it inside a test`);
    return what;
  };
  return {
    get browser() {
      return started(browser, 'browser');
    },
    get server() {
      return started(server, 'site server');
    },
  };
}

/**
 * One Chromium, and a site server for each Engine.IO mode (an Engine.IO-3-only one like
 * Cention's, and one that speaks 3 and 4), for the whole file: read them as `shared.browser`
 * and `shared.server(mode)` inside a test or hook.
 */
export function useChromiumAndModeServers(): { readonly browser: Browser; server(mode: EngineIOMode): ChatServer } {
  let browser: Browser | undefined;
  const servers = new Map<EngineIOMode, ChatServer>();
  beforeAll(async () => {
    for (const mode of ENGINE_IO_MODES) servers.set(mode, await startSiteServer(mode));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    for (const server of servers.values()) await server.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error('the browser is started in beforeAll: read it inside a test');
      return browser;
    },
    server(mode) {
      const server = servers.get(mode);
      if (!server) throw new Error(`the ${mode} site server is started in beforeAll: read it inside a test`);
      return server;
    },
  };
}

/**
 * Ends a scenario: closes its context, ends every chat it left open on `server` (the next
 * scenario starts with empty queues: a chat left waiting would take place 1), and checks that the
 * page threw nothing and broke no rule of the page security policy.
 */
export async function endVisit(v: Visit, server: ChatServer): Promise<void> {
  await v.context.close();
  for (const session of server.sessions()) if (session.state !== 'ended') server.agent.end(session.id);
  expect(v.pageErrors, 'uncaught errors in the page').toEqual([]);
  expectNoCspViolations(v);
}

/** A fresh browser context and page for one scenario, with everything the page did wrong recorded. */
export interface Visit {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught exceptions of the site. */
  readonly pageErrors: string[];
  /** `alert`/`confirm`/`prompt` dialogs that opened (dismissed at once). */
  readonly dialogs: string[];
  /** What the server's Content-Security-Policy blocked, in any page of the context (see {@link recordCspViolations}). */
  readonly cspViolations: string[];
}

/**
 * Records every `securitypolicyviolation` of the context's pages, popups included, as
 * `<directive> blocked <what> in <page>`. The listener goes in before any script of a page runs.
 */
export async function recordCspViolations(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  await context.exposeBinding('__centionCspViolation', (_source, text: string) => void violations.push(text));
  await context.addInitScript(() => {
    const report = (window as unknown as { __centionCspViolation: (text: string) => void }).__centionCspViolation;
    document.addEventListener(
      'securitypolicyviolation',
      (event) => report(`${event.effectiveDirective} blocked ${event.blockedURI || 'an inline part'}${event.sample ? ` (${event.sample})` : ''} in ${event.documentURI}`),
      true,
    );
  });
  return violations;
}

/** Fails the test when the server's Content-Security-Policy blocked anything in the visit's pages. */
export function expectNoCspViolations(visited: Visit): void {
  expect(visited.cspViolations, 'Content-Security-Policy violations').toEqual([]);
}

/** A new context and page, on a desktop-sized window unless told another `viewport`. */
export async function visit(browser: Browser, viewport = { width: 1100, height: 820 }): Promise<Visit> {
  const context = await browser.newContext({ acceptDownloads: true, viewport });
  const pageErrors: string[] = [];
  const dialogs: string[] = [];
  const cspViolations = await recordCspViolations(context);
  context.on('weberror', (error) => pageErrors.push(error.error().message));
  const watched = new WeakSet<Page>();
  const watchDialogs = (page: Page): void => {
    if (watched.has(page)) return;
    watched.add(page);
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  };
  // Popups (print) too: no page of the scenario may open a dialog.
  context.on('page', watchDialogs);
  const page = await context.newPage();
  watchDialogs(page);
  return { context, page, pageErrors, dialogs, cspViolations };
}

/** The URL of a site's page in an area. */
export function pageURL(server: ChatServer, site: Site, area: number, page: 'index.html' | 'second.html' = 'index.html'): string {
  return `${server.url}/${site}/${page}?area=${area}`;
}

let customers = 0;

/** Opens the chat panel with its launcher, unless it is open already (a page of the same tab remembers it open). */
export async function openChat(page: Page): Promise<void> {
  const launcher = page.locator('#ChatLauncher');
  await launcher.waitFor();
  if ((await launcher.getAttribute('aria-expanded')) !== 'true') await launcher.click();
  await page.locator('#ChatPanel').waitFor({ state: 'visible' });
}

/** axe-core's script (the pinned dev dependency), read once. */
let axeSource: string | undefined;

/**
 * Runs axe-core on the page as it is now and fails on any serious or critical violation, naming
 * `where` (the state the scenario reached). The script goes in through the debugging protocol
 * (an evaluation, not a `<script>` element), so the page's Content-Security-Policy, which
 * forbids inline scripts, neither blocks it nor reports it.
 */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const { axe } = window as unknown as { axe: { run(context: Document, options: RunOptions): Promise<AxeResults> } };
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id} (${violation.impact}): ${violation.help}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  });
  expect(violations, `serious or critical axe-core violations ${where}`).toEqual([]);
}

/** Whether the page scrolls sideways: its width beyond the window's, in CSS pixels (0 when it fits). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - document.documentElement.clientWidth);
}

/** Fills and sends the start form (opening the chat panel first); resolves with the session the server registered. */
export async function startChat(page: Page, server: ChatServer, question = 'Where is my bike?'): Promise<{ sessionId: number; name: string; question: string }> {
  const name = `Customer ${++customers}`;
  const registered = server.waitFor('session-registered', (e) => e.clientName === name);
  await openChat(page);
  await page.locator('#StartName').fill(name);
  await page.locator('#StartEmail').fill(`customer${customers}@example.com`);
  await page.locator('#StartQuestion').fill(question);
  await page.locator('#StartButton').click();
  const { sessionId } = await registered;
  await page.locator('#ChatView').waitFor({ state: 'visible' });
  return { sessionId, name, question };
}

/** Writes a message in the chat form and sends it with the send button. */
export async function send(page: Page, text: string): Promise<void> {
  await page.locator('#ChatInput').fill(text);
  await page.locator('#ChatSendButton').click();
}

/** The transcript entries (`li`) of one sender that contain `text`. */
export function entries(page: Page, sender: 'CLIENT' | 'AGENT' | 'SYSTEM', text: string | RegExp): Locator {
  return page.locator(`#ChatMessages li[data-sender="${sender}"]`, { hasText: text });
}

/** Waits until exactly one transcript entry shows `text`, and it is visible. */
export async function shownOnce(page: Page, sender: 'CLIENT' | 'AGENT' | 'SYSTEM', text: string | RegExp): Promise<Locator> {
  const entry = entries(page, sender, text);
  await entry.first().waitFor({ state: 'visible' });
  await expect.poll(() => entry.count()).toBe(1);
  return entry;
}

/** Waits until an own message reaches one of `statuses`. */
export async function statusOf(page: Page, text: string, statuses: readonly string[]): Promise<string> {
  const entry = entries(page, 'CLIENT', text);
  await expect.poll(async () => statuses.includes((await entry.first().getAttribute('data-status')) ?? '')).toBe(true);
  return (await entry.first().getAttribute('data-status')) ?? '';
}

/**
 * Makes every socket.io request of the context fail (the page's link cannot come back) until the
 * returned function is called. socket.io-client reconnects over HTTP long-polling first, so
 * failing those requests keeps it offline.
 */
export async function blockSocket(context: BrowserContext): Promise<() => Promise<void>> {
  const socketIo = (url: URL): boolean => url.pathname.endsWith('/socket/socket.io/');
  await context.route(socketIo, (route) => route.abort());
  return () => context.unroute(socketIo);
}

/**
 * Slows the page's uploads to `bytesPerSecond` (Chromium's own network throttling, so the page
 * sees real upload progress) until the returned function is called.
 */
export async function throttleUploads(page: Page, bytesPerSecond: number): Promise<() => Promise<void>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const upload = (uploadThroughput: number) => cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput });
  await upload(bytesPerSecond);
  return async () => {
    await upload(-1);
    await cdp.detach();
  };
}

/** Reads a download to text. */
export async function downloaded(download: Download): Promise<string> {
  const path = await download.path();
  return readFile(path, 'utf8');
}
