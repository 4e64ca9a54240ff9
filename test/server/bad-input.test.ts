import { describe, expect, it } from 'vitest';
import type { ChatMessageEvent } from '../../core/protocol';
import { CLIENT_EVENTS, isErrorReply } from '../../core/protocol';
import { CLIENT_KINDS } from './support/clients';
import { AREAS, register, startHarness } from './support/harness';

const MALFORMED: readonly unknown[] = ['%E0%A4%A', '{"broken', null, 42, true, [], ['a', 1], { area: { $gt: 1 }, id: { $gt: 1 }, preview: { $gt: 1 } }, 'x'.repeat(300_000), encodeURIComponent('"just a string"')];

describe.each(CLIENT_KINDS)('bad input (socket.io-client %s)', (kind) => {
  it('answers every malformed payload of every client event with an error, before and after registering', async () => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);

    for (const event of CLIENT_EVENTS) {
      for (const payload of MALFORMED) {
        const reply = await client.requestRaw(event, payload);
        expect(isErrorReply(reply), `${event} ${JSON.stringify(payload).slice(0, 40)}`).toBe(true);
      }
    }
    await register(client, AREAS.busy.id);
    for (const event of CLIENT_EVENTS.filter((name) => name !== 'close chat' && name !== 'resume')) {
      for (const payload of MALFORMED) {
        const reply = await client.requestRaw(event, payload);
        expect(isErrorReply(reply), `${event} ${JSON.stringify(payload).slice(0, 40)}`).toBe(true);
      }
    }
    expect(server.listening).toBe(true);
    expect(await register(await connect(kind), AREAS.busy.id)).toMatchObject({ areaId: AREAS.busy.id });
  });

  it('answers a valid preview that asks for an ack anyway with {ok: true}', async () => {
    const { connect } = await startHarness();
    const client = await connect(kind);
    await register(client, AREAS.busy.id);

    expect(await client.request('preview', { preview: 'Hel' })).toEqual({ ok: true });
  });

  it('answers an unknown event that asks for an ack, and ignores one that does not', async () => {
    const { server, logs, connect } = await startHarness();
    const client = await connect(kind);

    client.sendRaw('take over', { everything: true });
    expect(await client.request('take over', {})).toEqual({ error: 'unknown event: take over' });
    expect(logs.filter((line) => line.includes('unknown event'))).toHaveLength(1);
    expect(server.listening).toBe(true);
  });

  it('logs bad input once per socket and kind, and reports every occurrence', async () => {
    const { server, logs, connect } = await startHarness();
    const client = await connect(kind);
    await register(client, AREAS.busy.id);
    let reports = 0;
    server.on('bad-input', () => reports++);

    for (let i = 0; i < 5; i++) await client.request('chat message', { id: '', message: 'Hi', mcount: i });
    await client.request('preview', { preview: 7 });
    const other = await connect(kind);
    await register(other, AREAS.busy.id);
    await other.request('chat message', { id: 'u-1', message: '', mcount: 1 });

    expect(reports).toBe(7);
    expect(logs).toEqual([
      `cention-chat server: invalid chat message from ${client.id}: invalid input: id (logged once per source and kind)`,
      `cention-chat server: invalid preview from ${client.id}: invalid input: preview (logged once per source and kind)`,
      `cention-chat server: invalid chat message from ${other.id}: invalid input: message (logged once per source and kind)`,
    ]);
  });

  it('survives a payload over the socket size limit: that connection is dropped, the server goes on', async () => {
    const { server, connect } = await startHarness();
    const client = await connect(kind, { transports: ['websocket'] });

    client.sendRaw('chat message', 'x'.repeat(2_000_000));
    await client.next('disconnect');
    expect(server.listening).toBe(true);
    expect(await register(await connect(kind), AREAS.busy.id)).toMatchObject({ areaId: AREAS.busy.id });
  });

  it('keeps serving when an event listener throws', async () => {
    const { server, logs, connect } = await startHarness();
    server.on('client-message', () => {
      throw new Error('a broken listener');
    });
    const client = await connect(kind);
    await register(client, AREAS.busy.id);

    expect(await client.request('chat message', { id: 'u-1', message: 'Hi', mcount: 1 })).toMatchObject({ umid: 'u-1' });
    expect(logs.some((line) => line.includes('an event listener failed: Error: a broken listener'))).toBe(true);
  });

  describe('the "onJson" auto-ack', () => {
    it('is tracked per message: a chat message counts as received once the browser acks it', async () => {
      const { server, connect } = await startHarness();
      const client = await connect(kind, { autoAck: false });
      const { sessionId } = await register(client, AREAS.busy.id);
      const echo = await client.next<ChatMessageEvent>('chat message');
      expect(server.session(sessionId)?.autoAcked).toEqual([]);

      const acked = server.waitFor('auto-ack');
      expect(client.answerAcks()).toBe(1);
      expect(await acked).toEqual({ sessionId, messageIds: echo.chat.map((m) => m.id) });
      expect(server.session(sessionId)?.autoAcked).toEqual(echo.chat.map((m) => m.id));
    });

    it('logs an ack that is not "onJson" once, and still counts the delivery', async () => {
      const { server, logs, connect } = await startHarness();
      const client = await connect(kind, { autoAck: false });
      const { sessionId } = await register(client, AREAS.busy.id);
      await client.next('chat message');
      server.agent.join(sessionId);
      await client.next('chat message');

      const acked = server.waitFor('auto-ack', (event) => event.messageIds.length === 1 && server.session(sessionId)?.autoAcked.length === 2);
      client.answerAcks('ok');
      await acked;
      expect(logs.filter((line) => line.includes('auto-ack'))).toEqual([`cention-chat server: auto-ack from ${client.id}: expected "onJson", got "ok" (logged once per source and kind)`]);
    });
  });
});
