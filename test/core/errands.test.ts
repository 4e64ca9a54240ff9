import { describe, expect, it, onTestFinished } from 'vitest';
import { ChatError, createCentionChat } from '../../core';
import { ManualClock } from '../support/manual-clock';
import { useChatServer, view } from './support';

const ada = { name: 'Ada', email: 'ada@example.com', message: 'Where is my parcel?' };
const note = { name: 'Ada', email: 'ada@example.com', subject: 'My parcel', message: 'It was due on Monday.' };

/** A `fetch` that counts the requests it passes on. */
function countingFetch(): { fetch: typeof globalThis.fetch; readonly calls: string[] } {
  const calls: string[] = [];
  return { calls, fetch: (input, init) => (calls.push(String(input)), globalThis.fetch(input, init)) };
}

/** A `fetch` that answers every request with this status and body. */
const answering = (status: number, body: string, type = 'application/json'): typeof globalThis.fetch => () => Promise.resolve(new Response(body, { status, headers: { 'Content-Type': type } }));

describe('leaving a message with the typed client', () => {
  const t = useChatServer();

  it('leaves a message in a closed area and gets the reference the server gave the errand', async () => {
    const chat = t.client({ area: 2 });
    const { reference } = await chat.leaveMessage(note);
    expect(reference).toMatch(/^E-\d+$/);
    expect(t.server.errands()).toEqual([expect.objectContaining({ reference, areaId: 2, name: 'Ada', email: 'ada@example.com', subject: 'My parcel', message: 'It was due on Monday.' })]);
  });

  it('leaves it in the area it is told, over the client default', async () => {
    const chat = t.client({ area: 1 });
    await chat.leaveMessage({ ...note, area: 3 });
    expect(t.server.errands().map((e) => e.areaId)).toEqual([3]);
  });

  it.each([
    ['name', { name: '' }],
    ['email', { email: 'ada' }],
    ['subject', { subject: ' ' }],
    ['message', { message: 'x'.repeat(10_001) }],
  ])('refuses a bad %s with invalid-input before anything is sent', (field, change) => {
    const counted = countingFetch();
    const chat = t.client({ fetch: counted.fetch });
    expect(() => chat.leaveMessage({ ...note, ...change })).toThrow(expect.objectContaining({ code: 'invalid-input', message: expect.stringContaining(field) }));
    expect(counted.calls).toEqual([]);
  });

  it('needs an area, from the call or the client', () => {
    const chat = createCentionChat({ baseURL: t.server.baseURL, storage: null });
    onTestFinished(() => chat.stop());
    expect(() => chat.leaveMessage(note)).toThrow(expect.objectContaining({ code: 'invalid-input', message: expect.stringContaining('area') }));
  });

  it('says when the server has no such area', async () => {
    await expect(t.client().leaveMessage({ ...note, area: 99 })).rejects.toMatchObject({ code: 'unknown-area' });
  });

  it('says when the request fails: the network, an error status, an unreadable answer', async () => {
    const offline: typeof globalThis.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    await expect(t.client({ fetch: offline }).leaveMessage(note)).rejects.toMatchObject({ code: 'http-error', message: expect.stringContaining('Failed to fetch') });
    await expect(t.client({ fetch: answering(404, '<h1>Not found</h1>', 'text/html') }).leaveMessage(note)).rejects.toMatchObject({ code: 'http-error', message: expect.stringContaining('HTTP 404') });
    await expect(t.client({ fetch: answering(500, '{"error":"server error"}') }).leaveMessage(note)).rejects.toMatchObject({ code: 'http-error' });
    await expect(t.client({ fetch: answering(200, '{"ok":true}') }).leaveMessage(note)).rejects.toMatchObject({ code: 'server-error' });
    await expect(t.client({ fetch: answering(400, '{"error":"invalid input: subject"}') }).leaveMessage(note)).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it('gives up with a timeout when the server does not answer', async () => {
    const clock = new ManualClock();
    const silent: typeof globalThis.fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError'))));
    const chat = t.client({ fetch: silent, clock, httpTimeout: 5_000 });
    const left = chat.leaveMessage(note);
    clock.advance(5_000);
    await expect(left).rejects.toMatchObject({ code: 'timeout' });
  });

  it('refuses once the client was stopped', () => {
    const chat = t.client();
    chat.stop();
    expect(() => chat.leaveMessage(note)).toThrow(expect.objectContaining({ code: 'invalid-state' }));
  });
});

describe('rating a chat with the typed client', () => {
  const t = useChatServer();

  async function endedChat() {
    const chat = t.client();
    const session = await chat.start(ada);
    t.server.agent.join(session.sessionId, 'Bea');
    await view(chat, (v) => v.phase === 'connected');
    await chat.close();
    return { chat, session };
  }

  it('rates the chat that ended, once; a second rating is already-rated', async () => {
    const { chat, session } = await endedChat();
    await chat.rate({ rating: 5, comment: 'Bea was quick.' });
    expect(t.server.session(session.sessionId)?.rating).toMatchObject({ rating: 5, comment: 'Bea was quick.' });

    const again = chat.rate({ rating: 1 });
    await expect(again).rejects.toBeInstanceOf(ChatError);
    await expect(again).rejects.toMatchObject({ code: 'already-rated' });
    expect(t.server.session(session.sessionId)?.rating?.rating).toBe(5);
  });

  it('refuses to rate a chat that goes on, or none, without asking the server', async () => {
    const counted = countingFetch();
    const chat = t.client({ fetch: counted.fetch });
    await expect(chat.rate({ rating: 4 })).rejects.toMatchObject({ code: 'no-session' });
    const session = await chat.start(ada);
    await expect(chat.rate({ rating: 4 })).rejects.toMatchObject({ code: 'invalid-state' });
    expect(counted.calls.filter((url) => url.includes('chatrating'))).toEqual([]);
    expect(t.server.session(session.sessionId)?.rating).toBeUndefined();
  });

  it.each([0, 6, 3.5, Number.NaN, '4' as unknown as number])('refuses the rating %j with invalid-input before anything is sent', async (rating) => {
    const { chat, session } = await endedChat();
    expect(() => chat.rate({ rating })).toThrow(expect.objectContaining({ code: 'invalid-input', message: expect.stringContaining('1 to 5') }));
    expect(() => chat.rate({ rating: 3, comment: 'c'.repeat(1_001) })).toThrow(expect.objectContaining({ code: 'invalid-input', message: expect.stringContaining('comment') }));
    expect(t.server.session(session.sessionId)?.rating).toBeUndefined();
  });

  it('says no-session when the server no longer knows the chat', async () => {
    const { chat } = await endedChat();
    await t.server.restart({ forgetSessions: true });
    await expect(chat.rate({ rating: 3 })).rejects.toMatchObject({ code: 'no-session' });
  });
});
