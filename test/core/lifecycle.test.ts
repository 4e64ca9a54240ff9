import { describe, expect, it } from 'vitest';
import type { Message } from '../../core';
import { ManualClock } from '../support/manual-clock';
import { listenersLeft, recordingIo, useChatServer, view } from './support';

describe('stopping a client', () => {
  const t = useChatServer();

  it('leaves no listener, no timer, no socket and no open stream behind', async () => {
    const clock = new ManualClock(Date.now());
    const { factory, sockets } = recordingIo();
    const chat = t.client({ io: factory, clock, delays: { agentTypingTimeout: 5_000 } });
    const completed: string[] = [];
    chat.state$.subscribe({ complete: () => completed.push('state$') });
    chat.messages$.subscribe({ complete: () => completed.push('messages$') });
    chat.receipts$.subscribe({ complete: () => completed.push('receipts$') });
    chat.errors$.subscribe({ complete: () => completed.push('errors$') });
    const unsubscribeView = chat.subscribe(() => undefined);

    const session = await chat.start({ name: 'Ada', message: 'Hi' });
    t.server.agent.join(session.sessionId);
    await view(chat, (v) => v.phase === 'connected');
    t.server.agent.type(session.sessionId, 3);
    await view(chat, (v) => v.agentTyping);
    const pendingSend = chat.send('in flight when stopped').sent;
    const socket = sockets[0]!;
    expect(listenersLeft(socket)).toBeGreaterThan(0);
    // The typing expiry and the reply timeout wait on the clock.
    expect(clock.pending).toBeGreaterThan(0);

    const gone = t.server.waitFor('client-disconnected');
    chat.stop();
    unsubscribeView();
    await gone;

    expect(listenersLeft(socket)).toBe(0);
    expect(socket.connected).toBe(false);
    expect(socket.io.engine?.readyState ?? 'closed').toBe('closed');
    expect(clock.pending).toBe(0);
    expect(completed.sort()).toEqual(['errors$', 'messages$', 'receipts$', 'state$']);
    await expect(pendingSend).rejects.toMatchObject({ code: 'invalid-state' });
    expect(chat.actor!.getSnapshot().status).toBe('stopped');
    expect(() => chat.send('after stop')).toThrow(/stopped/);
  });

  it('does not leave the process holding sockets or timers', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'Timeout').length;
    const chat = t.client();
    await chat.start({ name: 'Ada', message: 'Hi' });
    const gone = t.server.waitFor('client-disconnected');
    chat.stop();
    await gone;
    await expect.poll(() => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'Timeout').length).toBeLessThanOrEqual(before);
  });

  it('completes a late subscriber of messages$ with the transcript so far', async () => {
    const chat = t.client();
    const session = await chat.start({ name: 'Ada', message: 'First words' });
    t.server.agent.join(session.sessionId);
    await view(chat, (v) => v.phase === 'connected');
    const seen: Message[] = [];
    const subscription = chat.messages$.subscribe((m) => seen.push(m));
    expect(seen.map((m) => m.sender)).toEqual(['CLIENT', 'SYSTEM']);
    subscription.unsubscribe();
  });
});

describe('outside a browser', () => {
  it('imports every entry and makes a client without a window, a document or storage', async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
    const [core, machines, protocol] = await Promise.all([import('../../core'), import('../../machines'), import('../../core/protocol')]);
    expect(typeof machines.chatMachine.provide).toBe('function');
    expect(typeof protocol.encodePayload).toBe('function');
    const chat = core.createCentionChat({ baseURL: 'https://cloud.cention.com/s/demo', area: 1 });
    const views: string[] = [];
    const unsubscribe = chat.subscribe((v) => views.push(v.phase));
    expect(chat.getSnapshot().phase).toBe('idle');
    expect(views).toEqual(['idle']);
    unsubscribe();
    chat.stop();
    const facade = core._CentionChat();
    facade.baseURL = 'https://cloud.cention.com/s/demo';
    expect(facade.sessionSecret).toBe('');
  });
});
