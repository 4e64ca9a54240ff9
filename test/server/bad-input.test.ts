import { describe, expect, it } from 'vitest';
import type { ChatMessageEvent } from '../../core/protocol';
import { CLIENT_EVENTS, isErrorReply } from '../../core/protocol';
import type { BadInputReport, ChatServer, ServerOptions } from '../../server';
import { BAD_INPUT_SOURCES, BadInputLog } from '../../server/bad-input';
import { CLIENT_KINDS } from './support/clients';
import { AREAS, register, startHarness } from './support/harness';
import type { HttpOptions } from './support/http';
import { http, multipart } from './support/http';

const MALFORMED: readonly unknown[] = ['%E0%A4%A', '{"broken', null, 42, true, [], ['a', 1], { area: { $gt: 1 }, id: { $gt: 1 }, preview: { $gt: 1 } }, 'x'.repeat(300_000), encodeURIComponent('"just a string"')];

describe.each(CLIENT_KINDS)('bad input (socket.io-client %s)', (kind) => {
  it('answers every malformed payload of every client event with an error, before and after registering', async () => {
    // Thirty junk registers and resumes from one socket pass its register limit, which this test is not about.
    const { server, connect } = await startHarness({ limits: { registersPerSocket: { count: 100, perMs: 60_000 } } });
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

describe('bad HTTP input', () => {
  const ALLOWED = 'https://shop.example';

  /** One of each refused request: canchat 400, history 403s, download 404 and 403, upload 403, refused origin. */
  async function refusedRequests(server: ChatServer, download: string, options: HttpOptions = {}): Promise<number[]> {
    const api = `${server.baseURL}/socket/external.api`;
    const { body, contentType } = multipart([
      { name: 'sessionSecret', value: 'wrong' },
      { name: 'uploadfile', filename: 'a.txt', type: 'text/plain', data: Buffer.from('a') },
    ]);
    const headers = options.headers ?? {};
    const replies = await Promise.all([
      http(`${api}/canchat?area=one`, options),
      http(`${api}/savehistory?area=${AREAS.busy.id}&secret=wrong`, options),
      http(`${api}/printhistory?area=${AREAS.busy.id}&secret=wrong`, options),
      http(`${server.baseURL}/Cention/web/chat/client/download/999?t=wrong`, options),
      http(`${server.url}${download}?t=wrong`, options),
      http(`${server.baseURL}/Cention/web/chat/client/uploadAttachment`, { ...options, method: 'POST', body, headers: { ...headers, 'content-type': contentType } }),
      http(`${api}/canchat?area=${AREAS.busy.id}`, { ...options, headers: { ...headers, origin: 'https://evil.example' } }),
    ]);
    return replies.map((reply) => reply.status);
  }

  async function serverWithFile(options: ServerOptions = {}) {
    const harness = await startHarness({ allowedOrigins: [ALLOWED], ...options });
    const { sessionId } = await register(await harness.connect('v4'), AREAS.busy.id);
    harness.server.agent.join(sessionId);
    const file = await harness.server.agent.attach(sessionId, { name: 'label.txt', data: 'Tracking: 123' });
    const reports: BadInputReport[] = [];
    harness.server.on('bad-input', (report) => reports.push(report));
    return { ...harness, download: file.download, reports };
  }

  const KINDS = ['canchat 400', 'savehistory 403', 'printhistory 403', 'download 404', 'download 403', 'upload 403', 'origin 403'];

  it('reports every refused request and logs each kind once per client address', async () => {
    const { server, logs, download, reports } = await serverWithFile();

    expect(await refusedRequests(server, download)).toEqual([400, 403, 403, 404, 403, 403, 403]);
    expect(await refusedRequests(server, download)).toEqual([400, 403, 403, 404, 403, 403, 403]);
    expect(reports).toHaveLength(2 * KINDS.length);
    expect(new Set(reports.map((r) => r.kind))).toEqual(new Set(KINDS));
    expect(reports.every((r) => r.source === '127.0.0.1')).toBe(true);
    const logged = logs.filter((line) => line.includes(' from 127.0.0.1: '));
    expect(logged.map((line) => /^cention-chat server: (.+) from /.exec(line)?.[1]).sort()).toEqual([...KINDS].sort());
    expect(logged).toContain('cention-chat server: canchat 400 from 127.0.0.1: invalid input: area, got "one" (logged once per source and kind)');
    expect(logged).toContain('cention-chat server: origin 403 from 127.0.0.1: origin "https://evil.example" is not allowed (logged once per source and kind)');
  });

  it('logs again for another client, not once per process', async () => {
    const { server, logs, download } = await serverWithFile();

    await refusedRequests(server, download);
    await refusedRequests(server, download, { localAddress: '127.0.0.2' });
    expect(logs.filter((line) => line.includes(' from 127.0.0.1: '))).toHaveLength(KINDS.length);
    expect(logs.filter((line) => line.includes(' from 127.0.0.2: '))).toHaveLength(KINDS.length);
  });

  it('takes the client address from X-Forwarded-For only when it trusts the proxy', async () => {
    const untrusting = await serverWithFile();
    await refusedRequests(untrusting.server, untrusting.download, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(untrusting.reports.every((r) => r.source === '127.0.0.1')).toBe(true);

    const trusting = await serverWithFile({ trustProxy: true });
    await refusedRequests(trusting.server, trusting.download, { headers: { 'x-forwarded-for': '203.0.113.7, 10.0.0.1' } });
    expect(trusting.reports.every((r) => r.source === '203.0.113.7')).toBe(true);
  });
});

describe('the bad-input log', () => {
  it('keeps one entry for a source that hammers, and forgets the oldest of too many sources', () => {
    const lines: string[] = [];
    const log = new BadInputLog((line) => lines.push(line), () => {}, 3);

    for (let i = 0; i < 10_000; i++) log.report('198.51.100.1', 'canchat 400', 'invalid input: area');
    expect(lines).toHaveLength(1);
    expect(log.sources).toBe(1);
    for (const source of ['198.51.100.2', '198.51.100.3', '198.51.100.4', '198.51.100.5']) log.report(source, 'canchat 400', 'invalid input: area');
    expect(log.sources).toBe(3);
    expect(lines).toHaveLength(5);
    log.report('198.51.100.5', 'canchat 400', 'invalid input: area');
    expect(lines).toHaveLength(5);
    log.report('198.51.100.1', 'canchat 400', 'invalid input: area');
    expect(lines).toHaveLength(6);
    expect(log.sources).toBe(3);
  });

  it('remembers at most BAD_INPUT_SOURCES sources by default', () => {
    const log = new BadInputLog(() => {}, () => {});
    for (let i = 0; i < BAD_INPUT_SOURCES * 3; i++) log.report(`source ${i}`, 'unknown event', '"x"');
    expect(log.sources).toBe(BAD_INPUT_SOURCES);
  });
});
