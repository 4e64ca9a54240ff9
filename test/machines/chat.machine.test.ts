import { describe, expect, it } from 'vitest';
import { agentsAdded, harness, message, registration, session } from './harness';
import { encodeSystemEvent } from '../../core/protocol';
import type { Harness } from './harness';
import type { CanChatResult } from '../../core/protocol';

const open: CanChatResult = { chatOpen: true, agentsAvailable: 2, feature: { 'chat.attachment': true, 'chat.max-attachment-size': 1000 }, resumable: false, error: '' };

function sentUmids(h: Harness): string[] {
  return h.sent('chatMessage').map((c) => c.payload.id);
}

describe('the availability check', () => {
  it('asks the canChat actor and keeps the answer', () => {
    const h = harness();
    h.send({ type: 'user.canChat', area: 1, requestId: 1 });
    expect(h.view().checking).toBe(true);
    expect(h.checks).toEqual([{ area: 1, requestId: 1 }]);
    h.send({ type: 'check.done', requestId: 1, area: 1, result: open });
    expect(h.view().checking).toBe(false);
    expect(h.view().availability).toEqual(open);
    expect(h.view().features['chat.attachment']).toBe(true);
    expect(h.told('availability')).toEqual([{ type: 'availability', availability: { requestId: 1, area: 1, result: open } }]);
  });

  it('answers checks of several areas each on its own', () => {
    const h = harness();
    h.send({ type: 'user.canChat', area: 1, requestId: 1 });
    h.send({ type: 'user.canChat', area: 2, requestId: 2 });
    h.send({ type: 'check.done', requestId: 2, area: 2, result: { ...open, chatOpen: false } });
    expect(h.view().checking).toBe(true);
    h.send({ type: 'check.done', requestId: 1, area: 1, result: open });
    expect(h.view().checking).toBe(false);
    expect(h.told('availability').map((n) => n.availability.requestId)).toEqual([2, 1]);
  });

  it('reports a failed check as a rejection of that request', () => {
    const h = harness();
    h.send({ type: 'user.canChat', area: 1, requestId: 5 });
    const reason = { code: 'http-error' as const, message: 'HTTP 500' };
    h.send({ type: 'check.failed', requestId: 5, fault: reason });
    expect(h.actor.getSnapshot().matches({ availability: 'failed' })).toBe(true);
    expect(h.told('rejected')).toEqual([{ type: 'rejected', ref: { command: 'canChat', requestId: 5 }, fault: reason }]);
  });

  it('checks while a chat goes on, without disturbing it', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'user.canChat', area: 1, requestId: 9 });
    h.send({ type: 'check.done', requestId: 9, area: 1, result: open });
    expect(h.view().phase).toBe('connected');
    expect(h.told('rejected')).toEqual([]);
  });
});

