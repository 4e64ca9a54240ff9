import { describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import type { ChatMessageEvent, SessionInfo } from '../../core/protocol';
import { LIMITS } from '../../core/protocol';
import { CLIENT_KINDS } from './support/clients';
import { AREAS, onCleanup, register, registration, startHarness } from './support/harness';

describe.each(CLIENT_KINDS)('register (socket.io-client %s)', (kind) => {
  it('starts a chat: ack with the session, then the question echoed as the first CLIENT message, then the queue place', async () => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);

    const reply = (await client.request('register', registration(AREAS.busy.id, { name: '  Ann Andersson ', message: ' Where is my parcel? ' }))) as SessionInfo;

    expect(reply).toEqual({ sessionId: expect.any(Number), sessionSecret: expect.any(String), areaId: AREAS.busy.id, clientName: 'Ann Andersson' });
    const echo = await client.next<ChatMessageEvent>('chat message');
    expect(echo).toEqual({ agent: '', client: 'Ann Andersson', chat: [{ id: expect.any(Number), sender: 'CLIENT', sent: expect.any(Number), sentHuman: expect.any(String), text: 'Where is my parcel?', umid: '' }] });
    expect(await client.next('queue')).toBe(1);
    expect(client.names(['ack:register', 'chat message', 'queue'])).toEqual(['ack:register', 'chat message', 'queue']);
    expect(server.session(reply.sessionId)).toMatchObject({ state: 'queued', queuePosition: 1, clientName: 'Ann Andersson', email: 'ann@example.com' });
  });

  it('gives every session a different secret of at least 128 random bits', async () => {
    const { connect } = await startHarness();
    const first = await register(await connect(kind), AREAS.support.id);
    const second = await register(await connect(kind), AREAS.support.id);

    for (const { sessionSecret } of [first, second]) expect(Buffer.from(sessionSecret, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(first.sessionSecret).not.toBe(second.sessionSecret);
    expect(first.sessionId).not.toBe(second.sessionId);
  });

  it('takes a question of exactly 10,000 characters after trimming', async () => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);

    const { sessionId } = await register(client, AREAS.busy.id, { message: `  ${'q'.repeat(LIMITS.messageMax)}\n` });
    expect(server.session(sessionId)?.transcript[0]?.text).toBe('q'.repeat(LIMITS.messageMax));
  });

  it('answers "unknown area" for an area the server does not have', async () => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);

    expect(await client.request('register', registration(99))).toEqual({ error: 'unknown area' });
    expect(server.sessions()).toEqual([]);
  });

  it('answers "chat closed" outside opening hours', async () => {
    const { connect } = await startHarness();
    const client = await connect(kind);

    expect(await client.request('register', registration(AREAS.sales.id))).toEqual({ error: 'chat closed' });
  });

  it('opens and closes with the opening hours in the area time zone', async () => {
    const { clock, connect } = await startHarness();
    const client = await connect(kind);

    // The clock starts Monday 10:00 UTC, 05:00 in New York: before 09:00 opening.
    expect(await client.request('register', registration(AREAS.office.id))).toEqual({ error: 'chat closed' });
    clock.advance(4 * 3_600_000); // 09:00 in New York
    expect(await client.request('register', registration(AREAS.office.id))).toMatchObject({ areaId: AREAS.office.id });
    clock.advance(8 * 3_600_000); // 17:00 in New York
    expect(await client.request('register', registration(AREAS.office.id))).toEqual({ error: 'chat closed' });
  });

  it('emits "agent unavailable" and then answers with that error when nobody is online', async () => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);

    expect(await client.request('register', registration(AREAS.billing.id))).toEqual({ error: 'agent unavailable' });
    expect(client.names(['agent unavailable', 'ack:register'])).toEqual(['agent unavailable', 'ack:register']);
    expect(server.sessions()).toEqual([]);
  });

  it('emits "queue full" and then answers with that error when the queue is at its limit', async () => {
    const { server, connect } = await startHarness();
    const first = await connect(kind);
    const second = await connect(kind);
    const third = await connect(kind);
    await register(first, AREAS.busy.id);
    await register(second, AREAS.busy.id);

    expect(await third.request('register', registration(AREAS.busy.id))).toEqual({ error: 'queue full' });
    expect(third.names(['queue full', 'ack:register'])).toEqual(['queue full', 'ack:register']);
    expect(await second.next('queue')).toBe(2);
    expect(server.queue(AREAS.busy.id)).toHaveLength(2);
  });

  it('counts only people in the agent console as agents of a manual area', async () => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);
    expect(await client.request('register', registration(AREAS.manual.id))).toEqual({ error: 'agent unavailable' });

    const agentConsole = io(`${server.url}/agent`, { path: server.agentSocketPath, forceNew: true, auth: { key: server.consoleKey } });
    onCleanup(() => {
      agentConsole.close();
    });
    await new Promise((resolve) => agentConsole.once('connect', () => resolve(undefined)));

    expect(await client.request('register', registration(AREAS.manual.id))).toMatchObject({ areaId: AREAS.manual.id });
  });

  it.each([
    ['a payload that is not an object', 'hello', 'payload'],
    ['an area that is not a number', { area: '1' }, 'area'],
    ['an area that is not an integer', { area: 1.5 }, 'area'],
    ['an empty name', { name: '   ' }, 'name'],
    ['a name that is a number', { name: 42 }, 'name'],
    ['a huge name', { name: 'x'.repeat(100_000) }, 'name'],
    ['an email that is not an address', { email: 'ann' }, 'email'],
    ['a phone that is an object', { phone: { n: 1 } }, 'phone'],
    ['an empty question', { message: ' \n ' }, 'message'],
    ['a question over 10,000 characters', { message: 'x'.repeat(LIMITS.messageMax + 1) }, 'message'],
    ['externalData that is not a string', { externalData: [1] }, 'externalData'],
    ['a baseURL that is a number', { baseURL: 7 }, 'baseURL'],
    ['offlineChat that is a string', { offlineChat: 'yes' }, 'offlineChat'],
    ['trackClientUrl that is a number', { trackClientUrl: 1 }, 'trackClientUrl'],
  ])('refuses %s with "invalid input: <field>"', async (_case, payload, field) => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);

    const body = typeof payload === 'string' ? payload : registration(AREAS.support.id, payload);
    expect(await client.request('register', body)).toEqual({ error: `invalid input: ${field}` });
    expect(server.sessions()).toEqual([]);
  });
});
