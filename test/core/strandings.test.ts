/**
 * Issue 8, items 4 and 5: the last ways an own message got stranded.
 *
 * - `send()`, `disconnect()` at once, `resume()`: against a server that drops a packet arriving
 *   while its socket disconnects, the message stayed "sending" for ever and `sent` never
 *   settled. Now it is stored once, or fails with a reason.
 * - After a restart that forgets umids, the echo of a message whose reply already came has
 *   `umid: ""`; the outbox entry was matched only by umid, so views that show `transcript` and
 *   `pending` (the Vue and Svelte sites) showed it twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createCentionChat } from '../../core';
import type { CentionChat, ChatView } from '../../core';
import { startStrictServer } from '../support/strict-server';
import type { StrictServer } from '../support/strict-server';
import { ManualClock } from '../support/manual-clock';
import { useChatServer, view, within } from './support';


/** Every own message a view shows: the transcript's and those still on their way. */
function shownOwn(v: ChatView, text: string): number {
  return v.transcript.toArray().filter((m) => m.sender === 'CLIENT' && m.text === text).length + v.pending.filter((e) => e.text === text).length;
}

describe('a message sent just before disconnect(), against a server that drops packets in flight', () => {
  let server: StrictServer | undefined;
  let chat: CentionChat | undefined;
  afterEach(async () => {
    chat?.stop();
    await server?.close();
  });

  /** Moves the manual clock on while `promise` runs (the strict server handles nothing while time stands still). */
  async function whileTicking<T>(clock: ManualClock, what: string, promise: Promise<T>): Promise<T> {
    const ticker = setInterval(() => clock.advance(50), 1);
    try {
      return await within(what, promise, 8_000);
    } finally {
      clearInterval(ticker);
    }
  }

  // Two timings: the closing socket loses the packet on its way out, or the packet reaches the
  // server, whose socket is gone by the time it would handle it.
  it.each([
    ['lost on the way out', false],
    ['dropped by the server', true],
  ] as const)('is stored once after resume(), and its sent promise resolves (%s)', async (_, reachesServer) => {
    const clock = new ManualClock();
    // Each event is handled 50 ms (on the manual clock) after it arrives: time stands still until the test moves it.
    server = await startStrictServer({ clock, handlingMs: 50 });
    chat = createCentionChat({
      baseURL: server.baseURL,
      area: 1,
      storage: null,
      clock,
      socketOptions: { transports: ['websocket'], reconnectionDelay: 20, reconnectionDelayMax: 100, randomizationFactor: 0 },
    });
    const c = chat;
    const s = server;
    const { sessionId } = await whileTicking(clock, 'the chat to start', c.start({ name: 'Ada', message: 'Hello' }));
    s.agent.join(sessionId, 'Bea');
    await within('the agent', view(c, (v) => v.phase === 'connected'), 8_000);

    const arrivedBefore = s.arrived;
    const outgoing = c.send('Are you there?');
    if (reachesServer) await expect.poll(() => s.arrived).toBe(arrivedBefore + 1);
    c.disconnect();
    await expect.poll(() => s.socketsOf(sessionId)).toBe(0);
    clock.advance(50);
    expect(s.dropped).toBe(reachesServer ? 1 : 0);
    expect(s.session(sessionId)!.transcript.filter((m) => m.text === 'Are you there?')).toEqual([]);
    expect(c.getSnapshot().pending.map((e) => e.umid)).toEqual([outgoing.id]);

    await whileTicking(clock, 'the resume', c.resume());
    const sent = await whileTicking(clock, 'the message to be stored', outgoing.sent);
    expect(sent.umid).toBe(outgoing.id);
    const stored = s.session(sessionId)!.transcript.filter((m) => m.umid === outgoing.id);
    expect(stored).toHaveLength(1);
    const settled = await whileTicking(clock, 'the echo', view(c, (v) => v.transcript.has(stored[0]!.id)));
    expect(shownOwn(settled, 'Are you there?')).toBe(1);
  });
});

describe('a message whose echo a restart that forgot umids overtook', () => {
  const t = useChatServer();

  it('is shown once: the echo without a umid clears the entry whose message id the client knows', async () => {
    const chat = t.client();
    const { sessionId } = await chat.start({ name: 'Ada', message: 'Hello' });
    t.server.agent.join(sessionId, 'Bea');
    await view(chat, (v) => v.phase === 'connected');
    // The reply comes at once; the events after it (message sent, the echo) wait on the server's clock.
    t.server.faults.set({ delayMs: 1_000 }, sessionId);
    const outgoing = chat.send('Still there?');
    const sent = await outgoing.sent;
    expect(chat.getSnapshot().pending).toEqual([expect.objectContaining({ umid: outgoing.id, state: 'sent', messageId: Number(sent.id) })]);
    await t.server.restart({ forgetUmids: true });
    t.server.faults.clear(sessionId);
    const back = await view(chat, (v) => v.phase === 'connected' && v.transcript.has(Number(sent.id)));
    expect(back.transcript.get(Number(sent.id))?.umid).toBe('');
    const settled = await view(chat, (v) => v.pending.length === 0 || shownOwn(v, 'Still there?') !== 2);
    expect(settled.pending).toEqual([]);
    expect(shownOwn(settled, 'Still there?')).toBe(1);
  });
});