describe('starting a chat', () => {
  it('registers once the link is up, then waits in the queue, then connects when an agent joins', () => {
    const h = harness();
    h.send({ type: 'user.start', registration });
    expect(h.view().phase).toBe('starting');
    expect(h.linkAlive).toBe(true);
    expect(h.sent('register')).toEqual([]);
    h.send({ type: 'link.connected' });
    expect(h.sent('register')).toEqual([{ type: 'register', payload: registration }]);
    h.send({ type: 'reply.register', reply: { ok: true, value: session } });
    expect(h.view().phase).toBe('queued');
    expect(h.view().session).toEqual(session);
    expect(h.told('session')).toEqual([{ type: 'session', session, resumed: false }]);
    h.send({ type: 'server.queue', position: 2 });
    expect(h.view().queuePosition).toBe(2);
    h.send({ type: 'server.queue', position: 1 });
    expect(h.told('queue').map((n) => n.position)).toEqual([2, 1]);
    h.send({ type: 'server.chatMessage', agent: 'Bea', client: 'Ada', chat: [agentsAdded('Bea')] });
    expect(h.view().phase).toBe('connected');
    expect(h.view().agent).toBe('Bea');
    expect(h.view().queuePosition).toBeUndefined();
  });

  it('names no agent once the agent left and the chat waits in the queue again', () => {
    const h = harness();
    h.send({ type: 'user.start', registration });
    h.send({ type: 'link.connected' });
    h.send({ type: 'reply.register', reply: { ok: true, value: session } });
    h.send({ type: 'server.chatMessage', agent: 'Dana', client: 'Ada', chat: [agentsAdded('Dana')] });
    expect(h.view().agent).toBe('Dana');
    h.send({ type: 'server.chatMessage', agent: '', client: 'Ada', chat: [message('SYSTEM', encodeSystemEvent({ event: 'AGENT_LEFT', name: 'Dana' }), { id: 9 })] });
    h.send({ type: 'server.queue', position: 1 });
    expect(h.view().phase).toBe('queued');
    expect(h.view().queuePosition).toBe(1);
    expect(h.view().agent).toBe('');
    h.send({ type: 'server.chatMessage', agent: 'Eve', client: 'Ada', chat: [agentsAdded('Eve')] });
    expect(h.view().agent).toBe('Eve');
  });

  it.each([
    ['queue full', 'queueFull', 'queue-full'],
    ['agent unavailable', 'agentUnavailable', 'agent-unavailable'],
  ] as const)('ends in %s when the server refuses with that reply', (error, phase, code) => {
    const h = harness();
    h.send({ type: 'user.start', registration });
    h.send({ type: 'link.connected' });
    h.send({ type: 'reply.register', reply: { ok: false, error } });
    expect(h.view().phase).toBe(phase);
    expect(h.linkAlive).toBe(false);
    expect(h.view().lastError?.code).toBe(code);
    expect(h.told('rejected')).toEqual([{ type: 'rejected', ref: { command: 'start' }, fault: expect.objectContaining({ code }) }]);
  });

  it('takes the server event that comes before the refusing reply, and says so once', () => {
    const h = harness();
    h.send({ type: 'user.start', registration });
    h.send({ type: 'link.connected' });
    h.send({ type: 'server.queueFull' });
    h.send({ type: 'reply.register', reply: { ok: false, error: 'queue full' } });
    expect(h.view().phase).toBe('queueFull');
    expect(h.told('queueFull')).toHaveLength(1);
    expect(h.told('rejected')).toHaveLength(1);
  });

  it.each([
    ['chat closed', 'area-closed'],
    ['unknown area', 'unknown-area'],
    ['invalid input: email', 'invalid-input'],
    ['timeout', 'timeout'],
    ['teapot', 'server-error'],
  ] as const)('goes back to idle with a typed error when register answers "%s"', (error, code) => {
    const h = harness();
    h.send({ type: 'user.start', registration });
    h.send({ type: 'link.connected' });
    h.send({ type: 'reply.register', reply: { ok: false, error } });
    expect(h.view().phase).toBe('idle');
    expect(h.view().lastError?.code).toBe(code);
    expect(h.told('rejected')[0]?.fault.code).toBe(code);
  });

  it('gives up after too many connect errors in a row', () => {
    const h = harness({ maxConnectErrors: 3 });
    h.send({ type: 'user.start', registration });
    h.send({ type: 'link.connectError', message: 'xhr poll error' });
    h.send({ type: 'link.connectError', message: 'xhr poll error' });
    expect(h.view().phase).toBe('starting');
    h.send({ type: 'link.connectError', message: 'xhr poll error' });
    expect(h.view().phase).toBe('idle');
    expect(h.linkAlive).toBe(false);
    // One failure, told once: as the start's rejection, not once more per failed attempt.
    expect(h.told('connectError')).toHaveLength(0);
    expect(h.told('rejected')).toHaveLength(1);
    expect(h.view().lastError?.code).toBe('connect-failed');
  });

  it('gives up at once on a connect error no retry can mend', () => {
    const h = harness({ maxConnectErrors: 3 });
    h.send({ type: 'user.start', registration });
    h.send({ type: 'link.connectError', message: 'socket.js is not loaded', final: true });
    expect(h.view().phase).toBe('idle');
    expect(h.told('rejected')[0]?.fault).toMatchObject({ code: 'connect-failed', message: expect.stringContaining('socket.js is not loaded') });
  });

  it('tells the first connect error of a chat in progress that lost its link, not every retry', () => {
    const h = harness();
    h.send({ type: 'user.start', registration });
    h.send({ type: 'link.connected' });
    h.send({ type: 'reply.register', reply: { ok: true, value: session } });
    h.send({ type: 'link.disconnected', reason: 'transport close' });
    for (let attempt = 0; attempt < 4; attempt++) h.send({ type: 'link.connectError', message: 'xhr poll error' });
    expect(h.told('connectError')).toHaveLength(1);
    h.send({ type: 'link.connected' });
    h.send({ type: 'link.disconnected', reason: 'transport close' });
    h.send({ type: 'link.connectError', message: 'xhr poll error' });
    expect(h.told('connectError')).toHaveLength(2);
  });

  it('registers again when the link drops before the reply', () => {
    const h = harness();
    h.send({ type: 'user.start', registration });
    h.send({ type: 'link.connected' });
    h.send({ type: 'link.disconnected', reason: 'transport close' });
    h.send({ type: 'link.connected' });
    expect(h.sent('register')).toHaveLength(2);
  });

  it('stops without a trace when closed before anything reached the server', () => {
    const h = harness();
    h.send({ type: 'user.start', registration });
    h.send({ type: 'user.close' });
    expect(h.view().phase).toBe('idle');
    expect(h.linkAlive).toBe(false);
    expect(h.sent('register')).toEqual([]);
  });

  it('closes right after registering when closed while registering', () => {
    const h = harness();
    h.send({ type: 'user.start', registration });
    h.send({ type: 'link.connected' });
    h.send({ type: 'user.close' });
    h.send({ type: 'reply.register', reply: { ok: true, value: session } });
    expect(h.view().phase).toBe('closing');
    expect(h.sent('closeChat')).toHaveLength(1);
  });
});

