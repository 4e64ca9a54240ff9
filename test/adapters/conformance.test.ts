import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCentionChat, describeMessage } from '../../core';
import type { CentionChat, CentionChatOptions, IoFactory } from '../../core';
import type { ChatServer } from '../../server';
import { startTestServer } from '../support/chat-server';
import { ENGINE_IO_MODES, describeMode } from '../support/engine-io';
import { ADAPTERS } from './harnesses';
import type { Adapted, Shown } from './harnesses';

const ada = { name: 'Ada', email: 'ada@example.com', message: 'Where is my parcel?' };

/** Resolves once the framework shows what `predicate` wants; fails fast with what it did show. */
function shows(adapted: Adapted, predicate: (shown: Shown) => boolean, timeoutMs = 5_000): Promise<Shown> {
  return new Promise((resolve, reject) => {
    let unsubscribe = (): void => undefined;
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`the adapter still shows phase ${adapted.shown().phase} after ${timeoutMs} ms`));
    }, timeoutMs);
    // The adapter subscribed first, so by the time this listener runs it has taken the change.
    unsubscribe = adapted.client.subscribe(() => {
      const shown = adapted.shown();
      if (!predicate(shown)) return;
      clearTimeout(timer);
      queueMicrotask(() => unsubscribe());
      resolve(shown);
    });
  });
}

const texts = (shown: Shown): string[] => shown.transcript.map((m) => describeMessage(m).text);

