import { describe, expect, it } from 'vitest';
import type { ChatMessageEvent } from '../../core/protocol';
import { SYSTEM_NAME } from '../../server';
import { CLIENT_KINDS } from './support/clients';
import { systemEvent, withEvent } from './support/match';
import { AREAS, register, startHarness } from './support/harness';
import { http } from './support/http';


describe.each(CLIENT_KINDS)('the end of a chat (socket.io-client %s)', (kind) => {
  it('closed by the client: {closed: true}, then CLIENT_ENDS_CHAT with the client name, then finish chat session', async () => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);
    const { sessionId } = await register(client, AREAS.busy.id);
    server.agent.join(sessionId, 'Dana');
    const ended = server.waitFor('session-ended');

    expect(await client.request('close chat', {})).toEqual({ closed: true });
    const closing = await client.next<ChatMessageEvent>('chat message', withEvent('CLIENT_ENDS_CHAT'));
    expect(systemEvent(closing)).toEqual({ event: 'CLIENT_ENDS_CHAT', name: 'Ann Andersson' });
    await client.next('finish chat session');
    expect(client.names(['ack:close chat', 'chat message', 'finish chat session']).slice(-3)).toEqual(['ack:close chat', 'chat message', 'finish chat session']);
    expect(await ended).toEqual({ sessionId, reason: 'client' });
    expect(server.session(sessionId)).toMatchObject({ state: 'ended', endReason: 'client' });
  });

  it('ended by the agent: OWNER_ENDS_CHAT with the agent name, then finish chat session', async () => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);
    const { sessionId } = await register(client, AREAS.busy.id);
    server.agent.join(sessionId, 'Dana');

    server.agent.end(sessionId);
    expect(systemEvent(await client.next<ChatMessageEvent>('chat message', withEvent('OWNER_ENDS_CHAT')))).toEqual({ event: 'OWNER_ENDS_CHAT', name: 'Dana' });
    await client.next('finish chat session');
  });

  it(`expires after the area's idle time: OWNER_ENDS_CHAT named "${SYSTEM_NAME}", then finish chat session`, async () => {
    const { server, clock, connect } = await startHarness();
    const client = await connect(kind);
    const { sessionId } = await register(client, AREAS.busy.id);
    clock.advance(9 * 60_000);
    await client.request('chat message', { id: 'u-1', message: 'Still here', mcount: 1 });

    clock.advance(10 * 60_000 - 1);
    expect(server.session(sessionId)?.state).toBe('queued');
    const ended = server.waitFor('session-ended');
    clock.advance(1);
    expect(await ended).toEqual({ sessionId, reason: 'idle' });
    expect(systemEvent(await client.next<ChatMessageEvent>('chat message', withEvent('OWNER_ENDS_CHAT')))).toEqual({ event: 'OWNER_ENDS_CHAT', name: SYSTEM_NAME });
    await client.next('finish chat session');
    expect(server.queue(AREAS.busy.id)).toEqual([]);
  });

  it('answers every later event with the "chat closed" event and {error: "chat closed"}', async () => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);
    const { sessionId, sessionSecret } = await register(client, AREAS.busy.id);
    await client.request('close chat');
    await client.next('finish chat session');

    const attempts: [string, unknown][] = [
      ['chat message', { id: 'u-9', message: 'Hello?', mcount: 1 }],
      ['preview', { preview: 'Hel' }],
      ['add attachment', { area: AREAS.busy.id, file: { id: 1, download: '/x' }, sessionSecret }],
      ['close chat', {}],
      ['resume', { href: 'https://shop.example/', trackClientUrl: false, secret: sessionSecret }],
    ];
    for (const [event, payload] of attempts) {
      expect(await client.request(event, payload)).toEqual({ error: 'chat closed' });
      await client.next('chat closed');
    }
    expect(server.session(sessionId)?.transcript.some((m) => m.umid === 'u-9')).toBe(false);
  });

  it('keeps the history downloadable with the secret after the end', async () => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);
    const { sessionSecret } = await register(client, AREAS.busy.id);
    await client.request('close chat');
    await client.next('finish chat session');

    const saved = await http(`${server.baseURL}/socket/external.api/savehistory?area=${AREAS.busy.id}&secret=${encodeURIComponent(sessionSecret)}`);
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('Where is my parcel?');
    expect(saved.text).toContain('Client ended the chat.');
  });

  it('takes a chat that ends while waiting out of the queue', async () => {
    const { server, connect } = await startHarness();
    const first = await connect(kind);
    const second = await connect(kind);
    await register(first, AREAS.busy.id);
    const { sessionId } = await register(second, AREAS.busy.id);

    await first.request('close chat');
    expect(await second.next('queue', (place) => place === 1)).toBe(1);
    expect(server.queue(AREAS.busy.id)).toEqual([sessionId]);
  });
});
