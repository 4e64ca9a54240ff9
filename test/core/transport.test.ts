import ioV1 from 'socket.io-client-v1';
import ioV2 from 'socket.io-client-v2';
import { describe, expect, it, vi } from 'vitest';
import { describeMessage } from '../../core';
import type { CentionChat, FacadeOptions, Message } from '../../core';
import { AUTO_ACK, SERVER_EVENTS, encodePayload } from '../../core/protocol';
import { ManualClock } from '../support/manual-clock';
import { facade, first, heldResources, listenersLeft, memoryStorage, recordEvents, recordingIo, useChatServer, view } from './support';

const ada = { name: 'Ada', email: 'ada@example.com', message: 'Where is my parcel?' };
const fastReconnect = { reconnectionDelay: 20, reconnectionDelayMax: 100, randomizationFactor: 0 };

function texts(messages: Iterable<Message>): string[] {
  return [...messages].map((m) => describeMessage(m).text);
}

/** Starts a chat and lets an agent take it; resolves once the client shows the agent. */
async function chatWithAgent(t: ReturnType<typeof useChatServer>, chat: CentionChat): Promise<number> {
  const { sessionId } = await chat.start(ada);
  t.server.agent.join(sessionId, 'Bea');
  await view(chat, (v) => v.phase === 'connected');
  return sessionId;
}

/** A 5.1.0 facade on the test server with every event recorded, its chat started and queued. */
async function queuedFacade(t: ReturnType<typeof useChatServer>, options: FacadeOptions = {}) {
  const chat = facade({ storage: memoryStorage(), socketOptions: fastReconnect, ...options });
  chat.baseURL = t.server.baseURL;
  const events = recordEvents(chat);
  chat.connect({ area: 1, name: 'John Smith', email: 'john.smith@gmail.com', message: 'Hello!' });
  await events.next('queue');
  return { chat, events, sessionId: t.server.sessions().at(-1)!.id };
}

describe('the "onJson" auto-ack', () => {
  const t = useChatServer();

  it('answers every chat message the server sends, the transcript of a resume and duplicates included', async () => {
    const chat = t.client();
    const badInput: unknown[] = [];
    t.server.on('bad-input', (report) => badInput.push(report));
    const acks: number[][] = [];
    t.server.on('auto-ack', ({ messageIds }) => acks.push([...messageIds]));
    const sessionId = await chatWithAgent(t, chat);
    await chat.send('It was due Monday.').sent;
    const said = t.server.agent.say(sessionId, 'Let me look.');
    await expect.poll(() => acks.some((ids) => ids.includes(said.id))).toBe(true);

    // The whole transcript comes again in one chat message after a resume.
    const resumed = t.server.waitFor('session-resumed');
    t.server.dropClient(sessionId);
    await resumed;
    const transcriptIds = t.server.session(sessionId)!.transcript.map((m) => m.id);
    await expect.poll(() => acks.some((ids) => ids.length === transcriptIds.length)).toBe(true);

    // A duplicated event asks for two acks and gets both.
    t.server.faults.set({ duplicate: true }, sessionId);
    const twice = t.server.agent.say(sessionId, 'Found it.');
    await expect.poll(() => acks.filter((ids) => ids.includes(twice.id)).length).toBe(2);

    const snapshot = t.server.session(sessionId)!;
    expect([...snapshot.autoAcked].sort((a, b) => a - b)).toEqual(snapshot.transcript.map((m) => m.id));
    // One ack per chat message emit: each new message once, the duplicate twice, the resume's batch once.
    expect(acks.filter((ids) => ids.length === 1).map(([id]) => id)).toEqual([...transcriptIds, twice.id, twice.id]);
    expect(badInput).toEqual([]);
  });

  /** Sends each event raw with an ack function; resolves with what each ack got, once `done` holds. */
  function ackedWith(sessionId: number, events: readonly (readonly [string, ...unknown[]])[]) {
    const answers: [string, unknown[]][] = [];
    for (const [event, ...payload] of events) t.server.sendRaw(sessionId, event, ...payload, (...args: unknown[]) => answers.push([event, args]));
    return answers;
  }

  it('answers any other server event that asks for an ack, after handling it', async () => {
    const chat = t.client();
    const sessionId = await chatWithAgent(t, chat);
    const answers = ackedWith(sessionId, [
      ['message sent', encodePayload({ id: '999', umid: 'c-unknown', sent: 0, sentHuman: '00:00' })],
      ['message acked', encodePayload({ ids: [] })],
      ['agent preview', encodePayload({ messageLen: 4 })],
      ['queue', 1],
      ['queue full'],
      ['agent unavailable'],
    ]);
    await view(chat, (v) => v.agentTyping);
    await expect.poll(() => answers.length).toBe(6);
    expect(answers).toEqual(['message sent', 'message acked', 'agent preview', 'queue', 'queue full', 'agent unavailable'].map((event) => [event, [AUTO_ACK]]));
  });

  // Known bug: the link hands the event to the machine, which ends the chat and stops the link
  // (socket.disconnect()) before the link calls the ack, so the "onJson" never leaves
  // (core/transport/link.ts, flushEvents). The reference server asks no ack for these two, a
  // Cention server may. Drop `.fails` once the link acks them.
  it.each(['finish chat session', 'chat closed'])('answers %s, the event that ends the chat, too', async (event) => {
    const chat = t.client();
    const sessionId = await chatWithAgent(t, chat);
    // An ack sent before the socket closed reaches the server before it sees the socket go.
    const gone = t.server.waitFor('client-disconnected');
    const answers = ackedWith(sessionId, [[event]]);
    await view(chat, (v) => v.phase === 'finished');
    await gone;
    expect(answers).toEqual([[event, [AUTO_ACK]]]);
  });
});

