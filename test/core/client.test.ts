import { describe, expect, it, onTestFinished } from 'vitest';
import { ChatError, createCentionChat, describeMessage } from '../../core';
import type { CentionChatOptions, Message } from '../../core';
import { io as ioV4 } from '../../core/transport/socket-io-v4';
import { startTestServer } from '../support/chat-server';
import { first, memoryStorage, useChatServer, view } from './support';

const ada = { name: 'Ada', email: 'ada@example.com', message: 'Where is my parcel?' };

function texts(messages: Iterable<Message>): string[] {
  return [...messages].map((m) => describeMessage(m).text);
}

describe('the typed client against the reference server', () => {
  const t = useChatServer();

  it('tells whether each area can chat', async () => {
    const chat = t.client();
    const [open, closed, nobody] = await Promise.all([chat.canChat(1), chat.canChat(2), chat.canChat(3)]);
    expect(open).toMatchObject({ chatOpen: true, error: '', feature: { 'chat.attachment': true, 'chat.max-attachment-size': 2_000 } });
    expect(open.agentsAvailable).toBeGreaterThan(0);
    expect(closed).toMatchObject({ chatOpen: false, error: '' });
    expect(nobody).toMatchObject({ chatOpen: true, agentsAvailable: 0 });
    await expect(chat.canChat(99)).resolves.toMatchObject({ error: 'unknown area' });
  });

  it('starts a chat, waits in the queue, and talks with the agent who joins', async () => {
    const chat = t.client();
    const session = await chat.start(ada);
    expect(session).toMatchObject({ areaId: 1, clientName: 'Ada' });
    const queued = await view(chat, (v) => v.queuePosition === 1);
    expect(queued.phase).toBe('queued');
    t.server.agent.join(session.sessionId, 'Bea');
    const connected = await view(chat, (v) => v.phase === 'connected');
    expect(connected.agent).toBe('Bea');
    expect(texts(connected.transcript)).toEqual(['Where is my parcel?', 'Agent(s) added: Bea']);

    const reply = first(chat.messages$, 3);
    t.server.agent.say(session.sessionId, 'Let me look.');
    expect(texts(await reply).at(-1)).toBe('Let me look.');
  });

  it('counts what the agent sent since the customer last looked, and markRead clears it, a resumed history not counted', async () => {
    const storage = memoryStorage();
    const chat = t.client({ storage });
    const session = await chat.start(ada);
    t.server.agent.join(session.sessionId, 'Bea');
    t.server.agent.say(session.sessionId, 'Let me look.');
    expect((await view(chat, (v) => v.unread === 2)).transcript.length).toBe(3);
    chat.markRead();
    expect(chat.getSnapshot().unread).toBe(0);
    t.server.agent.say(session.sessionId, 'Found it.');
    await view(chat, (v) => v.unread === 1);

    // The next page gets the chat's history, which is not news to the customer.
    chat.stop();
    expect(() => chat.markRead()).toThrow(expect.objectContaining({ code: 'invalid-state' }));
    const next = t.client({ storage });
    await next.resume();
    await view(next, (v) => v.transcript.length === 4);
    expect(next.getSnapshot().unread).toBe(0);
  });

  it('keeps an unsent message for the next page once as it goes and once as the server has it, not again for its echo', async () => {
    const storage = memoryStorage();
    const writes: string[] = [];
    const counting = { ...storage, setItem: (key: string, value: string) => (writes.push(key), storage.setItem(key, value)) };
    const chat = t.client({ storage: counting });
    const session = await chat.start(ada);
    t.server.agent.join(session.sessionId);
    await view(chat, (v) => v.phase === 'connected');
    const key = `cention-chat:${t.server.baseURL}:1`;
    writes.length = 0;
    const outgoing = chat.send('It was due Monday.');
    // On its way: the next page would send it again.
    expect(JSON.parse(storage.getItem(key) ?? '{}').outbox).toEqual([expect.objectContaining({ umid: outgoing.id, state: 'sending' })]);
    await outgoing.sent;
    expect(JSON.parse(storage.getItem(key) ?? '{}').outbox).toEqual([]);
    await view(chat, (v) => v.transcript.toArray().some((m) => m.umid === outgoing.id) && !v.outbox.some((e) => e.umid === outgoing.id));
    expect(JSON.parse(storage.getItem(key) ?? '{}')).toMatchObject({ sessionId: session.sessionId, outbox: [] });
    expect(writes.filter((k) => k === key)).toHaveLength(2);
  });

  it('writes the kept chat again after a write the storage refused, though nothing changed since', async () => {
    const storage = memoryStorage();
    const key = `cention-chat:${t.server.baseURL}:1`;
    let refuse = false;
    const writes: string[] = [];
    const full = {
      ...storage,
      setItem: (k: string, value: string) => {
        writes.push(k);
        if (refuse && k === key) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        storage.setItem(k, value);
      },
    };
    const chat = t.client({ storage: full });
    const session = await chat.start(ada);
    t.server.agent.join(session.sessionId);
    await view(chat, (v) => v.phase === 'connected');
    const outgoing = chat.send('It was due Monday.');
    expect(JSON.parse(storage.getItem(key) ?? '{}').outbox).toHaveLength(1);
    // The storage is full when the reply comes: the message stays kept as unsent.
    refuse = true;
    await outgoing.sent;
    expect(JSON.parse(storage.getItem(key) ?? '{}').outbox).toHaveLength(1);
    // Room again: the echo changes nothing the store should hold, but what it holds is stale.
    refuse = false;
    writes.length = 0;
    await view(chat, (v) => v.transcript.toArray().some((m) => m.umid === outgoing.id) && !v.outbox.some((e) => e.umid === outgoing.id));
    expect(writes).toContain(key);
    expect(JSON.parse(storage.getItem(key) ?? '{}').outbox).toEqual([]);
  });

  it('sends a message once, tells when the server has it and when the agent has it', async () => {
    const chat = t.client();
    const session = await chat.start(ada);
    t.server.agent.join(session.sessionId);
    const receipts = first(chat.receipts$, 2);
    const outgoing = chat.send('  It was due Monday.  ');
    expect(outgoing.message).toBe('It was due Monday.');
    const sent = await outgoing.sent;
    expect(sent.umid).toBe(outgoing.id);
    expect(t.server.session(session.sessionId)?.transcript.filter((m) => m.umid === outgoing.id)).toHaveLength(1);
    t.server.agent.ack(session.sessionId);
    expect((await receipts).map((r) => [r.umid, r.state])).toEqual([
      [outgoing.id, 'sent'],
      [outgoing.id, 'acked'],
    ]);
    const shown = await view(chat, (v) => v.transcript.toArray().some((m) => m.umid === outgoing.id));
    const own = shown.transcript.toArray().find((m) => m.umid === outgoing.id)!;
    expect(shown.deliveryOf(own)).toBe('acked');
    expect(shown.pending).toEqual([]);
  });

  it('shows the agent typing', async () => {
    const chat = t.client();
    const session = await chat.start(ada);
    t.server.agent.join(session.sessionId);
    await view(chat, (v) => v.phase === 'connected');
    const typing = first(chat.agentTyping$, 2);
    t.server.agent.type(session.sessionId, 12);
    expect(await typing).toEqual([0, 12]);
  });

  it('keeps a message typed while the link is down and delivers it exactly once after the reconnect', async () => {
    const chat = t.client();
    const session = await chat.start(ada);
    t.server.agent.join(session.sessionId);
    await view(chat, (v) => v.phase === 'connected');
    t.server.dropClient(session.sessionId);
    await view(chat, (v) => v.phase === 'reconnecting');
    const outgoing = chat.send('Typed while offline');
    await outgoing.sent;
    await view(chat, (v) => v.phase === 'connected');
    const stored = t.server.session(session.sessionId)!.transcript.filter((m) => m.text === 'Typed while offline');
    expect(stored).toHaveLength(1);
    const ids = chat.getSnapshot().transcript.toArray().map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps a message sent just before a server restart: stored once, completed once', async () => {
    const chat = t.client();
    const session = await chat.start(ada);
    t.server.agent.join(session.sessionId);
    await view(chat, (v) => v.phase === 'connected');
    t.server.faults.set({ delayMs: 60_000 }, session.sessionId);
    const outgoing = chat.send('Sent just before the restart');
    await t.server.waitFor('client-message', (e) => e.message.umid === outgoing.id);
    await t.server.restart();
    await outgoing.sent;
    expect(t.server.session(session.sessionId)!.transcript.filter((m) => m.umid === outgoing.id)).toHaveLength(1);
  });

  it('resends a message whose reply was lost on a dropped link, and completes it once on "already seen"', async () => {
    const chat = t.client();
    const session = await chat.start(ada);
    t.server.agent.join(session.sessionId);
    await view(chat, (v) => v.phase === 'connected');
    const receipts: string[] = [];
    chat.receipts$.subscribe((r) => receipts.push(`${r.umid} ${r.state}`));
    const arrivals: boolean[] = [];
    t.server.on('client-message', (e) => arrivals.push(e.alreadySeen));

    // The server stores the message, then the link dies before its reply or echo gets out.
    t.server.faults.set({ loseReplies: true, delayMs: 60_000 }, session.sessionId);
    const outgoing = chat.send('Stored, but the reply was lost');
    await t.server.waitFor('client-message', (e) => e.message.umid === outgoing.id);
    t.server.faults.clear(session.sessionId);
    // Waited for from before the drop: the resume's transcript can complete \`sent\` after the
    // server has already seen the resend, and a wait begun then would miss it.
    const resent = t.server.waitFor('client-message', (e) => e.message.umid === outgoing.id && e.alreadySeen);
    t.server.dropClient(session.sessionId);

    const sent = await outgoing.sent;
    await resent;
    expect(arrivals).toEqual([false, true]);
    expect(t.server.session(session.sessionId)!.transcript.filter((m) => m.umid === outgoing.id)).toHaveLength(1);
    expect(sent.umid).toBe(outgoing.id);
    expect(receipts.filter((r) => r === `${outgoing.id} sent`)).toHaveLength(1);
    const shown = (await view(chat, (v) => v.phase === 'connected' && v.pending.length === 0)).transcript.toArray();
    expect(shown.filter((m) => m.umid === outgoing.id)).toHaveLength(1);
  });

  it('sends again under the same umid when a reply does not come in time', async () => {
    const chat = t.client({ ackTimeout: 150, delays: { outboxRetry: 50 } });
    const session = await chat.start(ada);
    t.server.agent.join(session.sessionId);
    await view(chat, (v) => v.phase === 'connected');
    // No reply, and its echo held on the server's clock (which this test never moves).
    t.server.faults.set({ loseReplies: true, delayMs: 60_000 }, session.sessionId);
    const outgoing = chat.send('Nobody answered');
    await t.server.waitFor('client-message', (e) => e.message.umid === outgoing.id);
    t.server.faults.set({ loseReplies: false }, session.sessionId);
    const resent = t.server.waitFor('client-message', (e) => e.message.umid === outgoing.id && e.alreadySeen);
    const sent = await outgoing.sent;
    await resent;
    expect(sent).toMatchObject({ umid: outgoing.id, id: `already-seen-${outgoing.id}` });
    expect(t.server.session(session.sessionId)!.transcript.filter((m) => m.umid === outgoing.id)).toHaveLength(1);
  });

  it('finishes with "session lost" when the server restarts without its memory', async () => {
    const chat = t.client();
    const session = await chat.start(ada);
    await view(chat, (v) => v.phase === 'queued');
    await t.server.restart({ forgetSessions: true });
    const finished = await view(chat, (v) => v.phase === 'finished');
    expect(finished.lastError?.code).toBe('session-lost');
    expect(finished.endedWhileOffline).toBe(true);
    expect(session.sessionId).toBeGreaterThan(0);
  });

  it('resumes on the next page and sends what the last page typed just before it left, once', async () => {
    const storage = memoryStorage();
    const page1 = t.client({ storage });
    const session = await page1.start(ada);
    t.server.agent.join(session.sessionId);
    await view(page1, (v) => v.phase === 'connected');
    const lastWords = page1.send('Typed just before navigating');
    page1.stop();

    const page2 = t.client({ storage });
    const resumed = await page2.resume();
    expect(resumed.sessionId).toBe(session.sessionId);
    await view(page2, (v) => v.outbox.every((e) => e.state === 'sent' || e.state === 'acked'));
    await view(page2, (v) => v.transcript.toArray().some((m) => m.umid === lastWords.id));
    expect(t.server.session(session.sessionId)!.transcript.filter((m) => m.umid === lastWords.id)).toHaveLength(1);
    const shown = page2.getSnapshot().transcript.toArray();
    expect(shown.filter((m) => m.umid === lastWords.id)).toHaveLength(1);
    expect(texts(shown).slice(0, 2)).toEqual(['Where is my parcel?', 'Agent(s) added: Bea']);
  });

  it('keeps what was typed while a page was still resuming, for the page after it', async () => {
    const storage = memoryStorage();
    const page1 = t.client({ storage });
    const session = await page1.start(ada);
    page1.stop();

    // The second page's resume is not answered before the customer moves on again.
    t.server.faults.set({ loseReplies: true }, session.sessionId);
    const page2 = t.client({ storage });
    void page2.resume().catch(() => undefined);
    await t.server.waitFor('session-resumed', (e) => e.sessionId === session.sessionId);
    const typed = page2.send('Typed while the page was resuming');
    page2.stop();
    t.server.faults.clear(session.sessionId);

    const page3 = t.client({ storage });
    await page3.resume();
    await view(page3, (v) => v.transcript.toArray().some((m) => m.umid === typed.id));
    expect(t.server.session(session.sessionId)!.transcript.filter((m) => m.umid === typed.id)).toHaveLength(1);
  });

  it('says why a resume found nothing, and forgets the kept chat', async () => {
    const storage = memoryStorage();
    storage.setItem(`cention-chat:${t.server.baseURL}:1`, JSON.stringify({ area: 1, sessionId: 404, secret: 'not-a-real-secret', outbox: [] }));
    const chat = t.client({ storage });
    await expect(chat.resume(1)).rejects.toMatchObject({ code: 'no-session' });
    expect(storage.items.has(`cention-chat:${t.server.baseURL}:1`)).toBe(false);
  });

  it('uploads a file with the secret and announces it in the chat', async () => {
    const chat = t.client();
    const session = await chat.start(ada);
    const file = new File(['hello, file'], 'note.txt', { type: 'text/plain' });
    const result = await chat.attach(file);
    expect(result).toMatchObject({ value: 'note.txt', size: 11 });
    const announced = await view(chat, (v) => v.transcript.toArray().some((m) => describeMessage(m).event?.event === 'FILE_UPLOAD'));
    const upload = announced.transcript.toArray().map((m) => describeMessage(m)).find((m) => m.event?.event === 'FILE_UPLOAD')!;
    expect(upload.text).toBe('Ada attached a file.');
    const download = await fetch(chat.downloadUrl(result.download)!);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('hello, file');
    expect(chat.getSnapshot().uploads.map((u) => u.state)).toEqual(['done']);
    expect(session.sessionId).toBeGreaterThan(0);
  });

  it('asks for the limits itself and refuses a file larger than the area allows before sending a byte', async () => {
    const chat = t.client();
    await chat.start(ada);
    let uploads = 0;
    t.server.on('attachment', () => uploads++);
    const big = new File([new Uint8Array(1_500)], 'photo.png', { type: 'image/png' });
    const refused = chat.attach(big);
    await expect(refused).rejects.toBeInstanceOf(ChatError);
    await expect(refused).rejects.toMatchObject({ code: 'file-too-large', message: expect.stringContaining('1000 B') });
    expect(chat.getSnapshot().availability).toMatchObject({ chatOpen: true });
    expect(chat.getSnapshot().uploads).toEqual([]);
    expect(uploads).toBe(0);
  });

  it('reports the refusal of a server stricter than its canchat answer', async () => {
    // A canchat answer without limits: the client lets the file go, the server cuts it off.
    const lenient: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input).includes('/canchat')) return response;
      const body = (await response.json()) as { feature: Record<string, unknown> };
      return Response.json({ ...body, feature: { 'chat.attachment': true } });
    };
    const chat = t.client({ fetch: lenient });
    await chat.start(ada);
    await expect(chat.attach(new File([new Uint8Array(1_500)], 'photo.png', { type: 'image/png' }))).rejects.toMatchObject({ code: 'file-too-large' });
    expect(chat.getSnapshot().uploads.map((u) => u.state)).toEqual(['failed']);
  });

  it('cancels an upload through its AbortSignal', async () => {
    const chat = t.client();
    await chat.start(ada);
    const aborter = new AbortController();
    const upload = chat.attach(new File(['x'], 'x.txt'), { signal: aborter.signal });
    aborter.abort();
    await expect(upload).rejects.toMatchObject({ code: 'upload-aborted' });
  });

  it('cancels an upload on its way: the request is aborted and the chat never hears of the file', async () => {
    // A network that holds every upload until the test lets it go.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const aborted: boolean[] = [];
    const slow: typeof fetch = async (input, init) => {
      if (String(input).includes('uploadAttachment')) {
        await held;
        aborted.push(init?.signal?.aborted ?? false);
      }
      return fetch(input, init);
    };
    const chat = t.client({ fetch: slow });
    await chat.start(ada);
    await chat.canChat();
    let attachments = 0;
    t.server.on('attachment', () => attachments++);
    const aborter = new AbortController();
    const upload = chat.attach(new File(['hello'], 'hello.txt', { type: 'text/plain' }), { signal: aborter.signal });
    await view(chat, (v) => v.uploads.some((u) => u.state === 'uploading'));
    aborter.abort();
    await expect(upload).rejects.toMatchObject({ code: 'upload-aborted' });
    expect(chat.getSnapshot().uploads.map((u) => u.state)).toEqual(['canceled']);
    release();
    await expect.poll(() => aborted).toEqual([true]);
    expect(attachments).toBe(0);
  });

  it('refuses attachments where the area has them off', async () => {
    const chat = t.client({ area: 5 });
    await chat.canChat();
    await chat.start(ada);
    await expect(chat.attach(new File(['x'], 'x.txt'))).rejects.toMatchObject({ code: 'attachments-disabled' });
  });

  it('closes the chat, and the history stays downloadable', async () => {
    const chat = t.client();
    const session = await chat.start(ada);
    t.server.agent.join(session.sessionId);
    await view(chat, (v) => v.phase === 'connected');
    await chat.close();
    const finished = chat.getSnapshot();
    expect(finished.phase).toBe('finished');
    expect(texts(finished.transcript).at(-1)).toBe('Client ended the chat.');
    const history = await fetch(chat.historyUrls()!.save);
    expect(history.status).toBe(200);
    expect(await history.text()).toContain('Where is my parcel?');
  });

  it('ends when the agent ends the chat', async () => {
    const chat = t.client();
    const session = await chat.start(ada);
    t.server.agent.join(session.sessionId, 'Bea');
    await view(chat, (v) => v.phase === 'connected');
    t.server.agent.end(session.sessionId);
    const finished = await view(chat, (v) => v.phase === 'finished');
    expect(texts(finished.transcript).at(-1)).toBe('Bea ended the chat.');
  });

  it.each([
    [2, 'area-closed', 'idle'],
    [3, 'agent-unavailable', 'agentUnavailable'],
    [99, 'unknown-area', 'idle'],
  ] as const)('refuses to start in area %i with %s', async (area, code, phase) => {
    const chat = t.client();
    await expect(chat.start({ ...ada, area })).rejects.toMatchObject({ code });
    expect(chat.getSnapshot().phase).toBe(phase);
  });

  it('says the queue is full to the chat that does not fit', async () => {
    const first = t.client({ area: 4 });
    await first.start(ada);
    const second = t.client({ area: 4 });
    await expect(second.start(ada)).rejects.toMatchObject({ code: 'queue-full' });
    expect(second.getSnapshot().phase).toBe('queueFull');
  });

  it('refuses bad input with a typed error that names it', () => {
    const chat = t.client();
    expect(() => chat.send('   ')).toThrow(ChatError);
    expect(() => chat.send('x'.repeat(10_001))).toThrow(/at most 10000/);
    expect(() => chat.start({ ...ada, name: '' })).toThrow(/name/);
    expect(() => chat.start({ ...ada, email: 'not an email' })).toThrow(/email/);
    expect(() => chat.canChat(1.5)).toThrow(ChatError);
  });

  it('refuses a message when there is no chat, through its promise and errors$', async () => {
    const chat = t.client();
    const errors = first(chat.errors$);
    await expect(chat.send('hello?').sent).rejects.toMatchObject({ code: 'no-session' });
    expect((await errors)[0]).toMatchObject({ code: 'no-session' });
  });

  it('works with socket.io-client 4 when given cention-chat/socket.io-v4\'s io', async () => {
    const chat = t.client({ io: ioV4 });
    const session = await chat.start(ada);
    t.server.agent.join(session.sessionId);
    await view(chat, (v) => v.phase === 'connected');
    await chat.send('Hello from EIO 3').sent;
    t.server.dropClient(session.sessionId);
    await view(chat, (v) => v.phase === 'reconnecting');
    await chat.send('After the drop').sent;
    expect(t.server.session(session.sessionId)!.transcript.filter((m) => m.text === 'After the drop')).toHaveLength(1);
  });

  it('reaches origin refusal as a typed connect error', async () => {
    await t.server.close();
    const { startTestServer } = await import('../support/chat-server');
    const strict = await startTestServer({ allowedOrigins: ['https://shop.example'] });
    t.server = strict.server;
    const chat = t.client({ socketOptions: { extraHeaders: { origin: 'https://evil.example' }, reconnectionDelay: 10, reconnectionDelayMax: 20, randomizationFactor: 0 } });
    await expect(chat.start(ada)).rejects.toMatchObject({ code: 'connect-failed' });
  });
});

