/**
 * The agent console page (examples/console/) in headless Chromium, against the reference
 * server, while a raw socket.io client plays the customer: everything a person does to answer
 * a whole chat, as the customer sees it on the wire.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AgentPreview, ChatMessageEvent, MessageAcked, MessageSent, SessionInfo } from '../../core/protocol';
import { encodeSystemEvent, readSessionInfo } from '../../core/protocol';
import type { AreaConfig, ChatServer } from '../../server';
import { startServer } from '../../server';
import { TestClient } from '../server/support/clients';
import { http } from '../server/support/http';
import { systemEvent, withEvent, withText } from '../server/support/match';
import { ManualClock } from '../support/manual-clock';
import { downloaded, expectAccessible, expectNoCspViolations, launchChromium, visit } from './support';
import type { Visit } from './support';

const SUPPORT = 1;
const BUSY = 4;
const attachments = { 'chat.attachment': true, 'chat.max-attachment-size': 64 * 1024, 'chat.max-image-size': 64 * 1024 } as const;
const AREAS: readonly AreaConfig[] = [
  { id: SUPPORT, name: 'Support', agents: { mode: 'simulated', names: ['Alice'], joinDelayMs: 1000, replyDelayMs: 500, typingMs: 1000 }, features: attachments },
  { id: BUSY, name: 'Busy', agents: { mode: 'busy', names: ['Dana', 'Eve'] }, features: attachments },
];

let browser: Browser;
const cleanups: (() => Promise<unknown> | unknown)[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});

/** Every console window a test opened: none may have had anything blocked by the page's policy. */
const consoles: Visit[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  for (const agent of consoles.splice(0)) expectNoCspViolations(agent);
});

afterAll(async () => {
  await browser?.close();
});

/** The server on a manual clock (only the simulated agent needs time), with an agent key like `npm run demo`. */
async function startConsoleServer(): Promise<{ server: ChatServer; clock: ManualClock }> {
  const clock = new ManualClock();
  const server = await startServer({ areas: AREAS, clock, logger: () => undefined, agentConsole: { key: 'console-test-key' } });
  cleanups.push(() => server.close());
  return { server, clock };
}

/** Opens the console through the link the server gives (with its key), without a name yet. */
async function openNamelessConsole(server: ChatServer, viewport?: { width: number; height: number }): Promise<Visit> {
  const agent = await visit(browser, viewport);
  cleanups.push(() => agent.context.close());
  consoles.push(agent);
  // Every wait here is for something the server or the page does at once: fail fast when it does not.
  agent.context.setDefaultTimeout(10_000);
  await agent.page.goto(server.consoleURL ?? '');
  await agent.page.locator('#connection.online').waitFor();
  return agent;
}

/** Opens the console through the link the server gives (with its key) and writes the agent's name. */
async function openConsole(server: ChatServer, name: string): Promise<Visit> {
  const agent = await openNamelessConsole(server);
  await agent.page.locator('#agentName').fill(name);
  await agent.page.locator('#agentName').press('Tab');
  return agent;
}

/** A customer on a raw socket.io-client 4 socket, started in an area. */
async function startCustomer(server: ChatServer, area: number, name: string, question = 'Where is my parcel?'): Promise<{ customer: TestClient; session: SessionInfo }> {
  const customer = await TestClient.connect('v4', server);
  cleanups.push(() => customer.close());
  const reply = await customer.request('register', { area, name, email: `${name.toLowerCase()}@example.com`, phone: '', message: question, externalData: '', baseURL: server.baseURL, offlineChat: false, trackClientUrl: false });
  const session = readSessionInfo(reply);
  if (!session) throw new Error(`register failed: ${JSON.stringify(reply)}`);
  return { customer, session };
}

/** A chat's entry in one of the sidebar lists (`waiting`, `mine`, `others`, `away`, `ended`). */
const chatIn = (agent: Visit, list: 'waiting' | 'mine' | 'others' | 'away' | 'ended', sessionId: number) => agent.page.locator(`#${list} li[data-session-id="${sessionId}"]`);