describe('own messages', () => {
  it('goes queued → sending → sent → acked, and each step is told once', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'user.send', umid: 'u1', text: 'Hello' });
    expect(h.sent('chatMessage')).toEqual([{ type: 'chatMessage', payload: { id: 'u1', message: 'Hello', mcount: 1 } }]);
    expect(h.view().outbox.map((e) => e.state)).toEqual(['sending']);
    const receipt = { id: '501', umid: 'u1', sent: 1, sentHuman: '10:01' };
    h.send({ type: 'reply.chatMessage', umid: 'u1', reply: { ok: true, value: receipt } });
    expect(h.view().pending.map((e) => e.state)).toEqual(['sent']);
    h.send({ type: 'server.messageSent', receipt });
    const echo = message('CLIENT', 'Hello', { id: 501, umid: 'u1' });
    h.send({ type: 'server.chatMessage', agent: 'Bea', client: 'Ada', chat: [echo] });
    expect(h.told('receipt')).toEqual([{ type: 'receipt', umid: 'u1', state: 'sent', receipt, messageId: 501 }]);
    // The transcript shows it now: it has left the outbox.
    expect(h.view().pending).toEqual([]);
    expect(h.view().deliveryOf(echo)).toBe('sent');
    h.send({ type: 'server.messageAcked', ids: [501] });
    expect(h.view().deliveryOf(echo)).toBe('acked');
    h.send({ type: 'server.messageAcked', ids: [501] });
    expect(h.told('receipt').map((r) => r.state)).toEqual(['sent', 'acked']);
    // A repeated 'message acked' is no news: each delivery is told once.
    expect(h.told('acked')).toEqual([{ type: 'acked', ids: [501] }]);
  });

  it('completes an already-seen message once, and tells its delivery when the ack came first', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'user.send', umid: 'u1', text: 'Hello' });
    h.send({ type: 'reply.chatMessage', umid: 'u1', reply: { ok: true, value: { id: 'already-seen-u1', umid: 'u1', sent: 1, sentHuman: '10:01' } } });
    expect(h.view().outbox[0]).toMatchObject({ state: 'sent' });
    expect(h.view().outbox[0]?.messageId).toBeUndefined();
    h.send({ type: 'server.messageAcked', ids: [777] });
    h.send({ type: 'server.chatMessage', agent: 'Bea', client: 'Ada', chat: [message('CLIENT', 'Hello', { id: 777, umid: 'u1' })] });
    expect(h.view().outbox).toEqual([]);
    expect(h.told('receipt').map((r) => [r.state, r.messageId])).toEqual([
      ['sent', undefined],
      ['acked', 777],
    ]);
  });

  it('knows the delivery of own messages it did not send on this page, the first question included', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    const question = h.view().transcript.toArray().find((m) => m.sender === 'CLIENT')!;
    expect(h.view().deliveryOf(question)).toBe('sent');
    h.send({ type: 'server.messageAcked', ids: [question.id] });
    expect(h.view().deliveryOf(question)).toBe('acked');
    expect(h.view().deliveryOf(h.view().transcript.toArray().find((m) => m.sender === 'SYSTEM')!)).toBeUndefined();
  });

  it('keeps messages written before the session began and sends them in order once it does', () => {
    const h = harness();
    h.send({ type: 'user.start', registration });
    h.send({ type: 'user.send', umid: 'u1', text: 'one' });
    h.send({ type: 'user.send', umid: 'u2', text: 'two' });
    expect(h.view().pending.map((e) => e.state)).toEqual(['queued', 'queued']);
    h.send({ type: 'link.connected' });
    expect(sentUmids(h)).toEqual([]);
    h.send({ type: 'reply.register', reply: { ok: true, value: session } });
    expect(sentUmids(h)).toEqual(['u1', 'u2']);
    expect(h.sent('chatMessage').map((c) => c.payload.mcount)).toEqual([1, 2]);
  });

  it('resends what had no reply after the link comes back, with the same umids and in order', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'user.send', umid: 'u1', text: 'one' });
    h.send({ type: 'reply.chatMessage', umid: 'u1', reply: { ok: true, value: { id: '9', umid: 'u1', sent: 1, sentHuman: '' } } });
    h.send({ type: 'user.send', umid: 'u2', text: 'two' });
    h.send({ type: 'link.disconnected', reason: 'transport close' });
    expect(h.view().phase).toBe('reconnecting');
    h.send({ type: 'user.send', umid: 'u3', text: 'three' });
    expect(sentUmids(h)).toEqual(['u1', 'u2']);
    h.send({ type: 'link.connected' });
    expect(h.sent('resume')).toEqual([{ type: 'resume', secret: session.sessionSecret }]);
    h.send({ type: 'reply.resume', reply: { ok: true, value: session } });
    expect(h.view().phase).toBe('connected');
    expect(sentUmids(h)).toEqual(['u1', 'u2', 'u2', 'u3']);
  });

  it('sends a message again after its reply timed out', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'user.send', umid: 'u1', text: 'one' });
    h.send({ type: 'reply.chatMessage', umid: 'u1', reply: { ok: false, error: 'timeout' } });
    expect(h.view().outbox[0]?.state).toBe('queued');
    h.clock.increment(1_999);
    expect(sentUmids(h)).toEqual(['u1']);
    h.clock.increment(1);
    expect(sentUmids(h)).toEqual(['u1', 'u1']);
  });

  it('fails a message the server refuses, and sends it again on retry', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'user.send', umid: 'u1', text: 'x' });
    h.send({ type: 'reply.chatMessage', umid: 'u1', reply: { ok: false, error: 'invalid input: message' } });
    expect(h.view().outbox[0]).toMatchObject({ state: 'failed', fault: { code: 'invalid-input' } });
    expect(h.told('receipt')).toEqual([{ type: 'receipt', umid: 'u1', state: 'failed', fault: expect.objectContaining({ code: 'invalid-input' }) }]);
    h.send({ type: 'user.retry', umid: 'u1' });
    expect(sentUmids(h)).toEqual(['u1', 'u1']);
    h.send({ type: 'user.retry', umid: 'nope' });
    expect(h.told('rejected')).toEqual([{ type: 'rejected', ref: { command: 'retry', umid: 'nope' }, fault: expect.objectContaining({ code: 'invalid-input' }) }]);
  });
});

