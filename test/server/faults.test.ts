import { describe, expect, it } from 'vitest';
import type { ChatMessageEvent, MessageSent } from '../../core/protocol';
import { encodePayload } from '../../core/protocol';
import type { TestClient } from './support/clients';
import { CLIENT_KINDS } from './support/clients';
import { withText } from './support/match';
import { AREAS, register, startHarness } from './support/harness';
import { http } from './support/http';

const texts = (client: TestClient) => client.all<ChatMessageEvent>('chat message').flatMap((e) => e.chat.map((m) => m.text));
const resume = (secret: string) => ({ href: 'https://shop.example/', trackClientUrl: false, secret });

/** Sends a message and waits for its ack: everything the server sent before is in the log by then. */
async function barrier(client: TestClient, umid: string): Promise<void> {
  await client.request('chat message', { id: umid, message: `barrier ${umid}`, mcount: 1 });
}

describe.each(CLIENT_KINDS)('fault injection (socket.io-client %s)', (kind) => {
  describe('network', () => {
    it('drop cuts the connection like a network failure: the client reconnects by itself and resumes', async () => {
      const { server, connect } = await startHarness();
      const client = await connect(kind);
      const { sessionId, sessionSecret } = await register(client, AREAS.busy.id);
      const oldId = client.id;
      const gone = server.waitFor('client-disconnected');

      expect(server.dropClient(sessionId)).toBe(1);
      expect(await client.next('disconnect')).toBe('transport close');
      // The server closed the engine connection itself; the client only sees the transport go.
      expect(await gone).toMatchObject({ sessionId, reason: 'forced close' });
      await client.next('connect');
      expect(client.id).not.toBe(oldId);
      expect(server.session(sessionId)?.connectedSockets).toBe(0);
      expect(await client.request('resume', resume(sessionSecret))).toMatchObject({ sessionId });
      expect(server.session(sessionId)?.connectedSockets).toBe(1);
    });

    it('kick disconnects from the server side, which socket.io-client does not reconnect', async () => {
      const { server, connect } = await startHarness();
      const client = await connect(kind);
      const { sessionId } = await register(client, AREAS.busy.id);

      expect(server.kickClient(sessionId)).toBe(1);
      expect(await client.next('disconnect')).toBe('io server disconnect');
      expect(client.connected).toBe(false);
      expect(client.willReconnect).toBe(false);
    });
  });

  describe('restart', () => {
    it('keeps sessions, transcripts and umids: the client reconnects, resumes, and a resent umid is already seen', async () => {
      const { server, connect } = await startHarness();
      const client = await connect(kind);
      const { sessionId, sessionSecret } = await register(client, AREAS.busy.id);
      await client.request('chat message', { id: 'u-1', message: 'Before the restart', mcount: 1 });
      const port = server.port;

      await server.restart();
      expect(server.listening).toBe(true);
      expect(server.port).toBe(port);
      await client.next('disconnect');
      await client.next('connect');
      expect(await client.request('resume', resume(sessionSecret))).toMatchObject({ sessionId });
      const transcript = await client.next<ChatMessageEvent>('chat message', (e) => e.chat.length === 2);
      expect(transcript.chat.map((m) => m.umid)).toEqual(['', 'u-1']);
      expect(await client.request('chat message', { id: 'u-1', message: 'Before the restart', mcount: 1 })).toMatchObject({ id: 'already-seen-u-1' });
    });

    it('without its umid memory: transcript umids come back empty and a resent umid is stored anew', async () => {
      const { server, connect } = await startHarness();
      const client = await connect(kind);
      const { sessionId, sessionSecret } = await register(client, AREAS.busy.id);
      const first = (await client.request('chat message', { id: 'u-1', message: 'Hello', mcount: 1 })) as MessageSent;

      await server.restart({ forgetUmids: true });
      await client.next('disconnect');
      await client.next('connect');
      await client.request('resume', resume(sessionSecret));
      const transcript = await client.next<ChatMessageEvent>('chat message', (e) => e.chat.length === 2);
      expect(transcript.chat.map((m) => m.umid)).toEqual(['', '']);
      const again = (await client.request('chat message', { id: 'u-1', message: 'Hello', mcount: 1 })) as MessageSent;
      expect(again.id).not.toBe(first.id);
      expect(again.id).not.toMatch(/^already-seen/);
      expect(server.session(sessionId)?.transcript.map((m) => m.umid)).toEqual(['', '', 'u-1']);
    });

    it('forgetting sessions answers every resume with "no session"', async () => {
      const { server, connect } = await startHarness();
      const client = await connect(kind);
      const { sessionSecret } = await register(client, AREAS.busy.id);

      await server.restart({ forgetSessions: true });
      await client.next('connect', () => true);
      expect(await client.request('resume', resume(sessionSecret))).toEqual({ error: 'no session' });
      expect(server.sessions()).toEqual([]);
      const canChat = await http(`${server.baseURL}/socket/external.api/canchat?area=${AREAS.busy.id}&secret=${encodeURIComponent(sessionSecret)}`);
      expect(canChat.json()).toMatchObject({ resumable: false });
    });
  });

  describe('outgoing events', () => {
    it('delay holds events on the server clock, in order, while acks still come at once', async () => {
      const { server, clock, connect } = await startHarness();
      const client = await connect(kind);
      const { sessionId } = await register(client, AREAS.busy.id);
      server.agent.join(sessionId, 'Dana');
      await client.next('chat message', (e: ChatMessageEvent) => e.agent === 'Dana');

      server.faults.set({ delayMs: 500 }, sessionId);
      server.agent.say(sessionId, 'A');
      server.agent.say(sessionId, 'B');
      await barrier(client, 'b-1');
      expect(texts(client)).not.toContain('A');

      clock.advance(499);
      await barrier(client, 'b-2');
      expect(texts(client)).not.toContain('A');
      clock.advance(1);
      await client.next('chat message', withText('B'));
      expect(texts(client).filter((t) => t === 'A' || t === 'B')).toEqual(['A', 'B']);
    });

    it('duplicate sends every event twice', async () => {
      const { server, connect } = await startHarness();
      const client = await connect(kind);
      const { sessionId } = await register(client, AREAS.busy.id);
      server.agent.join(sessionId, 'Dana');

      server.faults.set({ duplicate: true });
      const said = server.agent.say(sessionId, 'Twice');
      const one = await client.next<ChatMessageEvent>('chat message', withText('Twice'));
      const two = await client.next<ChatMessageEvent>('chat message', withText('Twice'));
      expect(one).toEqual(two);
      expect(one.chat).toEqual([said]);
    });

    it('reorder swaps events in pairs; a lone event waits for flush', async () => {
      const { server, connect } = await startHarness();
      const client = await connect(kind);
      const { sessionId } = await register(client, AREAS.busy.id);
      server.agent.join(sessionId, 'Dana');
      await client.next('chat message', (e: ChatMessageEvent) => e.agent === 'Dana');

      server.faults.set({ reorder: true }, sessionId);
      server.agent.say(sessionId, 'first');
      server.agent.say(sessionId, 'second');
      await client.next('chat message', withText('first'));
      expect(texts(client).slice(-2)).toEqual(['second', 'first']);

      server.agent.say(sessionId, 'lonely');
      server.faults.clear(sessionId);
      await client.next('chat message', withText('lonely'));
    });

    it('loseReplies acts on an emit but never answers it; the resend of its umid is already seen', async () => {
      const { server, connect } = await startHarness();
      const client = await connect(kind);
      const { sessionId } = await register(client, AREAS.busy.id);
      server.agent.join(sessionId, 'Dana');

      server.faults.set({ loseReplies: true }, sessionId);
      const stored = server.waitFor('client-message', (e) => e.message.umid === 'lost-1');
      let answered = false;
      void client.request('chat message', { id: 'lost-1', message: 'Is the reply lost?', mcount: 1 }).then(() => (answered = true));
      expect((await stored).alreadySeen).toBe(false);
      // The echo still comes: only replies are lost.
      await client.next('chat message', withText('Is the reply lost?'));
      expect(answered).toBe(false);

      server.faults.clear(sessionId);
      const again = await client.request('chat message', { id: 'lost-1', message: 'Is the reply lost?', mcount: 1 });
      expect(again).toMatchObject({ id: 'already-seen-lost-1', umid: 'lost-1' });
      expect(server.session(sessionId)!.transcript.filter((m) => m.umid === 'lost-1')).toHaveLength(1);
      expect(answered).toBe(false);
    });

    it('flush sends what reorder holds', async () => {
      const { server, connect } = await startHarness();
      const client = await connect(kind);
      const { sessionId } = await register(client, AREAS.busy.id);
      server.agent.join(sessionId, 'Dana');

      server.faults.set({ reorder: true });
      server.agent.say(sessionId, 'held');
      server.faults.flush();
      await client.next('chat message', withText('held'));
      expect(server.faults.effective(sessionId)).toEqual({ delayMs: 0, duplicate: false, reorder: true, loseReplies: false });
    });

    it('faults of one session leave the others alone', async () => {
      const { server, connect } = await startHarness();
      const faulty = await connect(kind);
      const healthy = await connect(kind);
      const one = await register(faulty, AREAS.busy.id);
      const two = await register(healthy, AREAS.busy.id);
      server.agent.join(one.sessionId, 'Dana');
      server.agent.join(two.sessionId, 'Dana');

      server.faults.set({ duplicate: true }, one.sessionId);
      server.agent.say(two.sessionId, 'Once');
      server.agent.say(one.sessionId, 'Twice');
      await healthy.next('chat message', withText('Once'));
      await barrier(healthy, 'b-1');
      expect(texts(healthy).filter((t) => t === 'Once')).toHaveLength(1);
      await faulty.next('chat message', withText('Twice'));
      await faulty.next('chat message', withText('Twice'));
    });

    it('sendRaw puts a malformed payload on the wire as it is', async () => {
      const { server, connect } = await startHarness();
      const client = await connect(kind);
      const { sessionId } = await register(client, AREAS.busy.id);

      expect(server.sendRaw(sessionId, 'chat message', '%E0%A4%A{not json')).toBe(1);
      const raw = await client.nextReceived('chat message', (payload) => typeof payload === 'string');
      expect(raw.raw[0]).toBe('%E0%A4%A{not json');
      expect(server.sendRaw(sessionId, 'queue', { place: 'first' }, 2)).toBe(1);
      expect((await client.nextReceived('queue', (payload) => typeof payload === 'object')).raw).toEqual([{ place: 'first' }, 2]);
    });
  });

  describe('encoding', () => {
    it('sends sockwrap by default: objects as percent-encoded JSON, numbers as they are', async () => {
      const { connect } = await startHarness();
      const client = await connect(kind);
      const reply = await client.requestRaw('register', encodePayload({ area: AREAS.busy.id, name: 'Ann', message: 'Hi' }));

      const echo = await client.nextReceived('chat message');
      expect(typeof echo.raw[0]).toBe('string');
      expect(echo.raw[0]).toBe(encodePayload(echo.payload));
      expect(client.log.find((r) => r.event === 'ack:register')?.raw[0]).toBe(encodePayload(reply));
      expect((await client.nextReceived('queue')).raw[0]).toBe(1);
    });

    it('sends plain JSON objects when switched, and reads plain JSON from clients', async () => {
      const { server, connect } = await startHarness({ encoding: 'json' });
      const client = await connect(kind);
      const reply = await client.requestRaw('register', { area: AREAS.busy.id, name: 'Ann', message: 'Hi' });
      expect(reply).toMatchObject({ areaId: AREAS.busy.id });
      expect(typeof client.log.find((r) => r.event === 'ack:register')?.raw[0]).toBe('object');
      expect((await client.nextReceived('chat message')).raw[0]).toMatchObject({ agent: '', client: 'Ann' });

      server.setEncoding('sockwrap');
      await client.requestRaw('chat message', { id: 'u-1', message: 'Plain in, sockwrap out', mcount: 1 });
      expect(typeof (await client.nextReceived('message sent')).raw[0]).toBe('string');
    });
  });
});
