import { describe, expect, it } from 'vitest';
import type { ChatMessageEvent, MessageSent } from '../../core/protocol';
import { LIMITS } from '../../core/protocol';
import { CLIENT_KINDS } from './support/clients';
import { withUmid } from './support/match';
import { AREAS, register, startHarness } from './support/harness';


describe.each(CLIENT_KINDS)('chat message (socket.io-client %s)', (kind) => {
  it('answers "no session" to every event of a socket that has not registered or resumed', async () => {
    const { connect } = await startHarness();
    const client = await connect(kind);

    expect(await client.request('chat message', { id: 'c-1', message: 'Hi', mcount: 1 })).toEqual({ error: 'no session' });
    expect(await client.request('preview', { preview: 'Hi' })).toEqual({ error: 'no session' });
    expect(await client.request('add attachment', { area: 1, file: { id: 1, download: '/x' }, sessionSecret: 's' })).toEqual({ error: 'no session' });
    expect(await client.request('close chat', {})).toEqual({ error: 'no session' });
  });

  it('acks a message with its Message sent object, then emits "message sent", then echoes it with its umid', async () => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);
    const { sessionId } = await register(client, AREAS.busy.id);

    const reply = (await client.request('chat message', { id: 'c-1767607200000-1', message: '  Is anyone there?  ', mcount: 1 })) as MessageSent;
    const sentEvent = await client.next<MessageSent>('message sent');
    const echo = await client.next<ChatMessageEvent>('chat message', withUmid('c-1767607200000-1'));

    const stored = server.session(sessionId)?.transcript.at(-1);
    expect(stored).toMatchObject({ sender: 'CLIENT', text: 'Is anyone there?', umid: 'c-1767607200000-1' });
    expect(reply).toEqual({ id: String(stored?.id), umid: 'c-1767607200000-1', sent: stored?.sent, sentHuman: stored?.sentHuman });
    expect(sentEvent).toEqual(reply);
    expect(echo).toEqual({ agent: '', client: 'Ann Andersson', chat: [stored] });
    const order = client.names(['ack:chat message', 'message sent', 'chat message']).slice(-3);
    expect(order).toEqual(['ack:chat message', 'message sent', 'chat message']);
  });

  it('stamps messages in unix seconds and in HH:MM of the area time zone', async () => {
    const { clock, connect } = await startHarness();
    const client = await connect(kind);
    await register(client, AREAS.support.id);

    const reply = (await client.request('chat message', { id: 'u-1', message: 'Hi', mcount: 1 })) as MessageSent;

    // 2026-01-05 10:00 UTC is 11:00 in Stockholm (support's time zone).
    expect(reply.sent).toBe(Math.floor(clock.now() / 1000));
    expect(reply.sentHuman).toBe('11:00');
  });

  it('stores a umid once: a resend gets "already-seen-<umid>" and is neither stored nor echoed again', async () => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);
    const { sessionId } = await register(client, AREAS.busy.id);
    const first = (await client.request('chat message', { id: 'u-7', message: 'Once', mcount: 1 })) as MessageSent;
    await client.next('chat message', withUmid('u-7'));

    const resent = (await client.request('chat message', { id: 'u-7', message: 'Once', mcount: 1 })) as MessageSent;
    expect(resent).toEqual({ id: 'already-seen-u-7', umid: 'u-7', sent: first.sent, sentHuman: first.sentHuman });
    expect(await client.next('message sent', (m: MessageSent) => m.id === 'already-seen-u-7')).toEqual(resent);

    // A later message's echo proves no second echo of u-7 came before it.
    await client.request('chat message', { id: 'u-8', message: 'Twice?', mcount: 2 });
    await client.next('chat message', withUmid('u-8'));
    expect(client.all<ChatMessageEvent>('chat message').filter(withUmid('u-7'))).toHaveLength(1);
    expect(server.session(sessionId)?.transcript.filter((m) => m.umid === 'u-7')).toHaveLength(1);
  });

  it('reports a resend to observers as already seen', async () => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);
    await register(client, AREAS.busy.id);
    await client.request('chat message', { id: 'u-1', message: 'Hi', mcount: 1 });

    const observed = server.waitFor('client-message');
    await client.request('chat message', { id: 'u-1', message: 'Hi', mcount: 1 });
    expect(await observed).toMatchObject({ alreadySeen: true, message: { umid: 'u-1' } });
  });

  it('takes a message of exactly 10,000 characters after trimming', async () => {
    const { connect } = await startHarness();
    const client = await connect(kind);
    await register(client, AREAS.busy.id);

    const reply = await client.request('chat message', { id: 'u-long', message: ` ${'x'.repeat(LIMITS.messageMax)} `, mcount: 1 });
    expect(reply).toMatchObject({ umid: 'u-long' });
  });

  it.each([
    ['an empty umid', { id: '' }, 'id'],
    ['a umid over 64 characters', { id: 'u'.repeat(65) }, 'id'],
    ['a umid that is a number', { id: 17 }, 'id'],
    ['a message of only spaces', { message: '   ' }, 'message'],
    ['a message over 10,000 characters', { message: 'x'.repeat(LIMITS.messageMax + 1) }, 'message'],
    ['a message that is not a string', { message: { text: 'Hi' } }, 'message'],
    ['an mcount that is not a number', { mcount: 'one' }, 'mcount'],
  ])('refuses %s with "invalid input: <field>"', async (_case, override, field) => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);
    const { sessionId } = await register(client, AREAS.busy.id);

    expect(await client.request('chat message', { id: 'u-1', message: 'Hi', mcount: 1, ...override })).toEqual({ error: `invalid input: ${field}` });
    expect(server.session(sessionId)?.transcript).toHaveLength(1);
  });

  it('passes the customer typing preview on to the agent side, "" when they stop', async () => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);
    const { sessionId } = await register(client, AREAS.busy.id);

    const typing = server.waitFor('preview');
    client.send('preview', { preview: 'Where is my pa' });
    expect(await typing).toEqual({ sessionId, preview: 'Where is my pa' });
    const stopped = server.waitFor('preview');
    client.send('preview', { preview: '' });
    expect(await stopped).toEqual({ sessionId, preview: '' });
  });

  it('refuses a preview that is not a string', async () => {
    const { connect } = await startHarness();
    const client = await connect(kind);
    await register(client, AREAS.busy.id);

    expect(await client.request('preview', { preview: 12 })).toEqual({ error: 'invalid input: preview' });
  });
});
