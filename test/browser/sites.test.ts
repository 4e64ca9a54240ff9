import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import type { ChatServer, EngineIOMode } from '../../server';
import { ENGINE_IO_MODES, describeMode } from '../support/engine-io';
import {
  AREA,
  MAX_ATTACHMENT,
  blockSocket,
  SITES,
  downloaded,
  entries,
  expectNoCspViolations,
  launchChromium,
  pageURL,
  requireBuilt,
  send,
  shownOnce,
  startChat,
  startSiteServer,
  statusOf,
  throttleUploads,
  visit,
} from './support';
import type { Visit } from './support';

const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots');

/** A server per Engine.IO mode; `server` is the one of the scenarios running now. */
const servers = new Map<EngineIOMode, ChatServer>();
let server: ChatServer;
let browser: Browser;

beforeAll(async () => {
  for (const mode of ENGINE_IO_MODES) servers.set(mode, await startSiteServer(mode));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const each of servers.values()) await each.close();
});

/**
 * System messages as the sites word them through their translation table (the seed's
 * `CentionChat.I`), not in the library's English ("Agent(s) added: Bea").
 */
const WORDED = {
  agentsAdded: (names: string) => `${names} joined the chat.`,
  fileAttached: (name: string) => `${name} sent a file:`,
  clientEnded: 'You ended the chat.',
} as const;

