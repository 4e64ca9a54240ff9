import { readFile } from 'node:fs/promises';
import { crc32, deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import type { ChatServer } from '../../server';
import { ENGINE_IO_MODES, describeMode } from '../support/engine-io';
import {
  AREA,
  MAX_ATTACHMENT,
  blockSocket,
  SITES,
  downloaded,
  endVisit,
  entries,
  expectAccessible,
  expectNoCspViolations,
  horizontalOverflow,
  openChat,
  pageURL,
  requireBuilt,
  send,
  shownOnce,
  startChat,
  useChromiumAndModeServers,
  statusOf,
  throttleUploads,
  visit,
} from './support';
import type { Visit } from './support';

const shared = useChromiumAndModeServers();
/** The site server of the scenarios running now. */
let server: ChatServer;

/**
 * System messages as the sites word them through their translation table (the seed's
 * `CentionChat.I`), not in the library's English ("Agent(s) added: Bea").
 */
const WORDED = {
  agentsAdded: (names: string) => `${names} joined the chat.`,
  fileAttached: (name: string) => `${name} sent a file:`,
  /** The customer's own file says "You", not their name. */
  ownFile: 'You sent a file:',
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

/** A PNG image of `width` × `height` pixels in one colour, for image attachments. */
function png(width: number, height: number, [r, g, b]: readonly [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'latin1'), data])));
    return Buffer.concat([length, Buffer.from(type, 'latin1'), data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

/** Whether the focused element shows where it is: an outline at least 2 px wide. */
function focusShows(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const focused = document.activeElement;
    if (!(focused instanceof HTMLElement) || focused === document.body) return false;
    // A visually hidden radio shows its focus on the number beside it.
    const shown = focused.matches('input[type="radio"]') ? (focused.nextElementSibling ?? focused) : focused;
    const style = getComputedStyle(shown);
    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  });
}

/** Presses `key` until the element with `id` has focus (at most `limit` times); fails if it never does. */
async function pressUntilFocused(page: Page, key: string, id: string, limit = 20): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
  }
  throw new Error(`#${id} never got the focus with ${key}`);
}

