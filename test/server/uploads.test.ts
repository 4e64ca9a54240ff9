import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type { ChatMessageEvent, SessionInfo, UploadResult } from '../../core/protocol';
import { parseSystemEvent } from '../../core/protocol';
import type { ChatServer } from '../../server';
import { CLIENT_KINDS } from './support/clients';
import { withEvent } from './support/match';
import { AREAS, KB, register, startHarness } from './support/harness';
import type { Part } from './support/http';
import { http, multipart } from './support/http';

interface FileSpec {
  readonly filename?: string;
  readonly type?: string;
  readonly data?: Buffer;
}

function fields(session: SessionInfo, overrides: Record<string, string> = {}): Part[] {
  const values = { session: String(session.sessionId), area: String(session.areaId), sessionSecret: session.sessionSecret, random: '0.42', ...overrides };
  return Object.entries(values).map(([name, value]) => ({ name, value }));
}

function upload(server: ChatServer, session: SessionInfo, file: FileSpec = {}, options: { overrides?: Record<string, string>; fileFirst?: boolean; headers?: Record<string, string> } = {}) {
  const filePart: Part = { name: 'uploadfile', filename: file.filename ?? 'report.pdf', type: file.type ?? 'application/pdf', data: file.data ?? Buffer.from('%PDF-1.4 hello') };
  const parts = options.fileFirst ? [filePart, ...fields(session, options.overrides)] : [...fields(session, options.overrides), filePart];
  const { body, contentType } = multipart(parts);
  return http(`${server.baseURL}/Cention/web/chat/client/uploadAttachment`, { method: 'POST', body, headers: { 'content-type': contentType, ...options.headers } });
}


