import { readdirSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { CLIENT_KINDS, TestClient } from './support/clients';
import { AREAS, onCleanup, register, startHarness } from './support/harness';
import { http, multipart } from './support/http';

const ALLOWED = 'https://shop.example';
const REFUSED = 'https://evil.example';

const corsHeaders = (headers: IncomingHttpHeaders) => Object.keys(headers).filter((name) => name.startsWith('access-control-'));

describe.each(CLIENT_KINDS)('the origin allow-list on the socket (socket.io-client %s)', (kind) => {
  it.each([['polling then websocket', undefined], ['websocket only', ['websocket'] as const]])('refuses the handshake of an origin not on the list with connect_error (%s)', async (_name, transports) => {
    const { server } = await startHarness({ allowedOrigins: [ALLOWED] });

    const refused = TestClient.connect(kind, server, { origin: REFUSED, ...(transports ? { transports } : {}) });
    await expect(refused).rejects.toThrow(/connect_error/);
    expect(server.sessions()).toEqual([]);
  });

  it('lets a listed origin, and a client that sends no origin, chat', async () => {
    const { server, connect } = await startHarness({ allowedOrigins: [ALLOWED] });

    await register(await connect(kind, { origin: ALLOWED }), AREAS.busy.id);
    await register(await connect(kind), AREAS.busy.id);
    expect(server.sessions()).toHaveLength(2);
  });
});

describe('the origin allow-list on HTTP', () => {
  it('answers a refused origin 403 with no data and no CORS header', async () => {
    const { server, connect } = await startHarness({ allowedOrigins: [ALLOWED] });
    const { sessionSecret } = await register(await connect('v4'), AREAS.busy.id);
    const urls = [
      `${server.baseURL}/socket/external.api/canchat?area=${AREAS.busy.id}`,
      `${server.baseURL}/socket/external.api/savehistory?area=${AREAS.busy.id}&secret=${encodeURIComponent(sessionSecret)}`,
      `${server.baseURL}/socket/external.api/printhistory?area=${AREAS.busy.id}&secret=${encodeURIComponent(sessionSecret)}`,
    ];

    for (const url of urls) {
      const reply = await http(url, { headers: { origin: REFUSED } });
      expect(reply.status).toBe(403);
      expect(corsHeaders(reply.headers)).toEqual([]);
      expect(reply.text).toBe('origin not allowed');
    }
    const preflight = await http(`${server.baseURL}/Cention/web/chat/client/uploadAttachment`, { method: 'OPTIONS', headers: { origin: REFUSED, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect(corsHeaders(preflight.headers)).toEqual([]);
  });

  it('refuses an upload from a refused origin with 403, no CORS header, and keeps nothing', async () => {
    const { server, connect } = await startHarness({ allowedOrigins: [ALLOWED] });
    const session = await register(await connect('v4'), AREAS.support.id);
    const { body, contentType } = multipart([
      { name: 'session', value: String(session.sessionId) },
      { name: 'area', value: String(session.areaId) },
      { name: 'sessionSecret', value: session.sessionSecret },
      { name: 'uploadfile', filename: 'label.txt', type: 'text/plain', data: Buffer.from('Tracking: 123') },
    ]);
    const post = (origin: string) => http(`${server.baseURL}/Cention/web/chat/client/uploadAttachment`, { method: 'POST', body, headers: { 'content-type': contentType, origin } });

    const refused = await post(REFUSED);
    expect(refused.status).toBe(403);
    expect(refused.text).toBe('origin not allowed');
    expect(corsHeaders(refused.headers)).toEqual([]);
    expect(readdirSync(server.uploadDir)).toEqual([]);
    const allowed = await post(ALLOWED);
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(readdirSync(server.uploadDir)).toHaveLength(1);
  });

  it('refuses a download from a refused origin with 403, no data and no CORS header, even with the secret', async () => {
    const { server, connect } = await startHarness({ allowedOrigins: [ALLOWED] });
    const { sessionId, sessionSecret } = await register(await connect('v4'), AREAS.busy.id);
    server.agent.join(sessionId);
    const file = await server.agent.attach(sessionId, { name: 'label.txt', type: 'text/plain', data: 'Tracking: 123' });
    const download = (origin: string) => http(`${server.url}${file.download}?t=${encodeURIComponent(sessionSecret)}`, { headers: { origin } });

    const refused = await download(REFUSED);
    expect(refused.status).toBe(403);
    expect(refused.text).toBe('origin not allowed');
    expect(corsHeaders(refused.headers)).toEqual([]);
    expect(refused.headers['content-disposition']).toBeUndefined();
    const allowed = await download(ALLOWED);
    expect(allowed.status).toBe(200);
    expect(allowed.text).toBe('Tracking: 123');
    expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED);
  });

  it('refuses the socket.io polling handshake of a refused origin without CORS headers', async () => {
    const { server } = await startHarness({ allowedOrigins: [ALLOWED] });

    const refused = await http(`${server.url}${server.socketPath}/?EIO=4&transport=polling`, { headers: { origin: REFUSED } });
    expect(refused.status).toBe(403);
    expect(corsHeaders(refused.headers)).toEqual([]);
    const allowed = await http(`${server.url}${server.socketPath}/?EIO=4&transport=polling`, { headers: { origin: ALLOWED } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
  });

  it('gives a listed origin Access-Control-Allow-Origin and -Credentials', async () => {
    const { server } = await startHarness({ allowedOrigins: [ALLOWED] });

    const reply = await http(`${server.baseURL}/socket/external.api/canchat?area=${AREAS.busy.id}`, { headers: { origin: ALLOWED } });
    expect(reply.status).toBe(200);
    expect(reply.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(reply.headers['access-control-allow-credentials']).toBe('true');
    expect(reply.headers.vary).toBe('Origin');
  });

  it('allows requests from its own origin even when it is not listed', async () => {
    const { server } = await startHarness({ allowedOrigins: [ALLOWED] });

    const reply = await http(`${server.baseURL}/socket/external.api/canchat?area=${AREAS.busy.id}`, { headers: { origin: server.url } });
    expect(reply.status).toBe(200);
    const client = await TestClient.connect('v4', server, { origin: server.url });
    onCleanup(() => {
      client.close();
    });
    expect(client.connected).toBe(true);
  });

  it('refuses to start with an allowed origin that is not an origin', async () => {
    await expect(startHarness({ allowedOrigins: ['shop.example'] })).rejects.toThrow(/allowed origin must look like https:\/\/shop.example.com/);
  });
});
