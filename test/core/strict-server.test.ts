/**
 * The typed client against a strict, independent server written from the protocol alone (docs/protocol.md)
 * (test/support/strict-server.ts): Engine.IO 3 only, exact sockwrap encoding, a payload on every
 * emit, packets dropped while a socket disconnects, umids forgotten on restart. Whatever the
 * client does here, the strict server must never have refused any of it.
 *
 * The strict server speaks Engine.IO 3 only, like Cention's own: the client reaches it with no
 * transport option (its default is socket.io-client 2).
 */
import ioV2 from 'socket.io-client-v2';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { createCentionChat, describeMessage } from '../../core';
import { io as ioV4 } from '../../core/transport/socket-io-v4';
import type { CentionChat, CentionChatOptions } from '../../core';
import { startStrictServer } from '../support/strict-server';
import type { StrictServer } from '../support/strict-server';
import { ManualClock } from '../support/manual-clock';
import { first, memoryStorage, view } from './support';

const FAST = { reconnectionDelay: 20, reconnectionDelayMax: 100, randomizationFactor: 0 };

let server: StrictServer;
const clients: CentionChat[] = [];

beforeEach(async () => {
  server = await startStrictServer({ areas: [{ id: 1 }, { id: 2, open: false }, { id: 3, agents: 0 }] });
});

afterEach(async () => {
  for (const chat of clients.splice(0)) chat.stop();
  await server.close();
});

/** A typed client on the strict server; when the test ends, the server must have refused nothing it sent. */
function client(options: Partial<CentionChatOptions> = {}): CentionChat {
  onTestFinished(() => expect(server.refused).toEqual([]));
  const chat = createCentionChat({ baseURL: server.baseURL, area: 1, storage: null, socketOptions: FAST, ...options });
  clients.push(chat);
  return chat;
}

