import { describe, expect, it } from 'vitest';
import type { AgentPreview, ChatMessageEvent, MessageAcked } from '../../core/protocol';
import { encodeSystemEvent, parseSystemEvent } from '../../core/protocol';
import { AgentActionError, simulatedReplies } from '../../server';
import { CLIENT_KINDS } from './support/clients';
import { withEvent, withText } from './support/match';
import { AREAS, register, startHarness } from './support/harness';


describe.each(CLIENT_KINDS)('agents (socket.io-client %s)', (kind) => {
  describe('the simulated agent', () => {
    it('takes the chat after its join delay with a chat message naming it and AGENTS_ADDED', async () => {
      const { server, clock, connect } = await startHarness();
      const client = await connect(kind);
      const { sessionId } = await register(client, AREAS.support.id);
      await client.next('queue');

      clock.advance(999);
      expect(server.session(sessionId)?.state).toBe('queued');
      clock.advance(1);

      const joined = await client.next<ChatMessageEvent>('chat message', (e) => e.agent !== '');
      expect(joined.agent).toBe('Alice');
      expect(joined.chat).toEqual([expect.objectContaining({ sender: 'SYSTEM', text: encodeSystemEvent({ event: 'AGENTS_ADDED', names: ['Alice'] }), umid: '' })]);
      expect(server.session(sessionId)).toMatchObject({ state: 'assigned', agent: 'Alice', agentKind: 'simulated', queuePosition: 0 });
    });

    it('reads the question (message acked), types (agent preview), stops typing, then greets', async () => {
      const { server, clock, connect } = await startHarness();
      const client = await connect(kind);
      const { sessionId } = await register(client, AREAS.support.id);
      const question = server.session(sessionId)?.transcript[0];
      clock.advance(1000);
      await client.next('chat message', withEvent('AGENTS_ADDED'));

      clock.advance(500);
      expect(await client.next<MessageAcked>('message acked')).toEqual({ ids: [question?.id] });
      const greeting = simulatedReplies.greeting('Ann Andersson', 'Alice', 'Where is my parcel?');
      expect(await client.next<AgentPreview>('agent preview')).toEqual({ messageLen: greeting.length });

      clock.advance(1000);
      expect(await client.next<AgentPreview>('agent preview')).toEqual({ messageLen: 0 });
      const answer = await client.next<ChatMessageEvent>('chat message', withText(greeting));
      expect(answer.chat[0]).toMatchObject({ sender: 'AGENT', umid: '' });
      expect(answer.agent).toBe('Alice');
      expect(client.names(['message acked', 'agent preview', 'chat message']).slice(-4)).toEqual(['message acked', 'agent preview', 'agent preview', 'chat message']);
    });

    it('answers every client message in turn', async () => {
      const { clock, connect } = await startHarness();
      const client = await connect(kind);
      await register(client, AREAS.support.id);
      clock.advance(1000 + 1500);
      await client.next('chat message', withText(simulatedReplies.greeting('Ann Andersson', 'Alice', 'Where is my parcel?')));

      await client.request('chat message', { id: 'u-1', message: 'First', mcount: 1 });
      await client.request('chat message', { id: 'u-2', message: 'Second', mcount: 2 });
      clock.advance(1500);
      await client.next('chat message', withText(simulatedReplies.answer('Ann Andersson', 'First')));
      clock.advance(1500);
      await client.next('chat message', withText(simulatedReplies.answer('Ann Andersson', 'Second')));
      expect(client.all<MessageAcked>('message acked').flatMap((a) => a.ids)).toHaveLength(3);
    });

    it('says goodbye and ends the chat when the customer writes "bye"', async () => {
      const { server, clock, connect } = await startHarness();
      const client = await connect(kind);
      const { sessionId } = await register(client, AREAS.support.id);
      clock.advance(2500);
      await client.request('chat message', { id: 'u-1', message: 'Bye!', mcount: 1 });

      const ended = server.waitFor('session-ended');
      clock.advance(1500);
      await client.next('chat message', withText(simulatedReplies.goodbye('Ann Andersson')));
      const closing = await client.next<ChatMessageEvent>('chat message', withEvent('OWNER_ENDS_CHAT'));
      expect(parseSystemEvent(closing.chat[0]?.text ?? '')).toEqual({ event: 'OWNER_ENDS_CHAT', name: 'Alice' });
      await client.next('finish chat session');
      expect(await ended).toEqual({ sessionId, reason: 'agent' });
    });

    it('holds no more chats than its capacity; the next waits until one ends', async () => {
      const { server, clock, connect } = await startHarness({
        areas: [{ id: 1, name: 'Small', agents: { mode: 'simulated', names: ['Solo'], capacity: 1, joinDelayMs: 100 } }],
      });
      const first = await connect(kind);
      const second = await connect(kind);
      const one = await register(first, 1);
      const two = await register(second, 1);
      clock.advance(100);
      await first.next('chat message', withEvent('AGENTS_ADDED'));
      expect(server.session(two.sessionId)).toMatchObject({ state: 'queued', queuePosition: 1 });

      await first.request('close chat');
      clock.advance(100);
      await second.next('chat message', withEvent('AGENTS_ADDED'));
      expect(server.session(one.sessionId)?.state).toBe('ended');
    });

    it('steps aside when a person takes the chat before it joins', async () => {
      const { server, clock, connect } = await startHarness();
      const client = await connect(kind);
      const { sessionId } = await register(client, AREAS.support.id);

      server.agent.join(sessionId, 'Pat');
      await client.next('chat message', withEvent('AGENTS_ADDED'));
      clock.advance(10_000);
      // The echo of a later message proves nothing else was on its way before it.
      await client.request('chat message', { id: 'u-1', message: 'Still there?', mcount: 1 });
      await client.next('chat message', withText('Still there?'));
      expect(server.session(sessionId)).toMatchObject({ agent: 'Pat', agentKind: 'person' });
      expect(client.all<ChatMessageEvent>('chat message').filter(withEvent('AGENTS_ADDED'))).toHaveLength(1);
      expect(client.all('agent preview')).toEqual([]);
      expect(clock.pending).toBe(1); // only the idle expiry is left
    });

    it('hands the chat to a person who takes it over, and answers no more', async () => {
      const { server, clock, connect } = await startHarness();
      const client = await connect(kind);
      const { sessionId } = await register(client, AREAS.support.id);
      clock.advance(1000);
      await client.next('chat message', withEvent('AGENTS_ADDED'));
      clock.advance(500);
      expect(await client.next('agent preview')).toEqual({ messageLen: expect.any(Number) });

      server.agent.transfer(sessionId, 'Pat');
      expect(await client.next('agent preview')).toEqual({ messageLen: 0 });
      const removed = await client.next<ChatMessageEvent>('chat message', withEvent('AGENTS_REMOVED'));
      expect(parseSystemEvent(removed.chat[0]?.text ?? '')).toEqual({ event: 'AGENTS_REMOVED', names: ['Alice'] });
      clock.advance(10_000);
      await client.request('chat message', { id: 'u-1', message: 'Still there?', mcount: 1 });
      await client.next('chat message', withText('Still there?'));
      expect(client.all<ChatMessageEvent>('chat message').filter((e) => e.chat.some((m) => m.sender === 'AGENT'))).toEqual([]);
      expect(server.session(sessionId)).toMatchObject({ state: 'assigned', agent: 'Pat', agentKind: 'person' });
      expect(clock.pending).toBe(1); // only the idle expiry is left
    });

    it('is free for the next chat in line the moment a person takes one over', async () => {
      const { server, clock, connect } = await startHarness({ areas: [{ ...AREAS.support, agents: { ...AREAS.support.agents, capacity: 1 } }] });
      const first = await connect(kind);
      const one = await register(first, AREAS.support.id);
      clock.advance(1000);
      await first.next('chat message', withEvent('AGENTS_ADDED'));
      const second = await connect(kind);
      await register(second, AREAS.support.id);

      server.agent.transfer(one.sessionId, 'Pat');
      clock.advance(1000);
      expect((await second.next<ChatMessageEvent>('chat message', withEvent('AGENTS_ADDED'))).agent).toBe('Alice');
    });
  });

  describe('the agent controls of the test API', () => {
    it('join sends AGENTS_ADDED with the agent set, and the chats behind move up', async () => {
      const { server, connect } = await startHarness();
      const first = await connect(kind);
      const second = await connect(kind);
      const one = await register(first, AREAS.busy.id);
      await register(second, AREAS.busy.id);
      expect(await second.next('queue')).toBe(2);

      server.agent.join(one.sessionId, 'Dana');
      const joined = await first.next<ChatMessageEvent>('chat message', withEvent('AGENTS_ADDED'));
      expect(joined.agent).toBe('Dana');
      expect(await second.next('queue')).toBe(1);
    });

    it('say, type, ack and end reach the client as chat message, agent preview, message acked and the end', async () => {
      const { server, connect } = await startHarness();
      const client = await connect(kind);
      const { sessionId } = await register(client, AREAS.busy.id);
      await client.request('chat message', { id: 'u-1', message: 'Hello?', mcount: 1 });
      server.agent.join(sessionId, 'Dana');

      server.agent.type(sessionId, 12);
      expect(await client.next('agent preview')).toEqual({ messageLen: 12 });
      const said = server.agent.say(sessionId, 'Hello, Ann!');
      expect((await client.next<ChatMessageEvent>('chat message', withText('Hello, Ann!'))).chat).toEqual([said]);
      const ids = server.agent.ack(sessionId);
      expect(ids).toHaveLength(2);
      expect(await client.next('message acked')).toEqual({ ids });
      expect(server.agent.ack(sessionId)).toEqual([]);
      server.agent.end(sessionId);
      const end = await client.next<ChatMessageEvent>('chat message', withEvent('OWNER_ENDS_CHAT'));
      expect(parseSystemEvent(end.chat[0]?.text ?? '')).toEqual({ event: 'OWNER_ENDS_CHAT', name: 'Dana' });
      await client.next('finish chat session');
    });

    it('leave sends AGENT_LEFT and puts the chat at the front of the queue again', async () => {
      const { server, connect } = await startHarness();
      const client = await connect(kind);
      const { sessionId } = await register(client, AREAS.busy.id);
      server.agent.join(sessionId, 'Dana');

      server.agent.leave(sessionId);
      const left = await client.next<ChatMessageEvent>('chat message', withEvent('AGENT_LEFT'));
      expect(left.agent).toBe('');
      expect(parseSystemEvent(left.chat[0]?.text ?? '')).toEqual({ event: 'AGENT_LEFT', name: 'Dana' });
      expect(await client.next('queue', (place) => place === 1)).toBe(1);
      expect(server.session(sessionId)).toMatchObject({ state: 'queued', agent: '' });
    });

    it('transfer sends AGENTS_ADDED with the new agent, then AGENTS_REMOVED with the old one; the chat never queues', async () => {
      const { server, connect } = await startHarness();
      const client = await connect(kind);
      const { sessionId } = await register(client, AREAS.busy.id);
      server.agent.join(sessionId, 'Dana');
      await client.next('chat message', withEvent('AGENTS_ADDED'));
      server.agent.type(sessionId, 5);
      await client.next('agent preview');
      const before = client.log.length;

      server.agent.transfer(sessionId, 'Eve');
      await client.next('chat message', withEvent('AGENTS_REMOVED'));
      const system = (text: string) => ({ agent: 'Eve', client: 'Ann Andersson', chat: [expect.objectContaining({ sender: 'SYSTEM', text })] });
      expect(client.log.slice(before).map((r) => [r.event, r.payload])).toEqual([
        ['agent preview', { messageLen: 0 }],
        ['chat message', system(encodeSystemEvent({ event: 'AGENTS_ADDED', names: ['Eve'] }))],
        ['chat message', system(encodeSystemEvent({ event: 'AGENTS_REMOVED', names: ['Dana'] }))],
      ]);
      expect(server.session(sessionId)).toMatchObject({ state: 'assigned', agent: 'Eve', agentKind: 'person', queuePosition: 0 });

      server.agent.say(sessionId, 'Eve here.');
      expect((await client.next<ChatMessageEvent>('chat message', withText('Eve here.'))).agent).toBe('Eve');
    });

    it('refuses a transfer the chat cannot take, naming why', async () => {
      const { server, connect } = await startHarness();
      const { sessionId } = await register(await connect(kind), AREAS.busy.id);

      expect(() => server.agent.transfer(sessionId, 'Eve')).toThrow(new AgentActionError(`chat ${sessionId} has no agent yet`));
      server.agent.join(sessionId, 'Dana');
      expect(() => server.agent.transfer(sessionId, 'Dana')).toThrow(new AgentActionError(`chat ${sessionId} is already with Dana`));
      expect(() => server.agent.transfer(sessionId, ' ')).toThrow(/needs the name/);
      server.agent.end(sessionId);
      expect(() => server.agent.transfer(sessionId, 'Eve')).toThrow(/has ended/);
    });

    it('refuses actions a chat cannot take, naming why', async () => {
      const { server, connect } = await startHarness();
      const client = await connect(kind);
      const { sessionId } = await register(client, AREAS.busy.id);

      expect(() => server.agent.say(sessionId, 'Hi')).toThrow(new AgentActionError(`chat ${sessionId} has no agent yet`));
      expect(() => server.agent.join(404)).toThrow(AgentActionError);
      server.agent.join(sessionId);
      expect(() => server.agent.join(sessionId)).toThrow(/already has an agent \(Dana\)/);
      server.agent.end(sessionId);
      expect(() => server.agent.say(sessionId, 'Hi')).toThrow(/has ended/);
    });
  });

  describe('the queue', () => {
    it('sends every waiting chat its new 1-based place on every change', async () => {
      const { server, connect } = await startHarness({ areas: [{ id: 4, name: 'Busy', agents: { mode: 'busy' }, queueLimit: 5 }] });
      const clients = [await connect(kind), await connect(kind), await connect(kind), await connect(kind)];
      const sessions = [];
      for (const client of clients) sessions.push(await register(client, 4));
      expect(await Promise.all(clients.map((c) => c.next('queue')))).toEqual([1, 2, 3, 4]);

      server.agent.join(sessions[0]?.sessionId ?? 0);
      expect(await Promise.all(clients.slice(1).map((c) => c.next('queue')))).toEqual([1, 2, 3]);

      await clients[2]?.request('close chat');
      expect(await clients[3]?.next('queue')).toBe(2);
      expect(clients[1]?.all('queue')).toEqual([2, 1]);
      expect(server.queue(4)).toEqual([sessions[1]?.sessionId, sessions[3]?.sessionId]);
    });
  });
});