describe('a server that forgot umids', () => {
  it('takes an echo without a umid as the own message whose id it knows, and shows it once', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'user.send', umid: 'u1', text: 'Hello' });
    h.send({ type: 'reply.chatMessage', umid: 'u1', reply: { ok: true, value: { id: '501', umid: 'u1', sent: 1, sentHuman: '10:01' } } });
    // The server restarts and forgets umids before its echo reached the client.
    h.reconnect();
    h.send({ type: 'server.chatMessage', agent: 'Bea', client: 'Ada', chat: [message('CLIENT', 'Hello', { id: 501, umid: '' })] });
    expect(h.view().pending).toEqual([]);
    expect(h.view().transcript.toArray().filter((m) => m.text === 'Hello')).toHaveLength(1);
    expect(sentUmids(h)).toEqual(['u1']);
    expect(h.told('receipt').map((r) => [r.umid, r.state])).toEqual([['u1', 'sent']]);
  });

  it('takes an echo without a umid as the stored message of the same text when the server only said "already seen"', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'user.send', umid: 'u1', text: 'Hello' });
    h.send({ type: 'reply.chatMessage', umid: 'u1', reply: { ok: true, value: { id: 'already-seen-u1', umid: 'u1', sent: 1, sentHuman: '10:01' } } });
    h.reconnect();
    h.send({ type: 'server.chatMessage', agent: 'Bea', client: 'Ada', chat: [message('CLIENT', 'Hi', { id: 600, umid: '' }), message('CLIENT', 'Hello', { id: 601, umid: '' })] });
    expect(h.view().pending).toEqual([]);
    expect(h.view().transcript.toArray().filter((m) => m.text === 'Hello')).toHaveLength(1);
  });
});

describe('the transcript', () => {
  it('drops messages it already has and keeps them ordered by id', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    const a = message('AGENT', 'a');
    const b = message('AGENT', 'b');
    const c = message('AGENT', 'c');
    h.send({ type: 'server.chatMessage', agent: 'Bea', client: 'Ada', chat: [a, c] });
    h.send({ type: 'server.chatMessage', agent: 'Bea', client: 'Ada', chat: [a, b, c, b] });
    const texts = h.view().transcript.toArray().map((m) => m.text);
    expect(texts.slice(-3)).toEqual(['a', 'b', 'c']);
    expect(h.told('messages').map((n) => n.messages.map((m) => m.text))).toContainEqual(['b']);
  });

  it('leaves older snapshots unchanged when messages arrive', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    const before = h.view().transcript;
    const length = before.length;
    h.send({ type: 'server.chatMessage', agent: 'Bea', client: 'Ada', chat: [message('AGENT', 'new')] });
    expect(before.length).toBe(length);
    expect([...before]).toHaveLength(length);
    expect(h.view().transcript.length).toBe(length + 1);
  });
});