/** A raw socket.io-client 2 socket on the strict server, for what the typed client never does. */
async function rawSocket(): Promise<ReturnType<typeof ioV2>> {
  const socket = ioV2(server.url, { path: '/s/strict/socket/socket.io', transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise((resolve) => socket.on('connect', resolve));
  return socket;
}

function reply(socket: ReturnType<typeof ioV2>, event: string, ...args: unknown[]): Promise<unknown> {
  return new Promise((resolve) => socket.emit(event, ...args, (raw: unknown) => resolve(JSON.parse(decodeURIComponent(String(raw))))));
}

describe('the strict server itself', () => {
  it('refuses an Engine.IO 4 client', async () => {
    // socket.io-client 4 (cention-chat/socket.io-v4), which only a site that asks for it uses.
    const chat = createCentionChat({ baseURL: server.baseURL, area: 1, io: ioV4, storage: null, maxConnectErrors: 1, socketOptions: FAST });
    clients.push(chat);
    await expect(chat.start({ name: 'Ada', message: 'Hello' })).rejects.toMatchObject({ code: 'connect-failed' });
  });

  it('refuses a payload that is missing, or not sockwrap-encoded', async () => {
    const socket = await rawSocket();
    try {
      const register = { area: 1, name: 'Ann', email: '', phone: '', message: 'Hi', externalData: '', baseURL: server.baseURL, offlineChat: false, trackClientUrl: false };
      expect(await reply(socket, 'register')).toEqual({ error: 'invalid input: payload' });
      expect(await reply(socket, 'register', register)).toEqual({ error: 'invalid input: payload' });
      expect(await reply(socket, 'register', JSON.stringify(register))).toEqual({ error: 'invalid input: payload' });
      expect(await reply(socket, 'register', encodeURIComponent(JSON.stringify({ ...register, offlineChat: 'no' })))).toEqual({ error: 'invalid input: offlineChat' });
      expect(await reply(socket, 'chat message', encodeURIComponent(JSON.stringify({ id: 'u1', message: 'Hi', mcount: 1 })))).toEqual({ error: 'no session' });
      expect(server.refused).toEqual(['register: invalid input: payload', 'register: invalid input: payload', 'register: invalid input: payload', 'register: invalid input: offlineChat']);
    } finally {
      socket.close();
    }
  });

  it('drops a packet that arrives while its socket disconnects', async () => {
    await server.close();
    const clock = new ManualClock();
    server = await startStrictServer({ clock, handlingMs: 10 });
    const socket = await rawSocket();
    socket.emit('resume', encodeURIComponent(JSON.stringify({ href: '', trackClientUrl: false })), () => undefined);
    await expect.poll(() => server.arrived).toBe(1);
    socket.close();
    // The server has not handled it yet; once it would, the socket is gone.
    await new Promise((resolve) => setImmediate(resolve));
    await expect
      .poll(() => {
        clock.advance(10);
        return server.dropped;
      })
      .toBe(1);
  });
});

describe('the typed client against the strict server', () => {
  it('tells whether each area can chat', async () => {
    const chat = client();
    await expect(chat.canChat(1)).resolves.toMatchObject({ chatOpen: true, agentsAvailable: 1, error: '' });
    await expect(chat.canChat(2)).resolves.toMatchObject({ chatOpen: false, error: '' });
    await expect(chat.canChat(3)).resolves.toMatchObject({ chatOpen: true, agentsAvailable: 0 });
    await expect(chat.canChat(9)).resolves.toMatchObject({ error: 'unknown area' });
  });

  it('refuses a start outside opening hours with area-closed', async () => {
    await expect(client().start({ area: 2, name: 'Ada', message: 'Hello' })).rejects.toMatchObject({ code: 'area-closed' });
  });

  it('starts, queues, talks with the agent, and knows what was sent and delivered', async () => {
    const chat = client();
    const session = await chat.start({ name: 'Ada', message: 'Where is my parcel?' });
    expect(await view(chat, (v) => v.queuePosition === 1)).toMatchObject({ phase: 'queued' });
    server.agent.join(session.sessionId, 'Bea');
    expect(await view(chat, (v) => v.phase === 'connected')).toMatchObject({ agent: 'Bea' });

    const receipts = first(chat.receipts$, 2);
    const outgoing = chat.send('It was due on Monday.');
    const sent = await outgoing.sent;
    expect(server.session(session.sessionId)!.transcript.filter((m) => m.umid === outgoing.id)).toEqual([expect.objectContaining({ id: Number(sent.id) })]);
    server.agent.ack(session.sessionId);
    expect((await receipts).map((r) => r.state)).toEqual(['sent', 'acked']);

    await view(chat, (v) => v.pending.length === 0);
    const said = first(chat.messages$, 4);
    server.agent.say(session.sessionId, 'Let me look.');
    expect((await said).map((m) => describeMessage(m).text)).toEqual(['Where is my parcel?', 'Agent(s) added: Bea', 'It was due on Monday.', 'Let me look.']);
    const shown = await view(chat, (v) => v.transcript.length === 4);
    expect(shown.transcript.toArray().map((m) => m.id)).toEqual(server.session(session.sessionId)!.transcript.map((m) => m.id));
  });

  it('comes back after the network fails and sends what was written meanwhile, once', async () => {
    const chat = client();
    const { sessionId } = await chat.start({ name: 'Ada', message: 'Hello' });
    server.agent.join(sessionId, 'Bea');
    await view(chat, (v) => v.phase === 'connected');
    expect(server.drop(sessionId)).toBe(1);
    await view(chat, (v) => v.phase === 'reconnecting');
    const outgoing = chat.send('Written while offline');
    await outgoing.sent;
    await view(chat, (v) => v.phase === 'connected' && v.pending.length === 0);
    expect(server.session(sessionId)!.transcript.filter((m) => m.umid === outgoing.id)).toHaveLength(1);
  });

  it('resumes on the next page with the kept secret, showing the transcript once', async () => {
    const storage = memoryStorage();
    const one = client({ storage });
    const { sessionId } = await one.start({ name: 'Ada', message: 'Hello' });
    server.agent.join(sessionId, 'Bea');
    await view(one, (v) => v.phase === 'connected');
    one.stop();
    const two = client({ storage });
    expect(two.hasKeptChat()).toBe(true);
    await two.resume();
    const shown = await view(two, (v) => v.phase === 'connected');
    expect(shown.transcript.toArray().map((m) => m.id)).toEqual(server.session(sessionId)!.transcript.map((m) => m.id));
  });

  it('shows each message once after a restart that forgot every umid', async () => {
    const chat = client();
    const { sessionId } = await chat.start({ name: 'Ada', message: 'Hello' });
    server.agent.join(sessionId, 'Bea');
    await chat.send('Before the restart').sent;
    await view(chat, (v) => v.phase === 'connected' && v.pending.length === 0);
    server.restart();
    await view(chat, (v) => v.phase === 'reconnecting');
    const back = await view(chat, (v) => v.phase === 'connected');
    await chat.send('After the restart').sent;
    const settled = await view(chat, (v) => v.pending.length === 0 && v.transcript.length === server.session(sessionId)!.transcript.length);
    expect(settled.transcript.toArray().map((m) => m.id)).toEqual(server.session(sessionId)!.transcript.map((m) => m.id));
    expect(back.transcript.toArray().filter((m) => m.text === 'Before the restart')).toHaveLength(1);
  });

  it('closes the chat and finishes', async () => {
    const chat = client();
    const { sessionId } = await chat.start({ name: 'Ada', message: 'Hello' });
    await chat.close();
    expect(chat.getSnapshot().phase).toBe('finished');
    expect(server.session(sessionId)!.finished).toBe(true);
    expect(describeMessage(chat.getSnapshot().transcript.last!).text).toBe('Client ended the chat.');
  });
});