describe('a server that sends plain JSON instead of sockwrap', () => {
  const t = useChatServer({ encoding: 'json' });

  it('runs a whole chat: queue, agent, messages, typing, sending, receipts, a drop, a file and the end', async () => {
    const { factory, sockets } = recordingIo();
    const chat = t.client({ io: factory });
    const shapes = new Set<string>();
    const session = await chat.start(ada);
    (sockets[0] as unknown as { onAny(listener: (event: string, ...args: unknown[]) => void): void }).onAny((event, payload) => shapes.add(`${event}: ${typeof payload}`));
    await view(chat, (v) => v.queuePosition === 1);

    t.server.agent.join(session.sessionId, 'Bea');
    const connected = await view(chat, (v) => v.phase === 'connected');
    expect(connected.agent).toBe('Bea');
    expect(texts(connected.transcript)).toEqual(['Where is my parcel?', 'Agent(s) added: Bea']);

    const typing = first(chat.agentTyping$, 2);
    t.server.agent.type(session.sessionId, 9);
    expect(await typing).toEqual([0, 9]);
    const reply = first(chat.messages$, 3);
    t.server.agent.say(session.sessionId, 'Let me look.');
    expect(texts(await reply).at(-1)).toBe('Let me look.');

    const receipts = first(chat.receipts$, 2);
    const outgoing = chat.send('It was due Monday.');
    const sent = await outgoing.sent;
    const stored = t.server.session(session.sessionId)!.transcript.find((m) => m.umid === outgoing.id)!;
    expect(sent).toEqual({ id: String(stored.id), umid: outgoing.id, sent: stored.sent, sentHuman: stored.sentHuman });
    t.server.agent.ack(session.sessionId);
    expect((await receipts).map((r) => r.state)).toEqual(['sent', 'acked']);

    t.server.dropClient(session.sessionId);
    await view(chat, (v) => v.phase === 'reconnecting');
    const back = await view(chat, (v) => v.phase === 'connected');
    expect(back.transcript.length).toBe(t.server.session(session.sessionId)!.transcript.length);

    const file = await chat.attach(new File(['scan'], 'scan.txt', { type: 'text/plain' }));
    expect(file).toMatchObject({ value: 'scan.txt', size: 4 });
    await view(chat, (v) => texts(v.transcript).includes('Ada attached a file.'));

    await chat.close();
    expect(chat.getSnapshot().phase).toBe('finished');
    // Objects and numbers came as they are, not as sockwrap strings.
    expect([...shapes]).toEqual(expect.arrayContaining(['chat message: object', 'message sent: object', 'message acked: object', 'agent preview: object']));
    expect([...shapes].filter((s) => s.endsWith(': string'))).toEqual([]);
  });

  it('keeps working when the server switches encoding in the middle of a chat', async () => {
    t.server.setEncoding('sockwrap');
    const chat = t.client();
    const sessionId = await chatWithAgent(t, chat);
    await chat.send('Sent while sockwrap').sent;
    t.server.setEncoding('json');
    const reply = first(chat.messages$, 4);
    t.server.agent.say(sessionId, 'Answered in JSON');
    expect(texts(await reply).at(-1)).toBe('Answered in JSON');
    await chat.send('Sent while JSON').sent;
    expect(t.server.session(sessionId)!.transcript.filter((m) => m.sender === 'CLIENT').map((m) => m.text)).toEqual(['Where is my parcel?', 'Sent while sockwrap', 'Sent while JSON']);
  });
});