describe('unread messages', () => {
  it('counts the agent and system messages that arrive after the first batch, not the own ones', () => {
    const h = harness();
    h.startChat();
    expect(h.view().unread, 'the echo of the question starts the transcript').toBe(0);
    h.send({ type: 'server.chatMessage', agent: 'Bea', client: 'Ada', chat: [agentsAdded('Bea'), message('AGENT', 'Hello!')] });
    h.send({ type: 'user.send', umid: 'u1', text: 'Hi' });
    h.send({ type: 'server.chatMessage', agent: 'Bea', client: 'Ada', chat: [message('CLIENT', 'Hi', { umid: 'u1' }), message('AGENT', 'How can I help?')] });
    expect(h.view().unread).toBe(3);
  });

  it('counts a message once however often the server sends it', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    const hello = message('AGENT', 'Hello!');
    h.send({ type: 'server.chatMessage', agent: 'Bea', client: 'Ada', chat: [hello] });
    h.send({ type: 'server.chatMessage', agent: 'Bea', client: 'Ada', chat: [hello] });
    expect(h.view().unread).toBe(2);
  });

  it('clears on markRead, and a markRead with nothing unread changes nothing', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'user.markRead' });
    expect(h.view().unread).toBe(0);
    const before = h.actor.getSnapshot();
    h.send({ type: 'user.markRead' });
    expect(h.actor.getSnapshot(), 'no new snapshot').toBe(before);
    h.send({ type: 'server.chatMessage', agent: 'Bea', client: 'Ada', chat: [message('AGENT', 'Are you there?')] });
    expect(h.view().unread).toBe(1);
    h.send({ type: 'user.markRead' });
    expect(h.view().unread).toBe(0);
    expect(h.told('rejected')).toEqual([]);
  });

  it('does not count the history of a chat resumed on a new page', () => {
    const h = harness();
    h.send({ type: 'user.resume', secret: 'secret-7', area: 1 });
    h.send({ type: 'link.connected' });
    h.send({ type: 'reply.resume', reply: { ok: true, value: session } });
    h.send({ type: 'server.chatMessage', agent: 'Bea', client: 'Ada', chat: [message('CLIENT', 'Hi'), agentsAdded('Bea'), message('AGENT', 'Hello!')] });
    expect(h.view().unread).toBe(0);
    h.send({ type: 'server.chatMessage', agent: 'Bea', client: 'Ada', chat: [message('AGENT', 'Anything else?')] });
    expect(h.view().unread).toBe(1);
  });

  it('keeps counting after the chat ended, and starts a new chat at 0', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'server.finished' });
    expect(h.view().unread).toBe(1);
    h.send({ type: 'user.start', registration });
    expect(h.view().unread).toBe(0);
  });
});

describe('agent typing', () => {
  it('shows while the agent types, stops when the agent sends, and expires on its own', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'server.agentPreview', messageLen: 4 });
    expect(h.view().agentTyping).toBe(true);
    h.send({ type: 'server.chatMessage', agent: 'Bea', client: 'Ada', chat: [message('AGENT', 'Hi!')] });
    expect(h.view().agentTyping).toBe(false);
    h.send({ type: 'server.agentPreview', messageLen: 2 });
    h.clock.increment(14_999);
    expect(h.view().agentTypingLength).toBe(2);
    h.clock.increment(1);
    expect(h.view().agentTyping).toBe(false);
    expect(h.told('agentTyping').map((n) => n.messageLen)).toEqual([4, 0, 2, 0]);
  });
});

describe('typing previews', () => {
  it('sends previews in a session and holds the latest while the link is down', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'user.preview', text: 'Hel' });
    h.send({ type: 'link.disconnected', reason: 'ping timeout' });
    h.send({ type: 'user.preview', text: 'Hello' });
    h.send({ type: 'user.preview', text: 'Hello th' });
    expect(h.sent('preview').map((p) => p.preview)).toEqual(['Hel']);
    h.send({ type: 'link.connected' });
    h.send({ type: 'reply.resume', reply: { ok: true, value: session } });
    expect(h.sent('preview').map((p) => p.preview)).toEqual(['Hel', 'Hello th']);
  });
});