/** Waits until the reply box takes text (the open chat is this console's) or not. */
const replyBox = (agent: Visit, writable: boolean) => agent.page.waitForSelector(writable ? '#reply:not([disabled])' : '#reply[disabled]');

describe('the agent console in a browser', () => {
  it('takes a waiting chat, shows the customer typing, replies, shows HTML as text, attaches a file and ends the chat', async () => {
    const { server } = await startConsoleServer();
    const dana = await openConsole(server, 'Dana');
    const { page } = dana;
    const { customer, session } = await startCustomer(server, BUSY, 'Ann');

    const waiting = chatIn(dana, 'waiting', session.sessionId);
    await waiting.waitFor();
    expect(await waiting.textContent()).toContain('Ann');
    await expect.poll(() => page.title()).toMatch(/^\(1\) Agent console/);
    await expectAccessible(page, 'with a chat waiting');
    await waiting.click();
    await page.locator('#transcript li.client', { hasText: 'Where is my parcel?' }).waitFor();
    await expectAccessible(page, 'with a waiting chat open');
    await page.locator('#takeButton').click();
    expect(systemEvent(await customer.next<ChatMessageEvent>('chat message', withEvent('AGENTS_ADDED')))).toEqual({ event: 'AGENTS_ADDED', names: ['Dana'] });
    await chatIn(dana, 'mine', session.sessionId).waitFor();
    await replyBox(dana, true);

    customer.send('preview', { preview: 'It was sent on Mon' });
    await page.locator('#customerTyping', { hasText: 'Ann is typing: It was sent on Mon' }).waitFor();
    await expectAccessible(page, 'in a chat, the customer typing');

    await page.locator('#reply').pressSequentially('Hi Ann, Dana here.');
    expect((await customer.next<AgentPreview>('agent preview', (preview) => preview.messageLen > 0)).messageLen).toBeGreaterThan(0);
    await page.locator('#reply').press('Enter');
    expect(await customer.next<ChatMessageEvent>('chat message', withText('Hi Ann, Dana here.'))).toMatchObject({ agent: 'Dana', chat: [{ sender: 'AGENT' }] });
    await customer.next<AgentPreview>('agent preview', (preview) => preview.messageLen === 0);
    await expect.poll(() => page.locator('#reply').inputValue()).toBe('');
    expect(await customer.all<ChatMessageEvent>('chat message').filter(withText('Hi Ann, Dana here.'))).toHaveLength(1);

    const html = '<img src=x onerror="window.injected = 1"><b>bold</b>';
    const sent = (await customer.request('chat message', { id: 'c-1', message: html, mcount: 1 })) as MessageSent;
    const line = page.locator('#transcript li.client', { hasText: '<b>bold</b>' });
    await line.waitFor();
    expect(await line.locator('span').last().textContent()).toBe(html);
    expect(await page.locator('#transcript img, #transcript b').count()).toBe(0);
    expect(await page.evaluate(() => (window as { injected?: number }).injected)).toBeUndefined();
    expect(await page.locator('#customerTyping').textContent()).toBe('');
    // The open chat of its agent marks what the customer wrote as delivered.
    await customer.next<MessageAcked>('message acked', (acked) => acked.ids.includes(Number(sent.id)));

    await page.locator('#attachInput').setInputFiles({ name: 'label.txt', mimeType: 'text/plain', buffer: Buffer.from('Tracking: 123') });
    const upload = systemEvent(await customer.next<ChatMessageEvent>('chat message', withEvent('FILE_UPLOAD')));
    expect(upload).toMatchObject({ event: 'FILE_UPLOAD', fileName: 'label.txt', name: 'Dana', sizeHuman: '13 B' });
    const fileDownload = upload?.event === 'FILE_UPLOAD' ? upload.fileDownload : '';
    expect((await http(`${server.url}${fileDownload}?t=${encodeURIComponent(session.sessionSecret)}`)).text).toBe('Tracking: 123');
    expect((await http(`${server.url}${fileDownload}?t=wrong`)).status).toBe(403);
    await page.locator('#composerNote', { hasText: 'Sent label.txt.' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#transcript a', { hasText: 'label.txt' }).click()]);
    expect(await downloaded(download)).toBe('Tracking: 123');

    await page.locator('#endButton').click();
    expect(systemEvent(await customer.next<ChatMessageEvent>('chat message', withEvent('OWNER_ENDS_CHAT')))).toEqual({ event: 'OWNER_ENDS_CHAT', name: 'Dana' });
    await customer.next('finish chat session');
    // Ended chats fold away under their count; the open one stays open.
    await chatIn(dana, 'ended', session.sessionId).waitFor({ state: 'attached' });
    await page.locator('#endedCount', { hasText: '1' }).waitFor();
    expect(await chatIn(dana, 'ended', session.sessionId).isVisible()).toBe(false);
    await page.locator('#endedGroup summary').click();
    await chatIn(dana, 'ended', session.sessionId).waitFor();
    await page.locator('#transcript li.system', { hasText: 'Dana ended the chat.' }).waitFor();
    await replyBox(dana, false);
    await expectAccessible(page, 'with an ended chat open and the ended ones unfolded');
    expect(dana.pageErrors).toEqual([]);
    expect(dana.dialogs).toEqual([]);
  });

  it('links only the files the server stored, over http(s), and never receives a session secret', async () => {
    const { server } = await startConsoleServer();
    const dana = await openConsole(server, 'Dana');
    const { page } = dana;
    // Everything the server sends the console: socket.io polls, then websocket frames.
    const frames: string[] = [];
    page.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => frames.push(String(payload))));
    page.on('response', (response) => {
      if (response.url().includes('/socket.io/')) response.text().then((body) => frames.push(body), () => undefined);
    });
    const { customer, session } = await startCustomer(server, BUSY, 'Ann');
    server.agent.join(session.sessionId, 'Dana');
    const forged = encodeSystemEvent({ event: 'FILE_UPLOAD', fileDownload: 'javascript:window.injected=1//', fileName: 'invoice.pdf', sizeHuman: '1 KB', name: 'Ann' });
    await customer.request('chat message', { id: 'c-1', message: forged, mcount: 1 });
    await customer.request('chat message', { id: 'c-2', message: 'Did you get it?', mcount: 2 });
    await server.agent.attach(session.sessionId, { name: 'label.txt', data: 'Tracking: 123' });

    await page.reload();
    await page.locator('#connection.online').waitFor();
    await chatIn(dana, 'mine', session.sessionId).click();
    await page.locator('#transcript li', { hasText: 'Did you get it?' }).waitFor();
    await page.locator('#transcript a', { hasText: 'label.txt' }).waitFor();
    const links = await page.locator('#transcript a').evaluateAll((anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
    expect(links).toHaveLength(1);
    expect(new URL(links[0] ?? '').protocol).toBe('http:');
    expect(await page.locator('#transcript li', { hasText: 'invoice.pdf' }).count()).toBe(0);
    await expect.poll(() => frames.some((frame) => frame.includes('agent:hello'))).toBe(true);
    expect(frames.join('\n')).not.toContain(session.sessionSecret);
    expect(dana.pageErrors).toEqual([]);
  });

  it('shows a file whose link is not http(s) as its name, without a link', async () => {
    const { server } = await startConsoleServer();
    const dana = await openConsole(server, 'Dana');
    const { page } = dana;
    // A server gone wrong: every link it sends the console over the websocket runs script.
    const routed: string[] = [];
    await page.routeWebSocket(/socket\.io/, (route) => {
      const upstream = route.connectToServer();
      upstream.onMessage((message) => {
        const text = typeof message === 'string' ? message.replace(/"href":"[^"]*"/g, '"href":"javascript:window.injected=1"') : message;
        if (typeof text === 'string') routed.push(text);
        route.send(text);
      });
    });
    await page.reload();
    await page.locator('#connection.online').waitFor();
    const { session } = await startCustomer(server, BUSY, 'Ann');
    server.agent.join(session.sessionId, 'Dana');
    await chatIn(dana, 'mine', session.sessionId).click();
    await page.locator('#transcript li', { hasText: 'Agent(s) added: Dana' }).waitFor();
    // The console's events now come over the websocket.
    await expect.poll(() => routed.some((frame) => frame.includes('agent:chat'))).toBe(true);

    await server.agent.attach(session.sessionId, { name: 'label.txt', data: 'Tracking: 123' });
    await page.locator('#transcript li', { hasText: 'label.txt (13 B)' }).waitFor();
    expect(await page.locator('#transcript a').count()).toBe(0);
    expect(await page.evaluate(() => (window as { injected?: number }).injected)).toBeUndefined();
  });

  it('transfers a chat to a colleague in another window, who answers it; the customer never waits again', async () => {
    const { server } = await startConsoleServer();
    const dana = await openConsole(server, 'Dana');
    const eve = await openConsole(server, 'Eve');
    const { customer, session } = await startCustomer(server, BUSY, 'Ann');
    await chatIn(dana, 'waiting', session.sessionId).click();
    await dana.page.locator('#takeButton').click();
    await replyBox(dana, true);
    await chatIn(eve, 'others', session.sessionId).waitFor();

    await dana.page.locator('#transferButton').click();
    await dana.page.locator('#transferName').fill('Eve');
    await dana.page.locator('#transferSubmit').click();
    await customer.next<ChatMessageEvent>('chat message', withEvent('AGENTS_REMOVED'));
    const [added, removed] = customer.all<ChatMessageEvent>('chat message').slice(-2);
    expect(added && systemEvent(added)).toEqual({ event: 'AGENTS_ADDED', names: ['Eve'] });
    expect(removed).toMatchObject({ agent: 'Eve' });
    expect(removed && systemEvent(removed)).toEqual({ event: 'AGENTS_REMOVED', names: ['Dana'] });
    expect(customer.all('queue')).toEqual([1]);
    await dana.page.locator('#composerNote', { hasText: 'Transferred to Eve.' }).waitFor();
    await chatIn(dana, 'others', session.sessionId).waitFor();
    await replyBox(dana, false);
    expect(await dana.page.locator('#transferButton').isHidden()).toBe(true);

    await chatIn(eve, 'mine', session.sessionId).click();
    await eve.page.locator('#transcript li.system', { hasText: 'Agent(s) removed: Dana' }).waitFor();
    await replyBox(eve, true);
    await eve.page.locator('#reply').fill('Eve here, I can help with that.');
    await eve.page.locator('#reply').press('Enter');
    expect(await customer.next<ChatMessageEvent>('chat message', withText('Eve here, I can help with that.'))).toMatchObject({ agent: 'Eve', chat: [{ sender: 'AGENT' }] });
    expect([...dana.pageErrors, ...eve.pageErrors]).toEqual([]);
  });

  it('takes a chat over from a simulated agent, and leaves it for the next agent', async () => {
    const { server, clock } = await startConsoleServer();
    const dana = await openConsole(server, 'Dana');
    const { customer, session } = await startCustomer(server, SUPPORT, 'Bo');
    clock.advance(1000);
    await customer.next<ChatMessageEvent>('chat message', withEvent('AGENTS_ADDED'));

    await chatIn(dana, 'others', session.sessionId).click();
    await dana.page.locator('#reply[placeholder^="A simulated agent answers this chat"]').waitFor();
    await dana.page.locator('#takeOverButton').click();
    expect(systemEvent(await customer.next<ChatMessageEvent>('chat message', withEvent('AGENTS_REMOVED')))).toEqual({ event: 'AGENTS_REMOVED', names: ['Alice'] });
    await chatIn(dana, 'mine', session.sessionId).waitFor();
    await replyBox(dana, true);
    await dana.page.locator('#reply').fill('Dana here instead.');
    await dana.page.locator('#reply').press('Enter');
    await customer.next<ChatMessageEvent>('chat message', withText('Dana here instead.'));
    clock.advance(10_000);
    expect(server.session(session.sessionId)?.transcript.filter((m) => m.sender === 'AGENT').map((m) => m.text)).toEqual(['Dana here instead.']);

    await dana.page.locator('#leaveButton').click();
    expect(systemEvent(await customer.next<ChatMessageEvent>('chat message', withEvent('AGENT_LEFT')))).toEqual({ event: 'AGENT_LEFT', name: 'Dana' });
    expect(await customer.next('queue')).toBe(1);
    await chatIn(dana, 'waiting', session.sessionId).waitFor();
    expect(dana.pageErrors).toEqual([]);
  });

  it('keeps what is written for each chat apart: a reply meant for one customer never reaches another', async () => {
    const { server } = await startConsoleServer();
    const dana = await openConsole(server, 'Dana');
    const { page } = dana;
    const ann = await startCustomer(server, BUSY, 'Ann');
    await chatIn(dana, 'waiting', ann.session.sessionId).waitFor();
    const bo = await startCustomer(server, BUSY, 'Bo');
    // The note of a new chat opens it.
    await page.locator('#toast', { hasText: 'New chat in Busy from Bo' }).click();
    await page.locator('#chatTitle', { hasText: 'Bo' }).waitFor();
    await page.locator('#takeButton').click();
    await chatIn(dana, 'mine', bo.session.sessionId).waitFor();
    await chatIn(dana, 'waiting', ann.session.sessionId).click();
    await page.locator('#takeButton').click();
    await chatIn(dana, 'mine', ann.session.sessionId).waitFor();

    await chatIn(dana, 'mine', ann.session.sessionId).click();
    await replyBox(dana, true);
    await page.locator('#reply').pressSequentially('Ann, your parcel');
    await ann.customer.next<AgentPreview>('agent preview', (preview) => preview.messageLen > 0);
    await chatIn(dana, 'mine', bo.session.sessionId).click();
    // Turning away from Ann's chat tells Ann the agent stopped typing.
    await ann.customer.next<AgentPreview>('agent preview', (preview) => preview.messageLen === 0);
    await page.locator('#chatTitle', { hasText: 'Bo' }).waitFor();
    expect(await page.locator('#reply').inputValue()).toBe('');
    await page.locator('#reply').fill('Hello Bo.');
    await page.locator('#reply').press('Enter');
    await bo.customer.next<ChatMessageEvent>('chat message', withText('Hello Bo.'));

    await chatIn(dana, 'mine', ann.session.sessionId).click();
    await page.locator('#chatTitle', { hasText: 'Ann' }).waitFor();
    expect(await page.locator('#reply').inputValue()).toBe('Ann, your parcel');
    await page.locator('#reply').pressSequentially(' is on its way.');
    await page.locator('#reply').press('Enter');
    await ann.customer.next<ChatMessageEvent>('chat message', withText('Ann, your parcel is on its way.'));
    const agentTexts = (id: number) => server.session(id)?.transcript.filter((m) => m.sender === 'AGENT').map((m) => m.text);
    expect(agentTexts(ann.session.sessionId)).toEqual(['Ann, your parcel is on its way.']);
    expect(agentTexts(bo.session.sessionId)).toEqual(['Hello Bo.']);
    expect(dana.pageErrors).toEqual([]);
  });

  it('takes a chat with the first click after the name is typed, whether on the chat or on Take chat', async () => {
    const { server } = await startConsoleServer();
    const dana = await openNamelessConsole(server);
    const { page } = dana;
    const ann = await startCustomer(server, BUSY, 'Ann');
    const bo = await startCustomer(server, BUSY, 'Bo');

    // The name is typed and the very next click, on a waiting chat, opens it.
    await page.locator('#agentName').fill('Dana');
    await chatIn(dana, 'waiting', ann.session.sessionId).click();
    await page.locator('#chatTitle', { hasText: 'Ann' }).waitFor();
    await page.locator('#takeButton').click();
    await ann.customer.next<ChatMessageEvent>('chat message', withEvent('AGENTS_ADDED'));
    await chatIn(dana, 'mine', ann.session.sessionId).waitFor();

    // Without a name Take chat says so; typed then, the next click on Take chat takes it.
    await page.locator('#agentName').fill('');
    await page.locator('#agentName').press('Tab');
    await chatIn(dana, 'waiting', bo.session.sessionId).click();
    await page.locator('#takeButton').click();
    await page.locator('#composerNote', { hasText: 'Write your name at the top first' }).waitFor();
    await page.locator('#agentName').fill('Dana');
    await page.locator('#takeButton').click();
    expect(systemEvent(await bo.customer.next<ChatMessageEvent>('chat message', withEvent('AGENTS_ADDED')))).toEqual({ event: 'AGENTS_ADDED', names: ['Dana'] });
    await chatIn(dana, 'mine', bo.session.sessionId).waitFor();
    expect(dana.pageErrors).toEqual([]);
  });

  it('fits a phone 390 px wide: the list and the open chat take turns, nothing scrolls sideways', async () => {
    const { server } = await startConsoleServer();
    const phone = await openNamelessConsole(server, { width: 390, height: 844 });
    const { page } = phone;
    /** How far the page reaches past the screen's right edge, in px (0: nothing to scroll sideways). */
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.locator('#agentName').fill('Dana');
    await page.locator('#agentName').press('Tab');
    expect(await overflow()).toBe(0);
    const header = await page.locator('.topbar h1').boundingBox();
    expect(header && header.x >= 0 && header.x + header.width <= 390).toBe(true);

    const name = 'Maria-Charlotta-Lindqvist-Oxenstierna-Andersson';
    const { customer, session } = await startCustomer(server, BUSY, name, `A question without spaces: ${'x'.repeat(120)}`);
    await customer.request('chat message', { id: 'c-1', message: `https://shop.example/orders/${'1234567890'.repeat(8)}`, mcount: 1 });
    await chatIn(phone, 'waiting', session.sessionId).click();
    await page.locator('#chatTitle', { hasText: name }).waitFor();
    expect(await page.locator('.sidebar').isVisible()).toBe(false);
    await page.locator('#takeButton').click();
    await replyBox(phone, true);
    await page.locator('#reply').fill('Hello from a phone.');
    await page.locator('#sendButton').click();
    await customer.next<ChatMessageEvent>('chat message', withText('Hello from a phone.'));
    await page.locator('#transferButton').click();
    expect(await overflow()).toBe(0);
    await expectAccessible(page, 'on a phone, transferring a chat');
    for (const id of ['#takeOverButton', '#endButton', '#leaveButton', '#transferSubmit', '#sendButton', '#reply']) {
      const box = await page.locator(id).boundingBox();
      if (box) expect(box.x + box.width, `${id} is on the screen`).toBeLessThanOrEqual(390);
    }

    await page.locator('#backButton').click();
    await chatIn(phone, 'mine', session.sessionId).waitFor();
    expect(await page.locator('#conversation').isVisible()).toBe(false);
    expect(await overflow()).toBe(0);
    await expectAccessible(page, 'on a phone, the list of chats');
    expect(phone.pageErrors).toEqual([]);
  });

  it('folds away the chats whose customer left and the ended ones, each under its count', async () => {
    const { server } = await startConsoleServer();
    const dana = await openConsole(server, 'Dana');
    const { page } = dana;
    const ann = await startCustomer(server, BUSY, 'Ann');
    const bo = await startCustomer(server, BUSY, 'Bo');
    await chatIn(dana, 'waiting', ann.session.sessionId).waitFor();
    await chatIn(dana, 'waiting', bo.session.sessionId).waitFor();

    await ann.customer.close();
    await chatIn(dana, 'away', ann.session.sessionId).waitFor({ state: 'attached' });
    await page.locator('#awayCount', { hasText: '1' }).waitFor();
    expect(await chatIn(dana, 'away', ann.session.sessionId).isVisible()).toBe(false);
    expect(await chatIn(dana, 'waiting', bo.session.sessionId).isVisible()).toBe(true);

    server.agent.end(bo.session.sessionId);
    await page.locator('#endedCount', { hasText: '1' }).waitFor();
    expect(await page.locator('#waiting li[data-session-id]').count()).toBe(0);
    await page.locator('#awayGroup summary').click();
    await chatIn(dana, 'away', ann.session.sessionId).click();
    await page.locator('#chatTitle', { hasText: 'Ann' }).waitFor();
    expect(dana.pageErrors).toEqual([]);
  });

  it('lists the messages customers left and shows the rating of an ended chat', async () => {
    const { server } = await startConsoleServer();
    const post = (name: string, body: unknown) =>
      http(`${server.baseURL}/socket/external.api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const left = await post('createerrand', { area: BUSY, name: 'Cai', email: 'cai@example.com', subject: 'Opening hours', message: 'When do you open on Saturday?\nThanks!' });
    const { reference } = left.json<{ reference: string }>();
    const dana = await openConsole(server, 'Dana');
    const { page } = dana;

    const errand = page.locator('#errands li', { hasText: 'Cai' });
    await errand.waitFor();
    expect(await errand.textContent()).toContain(`${reference} · Opening hours`);
    await page.locator('#errandsCount', { hasText: '1' }).waitFor();
    await errand.click();
    await page.locator('#errandTitle', { hasText: `Cai · Busy ${reference}` }).waitFor();
    expect(await page.locator('#errandDetails').textContent()).toContain('cai@example.com');
    expect(await page.locator('#errandMessage').textContent()).toBe('When do you open on Saturday?\nThanks!');
    await expectAccessible(page, 'with a message a customer left open');

    // One left while the console is open arrives at once, with a note that opens it.
    await post('createerrand', { area: BUSY, name: 'Dee', email: 'dee@example.com', subject: 'Returns', message: 'Can I return a bike?' });
    await page.locator('#toast', { hasText: 'New message from Dee' }).click();
    await page.locator('#errandTitle', { hasText: 'Dee' }).waitFor();
    await page.locator('#errandsCount', { hasText: '2' }).waitFor();

    const { session } = await startCustomer(server, BUSY, 'Ann');
    await chatIn(dana, 'waiting', session.sessionId).click();
    await page.locator('#takeButton').click();
    await chatIn(dana, 'mine', session.sessionId).waitFor();
    await page.locator('#endButton').click();
    await page.locator('#endedCount', { hasText: '1' }).waitFor();
    expect((await post('chatrating', { secret: session.sessionSecret, rating: 4, comment: 'Quick and kind.' })).status).toBe(200);
    await page.locator('#chatRating', { hasText: 'Rated 4/5 by the customer: “Quick and kind.”' }).waitFor();
    await expectAccessible(page, 'with a rated chat open');
    await page.locator('#endedGroup summary').click();
    expect(await chatIn(dana, 'ended', session.sessionId).textContent()).toContain('rated 4/5');
    expect(dana.pageErrors).toEqual([]);
  });

  it('opened without its key (as from the index page), says to open the printed address instead of trying to connect', async () => {
    const { server } = await startConsoleServer();
    const agent = await visit(browser);
    cleanups.push(() => agent.context.close());
    consoles.push(agent);
    agent.context.setDefaultTimeout(10_000);
    await agent.page.goto(`${server.url}/console/`);
    await agent.page.locator('#empty', { hasText: 'This console needs its key. Open it through the address the server printed' }).waitFor();
    expect(await agent.page.locator('#connection').textContent()).toBe('Key needed');
    expect(await agent.page.locator('#toast').isVisible()).toBe(false);
    await expectAccessible(agent.page, 'without its key');

    // The printed address works in the same window.
    await agent.page.goto(server.consoleURL ?? '');
    await agent.page.reload();
    await agent.page.locator('#connection.online').waitFor();
    expect(agent.pageErrors).toEqual([]);
  });
});