/** After a page load mid-chat: the chat view, resumed by the site at once or through its resume button. */
async function resumed(page: Page): Promise<void> {
  await openChat(page);
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
    server = shared.server(mode);
  });

  beforeEach(async () => {
    v = await visit(shared.browser);
  });

  afterEach(() => endVisit(v, server));

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
    await expectAccessible(page, 'in a chat with a simulated agent');
  });

  it('shows the agent typing until the agent stops', async () => {
    const { page } = v;
    await page.goto(pageURL(server, site, AREA.played));
    const { sessionId } = await startQueued('Is the Trail 2 in stock in size M?');
    await expectAccessible(page, 'waiting in the queue');

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
    await expectAccessible(page, 'while the agent types');

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
    await page.locator('#AttachButton').waitFor({ state: 'visible' });
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
    // The customer's own file says "You", not their name.
    await shownOnce(page, 'CLIENT', WORDED.ownFile);
    expect(await entries(page, 'CLIENT', name).count()).toBe(0);
    await expectAccessible(page, 'with a file in the transcript and the upload status');

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
    await page.locator('#RatingForm').waitFor({ state: 'visible' });
    await expectAccessible(page, 'after the chat ended, asked for a rating');

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

  it('offers to leave a message when the chat is closed, when nobody is free, and when the queue is full, and shows its reference', async () => {
    const { page } = v;
    const cases = [
      { area: AREA.closed, note: '#ClosedMessage' },
      { area: AREA.nobody, note: '#BusyMessage' },
      { area: AREA.full, note: '#QueueFullMessage' },
    ];
    for (const { area, note } of cases) {
      await page.goto(pageURL(server, site, area));
      await openChat(page);
      if (area === AREA.full) {
        // Agents are online but the queue has no room: the start is refused, not as "nobody is free".
        await page.locator('#StartName').fill('Queue Tester');
        await page.locator('#StartEmail').fill('queue@example.com');
        await page.locator('#StartQuestion').fill('Anyone there? My order is 42.');
        await page.locator('#StartButton').click();
      }
      await page.locator(note).waitFor({ state: 'visible' });
      for (const other of cases.map((c) => c.note).filter((id) => id !== note)) expect(await page.locator(other).isVisible(), `${other} in area ${area}`).toBe(false);
      expect(await page.locator('#StartForm').isVisible()).toBe(false);
      expect(await page.locator('#ChatView').isVisible()).toBe(false);
      await page.locator('#LeaveMessageForm').waitFor({ state: 'visible' });
      await expectAccessible(page, `offering to leave a message (${note})`);

      if (area === AREA.full) {
        // What the customer typed for the chat is not lost: the message to leave starts with it.
        expect(await page.locator('#LeaveName').inputValue()).toBe('Queue Tester');
        expect(await page.locator('#LeaveEmail').inputValue()).toBe('queue@example.com');
        expect(await page.locator('#LeaveText').inputValue()).toBe('Anyone there? My order is 42.');
        await page.locator('#TryAgainButton').waitFor({ state: 'visible' });
      } else {
        await page.locator('#LeaveName').fill('Lee Letter');
        await page.locator('#LeaveEmail').fill('lee@example.com');
        await page.locator('#LeaveText').fill(`A question for area ${area}.`);
      }
      await page.locator('#LeaveSubject').fill(`Order question (area ${area})`);
      const created = server.waitFor('errand-created', (e) => e.areaId === area);
      await page.locator('#LeaveMessageButton').click();
      const errand = await created;
      expect(errand.subject).toBe(`Order question (area ${area})`);
      await page.locator('#LeaveMessageReference', { hasText: errand.reference }).waitFor({ state: 'visible' });
      expect(await page.locator('#LeaveMessageForm').isVisible()).toBe(false);
      await expectAccessible(page, 'after leaving a message');
    }
  });

  it('says why a message could not be left, and keeps what was written', async () => {
    const { page } = v;
    await page.goto(pageURL(server, site, AREA.closed));
    await openChat(page);
    await page.locator('#LeaveName').fill('Lee Letter');
    await page.locator('#LeaveEmail').fill('lee@example.com');
    await page.locator('#LeaveSubject').fill('Opening hours');
    await page.locator('#LeaveText').fill('When do you open?');
    await v.context.route((url) => url.pathname.endsWith('/createerrand'), (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":"server busy"}' }));
    await page.locator('#LeaveMessageButton').click();
    await page.locator('#LeaveMessageError', { hasText: /not sent/ }).waitFor({ state: 'visible' });
    expect(await page.locator('#LeaveText').inputValue()).toBe('When do you open?');
    await expectAccessible(page, 'with a message that could not be left');
  });

  it('asks how the chat was once it ended, and takes one rating', async () => {
    const { page } = v;
    const { sessionId } = await chatWithBea('Do you sell helmets?');
    server.agent.say(sessionId, 'Yes, from 490 kr.');
    await shownOnce(page, 'AGENT', 'from 490 kr');
    // The agent ends the chat: the rating is offered all the same.
    server.agent.end(sessionId);
    await page.locator('#ChatEnded').waitFor({ state: 'visible' });
    const form = page.locator('#RatingForm');
    await form.waitFor({ state: 'visible' });
    expect(await page.locator('#RatingSendButton').isDisabled(), 'nothing to send before a score is chosen').toBe(true);
    await form.getByLabel('4, good').check();
    await page.locator('#RatingComment').fill('Quick answer, thank you.');
    await expectAccessible(page, 'rating the chat');
    const rated = server.waitFor('chat-rated', (e) => e.sessionId === sessionId);
    await page.locator('#RatingSendButton').click();
    expect((await rated).rating).toMatchObject({ rating: 4, comment: 'Quick answer, thank you.' });
    await page.locator('#RatingDone').waitFor({ state: 'visible' });
    expect(await form.count() === 0 || !(await form.isVisible()), 'rated once: the form is gone').toBe(true);
    await expectAccessible(page, 'after rating the chat');

    // A new chat asks again, for itself.
    await page.locator('#NewChatButton').click();
    const next = await startQueued('One more thing.');
    server.agent.end(next.sessionId);
    await page.locator('#RatingForm').waitFor({ state: 'visible' });
    expect(await page.locator('#RatingDone').count()).toBe(0);
  });

  it('is a launcher in the corner with the unread count, also in the title, until the customer opens the panel', async () => {
    const { page } = v;
    await page.goto(pageURL(server, site, AREA.played));
    const launcher = page.locator('#ChatLauncher');
    await launcher.waitFor({ state: 'visible' });
    expect(await page.locator('#ChatPanel').isVisible(), 'closed until asked').toBe(false);
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    const box = (await launcher.boundingBox())!;
    const viewport = page.viewportSize()!;
    expect(box.x + box.width, 'in the right corner').toBeGreaterThan(viewport.width - 60);
    expect(box.y + box.height, 'at the bottom').toBeGreaterThan(viewport.height - 60);
    await expectAccessible(page, 'with the launcher closed');
    const title = await page.title();

    const { sessionId } = await startChat(page, server);
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    server.agent.join(sessionId, 'Bea');
    await shownOnce(page, 'SYSTEM', WORDED.agentsAdded('Bea'));
    expect(await page.locator('#UnreadBadge').isVisible(), 'nothing unread while the panel is open').toBe(false);

    await page.locator('#ChatPanelClose').click();
    await page.locator('#ChatPanel').waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.id), 'focus back on the launcher').toBe('ChatLauncher');
    server.agent.say(sessionId, 'Hello! Are you still there?');
    server.agent.say(sessionId, 'I have found your order.');
    await page.locator('#UnreadBadge', { hasText: '2' }).waitFor({ state: 'visible' });
    await expect.poll(() => page.title()).toBe(`(2) ${title}`);
    expect(await launcher.textContent()).toMatch(/2 unread messages/);
    await expectAccessible(page, 'with unread messages on the launcher');

    await launcher.click();
    await shownOnce(page, 'AGENT', 'I have found your order.');
    await page.locator('#UnreadBadge').waitFor({ state: 'hidden' });
    await expect.poll(() => page.title()).toBe(title);
    server.agent.say(sessionId, 'It ships today.');
    await shownOnce(page, 'AGENT', 'It ships today.');
    expect(await page.locator('#UnreadBadge').isVisible(), 'read as it arrives while the panel is open').toBe(false);

    // Escape closes the panel too; the next page of the tab opens it as it was left.
    await page.locator('#ChatInput').focus();
    await page.keyboard.press('Escape');
    await page.locator('#ChatPanel').waitFor({ state: 'hidden' });
    await page.locator('#SecondPageLink').click();
    await page.waitForURL(/second\.html/);
    await launcher.waitFor({ state: 'visible' });
    expect(await page.locator('#ChatPanel').isVisible()).toBe(false);
    await expect.poll(() => page.locator('#ChatMessages li[data-sender="AGENT"]').count(), { message: 'the chat resumed behind the closed panel' }).toBe(3);
    expect(await page.locator('#UnreadBadge').isVisible(), 'the history of a resumed chat is not unread').toBe(false);
  });

  it('makes links in messages clickable, http(s) only, and shows images as thumbnails that open the download', async () => {
    const { page } = v;
    const { sessionId, name } = await chatWithBea();
    server.agent.say(sessionId, 'Sizes: https://example.com/trail-2?size=M#chart. Not javascript:alert(1) nor ftp://example.com/x (or http://).');
    const said = await shownOnce(page, 'AGENT', 'Sizes:');
    const links = said.locator('a');
    expect(await links.count()).toBe(1);
    expect(await links.getAttribute('href')).toBe('https://example.com/trail-2?size=M#chart');
    expect(await links.textContent()).toBe('https://example.com/trail-2?size=M#chart');
    expect(await links.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await links.getAttribute('target')).toBe('_blank');
    expect(await said.textContent()).toContain('#chart. Not javascript:alert(1) nor ftp://example.com/x (or http://).');
    await send(page, 'Mine is <b>http://example.org/a_(b)</b>');
    const mine = await shownOnce(page, 'CLIENT', 'Mine is');
    expect(await mine.locator('a').getAttribute('href')).toBe('http://example.org/a_(b)');
    expect(await mine.locator('b').count(), 'text, never HTML').toBe(0);

    // The agent's photo: a thumbnail that loads under the page's policy and opens the download.
    const photo = png(96, 64, [11, 92, 173]);
    await server.agent.attach(sessionId, { name: 'trail-2.png', type: 'image/png', data: photo });
    const agentFile = await shownOnce(page, 'AGENT', 'trail-2.png');
    const thumbnail = agentFile.locator('a.thumbnail img');
    await thumbnail.waitFor({ state: 'visible' });
    await expect.poll(() => thumbnail.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(96);
    const src = (await thumbnail.getAttribute('src'))!;
    expect(new URL(src).origin).toBe(server.url);
    expect(src).toContain('t=');
    const [download] = await Promise.all([page.waitForEvent('download'), thumbnail.click()]);
    expect(download.suggestedFilename()).toBe('trail-2.png');
    expect(await readFile(await download.path())).toEqual(photo);

    // The customer's own photo, through the attach button: "You", not their name, and a thumbnail.
    const chosen = page.waitForEvent('filechooser');
    await page.evaluate(() => undefined);
    const [chooser] = await Promise.all([chosen, page.locator('#AttachButton').click()]);
    await chooser.setFiles({ name: 'my-bike.png', mimeType: 'image/png', buffer: png(40, 40, [200, 60, 40]) });
    const own = await shownOnce(page, 'CLIENT', WORDED.ownFile);
    expect(await own.textContent()).not.toContain(name);
    await own.locator('a.thumbnail img').waitFor({ state: 'visible' });
    await expect.poll(() => own.locator('a.thumbnail img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(40);
    await expectAccessible(page, 'with links and images in the transcript');
  });

  it('cancels an upload under way: nothing reaches the agent, and the next file goes', async () => {
    const { page } = v;
    const { sessionId } = await chatWithBea();
    const fullSpeed = await throttleUploads(page, 4 * 1024);
    await page.locator('#ChatViewSendFileButton').setInputFiles({ name: 'big-scan.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(48 * 1024, 1) });
    const cancel = page.getByRole('button', { name: 'Cancel the upload of big-scan.pdf' });
    await cancel.waitFor({ state: 'visible' });
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLProgressElement>('#UploadStatus progress')].some((bar) => bar.value > 0));
    await expectAccessible(page, 'while a file uploads');
    await cancel.click();
    await page.locator('#UploadStatus', { hasText: /cancelled/ }).waitFor({ state: 'visible' });
    await fullSpeed();
    expect(await page.locator('#UploadStatus progress').count()).toBe(0);

    await page.locator('#ChatViewSendFileButton').setInputFiles({ name: 'small.txt', mimeType: 'text/plain', buffer: Buffer.from('small') });
    await page.locator('#ChatMessages a', { hasText: 'small.txt' }).waitFor({ state: 'visible' });
    const files = transcript(sessionId).filter((m) => m.text.includes('FILE_UPLOAD'));
    expect(files.map((m) => m.text.includes('small.txt'))).toEqual([true]);
    expect(await page.locator('#ChatMessages', { hasText: 'big-scan.pdf' }).count()).toBe(0);
  });

  it('fits a phone: the panel takes the whole screen and nothing scrolls sideways at 390 px', async () => {
    const phone = await visit(shared.browser, { width: 390, height: 844 });
    try {
      const { page } = phone;
      await page.goto(pageURL(server, site, AREA.played));
      await page.locator('#ChatLauncher').waitFor({ state: 'visible' });
      expect(await horizontalOverflow(page), 'the page with the launcher').toBe(0);
      await expectAccessible(page, 'on a phone, the launcher closed');
      const { sessionId } = await startChat(page, server, 'Does the Fjord E fit in a small flat? https://example.com/a/very/long/address/that/does/not/break/on/its/own/fjord-e-dimensions');
      expect(await page.locator('#ChatPanel').boundingBox()).toEqual({ x: 0, y: 0, width: 390, height: 844 });
      server.agent.join(sessionId, 'Bea');
      server.agent.say(sessionId, `It folds to 60 cm: ${'x'.repeat(120)}`);
      await shownOnce(page, 'AGENT', 'It folds to 60 cm');
      await send(page, 'Thanks!');
      await statusOf(page, 'Thanks!', ['sent', 'delivered']);
      expect(await horizontalOverflow(page), 'the page with the chat open').toBe(0);
      const panelOverflow = await page.locator('#ChatPanel').evaluate((panel) => [panel, ...panel.querySelectorAll('*')].filter((element) => element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflowX !== 'hidden' && element.clientWidth > 0).map((element) => element.id || element.className));
      expect(panelOverflow, 'nothing in the panel scrolls sideways').toEqual([]);
      for (const id of ['ChatInput', 'ChatSendButton', 'AttachButton', 'CentionChatFinishButton', 'ChatPanelClose']) {
        const control = (await page.locator(`#${id}`).boundingBox())!;
        expect(control.x >= 0 && control.x + control.width <= 390, `#${id} inside the screen`).toBe(true);
      }
      await expectAccessible(page, 'on a phone, in a chat');
      await page.locator('#CentionChatFinishButton').click();
      await page.locator('#RatingForm').waitFor({ state: 'visible' });
      expect(await horizontalOverflow(page), 'the page with the rating').toBe(0);
      await expectAccessible(page, 'on a phone, rating the chat');
      expect(phone.pageErrors).toEqual([]);
      expectNoCspViolations(phone);
    } finally {
      await phone.context.close();
    }
  });

  it('hides the file button where attachments are off', async () => {
    const { page } = v;
    await page.goto(pageURL(server, site, AREA.noAttachments));
    await startChat(page, server);
    await page.locator('#ChatForm').waitFor({ state: 'visible' });
    for (const id of ['AttachButton', 'ChatViewSendFileButton']) {
      const fileButton = page.locator(`#${id}`);
      expect((await fileButton.count()) === 0 || !(await fileButton.isVisible()), `#${id} hidden`).toBe(true);
    }
  });

  it('takes a screen-reader user through a chat with the keyboard alone: open, start, hear, send, attach, finish, rate, close', async () => {
    const { page } = v;
    await page.goto(pageURL(server, site, AREA.played));
    await page.locator('#ChatLauncher').waitFor({ state: 'visible' });
    await pressUntilFocused(page, 'Tab', 'ChatLauncher');
    expect(await focusShows(page), 'the launcher shows its focus').toBe(true);
    await page.keyboard.press('Enter');
    await page.locator('#ChatPanel').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.id), 'focus goes into the panel').toBe('StartName');
    for (const id of ['StartName', 'StartEmail', 'StartQuestion', 'LeaveName']) {
      const field = page.locator(`#${id}`);
      if ((await field.count()) > 0 && (await field.isVisible())) expect(await field.evaluate((e) => (e as HTMLInputElement).labels?.length ?? 0), `#${id} has a label`).toBeGreaterThan(0);
    }
    const log = page.locator('#ChatMessages');
    expect((await log.getAttribute('role')) === 'log' || (await log.getAttribute('aria-live')) === 'polite', 'new messages are announced, politely').toBe(true);

    const registered = server.waitFor('session-registered', (e) => e.clientName === 'Kim Keyboard');
    await page.keyboard.type('Kim Keyboard');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('StartEmail');
    expect(await focusShows(page)).toBe(true);
    await page.keyboard.type('kim@example.com');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('StartQuestion');
    await page.keyboard.type('Typed without a mouse.');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('StartButton');
    expect(await focusShows(page), 'the start button shows its focus').toBe(true);
    await page.keyboard.press('Enter');
    const { sessionId } = await registered;
    await page.locator('#ChatView').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.id), 'on to the message box').toBe('ChatInput');
    server.agent.join(sessionId, 'Bea');
    server.agent.say(sessionId, 'Hello Kim, how can I help?');
    // The agent's words land in the live region, where a screen reader hears them.
    await log.locator('li[data-sender="AGENT"]', { hasText: 'how can I help' }).waitFor();
    await expectAccessible(page, 'in a chat, used with the keyboard');

    expect(await page.locator('#ChatInput').evaluate((e) => (e as HTMLTextAreaElement).labels?.length ?? 0), '#ChatInput has a label').toBeGreaterThan(0);
    await page.keyboard.type('Sent from the keyboard.');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('ChatSendButton');
    await page.keyboard.press('Enter');
    await shownOnce(page, 'CLIENT', 'Sent from the keyboard.');
    await expect.poll(() => transcript(sessionId).some((m) => m.text === 'Sent from the keyboard.')).toBe(true);

    // Attach: the button opens the file picker.
    await pressUntilFocused(page, 'Tab', 'AttachButton');
    expect(await focusShows(page), 'the attach button shows its focus').toBe(true);
    const chosen = page.waitForEvent('filechooser');
    // A round trip, so that the browser intercepts the picker before the key opens it.
    await page.evaluate(() => undefined);
    const [chooser] = await Promise.all([chosen, page.keyboard.press('Enter')]);
    await chooser.setFiles({ name: 'keyboard.txt', mimeType: 'text/plain', buffer: Buffer.from('typed') });
    await page.locator('#ChatMessages a', { hasText: 'keyboard.txt' }).waitFor({ state: 'visible' });

    // Finish, then rate: focus goes from the vanished form to the rating.
    await pressUntilFocused(page, 'Shift+Tab', 'CentionChatFinishButton', 30);
    expect(await focusShows(page), 'the finish button shows its focus').toBe(true);
    await page.keyboard.press('Enter');
    await page.locator('#RatingForm').waitFor({ state: 'visible' });
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('rating');
    expect(await focusShows(page), 'the rating shows its focus').toBe(true);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await pressUntilFocused(page, 'Tab', 'RatingSendButton');
    const rated = server.waitFor('chat-rated', (e) => e.sessionId === sessionId);
    await page.keyboard.press('Enter');
    expect((await rated).rating.rating).toBe(5);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), { message: 'focus on the thanks' }).toBe('RatingDone');

    // Escape closes the panel, and focus returns to the launcher.
    await page.keyboard.press('Escape');
    await page.locator('#ChatPanel').waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('ChatLauncher');
    expect(await focusShows(page)).toBe(true);
  });
});