describe.each(ADAPTERS.flatMap((harness) => ENGINE_IO_MODES.map((mode) => ({ harness, mode, name: harness.name, on: describeMode(mode) }))))('the $name adapter, on $on', ({ harness, mode }) => {
  let server: ChatServer;
  const clients: CentionChat[] = [];
  const adapted: Adapted[] = [];
  const optionsFor = (extra: Partial<CentionChatOptions> = {}): CentionChatOptions => ({
    baseURL: server.baseURL,
    area: 1,
    storage: null,
    socketOptions: { reconnectionDelay: 20, reconnectionDelayMax: 100, randomizationFactor: 0 },
    ...extra,
  });
  const client = (): CentionChat => {
    const chat = createCentionChat(optionsFor());
    clients.push(chat);
    return chat;
  };
  const adapt = (source: CentionChat | CentionChatOptions): Adapted => {
    const chat = harness.adapt(source);
    adapted.push(chat);
    return chat;
  };

  beforeEach(async () => {
    ({ server } = await startTestServer({ engineIO: mode }));
  });
  afterEach(async () => {
    for (const chat of adapted.splice(0)) chat.dispose();
    for (const chat of clients.splice(0)) chat.stop();
    await server.close();
  });

  it('shows the current view at once', async () => {
    const chat = client();
    await chat.canChat();
    const shown = adapt(chat).shown();
    expect(shown.view).toBe(chat.getSnapshot());
    expect(shown.phase).toBe('idle');
    expect(shown.features).toMatchObject({ 'chat.attachment': true, 'chat.max-attachment-size': 2_000 });
  });

  it('follows the chat: phase, queue place, agent, transcript and agent typing', async () => {
    const chat = adapt(optionsFor());
    const { sessionId } = await chat.commands.start(ada);
    const queued = await shows(chat, (s) => s.queuePosition === 1);
    expect(queued.phase).toBe('queued');
    expect(texts(queued)).toEqual(['Where is my parcel?']);

    server.agent.join(sessionId, 'Bea');
    const connected = await shows(chat, (s) => s.phase === 'connected');
    expect(connected.agent).toBe('Bea');
    expect(connected.queuePosition).toBeUndefined();

    server.agent.type(sessionId, 8);
    await shows(chat, (s) => s.agentTyping);
    server.agent.say(sessionId, 'Let me look.');
    const answered = await shows(chat, (s) => s.transcript.length === 3);
    expect(texts(answered)).toEqual(['Where is my parcel?', 'Agent(s) added: Bea', 'Let me look.']);
    expect(chat.changes()).toBeGreaterThan(3);
  });

  it('shows an own message pending, then sent, then delivered', async () => {
    const chat = adapt(optionsFor());
    const { sessionId } = await chat.commands.start(ada);
    server.agent.join(sessionId);
    await shows(chat, (s) => s.phase === 'connected');
    const outgoing = chat.commands.send('It was due on Monday.');
    expect(chat.shown().pending.map((e) => e.umid)).toEqual([outgoing.id]);
    await outgoing.sent;
    const own = (s: Shown) => s.transcript.find((m) => m.umid === outgoing.id);
    const sent = await shows(chat, (s) => own(s) !== undefined);
    expect(sent.view.deliveryOf(own(sent)!)).toBe('sent');
    expect(sent.pending).toEqual([]);
    server.agent.ack(sessionId);
    await shows(chat, (s) => s.view.deliveryOf(own(s)!) === 'acked');
  });

  it('hands out commands that work on their own and reach the client', async () => {
    const chat = adapt(optionsFor());
    const { start, send, preview, historyUrls, close, reset } = chat.commands;
    const { sessionId } = await start(ada);
    const previewed = server.waitFor('preview', (e) => e.sessionId === sessionId);
    preview('It was');
    expect((await previewed).preview).toBe('It was');
    await send('It was due on Monday.').sent;
    expect(server.session(sessionId)!.transcript.map((m) => m.text)).toContain('It was due on Monday.');
    expect(historyUrls()?.save).toContain('savehistory');
    await close();
    expect(chat.shown().phase).toBe('finished');
    reset();
    expect(chat.shown().phase).toBe('idle');
  });

  it('counts the agent and system messages since the customer last looked, and markRead clears them', async () => {
    const chat = adapt(optionsFor());
    const { markRead } = chat.commands;
    const { sessionId } = await chat.commands.start(ada);
    await shows(chat, (s) => s.transcript.length === 1);
    expect(chat.shown().unread).toBe(0);
    server.agent.join(sessionId, 'Bea');
    server.agent.say(sessionId, 'Let me look.');
    await shows(chat, (s) => s.unread === 2);
    markRead();
    expect(chat.shown().unread).toBe(0);
  });

  it('leaves a message and rates a chat through commands that work on their own', async () => {
    const chat = adapt(optionsFor());
    const { leaveMessage, start, close, rate } = chat.commands;
    await expect(leaveMessage({ area: 2, name: 'Ada', email: 'ada@example.com', subject: 'Parcel', message: 'Where is it?' })).resolves.toMatchObject({ reference: expect.any(String) });
    await start(ada);
    await close();
    await expect(rate({ rating: 5, comment: 'Quick and kind.' })).resolves.toBeUndefined();
  });

  it('shows why a command was refused', async () => {
    const chat = adapt(optionsFor({ area: 2 }));
    await expect(chat.commands.start(ada)).rejects.toMatchObject({ code: 'area-closed' });
    expect(chat.shown().lastError?.code).toBe('area-closed');
  });

  it('lets go of a client it was given, and leaves it running', async () => {
    const chat = client();
    const used = adapt(chat);
    used.dispose();
    const before = used.changes();
    await chat.canChat();
    expect(used.changes()).toBe(before);
    expect(chat.getSnapshot().availability?.chatOpen).toBe(true);
  });

  it('stops a client it made when disposed, leaving nothing running', async () => {
    const used = adapt(optionsFor());
    const { sessionId } = await used.commands.start(ada);
    const left = server.waitFor('client-disconnected', (e) => e.sessionId === sessionId);
    const before = used.changes();
    used.dispose();
    await left;
    expect(() => used.client.canChat()).toThrow(expect.objectContaining({ code: 'invalid-state' }));
    expect(used.changes()).toBe(before);
  });

  it('connects nothing and fetches nothing until a command asks (SSR-safe)', () => {
    const io = vi.fn<IoFactory>();
    const fetch = vi.fn<typeof globalThis.fetch>();
    const used = adapt(optionsFor({ io, fetch }));
    expect(used.shown().phase).toBe('idle');
    used.dispose();
    expect(io).not.toHaveBeenCalled();
    expect(fetch).not.toHaveBeenCalled();
  });
});
