import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import type { SessionInfo } from '../../core/protocol';
import type { ChatServer } from '../../server';
import { DEFAULT_LIMITS } from '../../server';
import type { Harness } from './support/harness';
import { AREAS, KB, register, registration, startHarness } from './support/harness';
import { http, multipart } from './support/http';

const OTHER_ADDRESS = '127.0.0.2';
const RATE_LIMITED = { error: 'rate limited' };
const uploadURL = (server: ChatServer) => `${server.baseURL}/Cention/web/chat/client/uploadAttachment`;

function upload(server: ChatServer, session: SessionInfo, size = 1 * KB, localAddress?: string) {
  const { body, contentType } = multipart([
    { name: 'sessionSecret', value: session.sessionSecret },
    { name: 'uploadfile', filename: 'a.txt', type: 'text/plain', data: Buffer.alloc(size, 1) },
  ]);
  return http(uploadURL(server), { method: 'POST', body, headers: { 'content-type': contentType }, ...(localAddress === undefined ? {} : { localAddress }) });
}

/** An upload that sends its fields and the start of its file, then stalls: it answers when the server does, or is aborted. */
function stalledUpload(server: ChatServer, fields: Record<string, string>) {
  const boundary = 'stalled-boundary';
  const head =
    Object.entries(fields)
      .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      .join('') + `--${boundary}\r\nContent-Disposition: form-data; name="uploadfile"; filename="slow.bin"\r\nContent-Type: application/octet-stream\r\n\r\n${'x'.repeat(1000)}`;
  let abort = (): void => {};
  const answer = new Promise<{ status: number; body: string }>((resolve) => {
    const req = request(uploadURL(server), { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }, (res) => {
      let body = '';
      res.on('data', (data: Buffer) => (body += data.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', () => {});
    req.write(head);
    abort = () => req.destroy();
  });
  return { answer, abort: () => abort() };
}

describe('rate limits on chat sockets, answered with {error: "rate limited"}', () => {
  it('limits chat messages per socket, and lets them through again as time passes', async () => {
    const { server, clock, connect } = await startHarness({ limits: { messagesPerSocket: { count: 3, perMs: 3000 } } });
    const client = await connect('v4');
    const { sessionId } = await register(client, AREAS.busy.id);
    const send = (n: number) => client.request('chat message', { id: `u-${n}`, message: `Message ${n}`, mcount: n });

    for (const n of [1, 2, 3]) expect(await send(n)).toMatchObject({ umid: `u-${n}` });
    expect(await send(4)).toEqual(RATE_LIMITED);
    expect(server.session(sessionId)?.transcript).toHaveLength(4);
    const other = await connect('v4');
    await register(other, AREAS.busy.id);
    expect(await other.request('chat message', { id: 'o-1', message: 'Another socket', mcount: 1 })).toMatchObject({ umid: 'o-1' });

    clock.advance(1000);
    expect(await send(4)).toMatchObject({ umid: 'u-4' });
    expect(await send(5)).toEqual(RATE_LIMITED);
    expect(server.listening).toBe(true);
  });

  it('limits chat messages per address across its sockets, but not other addresses', async () => {
    const { connect } = await startHarness({ limits: { messagesPerAddress: { count: 2, perMs: 60_000 } } });
    const [a, b, elsewhere] = [await connect('v4'), await connect('v4'), await connect('v4', { localAddress: OTHER_ADDRESS })];
    for (const client of [a, b, elsewhere]) await register(client, AREAS.support.id);

    expect(await a.request('chat message', { id: 'a-1', message: 'One', mcount: 1 })).toMatchObject({ umid: 'a-1' });
    expect(await b.request('chat message', { id: 'b-1', message: 'Two', mcount: 1 })).toMatchObject({ umid: 'b-1' });
    expect(await a.request('chat message', { id: 'a-2', message: 'Three', mcount: 2 })).toEqual(RATE_LIMITED);
    expect(await elsewhere.request('chat message', { id: 'e-1', message: 'From elsewhere', mcount: 1 })).toMatchObject({ umid: 'e-1' });
  });

  it('limits the characters an address may have stored, questions included', async () => {
    const { connect } = await startHarness({ limits: { textPerAddress: { count: 100, perMs: 60_000 } } });
    const client = await connect('v4');
    await register(client, AREAS.busy.id, { message: 'q'.repeat(40) });

    expect(await client.request('chat message', { id: 'u-1', message: 'x'.repeat(50), mcount: 1 })).toMatchObject({ umid: 'u-1' });
    expect(await client.request('chat message', { id: 'u-2', message: 'x'.repeat(50), mcount: 2 })).toEqual(RATE_LIMITED);
    expect(await client.request('register', registration(AREAS.busy.id, { message: 'q'.repeat(20) }))).toEqual(RATE_LIMITED);
  });

  it('limits registers and resumes per socket and per address', async () => {
    const { connect } = await startHarness({ limits: { registersPerSocket: { count: 2, perMs: 60_000 }, registersPerAddress: { count: 3, perMs: 60_000 } } });
    const client = await connect('v4');
    const first = await register(client, AREAS.busy.id);

    expect(await client.request('resume', { href: '', trackClientUrl: false, secret: first.sessionSecret })).toMatchObject({ sessionId: first.sessionId });
    expect(await client.request('register', registration(AREAS.busy.id))).toEqual(RATE_LIMITED);
    const second = await connect('v4');
    expect(await second.request('register', registration(AREAS.billing.id))).toEqual({ error: 'agent unavailable' });
    expect(await second.request('register', registration(AREAS.busy.id))).toEqual(RATE_LIMITED);
    expect(await (await connect('v4', { localAddress: OTHER_ADDRESS })).request('register', registration(AREAS.busy.id))).toMatchObject({ areaId: AREAS.busy.id });
  });

  it('limits previews: one over the limit reaches no agent', async () => {
    const { server, connect } = await startHarness({ limits: { previewsPerSocket: { count: 2, perMs: 60_000 } } });
    const client = await connect('v4');
    await register(client, AREAS.busy.id);
    const previews: string[] = [];
    server.on('preview', ({ preview }) => previews.push(preview));

    expect(await client.request('preview', { preview: 'H' })).toEqual({ ok: true });
    expect(await client.request('preview', { preview: 'He' })).toEqual({ ok: true });
    expect(await client.request('preview', { preview: 'Hel' })).toEqual(RATE_LIMITED);
    expect(previews).toEqual(['H', 'He']);
  });

  it('logs an address over a limit once, and reports each time', async () => {
    const { server, logs, connect } = await startHarness({ limits: { messagesPerSocket: { count: 1, perMs: 60_000 } } });
    const client = await connect('v4');
    await register(client, AREAS.busy.id);
    const reports: string[] = [];
    server.on('bad-input', ({ kind }) => reports.push(kind));

    for (let n = 1; n <= 4; n++) await client.request('chat message', { id: `u-${n}`, message: 'Hi', mcount: n });
    expect(reports).toEqual(['rate limited chat message', 'rate limited chat message', 'rate limited chat message']);
    expect(logs.filter((line) => line.includes('rate limited'))).toHaveLength(1);
  });
});

describe('a socket that goes on after "rate limited"', () => {
  it('is disconnected once it has had its share of those answers', async () => {
    const { server, connect } = await startHarness({ limits: { previewsPerSocket: { count: 1, perMs: 60_000 }, refusalsPerSocket: { count: 3, perMs: 60_000 } } });
    const client = await connect('v4');
    await register(client, AREAS.busy.id);
    const kinds: string[] = [];
    server.on('bad-input', ({ kind }) => kinds.push(kind));

    for (let n = 0; n < 5; n++) client.send('preview', { preview: `p${n}` });
    expect(await client.next('disconnect')).toBe('io server disconnect');
    expect(kinds).toEqual(['rate limited preview', 'rate limited preview', 'rate limited preview', 'rate limited preview', 'flooding']);
  });
});

describe('limits on connections per address', () => {
  it('refuses handshakes over the rate from one address, not from another', async () => {
    const { connect } = await startHarness({ limits: { connectionsPerAddress: { count: 2, perMs: 60_000 } } });
    await connect('v4');
    await connect('v2');

    await expect(connect('v4')).rejects.toThrow(/connect_error/);
    await connect('v4', { localAddress: OTHER_ADDRESS });
  });
});

describe('a cap on sockets per address', () => {
  it('refuses a socket over the cap from one address, not from another, and has room again once one closes', async () => {
    const { server, connect } = await startHarness({ limits: { socketsPerAddress: 2 } });
    const first = await connect('v4');
    await connect('v2');

    await expect(connect('v4')).rejects.toThrow(/connect_error/);
    await expect(connect('v4', { transports: ['websocket'] })).rejects.toThrow(/connect_error/);
    await connect('v4', { localAddress: OTHER_ADDRESS });
    const gone = server.waitFor('client-disconnected');
    first.close();
    await gone;
    await vi.waitFor(async () => expect(await register(await connect('v4'), AREAS.busy.id)).toMatchObject({ areaId: AREAS.busy.id }));
  });
});

describe('limits on uploads', () => {
  async function chat(harness: Harness, localAddress?: string): Promise<SessionInfo> {
    return register(await harness.connect('v4', localAddress === undefined ? {} : { localAddress }), AREAS.support.id);
  }

  it('refuses an upload without the session secret before its file, while the client still sends', async () => {
    const { server } = await startHarness();

    const stalled = stalledUpload(server, { session: '1', area: String(AREAS.support.id) });
    expect(await stalled.answer).toEqual({ status: 403, body: JSON.stringify({ error: 'sessionSecret must come before uploadfile' }) });
    stalled.abort();
    const wrong = stalledUpload(server, { sessionSecret: 'not-a-secret' });
    expect((await wrong.answer).status).toBe(403);
    wrong.abort();
    expect(readdirSync(server.uploadDir)).toEqual([]);
  });

  it('answers 429 to an address over its upload rate', async () => {
    const harness = await startHarness({ limits: { uploadsPerAddress: { count: 2, perMs: 60_000 } } });
    const session = await chat(harness);

    expect((await upload(harness.server, session)).status).toBe(200);
    expect((await upload(harness.server, session)).status).toBe(200);
    const refused = await upload(harness.server, session);
    expect(refused.status).toBe(429);
    expect(refused.json()).toEqual(RATE_LIMITED);
    expect((await upload(harness.server, session, 1 * KB, OTHER_ADDRESS)).status).toBe(200);
  });

  it('answers 429 to an address with too many uploads in flight, and takes one again when they end', async () => {
    const harness = await startHarness({ limits: { uploadsInFlightPerAddress: 1 } });
    const session = await chat(harness);
    const slow = stalledUpload(harness.server, { sessionSecret: session.sessionSecret });
    await vi.waitFor(() => expect(readdirSync(harness.server.uploadDir)).toHaveLength(1));

    expect((await upload(harness.server, session)).status).toBe(429);
    expect((await upload(harness.server, session, 1 * KB, OTHER_ADDRESS)).status).toBe(200);
    slow.abort();
    await vi.waitFor(async () => expect((await upload(harness.server, session)).status).toBe(200));
  });

  it('answers 507 once the uploads would pass the disk quota, and has room again when a chat is forgotten', async () => {
    // The support area allows 64 KB a file; each upload in progress holds that much of the quota.
    const harness = await startHarness({ limits: { uploadDiskBytes: 100 * KB }, endedChatRetentionMs: 1000 });
    const session = await chat(harness);

    expect((await upload(harness.server, session, 40 * KB)).status).toBe(200);
    const full = await upload(harness.server, session, 1 * KB);
    expect(full.status).toBe(507);
    expect(full.json()).toEqual({ error: 'upload quota exceeded' });

    harness.server.agent.end(session.sessionId);
    harness.clock.advance(1000);
    await vi.waitFor(() => expect(readdirSync(harness.server.uploadDir)).toEqual([]));
    expect((await upload(harness.server, await chat(harness), 40 * KB)).status).toBe(200);
  });
});

describe('limits on leaving messages and rating chats', () => {
  const leave = (server: ChatServer, localAddress?: string) =>
    http(`${server.baseURL}/socket/external.api/createerrand`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ area: AREAS.support.id, name: 'Ann', email: 'ann@example.com', subject: 'Hours', message: 'When do you open?' }),
      ...(localAddress === undefined ? {} : { localAddress }),
    });

  it('answers 429 to an address over its rate of createerrand and chatrating, and takes them again as time passes', async () => {
    const { server, clock } = await startHarness({ limits: { contactsPerAddress: { count: 2, perMs: 60_000 } } });

    expect((await leave(server)).status).toBe(200);
    const rated = await http(`${server.baseURL}/socket/external.api/chatrating`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ secret: 'no-such-chat', rating: 5 }) });
    expect(rated.status).toBe(403);
    const refused = await leave(server);
    expect(refused.status).toBe(429);
    expect(refused.json()).toEqual(RATE_LIMITED);
    expect(server.errands()).toHaveLength(1);
    expect((await leave(server, OTHER_ADDRESS)).status).toBe(200);
    clock.advance(60_000);
    expect((await leave(server)).status).toBe(200);
  });
});