describe('ending a chat', () => {
  it('closes on request and finishes when the server says so', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'user.close' });
    expect(h.view().phase).toBe('closing');
    h.send({ type: 'reply.closeChat', reply: { ok: true, value: true } });
    h.send({ type: 'server.finished' });
    expect(h.view().phase).toBe('finished');
    expect(h.linkAlive).toBe(false);
    expect(h.told('finished')).toHaveLength(1);
  });

  it('finishes after the grace time when the server confirms but never sends the end', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'user.close' });
    h.send({ type: 'reply.closeChat', reply: { ok: true, value: true } });
    h.clock.increment(3_000);
    expect(h.view().phase).toBe('finished');
  });

  it('closes after the rejoin when asked while the link was down', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'link.disconnected', reason: 'transport close' });
    h.send({ type: 'user.close' });
    expect(h.sent('closeChat')).toEqual([]);
    h.send({ type: 'link.connected' });
    h.send({ type: 'reply.resume', reply: { ok: true, value: session } });
    expect(h.view().phase).toBe('closing');
    expect(h.sent('closeChat')).toHaveLength(1);
  });

  it('goes back to the chat with an error when the server refuses to close', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'user.close' });
    h.send({ type: 'reply.closeChat', reply: { ok: false, error: 'boom' } });
    expect(h.view().phase).toBe('connected');
    expect(h.told('rejected')).toEqual([{ type: 'rejected', ref: { command: 'close' }, fault: expect.objectContaining({ code: 'server-error' }) }]);
  });

  it('finishes when the agent ends the chat, and fails what could not be sent', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'user.send', umid: 'u1', text: 'one' });
    h.send({ type: 'server.finished' });
    expect(h.view().phase).toBe('finished');
    expect(h.view().outbox[0]).toMatchObject({ state: 'failed', fault: { code: 'chat-closed' } });
    expect(h.told('receipt')).toEqual([expect.objectContaining({ umid: 'u1', state: 'failed' })]);
  });

  it('finds out on the rejoin that the chat ended while offline', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'link.disconnected', reason: 'transport close' });
    h.send({ type: 'user.send', umid: 'u1', text: 'still there?' });
    h.send({ type: 'link.connected' });
    h.send({ type: 'reply.resume', reply: { ok: false, error: 'chat closed' } });
    expect(h.view().phase).toBe('finished');
    expect(h.view().endedWhileOffline).toBe(true);
    expect(h.view().outbox[0]).toMatchObject({ state: 'failed', fault: { code: 'chat-closed' } });
  });

  it('says the session was lost when the server forgot it', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'link.disconnected', reason: 'transport close' });
    h.send({ type: 'link.connected' });
    h.send({ type: 'reply.resume', reply: { ok: false, error: 'no session' } });
    expect(h.view().phase).toBe('finished');
    expect(h.view().lastError?.code).toBe('session-lost');
  });

  it('finishes when the server says the chat was already closed', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'server.chatClosed' });
    expect(h.view().phase).toBe('finished');
    expect(h.told('chatClosed')).toHaveLength(1);
  });

  it('starts a new chat after a finished one with a clean slate', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'server.finished' });
    h.send({ type: 'user.start', registration });
    expect(h.view().phase).toBe('starting');
    expect(h.view().transcript.length).toBe(0);
    expect(h.view().session).toBeUndefined();
    expect(h.linkStarts).toBe(2);
  });
});

describe('resuming', () => {
  it('resumes a chat of an earlier page with its secret and sends what that page could not', () => {
    const h = harness();
    const restored = [{ umid: 'old-1', text: 'typed before navigating', state: 'sending' as const, mcount: 3 }];
    h.send({ type: 'user.resume', secret: 'secret-7', area: 1, outbox: restored });
    expect(h.view().phase).toBe('resuming');
    h.send({ type: 'link.connected' });
    expect(h.sent('resume')).toEqual([{ type: 'resume', secret: 'secret-7' }]);
    h.send({ type: 'reply.resume', reply: { ok: true, value: session } });
    expect(h.told('session')).toEqual([{ type: 'session', session, resumed: true }]);
    expect(h.sent('chatMessage')).toEqual([{ type: 'chatMessage', payload: { id: 'old-1', message: 'typed before navigating', mcount: 3 } }]);
    h.send({ type: 'server.chatMessage', agent: 'Bea', client: 'Ada', chat: [agentsAdded('Bea'), message('CLIENT', 'typed before navigating', { umid: 'old-1' })] });
    expect(h.view().phase).toBe('connected');
    expect(h.told('receipt')).toEqual([expect.objectContaining({ umid: 'old-1', state: 'sent' })]);
    h.send({ type: 'user.send', umid: 'new-1', text: 'next' });
    expect(h.sent('chatMessage')[1]?.payload.mcount).toBe(4);
  });

  it('resumes by cookie when there is no secret', () => {
    const h = harness();
    h.send({ type: 'user.resume' });
    h.send({ type: 'link.connected' });
    expect(h.sent('resume')).toEqual([{ type: 'resume' }]);
  });

  it('goes back to idle and says why when there is nothing to resume', () => {
    const h = harness();
    h.send({ type: 'user.resume', secret: 'gone' });
    h.send({ type: 'link.connected' });
    h.send({ type: 'reply.resume', reply: { ok: false, error: 'no session' } });
    expect(h.view().phase).toBe('idle');
    expect(h.linkAlive).toBe(false);
    expect(h.told('rejected')).toEqual([{ type: 'rejected', ref: { command: 'resume' }, fault: expect.objectContaining({ code: 'no-session' }) }]);
  });

  it('lets go of the link on disconnect and picks the chat up again on resume', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'user.disconnect' });
    expect(h.view().phase).toBe('detached');
    expect(h.linkAlive).toBe(false);
    h.send({ type: 'user.send', umid: 'u1', text: 'back soon' });
    h.send({ type: 'user.resume' });
    h.send({ type: 'link.connected' });
    expect(h.sent('resume')).toEqual([{ type: 'resume', secret: session.sessionSecret }]);
    h.send({ type: 'reply.resume', reply: { ok: true, value: session } });
    expect(h.view().phase).toBe('connected');
    expect(sentUmids(h)).toEqual(['u1']);
    expect(h.view().transcript.length).toBeGreaterThan(0);
  });
  it('sends again on resume a message that was in flight when the link was let go', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'user.send', umid: 'u1', text: 'are you there?' });
    h.send({ type: 'user.disconnect' });
    // No reply will come from a link that was let go: the message waits for the next one.
    expect(h.view().pending.map((e) => e.state)).toEqual(['queued']);
    h.send({ type: 'user.resume' });
    h.send({ type: 'link.connected' });
    h.send({ type: 'reply.resume', reply: { ok: true, value: session } });
    expect(sentUmids(h)).toEqual(['u1', 'u1']);
    h.send({ type: 'reply.chatMessage', umid: 'u1', reply: { ok: true, value: { id: '900', umid: 'u1', sent: 1, sentHuman: '' } } });
    expect(h.told('receipt')).toEqual([expect.objectContaining({ umid: 'u1', state: 'sent', messageId: 900 })]);
  });
});

