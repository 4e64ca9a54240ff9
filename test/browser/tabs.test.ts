import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatServer } from '../../server';
import { ENGINE_IO_MODES, describeMode } from '../support/engine-io';
import { AREA, endVisit, launchChromium, openChat, pageURL, requireBuilt, send, shownOnce, startChat, statusOf, useChromiumAndModeServers, visit } from './support';
import type { Visit } from './support';

/**
 * The chat living the browser's life, on the vanilla example site (the drop-in script): many
 * tabs of one chat, a network that goes and comes back, the back/forward cache, a hidden tab.
 */
const shared = useChromiumAndModeServers();
/** The site server of the scenarios running now. */
let server: ChatServer;

beforeAll(() => requireBuilt('vanilla'));

const site = 'vanilla';

/** Copies of the message `text` that reached the server: `true` for a copy it had stored before (already seen). */
function arrivalsOf(sessionId: number, text: string): boolean[] {
  const arrivals: boolean[] = [];
  server.on('client-message', (e) => {
    if (e.sessionId === sessionId && e.message.text === text) arrivals.push(e.alreadySeen);
  });
  return arrivals;
}

/** The server stored `text` once in the chat; a failure says where it went instead and what the chat holds (CI once saw none with the page showing it sent). */
function storedOnce(sessionId: number, text: string): void {
  const held = server.session(sessionId)!.transcript;
  const copies = held.filter((m) => m.text === text);
  const holding = server.sessions().filter((s) => s.transcript.some((m) => m.text === text)).map((s) => s.id);
  const last = held.slice(-5).map(({ id, sender, umid, text: said }) => ({ id, sender, umid, said: said.slice(0, 40) }));
  expect(copies, `chat ${sessionId} holds ${JSON.stringify(text)} ${copies.length} times; chats holding it: ${JSON.stringify(holding)}; its last messages: ${JSON.stringify(last)}`).toHaveLength(1);
}

/** Opens the site in another tab of the context and shows its chat, which is the same chat. */
async function openAnotherTab(v: Visit): Promise<Page> {
  const tab = await v.context.newPage();
  await tab.goto(pageURL(server, site, AREA.played));
  await openChat(tab);
  const chatOrOffer = tab.locator('#ChatView:visible, #ResumeButton:visible').first();
  await chatOrOffer.waitFor();
  if (await tab.locator('#ResumeButton').isVisible()) await tab.locator('#ResumeButton').click();
  await tab.locator('#ChatView').waitFor({ state: 'visible' });
  return tab;
}

/** The sockets that show the chat, as the server counts them. */
const socketsOf = (sessionId: number) => server.session(sessionId)?.connectedSockets;