describe('socket.io-client 2 with the 5.1.0 facade', () => {
  const t = useChatServer();

  it('runs a whole short chat over EIO 3', async () => {
    const { factory, sockets } = recordingIo(ioV2);
    const { chat, events, sessionId } = await queuedFacade(t, { io: factory });
    expect(events.seen.filter((s) => s.event === 'connect' || s.event === 'queue')).toEqual([
      { event: 'connect', args: [] },
      { event: 'queue', args: [1] },
    ]);
    const answered = vi.fn();
    chat.canChat(answered, 1);
    await expect.poll(() => answered.mock.calls.length).toBe(1);
    expect(answered.mock.calls[0]?.[0]).toMatchObject({ chatOpen: true, error: '' });
    t.server.agent.join(sessionId, 'Bea');
    await events.next('chat message', ([d]) => (d as { agent: string }).agent === 'Bea');

    const sending = chat.message('Hello! Are you there?');
    const [sent] = await events.next('message sent');
    expect(sent).toMatchObject({ umid: sending.id });
    const delivered = t.server.agent.ack(sessionId);
    expect(await events.next('message acked')).toEqual([{ ids: delivered }]);
    t.server.agent.type(sessionId, 5);
    expect(await events.next('agent preview', ([p]) => (p as { messageLen: number }).messageLen > 0)).toEqual([{ messageLen: 5 }]);
    t.server.agent.say(sessionId, 'Yes, I am.');
    await events.next('chat message', ([d]) => (d as { chat: Message[] }).chat.some((m) => m.text === 'Yes, I am.'));

    chat.close();
    await events.next('finish chat session');
    expect(sockets).toHaveLength(1);
    expect(t.server.session(sessionId)!.autoAcked.length).toBe(t.server.session(sessionId)!.transcript.length);
  });
});

describe('socket.io-client 1 and 2, which have no onAny', () => {
  const t = useChatServer();
  const versions = [
    ['2.5.0', ioV2],
    ['1.7.4', ioV1],
  ] as const;

  it.each(versions)('socket.io-client %s: hears every server event with no listener per event on the socket', async (_, base) => {
    const { factory, sockets } = recordingIo(base);
    const chat = t.client({ io: factory });
    const sessionId = await chatWithAgent(t, chat);
    const said = t.server.agent.say(sessionId, 'Let me look.');
    await view(chat, (v) => texts(v.transcript).includes('Let me look.'));
    await expect.poll(() => t.server.session(sessionId)!.autoAcked.includes(said.id)).toBe(true);
    t.server.agent.type(sessionId, 4);
    await view(chat, (v) => v.agentTyping);
    // A list of listeners per server event would be a dozen lists on every connected client.
    const socket = sockets[0]!;
    expect(SERVER_EVENTS.filter((event) => socket.listeners(event).length > 0)).toEqual([]);
    expect(socket.listeners('connect').length).toBeGreaterThan(0);
  });

  it.each(versions)('socket.io-client %s: hears an event that came before connect once the socket connects, and acks it', async (_, base) => {
    const { factory, sockets } = recordingIo(base);
    const chat = t.client({ io: factory });
    const sessionId = await chatWithAgent(t, chat);
    const socket = sockets[0] as unknown as { readonly connected: boolean; readonly io: { emit(event: 'packet', packet: unknown): void }; packet(packet: unknown): void };
    const gone = t.server.waitFor('client-disconnected');
    t.server.dropClient(sessionId);
    await gone;
    await view(chat, (v) => v.phase === 'reconnecting');
    expect(socket.connected).toBe(false);
    const sent = vi.spyOn(socket, 'packet');
    // An event packet as the manager hands it to the socket, before the namespace's connect:
    // socket.io keeps it until then.
    const message = { id: 4242, sender: 'AGENT', sent: 1_767_600_000, sentHuman: '10:00', text: 'Said before connect', umid: '' };
    socket.io.emit('packet', { type: 2, nsp: '/', data: ['chat message', encodePayload({ agent: 'Bea', client: 'Ada', chat: [message] })], id: 4242 });
    await view(chat, (v) => v.phase === 'connected' && texts(v.transcript).includes('Said before connect'));
    // Its ack, as socket.io makes it: type 3 (ACK), the packet's id.
    expect(sent).toHaveBeenCalledWith(expect.objectContaining({ type: 3, id: 4242, data: [AUTO_ACK] }));
  });
});