describe('ended chats are forgotten after their retention', () => {
  it('keeps an ended chat for the retention, then forgets its history, secret, files and console entry', async () => {
    const harness = await startHarness({ endedChatRetentionMs: 60_000 });
    const { server, clock, connect } = harness;
    const customer = await connect('v4');
    const session = await register(customer, AREAS.support.id);
    const file = (await upload(server, session)).json<{ download: string }>();
    const agent = await connect('v4', { namespace: '/agent', extraEvents: ['agent:forget'], auth: { key: server.consoleKey ?? '' } });
    await customer.request('close chat');
    const history = `${server.baseURL}/socket/external.api/savehistory?area=${AREAS.support.id}&secret=${encodeURIComponent(session.sessionSecret)}`;

    clock.advance(59_999);
    expect((await http(history)).status).toBe(200);
    expect((await http(`${server.url}${file.download}?t=${encodeURIComponent(session.sessionSecret)}`)).status).toBe(200);

    const evicted = server.waitFor('session-evicted');
    clock.advance(1);
    expect(await evicted).toEqual({ sessionId: session.sessionId });
    expect(await agent.next('agent:forget')).toEqual({ sessionId: session.sessionId });
    expect((await http(history)).status).toBe(403);
    expect((await http(`${server.url}${file.download}?t=${encodeURIComponent(session.sessionSecret)}`)).status).toBe(404);
    expect(await (await connect('v4')).request('resume', { href: '', trackClientUrl: false, secret: session.sessionSecret })).toEqual({ error: 'no session' });
    expect(await customer.request('chat message', { id: 'u-1', message: 'Still there?', mcount: 1 })).toEqual({ error: 'no session' });
    expect(server.session(session.sessionId)).toBeUndefined();
    await vi.waitFor(() => expect(readdirSync(server.uploadDir)).toEqual([]));
  });

  it('keeps an ended chat an hour by default', async () => {
    const { server, clock, connect } = await startHarness();
    const { sessionId } = await register(await connect('v4'), AREAS.busy.id);
    server.agent.end(sessionId);

    clock.advance(60 * 60_000 - 1);
    expect(server.session(sessionId)).toMatchObject({ state: 'ended' });
    clock.advance(1);
    expect(server.session(sessionId)).toBeUndefined();
  });

  it('holds nothing after a long run of chats has ended and their retention passed', async () => {
    const many = { count: 1000, perMs: 60_000 };
    const { server, clock, connect } = await startHarness({ endedChatRetentionMs: 1000, limits: { registersPerSocket: many, registersPerAddress: many, uploadsPerAddress: many } });
    const client = await connect('v4');

    for (let n = 0; n < 100; n++) {
      const session = await register(client, AREAS.support.id);
      await client.request('chat message', { id: `u-${n}`, message: `Message ${n}`, mcount: 1 });
      if (n % 10 === 0) await upload(server, session);
      await client.request('close chat');
      clock.advance(600);
    }
    clock.advance(1000);

    expect(server.sessions()).toEqual([]);
    await vi.waitFor(() => expect(readdirSync(server.uploadDir)).toEqual([]));
  });
});

describe('the default limits', () => {
  it('are far above what a person in the demo does, and finite', () => {
    expect(DEFAULT_LIMITS.messagesPerSocket.count / (DEFAULT_LIMITS.messagesPerSocket.perMs / 1000)).toBeGreaterThanOrEqual(5);
    for (const value of Object.values(DEFAULT_LIMITS)) expect(Number.isFinite(typeof value === 'number' ? value : value.count)).toBe(true);
  });

  it('are checked: a bad one is a TypeError naming it', async () => {
    await expect(startHarness({ limits: { messagesPerSocket: { count: 0, perMs: 1000 } } })).rejects.toThrow(/limits\.messagesPerSocket/);
    await expect(startHarness({ limits: { socketsPerAddress: 1.5 } })).rejects.toThrow(/limits\.socketsPerAddress/);
    await expect(startHarness({ endedChatRetentionMs: -1 })).rejects.toThrow(/endedChatRetentionMs/);
  });
});