describe.each(ENGINE_IO_MODES.map((mode) => ({ mode, on: describeMode(mode) })))('tabs, sleep and networks, on $on', ({ mode }) => {
  let v: Visit;

  beforeAll(() => {
    server = shared.server(mode);
  });

  beforeEach(async () => {
    v = await visit(shared.browser);
  });

  afterEach(() => endVisit(v, server));

  it('shares one socket among three tabs; a message of tab 2 shows in tabs 1 and 3; the leader closed mid-send loses nothing and doubles nothing', async () => {
    const one = v.page;
    await one.goto(pageURL(server, site, AREA.played));
    const { sessionId } = await startChat(one, server);
    server.agent.join(sessionId, 'Bea');
    const two = await openAnotherTab(v);
    const three = await openAnotherTab(v);
    await expect.poll(() => socketsOf(sessionId)).toBe(1);

    await send(two, 'Sent from tab 2');
    for (const tab of [one, two, three]) await shownOnce(tab, 'CLIENT', 'Sent from tab 2');
    server.agent.say(sessionId, 'Seen in every tab.');
    for (const tab of [one, two, three]) await shownOnce(tab, 'AGENT', 'Seen in every tab.');
    expect(socketsOf(sessionId)).toBe(1);

    // Tab 1 leads. Its socket gets no answer now; tab 2 sends, and tab 1 closes as the message reaches the server.
    const text = 'Sent as the leading tab closed';
    const arrivals = arrivalsOf(sessionId, text);
    server.faults.set({ loseReplies: true, delayMs: 60_000 }, sessionId);
    const arrived = server.waitFor('client-message', (e) => e.sessionId === sessionId && e.message.text === text);
    await send(two, text);
    await arrived;
    const resumed = server.waitFor('session-resumed', (e) => e.sessionId === sessionId);
    await one.close();
    const closedAt = Date.now();
    server.faults.clear(sessionId);
    // Another tab takes over within a second: its socket is in the chat again.
    await resumed;
    const takeover = Date.now() - closedAt;
    expect(takeover).toBeLessThan(1_000);

    for (const tab of [two, three]) {
      await shownOnce(tab, 'CLIENT', text);
      await statusOf(tab, text, ['sent', 'delivered']);
    }
    storedOnce(sessionId, text);
    expect(arrivals.filter((alreadySeen) => !alreadySeen)).toHaveLength(1);
    await expect.poll(() => socketsOf(sessionId)).toBe(1);

    // And the chat goes on in both.
    await send(three, 'From tab 3, after the takeover');
    for (const tab of [two, three]) await shownOnce(tab, 'CLIENT', 'From tab 3, after the takeover');
  });

  it('shows the link down at once when the network goes, and is back within a second of its return, resending nothing twice', async () => {
    const { page, context } = v;
    await page.goto(pageURL(server, site, AREA.played));
    const { sessionId } = await startChat(page, server);
    server.agent.join(sessionId, 'Bea');
    await page.locator('#LinkStatus').waitFor({ state: 'hidden' });

    await context.setOffline(true);
    // No ping timeout to wait for: the page says offline, the chat says reconnecting.
    await page.locator('#LinkStatus').waitFor({ state: 'visible', timeout: 1_000 });
    const text = 'Written while offline';
    const arrivals = arrivalsOf(sessionId, text);
    await send(page, text);
    await statusOf(page, text, ['sending', 'queued']);

    await context.setOffline(false);
    const back = Date.now();
    await page.locator('#LinkStatus').waitFor({ state: 'hidden', timeout: 1_000 });
    const took = Date.now() - back;
    await statusOf(page, text, ['sent', 'delivered']);
    storedOnce(sessionId, text);
    expect(arrivals).toEqual([false]);
    expect(took).toBeLessThan(1_000);
  });

  it('counts what arrives while the tab is hidden in the title, and clears it when the tab is shown', async () => {
    const { page } = v;
    // The test decides whether the page is hidden (a headless tab is always visible).
    await page.addInitScript(() => {
      let hidden = false;
      Object.defineProperty(document, 'visibilityState', { get: () => (hidden ? 'hidden' : 'visible'), configurable: true });
      Object.defineProperty(document, 'hidden', { get: () => hidden, configurable: true });
      (window as unknown as { setHidden: (value: boolean) => void }).setHidden = (value) => {
        hidden = value;
        document.dispatchEvent(new Event('visibilitychange'));
      };
    });
    await page.goto(pageURL(server, site, AREA.played));
    const { sessionId } = await startChat(page, server);
    server.agent.join(sessionId, 'Bea');
    const title = await page.title();
    await page.evaluate(() => (window as unknown as { setHidden: (value: boolean) => void }).setHidden(true));
    server.agent.say(sessionId, 'One');
    server.agent.say(sessionId, 'Two');
    await expect.poll(() => page.title()).toMatch(/^\((2|3)\) /);
    await page.evaluate(() => (window as unknown as { setHidden: (value: boolean) => void }).setHidden(false));
    await expect.poll(() => page.title()).toBe(title);
  });

  it('never asks for notification permission but from a click on enableNotifications()', async () => {
    const { page } = v;
    await page.addInitScript(() => {
      const asked: boolean[] = [];
      (window as unknown as { asked: boolean[] }).asked = asked;
      const original = Notification.requestPermission.bind(Notification);
      Notification.requestPermission = () => {
        asked.push(navigator.userActivation.isActive);
        return original();
      };
    });
    await page.goto(pageURL(server, site, AREA.played));
    const { sessionId } = await startChat(page, server);
    server.agent.join(sessionId, 'Bea');
    server.agent.say(sessionId, 'Hello there.');
    await shownOnce(page, 'AGENT', 'Hello there.');
    // A page that asks for notifications, with a button for the customer.
    await page.evaluate(() => {
      const chat = (window as unknown as { _CentionChat(options: object): { enableNotifications(): Promise<string> } })._CentionChat({ notifications: {} });
      const button = document.createElement('button');
      button.id = 'NotifyMe';
      button.textContent = 'Notify me';
      button.addEventListener('click', () => void chat.enableNotifications());
      document.body.append(button);
    });
    expect(await page.evaluate(() => (window as unknown as { asked: boolean[] }).asked)).toEqual([]);
    await page.locator('#NotifyMe').click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { asked: boolean[] }).asked)).toEqual([true]);
  });
});

describe.each(ENGINE_IO_MODES.map((mode) => ({ mode, on: describeMode(mode) })))('the back/forward cache, on $on', ({ mode }) => {
  let cached: Browser;
  let v: Visit;

  beforeAll(async () => {
    server = shared.server(mode);
    cached = await launchChromium({ backForwardCache: true });
  });

  afterAll(async () => {
    await cached?.close();
  });

  beforeEach(async () => {
    v = await visit(cached);
  });

  afterEach(() => endVisit(v, server));

  it('lets the page into the cache, and back connected, with a message sent just before leaving stored once', async () => {
    const { page } = v;
    await page.goto(pageURL(server, site, AREA.played));
    const { sessionId } = await startChat(page, server);
    server.agent.join(sessionId, 'Bea');
    await page.evaluate(() => {
      const shows: boolean[] = [];
      (window as unknown as { shows: boolean[] }).shows = shows;
      addEventListener('pageshow', (event) => shows.push(event.persisted));
    });
    const text = 'Sent just before leaving';
    const arrivals = arrivalsOf(sessionId, text);
    await send(page, text);
    await page.goto(`${server.url}/seed/seed-page.html`);
    await page.evaluate(() => history.back());
    // A page loaded afresh has no \`shows\`: the poll then reads why Chromium did not restore it (its notRestoredReasons).
    await expect
      .poll(() =>
        page.evaluate(() => {
          const navigation = performance.getEntriesByType('navigation')[0] as (PerformanceEntry & { notRestoredReasons?: unknown }) | undefined;
          return (window as unknown as { shows?: boolean[] }).shows ?? `not restored: ${JSON.stringify(navigation?.notRestoredReasons ?? 'no reasons given')}`;
        }),
      )
      .toEqual([true]);
    await page.locator('#LinkStatus').waitFor({ state: 'hidden' });
    await expect.poll(() => socketsOf(sessionId)).toBe(1);
    await statusOf(page, text, ['sent', 'delivered']);
    storedOnce(sessionId, text);
    expect(arrivals.filter((alreadySeen) => !alreadySeen)).toHaveLength(1);
    server.agent.say(sessionId, 'Welcome back.');
    await shownOnce(page, 'AGENT', 'Welcome back.');
  });
});