describe('stop()', () => {
  const t = useChatServer();
  // A long backoff: socket.io holds a reconnect timer when stop() comes.
  const SLOW_RECONNECT = { reconnectionDelay: 30_000, reconnectionDelayMax: 30_000, randomizationFactor: 0 };

  /** Stops a client and checks that nothing of it is left: listeners, clock timers, sockets, process timers. */
  async function expectNothingLeft(chat: { stop(): void }, clock: ManualClock, sockets: ReturnType<typeof recordingIo>['sockets'], before: number) {
    chat.stop();
    expect(sockets.map(listenersLeft)).toEqual(sockets.map(() => 0));
    expect(clock.pending).toBe(0);
    for (const socket of sockets) {
      expect(socket.connected).toBe(false);
      await expect.poll(() => socket.io.engine?.readyState ?? 'closed').toBe('closed');
    }
    await expect.poll(heldResources).toBeLessThanOrEqual(before);
  }

  it('while socket.io waits to reconnect leaves no listener and no timer', async () => {
    const before = heldResources();
    const clock = new ManualClock(Date.now());
    const { factory, sockets } = recordingIo();
    const chat = t.client({ io: factory, clock, socketOptions: SLOW_RECONNECT });
    const sessionId = await chatWithAgent(t, chat);
    const gone = t.server.waitFor('client-disconnected');
    t.server.dropClient(sessionId);
    await gone;
    await view(chat, (v) => v.phase === 'reconnecting');
    expect(listenersLeft(sockets[0]!)).toBeGreaterThan(0);
    await expectNothingLeft(chat, clock, sockets, before);
  });

  it('of the facade\'s engine, while socket.io waits to reconnect, leaves no listener and no timer', async () => {
    const before = heldResources();
    const clock = new ManualClock(Date.now());
    const { factory, sockets } = recordingIo();
    const { chat, events, sessionId } = await queuedFacade(t, { io: factory, clock, socketOptions: SLOW_RECONNECT });
    t.server.dropClient(sessionId);
    await events.next('disconnect');
    await expectNothingLeft(chat.client!, clock, sockets, before);
    expect(() => chat.message('After the end')).toThrow(/stopped/);
  });

  it('while the link waits to come back after the server let it go leaves no listener and no timer', async () => {
    const before = heldResources();
    const clock = new ManualClock(Date.now());
    const { factory, sockets } = recordingIo();
    const chat = t.client({ io: factory, clock });
    const sessionId = await chatWithAgent(t, chat);
    const gone = t.server.waitFor('client-disconnected');
    t.server.kickClient(sessionId);
    await gone;
    await view(chat, (v) => v.phase === 'reconnecting');
    // socket.io-client does not come back after `io server disconnect`; the link's own timer will.
    expect(clock.pending).toBeGreaterThan(0);
    await expectNothingLeft(chat, clock, sockets, before);
  });

  it('during an upload aborts the request and leaves no listener and no timer', async () => {
    const before = heldResources();
    const clock = new ManualClock(Date.now());
    const { factory, sockets } = recordingIo();
    const uploads: AbortSignal[] = [];
    // The upload never finishes by itself: it ends when its signal aborts it. canchat is answered
    // here, so no kept-alive HTTP connection of the platform's counts as the client's.
    const fetch: typeof globalThis.fetch = (input, init) => {
      if (String(input).includes('canchat')) return Promise.resolve(Response.json({ chatOpen: true, agentsAvailable: 1, feature: { 'chat.attachment': true }, resumable: false, error: '' }));
      const signal = init!.signal!;
      uploads.push(signal);
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
    };
    const chat = t.client({ io: factory, clock, fetch });
    await chatWithAgent(t, chat);
    const attached = chat.attach(new File(['x'], 'x.txt', { type: 'text/plain' })).catch((error: unknown) => error);
    await view(chat, (v) => v.uploads.some((u) => u.state === 'uploading'));
    await expect.poll(() => uploads.length).toBe(1);
    await expectNothingLeft(chat, clock, sockets, before);
    expect(uploads[0]!.aborted).toBe(true);
    expect(await attached).toMatchObject({ code: 'invalid-state' });
  });
});

