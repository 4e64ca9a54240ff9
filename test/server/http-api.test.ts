import { describe, expect, it } from 'vitest';
import type { CanChatResult } from '../../core/protocol';
import { CLIENT_KINDS } from './support/clients';
import { AREAS, KB, register, startHarness } from './support/harness';
import { http } from './support/http';

describe('canchat (§7)', () => {
  const canChat = async (query: string, headers: Record<string, string> = {}) => {
    const { server } = await startHarness();
    return http(`${server.baseURL}/socket/external.api/canchat?${query}`, { headers });
  };

  it('answers an open area with agents, its features and no error', async () => {
    const reply = await canChat(`area=${AREAS.support.id}`);

    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(reply.json<CanChatResult>()).toEqual({
      chatOpen: true,
      agentsAvailable: 1,
      feature: { 'chat.attachment': true, 'chat.max-attachment-size': 64 * KB, 'chat.max-image-size': 16 * KB, 'chat.external-source-page': 'https://shop.example/help' },
      resumable: false,
      error: '',
    });
  });

  it('answers a closed area with chatOpen false and no error', async () => {
    expect((await canChat(`area=${AREAS.sales.id}`)).json()).toMatchObject({ chatOpen: false, error: '' });
  });

  it('answers an area without agents with agentsAvailable 0 and no error', async () => {
    expect((await canChat(`area=${AREAS.billing.id}`)).json()).toMatchObject({ chatOpen: true, agentsAvailable: 0, error: '' });
  });

  it('counts busy agents as available, since chats queue for them', async () => {
    expect((await canChat(`area=${AREAS.busy.id}`)).json()).toMatchObject({ chatOpen: true, agentsAvailable: 1 });
  });

  it('answers "unknown area" in error for an area the server does not have', async () => {
    const reply = await canChat('area=99');
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual({ chatOpen: false, agentsAvailable: 0, feature: {}, resumable: false, error: 'unknown area' });
  });

  it.each(['', 'area=', 'area=one', 'area=1.5'])('answers 400 "invalid input: area" to the query %j', async (query) => {
    const reply = await canChat(query);
    expect(reply.status).toBe(400);
    expect(reply.json()).toMatchObject({ error: 'invalid input: area' });
  });

  it('sets the CentionChatSession cookie when the browser has none', async () => {
    const reply = await canChat(`area=${AREAS.support.id}`);
    expect(String(reply.headers['set-cookie'])).toMatch(/^CentionChatSession=[\w-]+; Path=\/s\/demo; HttpOnly; SameSite=Lax$/);
  });
});

describe.each(CLIENT_KINDS)('canchat and history with a live chat (socket.io-client %s)', (kind) => {
  it('says resumable when the secret names a live chat of that area, and not for another area', async () => {
    const { server, connect } = await startHarness();
    const { sessionSecret } = await register(await connect(kind), AREAS.busy.id);
    const url = (area: number, secret: string) => `${server.baseURL}/socket/external.api/canchat?area=${area}&secret=${encodeURIComponent(secret)}`;

    expect((await http(url(AREAS.busy.id, sessionSecret))).json()).toMatchObject({ resumable: true });
    expect((await http(url(AREAS.support.id, sessionSecret))).json()).toMatchObject({ resumable: false });
    expect((await http(url(AREAS.busy.id, 'wrong'))).json()).toMatchObject({ resumable: false });
  });

  it('savehistory sends the transcript as a text/plain attachment', async () => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);
    const { sessionId, sessionSecret } = await register(client, AREAS.busy.id);
    server.agent.join(sessionId, 'Dana');
    server.agent.say(sessionId, 'Hello Ann,\nyour parcel left today.');

    const saved = await http(`${server.baseURL}/socket/external.api/savehistory?area=${AREAS.busy.id}&secret=${encodeURIComponent(sessionSecret)}`);
    expect(saved.status).toBe(200);
    expect(saved.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(saved.headers['content-disposition']).toBe(`attachment; filename="chat-${sessionId}.txt"; filename*=UTF-8''chat-${sessionId}.txt`);
    expect(saved.text).toBe(
      [
        `Chat ${sessionId} with Busy`,
        'Customer: Ann Andersson <ann@example.com>',
        'Started: 2026-01-05 10:00 (UTC)',
        '',
        '[10:00] Ann Andersson: Where is my parcel?',
        '[10:00] Agent(s) added: Dana',
        '[10:00] Dana: Hello Ann,',
        '        your parcel left today.',
        '',
      ].join('\n'),
    );
  });

  it('printhistory sends a printable page with every text escaped and scripts locked down', async () => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);
    const { sessionSecret } = await register(client, AREAS.busy.id, { name: 'Eve <img src=x onerror=alert(1)>', message: '<script>alert("x")</script> & more' });

    const page = await http(`${server.baseURL}/socket/external.api/printhistory?area=${AREAS.busy.id}&secret=${encodeURIComponent(sessionSecret)}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; more');
    expect(page.text).toContain('Eve &#60;img src=x onerror=alert(1)&#62;');
    expect(page.text).not.toContain('<script>alert');
    expect(page.text).not.toContain('<img');
    expect(page.text).toContain('id="print"');
    const nonce = /script-src [^;]*'nonce-([^']+)'/.exec(String(page.headers['content-security-policy']))?.[1];
    expect(nonce).toBeTruthy();
    expect(page.text.match(/<script/g)).toHaveLength(1);
    expect(page.text).toContain(`<script nonce="${nonce}">`);
  });

  it.each(['savehistory', 'printhistory'])('%s answers 403 and no transcript to a wrong secret, a missing one, or another area', async (name) => {
    const { server, connect } = await startHarness();
    const { sessionSecret } = await register(await connect(kind), AREAS.busy.id);
    const base = `${server.baseURL}/socket/external.api/${name}`;

    for (const query of [`area=${AREAS.busy.id}&secret=wrong`, `area=${AREAS.busy.id}`, `area=${AREAS.support.id}&secret=${encodeURIComponent(sessionSecret)}`]) {
      const reply = await http(`${base}?${query}`);
      expect(reply.status).toBe(403);
      expect(reply.text).not.toContain('parcel');
    }
  });
});

describe('other HTTP requests', () => {
  it('answers 404 to an unknown API name and 405 to a wrong method', async () => {
    const { server } = await startHarness();

    expect((await http(`${server.baseURL}/socket/external.api/nothing`)).status).toBe(404);
    expect((await http(`${server.baseURL}/socket/external.api/canchat?area=1`, { method: 'DELETE' })).status).toBe(405);
    expect((await http(`${server.baseURL}/Cention/web/chat/client/uploadAttachment`)).status).toBe(405);
  });

  it('serves an index page linking what it serves (the agent console when it needs no key)', async () => {
    const { server } = await startHarness({ agentConsole: { key: false } });

    const index = await http(`${server.url}/`);
    expect(index.status).toBe(200);
    expect(index.text).toContain('href="/console/"');
  });
});
