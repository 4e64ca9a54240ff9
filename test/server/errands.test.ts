import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AREAS, register, startHarness } from './support/harness';
import type { Harness } from './support/harness';
import { http } from './support/http';
import type { HttpOptions } from './support/http';

const ALLOWED = 'https://shop.example';
const REFUSED = 'https://evil.example';

const json = (body: unknown, headers: Record<string, string> = {}): HttpOptions => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

const createErrand = (server: Harness['server'], body: unknown, headers?: Record<string, string>) => http(`${server.baseURL}/socket/external.api/createerrand`, json(body, headers));
const rateChat = (server: Harness['server'], body: unknown, headers?: Record<string, string>) => http(`${server.baseURL}/socket/external.api/chatrating`, json(body, headers));

const errand = { area: AREAS.sales.id, name: 'Ann Andersson', email: 'ann@example.com', subject: 'My parcel', message: 'It was due on Monday.' };

/** A chat in the busy area that has ended; its secret rates it. */
async function endedChat(harness: Harness) {
  const session = await register(await harness.connect('v4'), AREAS.busy.id);
  harness.server.agent.end(session.sessionId);
  return session;
}

describe('createerrand (docs/protocol.md §7)', () => {
  it('turns a message left in a closed area into an errand with a reference', async () => {
    const { server } = await startHarness();
    const created = server.waitFor('errand-created');

    const reply = await createErrand(server, { ...errand, name: '  Ann Andersson ', message: ' It was due on Monday.\n' });

    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    const { reference } = reply.json<{ reference: string }>();
    expect(reference).toMatch(/^E-\d+$/);
    const expected = { reference, areaId: AREAS.sales.id, areaName: 'Sales', name: 'Ann Andersson', email: 'ann@example.com', subject: 'My parcel', message: 'It was due on Monday.' };
    expect(await created).toMatchObject(expected);
    expect(server.errands()).toEqual([expect.objectContaining(expected)]);
  });

  it('takes messages in areas without agents and with agents, each with its own reference', async () => {
    const { server } = await startHarness();
    const first = await createErrand(server, { ...errand, area: AREAS.billing.id });
    const second = await createErrand(server, { ...errand, area: AREAS.support.id });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.json<{ reference: string }>().reference).not.toBe(second.json<{ reference: string }>().reference);
    expect(server.errands().map((e) => e.areaName)).toEqual(['Billing', 'Support']);
  });

  it.each([
    ['area', { area: '2' }],
    ['area', { area: 2.5 }],
    ['name', { name: '   ' }],
    ['name', { name: 'n'.repeat(201) }],
    ['email', { email: '' }],
    ['email', { email: 'not an email' }],
    ['email', { email: `${'e'.repeat(250)}@x.se` }],
    ['subject', { subject: undefined }],
    ['subject', { subject: 's'.repeat(201) }],
    ['message', { message: '' }],
    ['message', { message: 'm'.repeat(10_001) }],
    ['message', { message: 42 }],
  ])('answers 400 "invalid input: %s" to %j and keeps nothing', async (field, change) => {
    const { server, logs } = await startHarness();
    const reply = await createErrand(server, { ...errand, ...change });
    expect(reply.status).toBe(400);
    expect(reply.json()).toEqual({ error: `invalid input: ${field}` });
    expect(server.errands()).toEqual([]);
    expect(logs.some((line) => line.includes(`createerrand 400 from 127.0.0.1: invalid input: ${field}`))).toBe(true);
  });

  it('answers 400 "unknown area" for an area the server does not have', async () => {
    const { server } = await startHarness();
    const reply = await createErrand(server, { ...errand, area: 99 });
    expect(reply.status).toBe(400);
    expect(reply.json()).toEqual({ error: 'unknown area' });
  });

  it('refuses what is not a JSON object: another content type, bad JSON, an array, GET', async () => {
    const { server } = await startHarness();
    const url = `${server.baseURL}/socket/external.api/createerrand`;
    const form = await http(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'area=2&name=Ann' });
    expect([form.status, form.json()]).toEqual([415, { error: 'use Content-Type: application/json' }]);
    const broken = await http(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"area": 2,' });
    expect([broken.status, broken.json()]).toEqual([400, { error: 'invalid input: body' }]);
    const list = await createErrand(server, [errand]);
    expect([list.status, list.json()]).toEqual([400, { error: 'invalid input: payload' }]);
    const get = await http(`${url}?area=2`);
    expect([get.status, get.headers['allow']]).toEqual([405, 'POST, OPTIONS']);
    expect(server.errands()).toEqual([]);
  });

  it('answers 413 to a body over 64 KB, declared or streamed, and keeps nothing', async () => {
    const { server } = await startHarness();
    const big = { ...errand, message: 'm'.repeat(70 * 1024) };
    expect((await createErrand(server, big)).status).toBe(413);
    // Sent in chunks without a length: the server stops reading at the bound.
    const streamed = await http(`${server.baseURL}/socket/external.api/createerrand`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: Readable.from([Buffer.from(JSON.stringify(big))]),
    });
    expect([streamed.status, streamed.json()]).toEqual([413, { error: 'body too large' }]);
    expect(server.errands()).toEqual([]);
  });

  it('keeps the origin rules: a refused origin gets 403 and no CORS header; a listed one gets CORS and a preflight', async () => {
    const { server } = await startHarness({ allowedOrigins: [ALLOWED] });
    const refused = await createErrand(server, errand, { origin: REFUSED });
    expect(refused.status).toBe(403);
    expect(Object.keys(refused.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    expect(server.errands()).toEqual([]);

    const preflight = await http(`${server.baseURL}/socket/external.api/createerrand`, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(preflight.headers['access-control-allow-headers']).toBe('content-type');
    const allowed = await createErrand(server, errand, { origin: ALLOWED });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
  });

  it('keeps at most the newest 1,000 errands, and references keep counting', async () => {
    const { server } = await startHarness({ limits: { contactsPerAddress: { count: 1001, perMs: 60_000 } } });
    for (let i = 0; i < 1001; i++) expect((await createErrand(server, { ...errand, subject: `Errand ${i}` })).status).toBe(200);
    const kept = server.errands();
    expect(kept).toHaveLength(1000);
    expect(kept[0]?.subject).toBe('Errand 1');
    expect(kept.at(-1)?.reference).toBe('E-1001');
  });
});

describe('chatrating (docs/protocol.md §7)', () => {
  it('keeps the rating of an ended chat once, with its comment', async () => {
    const harness = await startHarness();
    const { server } = harness;
    const { sessionId, sessionSecret } = await endedChat(harness);
    const rated = server.waitFor('chat-rated');

    const reply = await rateChat(server, { secret: sessionSecret, rating: 4, comment: ' Quick and kind. ' });

    expect([reply.status, reply.json()]).toEqual([200, { rated: true }]);
    expect(await rated).toMatchObject({ sessionId, rating: { rating: 4, comment: 'Quick and kind.' } });
    expect(server.session(sessionId)?.rating).toMatchObject({ rating: 4, comment: 'Quick and kind.' });

    const again = await rateChat(server, { secret: sessionSecret, rating: 1 });
    expect([again.status, again.json()]).toEqual([409, { error: 'already rated' }]);
    expect(server.session(sessionId)?.rating?.rating).toBe(4);
  });

  it('takes a rating without a comment', async () => {
    const harness = await startHarness();
    const { sessionId, sessionSecret } = await endedChat(harness);
    expect((await rateChat(harness.server, { secret: sessionSecret, rating: 5 })).status).toBe(200);
    expect(harness.server.session(sessionId)?.rating).toMatchObject({ rating: 5, comment: '' });
  });

  it('refuses to rate a chat that is still going, and a wrong secret, with no rating kept', async () => {
    const harness = await startHarness();
    const { server } = harness;
    const live = await register(await harness.connect('v4'), AREAS.busy.id);
    const early = await rateChat(server, { secret: live.sessionSecret, rating: 5 });
    expect([early.status, early.json()]).toEqual([409, { error: 'chat not ended' }]);
    const wrong = await rateChat(server, { secret: 'not-the-secret', rating: 5 });
    expect([wrong.status, wrong.json()]).toEqual([403, { error: 'wrong session secret' }]);
    expect(server.session(live.sessionId)?.rating).toBeUndefined();
  });

  it.each([
    ['rating', { rating: 0 }],
    ['rating', { rating: 6 }],
    ['rating', { rating: 2.5 }],
    ['rating', { rating: '5' }],
    ['rating', { rating: undefined }],
    ['comment', { comment: 'c'.repeat(1001) }],
    ['comment', { comment: 3 }],
    ['secret', { secret: '' }],
  ])('answers 400 "invalid input: %s" to %j', async (field, change) => {
    const harness = await startHarness();
    const { sessionId, sessionSecret } = await endedChat(harness);
    const reply = await rateChat(harness.server, { secret: sessionSecret, rating: 3, ...change });
    expect([reply.status, reply.json()]).toEqual([400, { error: `invalid input: ${field}` }]);
    expect(harness.server.session(sessionId)?.rating).toBeUndefined();
  });

  it('keeps the origin rules', async () => {
    const harness = await startHarness({ allowedOrigins: [ALLOWED] });
    const { sessionId, sessionSecret } = await endedChat(harness);
    const refused = await rateChat(harness.server, { secret: sessionSecret, rating: 5 }, { origin: REFUSED });
    expect(refused.status).toBe(403);
    expect(harness.server.session(sessionId)?.rating).toBeUndefined();
  });
});