describe('malformed server payloads', () => {
  const t = useChatServer();

  it('crash neither the client nor the machine, and a good message after them still arrives', async () => {
    const { chat, events, sessionId } = await queuedFacade(t);
    t.server.agent.join(sessionId, 'Bea');
    await events.next('chat message', ([d]) => (d as { agent: string }).agent === 'Bea');
    const engine = chat.client!;
    const before = { ...engine.actor!.getSnapshot().context, seen: events.seen.length };

    const bad: [string, ...unknown[]][] = [
      ['chat message', '%E0%A4%A'],
      ['chat message', encodeURIComponent('{"agent": "Bea", "chat": [')],
      ['chat message'],
      ['chat message', null],
      ['chat message', 42],
      ['chat message', encodePayload({ agent: 'Bea', client: 'John Smith' })],
      ['chat message', encodePayload({ chat: 'not a list' })],
      ['chat message', encodePayload({ chat: [null, 7, 'text', { id: 'one' }, { sender: 'AGENT', text: 'no id' }] })],
      ['chat message', encodePayload([1, 2, 3])],
      ['queue', 'soon'],
      ['queue', encodePayload({ queue: 'first' })],
      ['queue', -3],
      ['message sent', encodePayload({ id: {}, umid: [] })],
      ['message sent', '%%%'],
      ['agent preview', encodePayload({ messageLen: 'lots' })],
      ['agent preview', true],
    ];
    for (const [event, ...args] of bad) t.server.sendRaw(sessionId, event, ...args);
    const good = t.server.agent.say(sessionId, 'Still here.');
    const [arrived] = await events.next('chat message', ([d]) => (d as { chat: Message[] }).chat.some((m) => m.id === good.id), before.seen);

    expect(arrived).toStrictEqual({ agent: 'Bea', chat: [good], client: 'John Smith' });
    const snapshot = engine.actor!.getSnapshot();
    expect(snapshot.status).toBe('active');
    expect(snapshot.context.transcript.toArray().map((m) => m.id)).toEqual([...before.transcript.toArray().map((m) => m.id), good.id]);
    expect(snapshot.context.queuePosition).toBe(before.queuePosition);
    // Nothing the page sees came of them but "the agent is not typing" for an unreadable length:
    // the good message, and one more unread (after "Bea joined the chat").
    expect(events.seen.slice(before.seen).filter((s) => s.event !== 'agent preview').map((s) => [s.event, ...(s.event === 'unread' ? s.args : [])])).toEqual([['chat message'], ['unread', 2]]);
    expect(events.seen.slice(before.seen).filter((s) => s.event === 'agent preview').map((s) => s.args)).toEqual(expect.arrayContaining([[{ messageLen: 0 }]]));

    // And the chat goes on both ways.
    const sending = chat.message('Good to hear.');
    const [sent] = await events.next('message sent', ([s]) => (s as { umid: string }).umid === sending.id);
    expect(sent).toMatchObject({ umid: sending.id });
  });

  // Known bug: a `message acked` without one readable id still reaches the page as
  // `{ids: []}`, because the machine emits `acked` with whatever ids the event had
  // (machines/chat/chat.machine.ts, onMessageAcked), not only the ids it newly learnt.
  it('do not tell the page "message acked" when no id in it can be read', async () => {
    const { events, sessionId } = await queuedFacade(t);
    t.server.agent.join(sessionId, 'Bea');
    t.server.sendRaw(sessionId, 'message acked', encodePayload({ ids: 'all of them' }));
    t.server.sendRaw(sessionId, 'message acked', encodePayload({ ids: ['x', null] }));
    const delivered = t.server.agent.ack(sessionId);
    expect(await events.next('message acked', ([a]) => (a as { ids: number[] }).ids.length > 0)).toEqual([{ ids: delivered }]);
    expect(events.seen.filter((s) => s.event === 'message acked').map((s) => s.args)).toEqual([[{ ids: delivered }]]);
  });
});