describe.each(CLIENT_KINDS)('uploads and attachments (socket.io-client %s)', (kind) => {
  it('stores an upload and answers its UploadResult', async () => {
    const { server, connect } = await startHarness();
    const session = await register(await connect(kind), AREAS.support.id);

    const reply = await upload(server, session, { filename: 'report.pdf', data: Buffer.alloc(3 * KB, 7) });
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual({ id: expect.any(Number), value: 'report.pdf', download: expect.stringMatching(/^\/s\/demo\/Cention\/web\/chat\/client\/download\/\d+$/), sizeHuman: '3.0 KB', size: 3 * KB, type: 'application/pdf' });
  });

  it('serves the download only with the secret, as an attachment that is never sniffed', async () => {
    const { server, connect } = await startHarness();
    const session = await register(await connect(kind), AREAS.support.id);
    const data = Buffer.from('<html><script>alert(1)</script></html>');
    const file = (await upload(server, session, { filename: 'träd.html', type: 'text/html', data })).json<UploadResult>();
    expect(file.value).toBe('träd.html');

    const download = await http(`${server.url}${file.download}?t=${encodeURIComponent(session.sessionSecret)}`);
    expect(download.status).toBe(200);
    expect(download.text).toBe(data.toString());
    expect(download.headers['content-disposition']).toBe(`attachment; filename="tr_d.html"; filename*=UTF-8''tr%C3%A4d.html`);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-security-policy']).toContain('sandbox');

    for (const query of ['?t=wrong', '']) {
      const refused = await http(`${server.url}${file.download}${query}`);
      expect(refused.status).toBe(403);
      expect(refused.text).not.toContain('alert');
    }
    expect((await http(`${server.url}/s/demo/Cention/web/chat/client/download/999?t=x`)).status).toBe(404);
  });

  it('answers 403 to a wrong secret or another session id, and keeps nothing', async () => {
    const { server, connect } = await startHarness();
    const session = await register(await connect(kind), AREAS.support.id);

    for (const overrides of [{ sessionSecret: 'wrong' }, { session: '999' }]) {
      const reply = await upload(server, session, {}, { overrides });
      expect(reply.status).toBe(403);
      expect(reply.json()).toEqual({ error: 'wrong session secret' });
    }
    await vi.waitFor(() => expect(readdirSync(server.uploadDir)).toEqual([]));
  });

  it('answers 400 when attachments are off in the area', async () => {
    const { server, connect } = await startHarness();
    const session = await register(await connect(kind), AREAS.noFiles.id);

    const reply = await upload(server, session);
    expect(reply.status).toBe(400);
    expect(reply.json()).toEqual({ error: 'attachments are off in this area' });
  });

  it('answers 400 to a form without a file or that is not multipart', async () => {
    const { server, connect } = await startHarness();
    const session = await register(await connect(kind), AREAS.support.id);
    const url = `${server.baseURL}/Cention/web/chat/client/uploadAttachment`;

    const onlyFields = multipart(fields(session));
    expect((await http(url, { method: 'POST', body: onlyFields.body, headers: { 'content-type': onlyFields.contentType } })).json()).toEqual({ error: 'invalid input: uploadfile' });
    const json = await http(url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(json.status).toBe(400);
  });

  it('answers 413 to a file over the area limit, with the image limit for images', async () => {
    const { server, connect } = await startHarness();
    const session = await register(await connect(kind), AREAS.support.id);

    expect((await upload(server, session, { data: Buffer.alloc(64 * KB + 1) })).status).toBe(413);
    expect((await upload(server, session, { data: Buffer.alloc(64 * KB) })).status).toBe(200);
    expect((await upload(server, session, { type: 'image/png', filename: 'a.png', data: Buffer.alloc(16 * KB + 1) })).status).toBe(413);
    expect((await upload(server, session, { type: 'image/png', filename: 'a.png', data: Buffer.alloc(16 * KB) })).status).toBe(200);
  });

  it('takes a file that comes before the session secret (the order docs/protocol.md §7 lists) from the browser whose cookie names the chat', async () => {
    const { server, connect } = await startHarness();
    const canChat = await http(`${server.baseURL}/socket/external.api/canchat?area=${AREAS.support.id}`);
    const cookie = String(canChat.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
    const session = await register(await connect(kind, { cookie }), AREAS.support.id);

    const reply = await upload(server, session, { filename: 'first.pdf' }, { fileFirst: true, headers: { cookie } });
    expect(reply.status).toBe(200);
    expect(reply.json()).toMatchObject({ value: 'first.pdf' });
    const stranger = await upload(server, session, {}, { fileFirst: true, overrides: { sessionSecret: 'not-the-secret' }, headers: { cookie } });
    expect(stranger.status).toBe(403);
  });

  it('refuses a file that comes before the session secret from a browser without the chat\'s cookie, and keeps nothing', async () => {
    const { server, connect } = await startHarness();
    const session = await register(await connect(kind), AREAS.support.id);

    const reply = await upload(server, session, {}, { fileFirst: true });
    expect(reply.status).toBe(403);
    expect(reply.json()).toEqual({ error: 'sessionSecret must come before uploadfile' });
    await vi.waitFor(() => expect(readdirSync(server.uploadDir)).toEqual([]));
  });

  it('cuts a too-large upload off on the stream: 413 while the client is still sending, then the connection closes', async () => {
    const { server, connect } = await startHarness();
    const session = await register(await connect(kind), AREAS.support.id);
    const boundary = 'cut-off-boundary';
    const head = Buffer.from(
      fields(session)
        .map((part) => `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${'value' in part ? part.value : ''}\r\n`)
        .join('') + `--${boundary}\r\nContent-Disposition: form-data; name="uploadfile"; filename="endless.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    let sent = 0;
    const chunk = Buffer.alloc(64 * KB, 1);
    // A body that never ends: only a server that stops reading can answer it.
    const endless = new Readable({
      read() {
        sent += sent === 0 ? head.length : chunk.length;
        this.push(sent === head.length ? head : chunk);
      },
    });

    const outcome = await new Promise<{ status: number; body: string; closed: Promise<void> }>((resolve, reject) => {
      const req = request(`${server.baseURL}/Cention/web/chat/client/uploadAttachment`, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }, (res) => {
        let body = '';
        res.on('data', (data: Buffer) => (body += data.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, closed }));
      });
      const closed = new Promise<void>((done) => req.on('close', () => done()));
      req.on('error', (error) => {
        if (!('code' in error) || (error.code !== 'EPIPE' && error.code !== 'ECONNRESET')) reject(error);
      });
      endless.pipe(req);
    });

    expect(outcome.status).toBe(413);
    expect(JSON.parse(outcome.body)).toEqual({ error: 'file too large' });
    await outcome.closed;
    endless.destroy();
    expect(sent).toBeLessThan(16 * 1024 * KB);
    await vi.waitFor(() => expect(readdirSync(server.uploadDir)).toEqual([]));
  });

  it('answers a CORS preflight of the upload from an allowed origin', async () => {
    const { server } = await startHarness({ allowedOrigins: ['https://shop.example'] });

    const preflight = await http(`${server.baseURL}/Cention/web/chat/client/uploadAttachment`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-requested-with' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers).toMatchObject({
      'access-control-allow-origin': 'https://shop.example',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': 'x-requested-with',
    });
  });

  it('add attachment posts FILE_UPLOAD with the file and the client name, after {ok: true}', async () => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);
    const session = await register(client, AREAS.support.id);
    const file = (await upload(server, session, { filename: 'report.pdf', data: Buffer.alloc(2048) })).json<UploadResult>();
    const observed = server.waitFor('attachment');

    expect(await client.request('add attachment', { area: session.areaId, file, sessionSecret: session.sessionSecret })).toEqual({ ok: true });
    const posted = await client.next<ChatMessageEvent>('chat message', withEvent('FILE_UPLOAD'));
    expect(posted.chat[0]).toMatchObject({ sender: 'CLIENT' });
    expect(parseSystemEvent(posted.chat[0]?.text ?? '')).toEqual({ event: 'FILE_UPLOAD', fileDownload: file.download, fileName: 'report.pdf', sizeHuman: '2.0 KB', name: 'Ann Andersson' });
    expect(await observed).toEqual({ sessionId: session.sessionId, file, by: 'CLIENT' });
  });

  it('refuses add attachment with a wrong secret, another area, or a file of another chat', async () => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);
    const session = await register(client, AREAS.support.id);
    const other = await register(await connect(kind), AREAS.support.id);
    const mine = (await upload(server, session)).json<UploadResult>();
    const theirs = (await upload(server, other)).json<UploadResult>();

    const attach = (payload: Record<string, unknown>) => client.request('add attachment', { area: session.areaId, file: mine, sessionSecret: session.sessionSecret, ...payload });
    expect(await attach({ sessionSecret: other.sessionSecret })).toEqual({ error: 'invalid input: sessionSecret' });
    expect(await attach({ area: AREAS.busy.id })).toEqual({ error: 'invalid input: area' });
    expect(await attach({ file: theirs })).toEqual({ error: 'invalid input: file' });
    expect(await attach({ file: { ...mine, download: '/elsewhere' } })).toEqual({ error: 'invalid input: file' });
    expect(await attach({ file: 'report.pdf' })).toEqual({ error: 'invalid input: file' });
    expect(await attach({ area: '1' })).toEqual({ error: 'invalid input: area' });
  });

  it('lets the agent attach a file the customer downloads with the secret', async () => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);
    const session = await register(client, AREAS.busy.id);
    server.agent.join(session.sessionId, 'Dana');

    const file = await server.agent.attach(session.sessionId, { name: 'invoice.txt', type: 'text/plain', data: 'Total: 42 SEK' });
    const posted = await client.next<ChatMessageEvent>('chat message', withEvent('FILE_UPLOAD'));
    expect(posted.chat[0]).toMatchObject({ sender: 'AGENT' });
    expect(parseSystemEvent(posted.chat[0]?.text ?? '')).toMatchObject({ event: 'FILE_UPLOAD', fileName: 'invoice.txt', name: 'Dana', fileDownload: file.download });
    const download = await http(`${server.url}${file.download}?t=${encodeURIComponent(session.sessionSecret)}`);
    expect(download.text).toBe('Total: 42 SEK');
  });

  it('names a download with quotes and backslashes safely in Content-Disposition', async () => {
    const { server, connect } = await startHarness();
    const session = await register(await connect(kind), AREAS.busy.id);
    server.agent.join(session.sessionId);

    const file = await server.agent.attach(session.sessionId, { name: 'a "quoted" name\\x.txt', data: 'x' });
    const download = await http(`${server.url}${file.download}?t=${encodeURIComponent(session.sessionSecret)}`);
    // The backslash counts as a path separator: only the last segment is kept.
    expect(file.value).toBe('x.txt');
    const quoted = await server.agent.attach(session.sessionId, { name: 'a "quoted" name.txt', data: 'x' });
    const second = await http(`${server.url}${quoted.download}?t=${encodeURIComponent(session.sessionSecret)}`);
    expect(download.headers['content-disposition']).toBe(`attachment; filename="x.txt"; filename*=UTF-8''x.txt`);
    expect(second.headers['content-disposition']).toBe(`attachment; filename="a _quoted_ name.txt"; filename*=UTF-8''a%20%22quoted%22%20name.txt`);
  });

  it('answers 400 "chat closed" to an upload for a chat that has ended', async () => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);
    const session = await register(client, AREAS.support.id);
    await client.request('close chat');

    const reply = await upload(server, session);
    expect(reply.status).toBe(400);
    expect(reply.json()).toEqual({ error: 'chat closed' });
  });
});