/** Records, in the page, every `data-status` the own message containing `text` goes through. */
async function recordStatuses(page: Page, text: string): Promise<() => Promise<string[]>> {
  await page.evaluate((wanted) => {
    const list = document.getElementById('ChatMessages');
    if (!list) throw new Error('#ChatMessages is missing');
    const seen: string[] = [];
    const look = (): void => {
      for (const item of list.querySelectorAll('li[data-sender="CLIENT"]')) {
        const status = item.getAttribute('data-status');
        if (item.textContent?.includes(wanted) && status && seen.at(-1) !== status) seen.push(status);
      }
    };
    new MutationObserver(look).observe(list, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-status'] });
    (window as unknown as { statusesSeen: string[] }).statusesSeen = seen;
  }, text);
  return () => page.evaluate(() => (window as unknown as { statusesSeen: string[] }).statusesSeen);
}

/**
 * With `SCREENSHOTS=1`, writes docs/screenshots/<site>-chat.png of the page as it is, once the
 * transcript shows whole (it scrolls to its end, so a longer one would cut its top message).
 */
async function screenshot(page: Page, site: string): Promise<void> {
  if (process.env['SCREENSHOTS'] !== '1') return;
  const fits = await page.locator('#ChatMessages').evaluate((list) => list.scrollHeight <= list.clientHeight);
  expect(fits, 'the screenshot shows the whole transcript').toBe(true);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${site}-chat.png`) });
}

/** After a page load mid-chat: the chat view, resumed by the site at once or through its resume button. */
async function resumed(page: Page): Promise<void> {
  const chatOrOffer = page.locator('#ChatView:visible, #ResumeButton:visible').first();
  await chatOrOffer.waitFor();
  if (await page.locator('#ResumeButton').isVisible()) await page.locator('#ResumeButton').click();
  await page.locator('#ChatView').waitFor({ state: 'visible' });
}

/** The server's transcript of a chat. */
function transcript(sessionId: number) {
  const session = server.session(sessionId);
  if (!session) throw new Error(`the server has no chat ${sessionId}`);
  return session.transcript;
}

/**
 * Each `chat message` of a chat with `text` the server got, as `alreadySeen` (a copy it had
 * stored before and dropped). `[false]` means the client sent it once, not leaning on the dedupe.
 */
function arrivalsOf(sessionId: number, text: string): boolean[] {
  const arrivals: boolean[] = [];
  onTestFinished(
    server.on('client-message', (e) => {
      if (e.sessionId === sessionId && e.message.text === text) arrivals.push(e.alreadySeen);
    }),
  );
  return arrivals;
}

/** Waits until the page shows exactly one entry per message of the server's transcript. */
async function showsTranscriptOnce(page: Page, sessionId: number): Promise<void> {
  await expect.poll(() => page.locator('#ChatMessages li').count()).toBe(transcript(sessionId).length);
}

describe.each(SITES.flatMap((site) => ENGINE_IO_MODES.map((mode) => ({ site, mode, on: describeMode(mode) }))))('the $site example site, on $on', ({ site, mode }) => {
  let v: Visit;

  beforeAll(() => {
    requireBuilt(site);
    server = servers.get(mode)!;
  });

  beforeEach(async () => {
    v = await visit(browser);
  });

  afterEach(async () => {
    await v.context.close();
    // Every scenario starts with empty queues: a chat left waiting would take place 1.
    for (const session of server.sessions()) if (session.state !== 'ended') server.agent.end(session.id);
    expect(v.pageErrors, 'uncaught errors in the page').toEqual([]);
    expectNoCspViolations(v);
  });

  /** Starts a chat in the played area and lets agent Bea take it. */
  async function chatWithBea(question?: string) {
    await v.page.goto(pageURL(server, site, AREA.played));
    const chat = await startChat(v.page, server, question);
    server.agent.join(chat.sessionId, 'Bea');
    await shownOnce(v.page, 'SYSTEM', WORDED.agentsAdded('Bea'));
    return chat;
  }

  /** Starts a chat on the page: it waits first in the queue, its question shown once. */
  async function startQueued(question: string) {
    const chat = await startChat(v.page, server, question);
    await v.page.locator('#QueuePlace', { hasText: /\b1\b/ }).waitFor({ state: 'visible' });
    await shownOnce(v.page, 'CLIENT', question);
    return chat;
  }

  /**
   * In a chat with Bea the network drops, and reconnects fail until `reconnect()`; the link shows
   * down, and the customer writes `text`, shown as sending. `arrivals` are its copies at the server.
   */
  async function writtenOffline(text: string) {
    const { page, context } = v;
    const { sessionId } = await chatWithBea();
    const reconnect = await blockSocket(context);
    expect(server.dropClient(sessionId)).toBeGreaterThan(0);
    await page.locator('#LinkStatus').waitFor({ state: 'visible' });
    const arrivals = arrivalsOf(sessionId, text);
    await send(page, text);
    expect(await statusOf(page, text, ['sending'])).toBe('sending');
    return { sessionId, reconnect, arrivals };
  }

  it('starts a chat, shows the queue place, and the simulated agent joins, types and answers', async () => {
    const { page } = v;
    await page.goto(pageURL(server, site, AREA.simulated));
    const { sessionId, question } = await startQueued('When does my bike arrive?');

    await shownOnce(page, 'SYSTEM', WORDED.agentsAdded('Alice'));
    await page.locator('#QueuePlace').waitFor({ state: 'hidden' });
    await page.locator('#AgentTyping').waitFor({ state: 'visible' });
    await shownOnce(page, 'AGENT', 'I am a simulated agent');
    await page.locator('#AgentTyping').waitFor({ state: 'hidden' });
    expect(await statusOf(page, question, ['delivered'])).toBe('delivered');

    // The agent sees the customer type: paced (one preview per 300 ms, far fewer than the
    // keystrokes), ending with the whole text, and stopped when the message is sent.
    const text = 'Is it the red one?';
    const previews: string[] = [];
    const stopCounting = server.on('preview', (e) => {
      if (e.sessionId === sessionId) previews.push(e.preview);
    });
    const whole = server.waitFor('preview', (e) => e.sessionId === sessionId && e.preview === text);
    const typingFrom = Date.now();
    await page.locator('#ChatInput').pressSequentially(text);
    const typedForMs = Date.now() - typingFrom;
    await whole;
    stopCounting();
    expect(previews.length).toBeLessThanOrEqual(Math.floor(typedForMs / 300) + 2);

    // The message goes sending → sent → delivered.
    const stopped = server.waitFor('preview', (e) => e.sessionId === sessionId && e.preview === '');
    const statuses = await recordStatuses(page, text);
    await page.locator('#ChatSendButton').click();
    await stopped;
    await statusOf(page, text, ['delivered']);
    expect(await statuses()).toEqual(['sending', 'sent', 'delivered']);
    await shownOnce(page, 'AGENT', `You wrote: "${text}"`);
    await showsTranscriptOnce(page, sessionId);
  });

  it('shows the agent typing until the agent stops (the screenshots of the README)', async () => {
    const { page } = v;
    await page.goto(pageURL(server, site, AREA.played));
    const { sessionId } = await startQueued('Is the Trail 2 in stock in size M?');
    if (site === 'vanilla') await screenshot(page, site);

    server.agent.join(sessionId, 'Bea');
    await shownOnce(page, 'SYSTEM', WORDED.agentsAdded('Bea'));
    server.agent.say(sessionId, 'Hello! Yes, we have two in size M. Shall I keep one for you?');
    await shownOnce(page, 'AGENT', 'Shall I keep one for you?');
    await send(page, 'Yes please, until Saturday.');
    await statusOf(page, 'Yes please', ['sent', 'delivered']);
    server.agent.ack(sessionId);
    await statusOf(page, 'Yes please', ['delivered']);
    server.agent.type(sessionId, 42);
    await page.locator('#AgentTyping', { hasText: 'Bea' }).waitFor({ state: 'visible' });
    if (site !== 'vanilla') await screenshot(page, site);

    // The agent stopped typing without sending: the indicator goes.
    server.agent.type(sessionId, 0);
    await page.locator('#AgentTyping').waitFor({ state: 'hidden' });
  });

  it('names no agent once the agent left: the chat shows its place in the queue again', async () => {
    const { page } = v;
    const { sessionId } = await chatWithBea();
    await page.locator('#ChatView .chat-heading', { hasText: 'Bea' }).waitFor();
    server.agent.leave(sessionId);
    await page.locator('#QueuePlace', { hasText: /\b1\b/ }).waitFor({ state: 'visible' });
    await expect.poll(() => page.locator('#ChatView .chat-heading').textContent()).not.toContain('Bea');
  });

  it('uploads a file with progress, links it for download, refuses a file over the limit and says when an upload failed', async () => {
    const { page } = v;
    await page.goto(pageURL(server, site, AREA.simulated));
    const { sessionId, name } = await startChat(page, server, 'Here is my receipt.');
    await shownOnce(page, 'AGENT', 'I am a simulated agent');
    await expect(page.locator('#ChatViewSendFileButton').isEnabled()).resolves.toBe(true);

    // A scanned receipt of 40 KB, sent at 16 KB/s: the page shows how far the upload is.
    const content = `Receipt 1234\nNordic Bikes, ${site} site\n`.padEnd(40 * 1024, '.');
    const attached = server.waitFor('attachment', (e) => e.sessionId === sessionId && e.by === 'CLIENT');
    const fullSpeed = await throttleUploads(page, 16 * 1024);
    await page.locator('#ChatViewSendFileButton').setInputFiles({ name: 'receipt.txt', mimeType: 'text/plain', buffer: Buffer.from(content) });
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLProgressElement>('#UploadStatus progress')].some((bar) => bar.checkVisibility() && bar.value > 0 && bar.value < bar.max),
    );
    await fullSpeed();
    expect((await attached).file.value).toBe('receipt.txt');
    const link = page.locator('#ChatMessages a[download], #ChatMessages a[href*="?t="]').filter({ hasText: 'receipt.txt' });
    await link.waitFor({ state: 'visible' });
    await expect.poll(() => page.locator('#UploadStatus progress').count(), { message: 'no progress bar once the file is sent' }).toBe(0);
    await shownOnce(page, 'CLIENT', WORDED.fileAttached(name));

    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(await downloaded(download)).toBe(content);
    await shownOnce(page, 'AGENT', 'I got your file "receipt.txt"');
    await page.locator('#AgentTyping').waitFor({ state: 'hidden' });

    // Over the limit: refused in the page, with the limit (64 KB) shown.
    await page.locator('#ChatViewSendFileButton').setInputFiles({ name: 'photos.zip', mimeType: 'application/zip', buffer: Buffer.alloc(MAX_ATTACHMENT + 1) });
    await page.locator('#UploadStatus', { hasText: /64(\.0)?\s?KB|65[\s,.]?536/i }).waitFor({ state: 'visible' });

    // An upload the network loses is said to have failed, not left "uploading".
    await v.context.route((url) => url.pathname.endsWith('/uploadAttachment'), (route) => route.abort());
    await page.locator('#ChatViewSendFileButton').setInputFiles({ name: 'lost.txt', mimeType: 'text/plain', buffer: Buffer.from('lost') });
    await page.locator('#UploadStatus', { hasText: /fail|could not|not sent|error/i }).waitFor({ state: 'visible' });
    expect(await page.locator('#ChatMessages a').filter({ hasText: 'lost.txt' }).count()).toBe(0);
    expect(transcript(sessionId).filter((m) => m.text.includes('FILE_UPLOAD'))).toHaveLength(1);
    await showsTranscriptOnce(page, sessionId);
  });

  it('resumes the chat on the second page and back, showing the transcript once', async () => {
    const { page } = v;
    const { sessionId, question } = await chatWithBea('Can I change my delivery address?');
    server.agent.say(sessionId, 'Hello, I am Bea. Which order is it?');
    await shownOnce(page, 'AGENT', 'Which order is it?');
    await send(page, 'Order 42.');
    await statusOf(page, 'Order 42.', ['sent', 'delivered']);
    await showsTranscriptOnce(page, sessionId);

    await page.locator('#SecondPageLink').click();
    await page.waitForURL(/second\.html/);
    await resumed(page);
    for (const text of [question, 'Order 42.']) await shownOnce(page, 'CLIENT', text);
    await shownOnce(page, 'AGENT', 'Which order is it?');
    await showsTranscriptOnce(page, sessionId);

    // The chat goes on from the second page.
    server.agent.say(sessionId, 'Done: the new address is saved.');
    await shownOnce(page, 'AGENT', 'the new address is saved');
    await send(page, 'Thank you!');
    await statusOf(page, 'Thank you!', ['sent', 'delivered']);
    await showsTranscriptOnce(page, sessionId);

    await page.locator('#FirstPageLink').click();
    await page.waitForURL(/index\.html/);
    await resumed(page);
    await shownOnce(page, 'CLIENT', 'Thank you!');
    await showsTranscriptOnce(page, sessionId);

    // Another tab of the same browser (the cookie, no kept session) gets the chat as well.
    const tab = await v.context.newPage();
    await tab.goto(pageURL(server, site, AREA.played));
    await resumed(tab);
    await shownOnce(tab, 'AGENT', 'the new address is saved');
    await showsTranscriptOnce(tab, sessionId);
  });

  it('shows the link down, and a message written meanwhile reaches the agent exactly once', async () => {
    const { page } = v;
    const text = 'Written while the link was down';
    const { sessionId, reconnect, arrivals } = await writtenOffline(text);
    await shownOnce(page, 'CLIENT', text);
    expect(transcript(sessionId).filter((m) => m.text === text)).toHaveLength(0);

    const arrived = server.waitFor('client-message', (e) => e.sessionId === sessionId && e.message.text === text);
    await reconnect();
    await arrived;
    await page.locator('#LinkStatus').waitFor({ state: 'hidden' });
    await statusOf(page, text, ['sent', 'delivered']);
    server.agent.say(sessionId, 'Got it.');
    await shownOnce(page, 'AGENT', 'Got it.');
    expect(transcript(sessionId).filter((m) => m.text === text)).toHaveLength(1);
    expect(arrivals, 'sent once, not once more for the server to drop').toEqual([false]);
    await shownOnce(page, 'CLIENT', text);
    await showsTranscriptOnce(page, sessionId);
  });

  it('sends a message written while the link was down once, from the page the customer went on to', async () => {
    const { page } = v;
    const text = 'Written on the first page, offline';
    const { sessionId, reconnect, arrivals } = await writtenOffline(text);

    await page.locator('#SecondPageLink').click();
    await page.waitForURL(/second\.html/);
    const arrived = server.waitFor('client-message', (e) => e.sessionId === sessionId && e.message.text === text);
    await reconnect();
    // A page that loaded while the link was blocked may have given its resume up (three failed
    // connects) before the link came back: then it offers to resume, as a customer would see.
    await Promise.race([arrived, page.locator('#ResumeButton').click()]);
    await arrived;
    await resumed(page);
    await shownOnce(page, 'CLIENT', text);
    await statusOf(page, text, ['sent', 'delivered']);
    server.agent.say(sessionId, 'Received.');
    await shownOnce(page, 'AGENT', 'Received.');
    expect(transcript(sessionId).filter((m) => m.text === text)).toHaveLength(1);
    expect(arrivals, 'sent once, not once more for the server to drop').toEqual([false]);
    await showsTranscriptOnce(page, sessionId);
  });

  it('says a message written while the link was down was not sent when the chat ended meanwhile', async () => {
    const { page } = v;
    const text = 'Written while offline, too late';
    const { sessionId, reconnect } = await writtenOffline(text);

    // Bea ends the chat before the link is back: the message can never go.
    server.agent.end(sessionId);
    await reconnect();
    // The rejoin comes with socket.io's backoff, so wait as long as the page may take.
    const line = entries(page, 'CLIENT', text);
    await line.and(page.locator('[data-status="failed"]')).waitFor();
    expect(await line.textContent()).toContain('Not sent');
    await page.locator('#ChatEnded').waitFor({ state: 'visible' });
    expect(await line.getByRole('button', { name: 'Try again' }).count(), 'no retry in an ended chat').toBe(0);
    expect(transcript(sessionId).filter((m) => m.text === text)).toHaveLength(0);
  });

  it('shows HTML from the agent and the customer as text', async () => {
    const { page } = v;
    const { sessionId } = await chatWithBea();
    const html = '<img src=x onerror=alert(1)>';
    server.agent.say(sessionId, html);
    await shownOnce(page, 'AGENT', html);
    await send(page, '<b>not bold</b>');
    await shownOnce(page, 'CLIENT', '<b>not bold</b>');
    const fileName = '"><img src=y onerror=alert(2)>.txt';
    await server.agent.attach(sessionId, { name: fileName, type: 'text/plain', data: Buffer.from('hi') });
    await page.locator('#ChatMessages a').filter({ hasText: fileName }).waitFor({ state: 'visible' });
    server.agent.say(sessionId, 'The end of the test.');
    await shownOnce(page, 'AGENT', 'The end of the test.');

    expect(await page.locator('#ChatMessages img, #ChatMessages b, #ChatMessages script').count()).toBe(0);
    expect(v.dialogs).toEqual([]);
  });

  it('finishes the chat; the saved and printed history hold the transcript; a new chat can start', async () => {
    const { page } = v;
    const { sessionId, question } = await chatWithBea('Is my order shipped?');
    const answer = 'Your order <b>#42</b> ships today.';
    server.agent.say(sessionId, answer);
    await shownOnce(page, 'AGENT', answer);
    await send(page, 'Thanks!');
    await statusOf(page, 'Thanks!', ['sent', 'delivered']);

    const ended = server.waitFor('session-ended', (e) => e.sessionId === sessionId);
    await page.locator('#CentionChatFinishButton').click();
    expect((await ended).reason).toBe('client');
    await shownOnce(page, 'SYSTEM', WORDED.clientEnded);
    expect(await page.locator('#ChatMessages').textContent(), 'no system message shown raw').not.toContain('\u0001');
    await page.locator('#ChatEnded').waitFor({ state: 'visible' });
    await page.locator('#NewChatButton').waitFor({ state: 'visible' });

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#CentionChatSaveButton').click()]);
    const saved = await downloaded(download);
    for (const text of [question, answer, 'Thanks!']) expect(saved).toContain(text);

    const [popup] = await Promise.all([page.waitForEvent('popup'), page.locator('#CentionChatPrintButton').click()]);
    await popup.waitForLoadState();
    expect(popup.url()).toContain('/printhistory?');
    await popup.locator('li', { hasText: answer }).waitFor();
    const printed = await popup.content();
    expect(printed).toContain('Your order &lt;b&gt;#42&lt;/b&gt; ships today.');
    expect(printed).toContain('Thanks!');
    await popup.close();

    await page.locator('#NewChatButton').click();
    await page.locator('#StartForm').waitFor({ state: 'visible' });
    expect(await page.locator('#ChatView').isVisible()).toBe(false);

    // The next chat starts clean on the same page.
    const next = await startQueued('One more question.');
    expect(await entries(page, 'AGENT', answer).count()).toBe(0);
    await showsTranscriptOnce(page, next.sessionId);
  });

  it('shows the closed and busy messages', async () => {
    const { page } = v;
    await page.goto(pageURL(server, site, AREA.closed));
    await page.locator('#ClosedMessage').waitFor({ state: 'visible' });
    expect(await page.locator('#StartForm').isVisible()).toBe(false);
    expect(await page.locator('#BusyMessage').isVisible()).toBe(false);

    await page.goto(pageURL(server, site, AREA.nobody));
    await page.locator('#BusyMessage').waitFor({ state: 'visible' });
    expect(await page.locator('#StartForm').isVisible()).toBe(false);
    expect(await page.locator('#ClosedMessage').isVisible()).toBe(false);

    // Agents are online but the queue is full: the start is refused.
    await page.goto(pageURL(server, site, AREA.full));
    await page.locator('#StartName').fill('Queue Tester');
    await page.locator('#StartQuestion').fill('Anyone there?');
    await page.locator('#StartButton').click();
    await page.locator('#BusyMessage').waitFor({ state: 'visible' });
    expect(await page.locator('#ChatView').isVisible()).toBe(false);
  });

  it('hides the file button where attachments are off', async () => {
    const { page } = v;
    await page.goto(pageURL(server, site, AREA.noAttachments));
    await startChat(page, server);
    await page.locator('#ChatForm').waitFor({ state: 'visible' });
    const fileButton = page.locator('#ChatViewSendFileButton');
    expect((await fileButton.count()) === 0 || !(await fileButton.isVisible())).toBe(true);
  });

  it('can be used with the keyboard, labels its controls and announces messages', async () => {
    const { page } = v;
    await page.goto(pageURL(server, site, AREA.played));
    for (const id of ['StartName', 'StartEmail', 'StartQuestion']) {
      expect(await page.locator(`#${id}`).evaluate((e) => (e as HTMLInputElement).labels?.length ?? 0), `#${id} has a label`).toBeGreaterThan(0);
    }
    const log = page.locator('#ChatMessages');
    expect((await log.getAttribute('role')) === 'log' || (await log.getAttribute('aria-live')) === 'polite').toBe(true);

    const registered = server.waitFor('session-registered', (e) => e.clientName === 'Kim Keyboard');
    await page.locator('#StartName').focus();
    await page.keyboard.type('Kim Keyboard');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('StartEmail');
    await page.keyboard.type('kim@example.com');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('StartQuestion');
    await page.keyboard.type('Typed without a mouse.');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('StartButton');
    await page.keyboard.press('Enter');
    const { sessionId } = await registered;
    await page.locator('#ChatView').waitFor({ state: 'visible' });

    expect(await page.locator('#ChatInput').evaluate((e) => (e as HTMLTextAreaElement).labels?.length ?? 0), '#ChatInput has a label').toBeGreaterThan(0);
    await page.locator('#ChatInput').focus();
    await page.keyboard.type('Sent from the keyboard.');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('ChatSendButton');
    await page.keyboard.press('Enter');
    await shownOnce(page, 'CLIENT', 'Sent from the keyboard.');
    await expect.poll(() => transcript(sessionId).some((m) => m.text === 'Sent from the keyboard.')).toBe(true);
  });
});