describe('attachments', () => {
  it('uploads, then announces the file over the link, and tells each step', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    const file = { name: 'a.pdf' };
    h.send({ type: 'user.attach', uploadId: 'f1', file, fileName: 'a.pdf', size: 10, fileType: 'application/pdf' });
    expect(h.uploads).toEqual([{ uploadId: 'f1', file, area: 1, session }]);
    h.send({ type: 'upload.progress', uploadId: 'f1', loaded: 5 });
    expect(h.view().uploads[0]).toMatchObject({ state: 'uploading', loaded: 5 });
    const result = { id: 1, value: 'a.pdf', download: '/d/1/a.pdf', sizeHuman: '10 B', size: 10, type: 'application/pdf' };
    h.send({ type: 'upload.done', uploadId: 'f1', result });
    expect(h.sent('addAttachment')).toEqual([{ type: 'addAttachment', uploadId: 'f1', payload: { area: 1, file: result, sessionSecret: session.sessionSecret } }]);
    h.send({ type: 'reply.addAttachment', uploadId: 'f1', reply: { ok: true, value: true } });
    expect(h.told('upload').map((n) => n.upload.state)).toEqual(['uploading', 'attaching', 'done']);
  });

  it('announces a file that finished uploading while the link was down after the rejoin', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'user.attach', uploadId: 'f1', file: {}, fileName: 'a.txt', size: 1, fileType: 'text/plain' });
    h.send({ type: 'link.disconnected', reason: 'transport close' });
    h.send({ type: 'upload.done', uploadId: 'f1', result: { id: 1, value: 'a.txt', download: '/d', sizeHuman: '1 B', size: 1, type: 'text/plain' } });
    expect(h.sent('addAttachment')).toEqual([]);
    h.send({ type: 'link.connected' });
    h.send({ type: 'reply.resume', reply: { ok: true, value: session } });
    expect(h.sent('addAttachment')).toHaveLength(1);
  });

  it('cancels an upload by stopping its actor', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'user.attach', uploadId: 'f1', file: {}, fileName: 'a.txt', size: 1, fileType: 'text/plain' });
    h.send({ type: 'user.cancelUpload', uploadId: 'f1' });
    expect(h.stoppedUploads).toEqual(['f1']);
    expect(h.view().uploads[0]).toMatchObject({ state: 'canceled', fault: { code: 'upload-aborted' } });
    h.send({ type: 'user.cancelUpload', uploadId: 'f1' });
    expect(h.told('rejected').at(-1)?.fault.code).toBe('invalid-input');
  });

  it('reports a failed upload', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'user.attach', uploadId: 'f1', file: {}, fileName: 'a.txt', size: 1, fileType: 'text/plain' });
    h.send({ type: 'upload.failed', uploadId: 'f1', fault: { code: 'file-too-large', message: 'too big' } });
    expect(h.view().uploads[0]).toMatchObject({ state: 'failed', fault: { code: 'file-too-large' } });
  });
});