describe('the typed client against a server that, like Cention\'s, speaks Engine.IO 3 only', () => {
  const t = useChatServer({ engineIO: 3 });

  it('runs a whole chat with no transport option: canChat, start, send, the agent\'s answer, close', async () => {
    const chat = createCentionChat({ baseURL: t.server.baseURL, area: 1, storage: null });
    try {
      expect(await chat.canChat()).toMatchObject({ chatOpen: true, error: '' });
      const session = await chat.start(ada);
      t.server.agent.join(session.sessionId, 'Bea');
      await view(chat, (v) => v.phase === 'connected');
      await chat.send('It was due on Monday.').sent;
      const answer = first(chat.messages$, 4);
      t.server.agent.say(session.sessionId, 'It leaves today.');
      expect(texts(await answer).at(-1)).toBe('It leaves today.');
      await chat.close();
      expect(chat.getSnapshot().phase).toBe('finished');
      expect(t.server.session(session.sessionId)?.state).toBe('ended');
    } finally {
      chat.stop();
    }
  });
});

describe('a client that cannot connect', () => {
  /** Starts a chat that fails; resolves with the rejection and everything errors$ said meanwhile. */
  async function failedStart(options: Partial<CentionChatOptions> & { baseURL: string }) {
    const chat = createCentionChat({ area: 1, storage: null, socketOptions: { reconnectionDelay: 10, reconnectionDelayMax: 20, randomizationFactor: 0 }, ...options });
    const errors: ChatError[] = [];
    chat.errors$.subscribe((error) => errors.push(error));
    const rejection = await chat.start(ada).then(
      () => undefined,
      (error: unknown) => error as ChatError,
    );
    chat.stop();
    return { rejection, errors };
  }

  it('says the server is down once, not once per attempt, and names the fix', async () => {
    const { server } = await startTestServer();
    await server.close();
    const { rejection, errors } = await failedStart({ baseURL: server.baseURL });
    expect(rejection).toMatchObject({ code: 'connect-failed', message: expect.stringContaining(`nothing answers at ${server.url}`) });
    expect(rejection?.message).toContain('the chat server is down, or baseURL');
    expect(errors).toEqual([rejection]);
  });

  it('tells a wrong workspace (404) from a server that is down', async () => {
    const { server } = await startTestServer();
    onTestFinished(() => server.close());
    const { rejection, errors } = await failedStart({ baseURL: `${server.url}/s/nowhere` });
    expect(rejection?.message).toContain(`no workspace at ${server.url}/s/nowhere (HTTP 404): check the workspace in baseURL`);
    expect(errors).toHaveLength(1);
  });

  it('tells an origin the server refuses', async () => {
    const { server } = await startTestServer({ allowedOrigins: ['https://shop.example'] });
    onTestFinished(() => server.close());
    // A browser page on evil.example: its requests carry its origin.
    const origin = 'https://evil.example';
    const fetchFromPage: typeof fetch = (url, init) => fetch(url, { ...init, headers: { ...init?.headers, origin } });
    const { rejection } = await failedStart({ baseURL: server.baseURL, fetch: fetchFromPage, socketOptions: { extraHeaders: { origin }, reconnectionDelay: 10, reconnectionDelayMax: 20, randomizationFactor: 0 } });
    expect(rejection?.message).toContain("the chat server refused this page's origin");
    expect(rejection?.message).toContain('ask for it to be allowed');
  });

  it('tells a server that answers HTTP but speaks another Engine.IO version', async () => {
    const { server } = await startTestServer({ engineIO: 3 });
    onTestFinished(() => server.close());
    const { rejection } = await failedStart({ baseURL: server.baseURL, io: ioV4 });
    expect(rejection?.message).toContain('it may speak another Engine.IO version');
  });

  it('quotes a bad option as it was given', () => {
    expect(() => createCentionChat({ baseURL: 'https://cloud.cention.com/s/demo', area: '1' as never })).toThrow('area must be an integer, got "1".');
  });
});