describe('commands where they make no sense', () => {
  const cases = [
    ['idle', (h: Harness) => void h, { type: 'user.send', umid: 'x', text: 'hi' }, 'no-session'],
    ['idle', (h: Harness) => void h, { type: 'user.close' }, 'no-session'],
    ['idle', (h: Harness) => void h, { type: 'user.preview', text: 'h' }, 'no-session'],
    ['idle', (h: Harness) => void h, { type: 'user.attach', uploadId: 'f', file: {}, fileName: 'a', size: 1, fileType: '' }, 'no-session'],
    ['starting', (h: Harness) => h.send({ type: 'user.start', registration }), { type: 'user.attach', uploadId: 'f', file: {}, fileName: 'a', size: 1, fileType: '' }, 'no-session'],
    ['connected', (h: Harness) => h.startChat({ agent: 'Bea' }), { type: 'user.start', registration }, 'invalid-state'],
    ['finished', (h: Harness) => (h.startChat({ agent: 'Bea' }), h.send({ type: 'server.finished' })), { type: 'user.send', umid: 'x', text: 'hi' }, 'chat-closed'],
    ['finished', (h: Harness) => (h.startChat({ agent: 'Bea' }), h.send({ type: 'server.finished' })), { type: 'user.resume' }, 'chat-closed'],
    ['closing', (h: Harness) => (h.startChat({ agent: 'Bea' }), h.send({ type: 'user.close' })), { type: 'user.send', umid: 'x', text: 'hi' }, 'chat-closed'],
    ['queueFull', (h: Harness) => (h.send({ type: 'user.start', registration }), h.send({ type: 'link.connected' }), h.send({ type: 'server.queueFull' })), { type: 'user.send', umid: 'x', text: 'hi' }, 'no-session'],
  ] as const;

  it.each(cases)('in %s, refuses %o with a typed error and stays put', (phase, arrange, command, code) => {
    const h = harness();
    arrange(h);
    expect(h.view().phase).toBe(phase);
    const before = h.told('rejected').length;
    h.send(command);
    expect(h.view().phase).toBe(phase);
    expect(h.told('rejected').slice(before)).toEqual([{ type: 'rejected', ref: expect.objectContaining({ command: expect.any(String) }), fault: expect.objectContaining({ code }) }]);
    expect(h.errors).toEqual([]);
  });

  it('takes close and disconnect where they are already done without complaint', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'server.finished' });
    h.send({ type: 'user.close' });
    h.send({ type: 'user.disconnect' });
    expect(h.told('rejected')).toEqual([]);
  });

  it('settles a start, a resume or a close that a disconnect overtook, instead of leaving it waiting', () => {
    const starting = harness();
    starting.send({ type: 'user.start', registration });
    starting.send({ type: 'link.connected' });
    starting.send({ type: 'user.close' });
    starting.send({ type: 'user.disconnect' });
    expect(starting.view().phase).toBe('idle');
    expect(starting.linkAlive).toBe(false);
    expect(starting.told('rejected').map((n) => [n.ref.command, n.fault.code])).toEqual([
      ['close', 'invalid-state'],
      ['start', 'invalid-state'],
    ]);

    const resuming = harness();
    resuming.startChat({ agent: 'Bea' });
    resuming.send({ type: 'user.disconnect' });
    resuming.send({ type: 'user.resume' });
    resuming.send({ type: 'user.disconnect' });
    // It had a session: it stays resumable.
    expect(resuming.view().phase).toBe('detached');
    expect(resuming.told('rejected').map((n) => [n.ref.command, n.fault.code])).toEqual([['resume', 'invalid-state']]);

    const closing = harness();
    closing.startChat({ agent: 'Bea' });
    closing.send({ type: 'user.close' });
    closing.send({ type: 'user.disconnect' });
    expect(closing.view().phase).toBe('detached');
    expect(closing.told('rejected').map((n) => [n.ref.command, n.fault.code])).toEqual([['close', 'invalid-state']]);
    expect([...starting.errors, ...resuming.errors, ...closing.errors]).toEqual([]);
  });

  it('keeps the chat an earlier page kept when disconnected before its resume was answered', () => {
    const h = harness();
    h.send({ type: 'user.resume', secret: session.sessionSecret, area: 1, outbox: [{ umid: 'u0', text: 'from the last page', state: 'queued', mcount: 1 }] });
    h.send({ type: 'user.disconnect' });
    expect(h.view().phase).toBe('detached');
    h.send({ type: 'user.send', umid: 'u1', text: 'typed meanwhile' });
    h.send({ type: 'user.attach', uploadId: 'f1', file: {}, fileName: 'a.txt', size: 1, fileType: 'text/plain' });
    expect(h.told('rejected').map((n) => [n.ref.command, n.fault.code])).toEqual([
      ['resume', 'invalid-state'],
      // A file needs the session's secret for its upload: not before the server confirmed it.
      ['attach', 'no-session'],
    ]);
    h.send({ type: 'user.resume', secret: session.sessionSecret, area: 1 });
    h.send({ type: 'link.connected' });
    expect(h.sent('resume')).toEqual([{ type: 'resume', secret: session.sessionSecret }]);
    h.send({ type: 'reply.resume', reply: { ok: true, value: session } });
    expect(sentUmids(h)).toEqual(['u0', 'u1']);
  });

  it('resets from anywhere: the link stops and the chat is forgotten', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'user.attach', uploadId: 'f1', file: {}, fileName: 'a.txt', size: 1, fileType: 'text/plain' });
    h.send({ type: 'user.reset' });
    expect(h.view().phase).toBe('idle');
    expect(h.linkAlive).toBe(false);
    expect(h.stoppedUploads).toEqual(['f1']);
    expect(h.view().transcript.length).toBe(0);
    expect(h.view().session).toBeUndefined();
  });
});

describe('a socket that lost its session', () => {
  it('rejoins when the server says "no session" to a message, then resends it', () => {
    const h = harness();
    h.startChat({ agent: 'Bea' });
    h.send({ type: 'user.send', umid: 'u1', text: 'one' });
    h.send({ type: 'reply.chatMessage', umid: 'u1', reply: { ok: false, error: 'no session' } });
    expect(h.view().phase).toBe('reconnecting');
    expect(h.sent('resume')).toHaveLength(1);
    h.send({ type: 'reply.resume', reply: { ok: true, value: session } });
    expect(sentUmids(h)).toEqual(['u1', 'u1']);
  });
});
