import { describe, expect, it } from 'vitest';
import type { ChatMessageEvent, SessionInfo } from '../../core/protocol';
import { SESSION_COOKIE } from '../../core/protocol';
import type { ChatServer } from '../../server';
import { CLIENT_KINDS } from './support/clients';
import { AREAS, register, startHarness } from './support/harness';
import { http } from './support/http';
import { PROJECT_EIO_REVISIONS } from '../support/engine-io';

const resume = (secret?: string) => ({ href: 'https://shop.example/cart', trackClientUrl: false, ...(secret === undefined ? {} : { secret }) });

/** A browser's cookie, as `canchat` hands it out. */
async function browserCookie(server: ChatServer): Promise<string> {
  const reply = await http(`${server.baseURL}/socket/external.api/canchat?area=${AREAS.busy.id}`);
  const cookie = String(reply.headers['set-cookie']?.[0] ?? '');
  expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[\\w-]+; Path=/s/demo; HttpOnly; SameSite=Lax$`));
  return cookie.split(';')[0] ?? '';
}

describe.each(CLIENT_KINDS)('resume (socket.io-client %s)', (kind) => {
  it('by secret on a new socket: acks the session, then sends the whole transcript in one chat message, then the queue place', async () => {
    const { server, connect } = await startHarness();
    const first = await connect(kind);
    const started = await register(first, AREAS.busy.id);
    await first.request('chat message', { id: 'u-1', message: 'One', mcount: 1 });
    await first.request('chat message', { id: 'u-2', message: 'Two', mcount: 2 });
    first.close();

    const again = await connect(kind);
    const reply = (await again.request('resume', resume(started.sessionSecret))) as SessionInfo;
    expect(reply).toEqual({ areaId: AREAS.busy.id, clientName: 'Ann Andersson', sessionId: started.sessionId, sessionSecret: started.sessionSecret });
    const transcript = await again.next<ChatMessageEvent>('chat message');
    expect(transcript).toEqual({ agent: '', client: 'Ann Andersson', chat: server.session(started.sessionId)?.transcript });
    expect(transcript.chat.map((m) => m.text)).toEqual(['Where is my parcel?', 'One', 'Two']);
    expect(await again.next('queue')).toBe(1);
    expect(again.names(['ack:resume', 'chat message', 'queue'])).toEqual(['ack:resume', 'chat message', 'queue']);
  });

  it('by the CentionChatSession cookie when no secret is given', async () => {
    const { server, connect } = await startHarness();
    const cookie = await browserCookie(server);
    const first = await connect(kind, { cookie });
    const started = await register(first, AREAS.busy.id);

    const canChat = await http(`${server.baseURL}/socket/external.api/canchat?area=${AREAS.busy.id}`, { headers: { cookie } });
    expect(canChat.json()).toMatchObject({ resumable: true });
    const again = await connect(kind, { cookie });
    expect(await again.request('resume', resume())).toMatchObject({ sessionId: started.sessionId, sessionSecret: started.sessionSecret });
  });

  it('sends no session to a browser without a cookie or with a wrong secret', async () => {
    const { server, connect } = await startHarness();
    await register(await connect(kind, { cookie: await browserCookie(server) }), AREAS.busy.id);
    const stranger = await connect(kind);

    expect(await stranger.request('resume', resume())).toEqual({ error: 'no session' });
    expect(await stranger.request('resume', resume('not-the-secret'))).toEqual({ error: 'no session' });
  });

  it('answers "chat closed" for a chat that has ended', async () => {
    const { connect } = await startHarness();
    const first = await connect(kind);
    const { sessionSecret } = await register(first, AREAS.busy.id);
    await first.request('close chat');

    const again = await connect(kind);
    expect(await again.request('resume', resume(sessionSecret))).toEqual({ error: 'chat closed' });
    await again.next('chat closed');
  });

  describe('canchat says resumable exactly when resume would find a live chat', () => {
    const resumable = async (server: ChatServer, area: number, cookie: string, secret?: string): Promise<boolean> => {
      const query = secret === undefined ? '' : `&secret=${encodeURIComponent(secret)}`;
      return (await http(`${server.baseURL}/socket/external.api/canchat?area=${area}${query}`, { headers: { cookie } })).json<{ resumable: boolean }>().resumable;
    };

    it('by cookie: a newer chat of the browser that has ended does not hide its live one', async () => {
      const { server, connect } = await startHarness();
      const cookie = await browserCookie(server);
      const live = await register(await connect(kind, { cookie }), AREAS.busy.id);
      const other = await connect(kind, { cookie });
      await register(other, AREAS.support.id);
      await other.request('close chat');

      expect(await resumable(server, AREAS.busy.id, cookie)).toBe(true);
      expect(await resumable(server, AREAS.support.id, cookie)).toBe(false);
      const page = await connect(kind, { cookie });
      expect(await page.request('resume', resume())).toMatchObject({ sessionId: live.sessionId, areaId: AREAS.busy.id });
    });

    it('by cookie: of two live chats the newest is named, and only its area is resumable', async () => {
      const { server, connect } = await startHarness();
      const cookie = await browserCookie(server);
      await register(await connect(kind, { cookie }), AREAS.busy.id);
      const newest = await register(await connect(kind, { cookie }), AREAS.support.id);

      expect(await resumable(server, AREAS.support.id, cookie)).toBe(true);
      expect(await resumable(server, AREAS.busy.id, cookie)).toBe(false);
      const page = await connect(kind, { cookie });
      expect(await page.request('resume', resume())).toMatchObject({ sessionId: newest.sessionId });
    });

    it('by cookie: when every chat of the browser has ended, neither resumable nor resumed', async () => {
      const { server, connect } = await startHarness();
      const cookie = await browserCookie(server);
      const client = await connect(kind, { cookie });
      await register(client, AREAS.busy.id);
      await client.request('close chat');

      expect(await resumable(server, AREAS.busy.id, cookie)).toBe(false);
      expect(await (await connect(kind, { cookie })).request('resume', resume())).toEqual({ error: 'chat closed' });
    });

    it('a secret, when sent, names the chat: a wrong or ended one is not saved by a valid cookie', async () => {
      const { server, connect } = await startHarness();
      const cookie = await browserCookie(server);
      const ended = await connect(kind, { cookie });
      const { sessionSecret: endedSecret } = await register(ended, AREAS.busy.id);
      await ended.request('close chat');
      await register(await connect(kind, { cookie }), AREAS.busy.id);
      expect(await resumable(server, AREAS.busy.id, cookie)).toBe(true);

      expect(await resumable(server, AREAS.busy.id, cookie, 'not-the-secret')).toBe(false);
      expect(await (await connect(kind, { cookie })).request('resume', resume('not-the-secret'))).toEqual({ error: 'no session' });
      expect(await resumable(server, AREAS.busy.id, cookie, endedSecret)).toBe(false);
      expect(await (await connect(kind, { cookie })).request('resume', resume(endedSecret))).toEqual({ error: 'chat closed' });
    });

    it('an empty secret counts as none, in canchat as in resume', async () => {
      const { server, connect } = await startHarness();
      const cookie = await browserCookie(server);
      const live = await register(await connect(kind, { cookie }), AREAS.busy.id);

      expect(await resumable(server, AREAS.busy.id, cookie, '')).toBe(true);
      expect(await (await connect(kind, { cookie })).request('resume', resume(''))).toMatchObject({ sessionId: live.sessionId });
    });
  });

  it('remembers the page when the client lets it track the URL', async () => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);
    const { sessionId, sessionSecret } = await register(client, AREAS.busy.id);

    await client.request('resume', { href: 'https://shop.example/checkout', trackClientUrl: true, secret: sessionSecret });
    expect(server.session(sessionId)?.href).toBe('https://shop.example/checkout');
    await client.request('resume', { href: 'https://shop.example/secret-page', trackClientUrl: false, secret: sessionSecret });
    expect(server.session(sessionId)?.href).toBe('https://shop.example/checkout');
  });

  it('repeats the deliveries it announced, after the transcript (extension)', async () => {
    const { server, connect } = await startHarness();
    const first = await connect(kind);
    const { sessionId, sessionSecret } = await register(first, AREAS.busy.id);
    server.agent.join(sessionId);
    const ids = server.agent.ack(sessionId);
    first.close();

    const again = await connect(kind);
    await again.request('resume', resume(sessionSecret));
    expect(await again.next('message acked')).toEqual({ ids });
    expect(again.names(['chat message', 'message acked'])).toEqual(['chat message', 'message acked']);
  });

  it('refuses a resume whose href is not a string', async () => {
    const { connect } = await startHarness();
    const client = await connect(kind);

    expect(await client.request('resume', { href: 5, trackClientUrl: false })).toEqual({ error: 'invalid input: href' });
  });

  it('binds both tabs of one chat: each gets what the other sends', async () => {
    const { connect } = await startHarness();
    const tabA = await connect(kind);
    const { sessionSecret } = await register(tabA, AREAS.busy.id);
    const tabB = await connect(kind);
    await tabB.request('resume', resume(sessionSecret));

    await tabB.request('chat message', { id: 'b-1', message: 'From tab B', mcount: 1 });
    const echo = await tabA.next<ChatMessageEvent>('chat message', (e) => e.chat.some((m) => m.umid === 'b-1'));
    expect(echo.chat[0]?.text).toBe('From tab B');
  });
});

describe('the socket.io handshake', () => {
  it.each(PROJECT_EIO_REVISIONS)('sets the CentionChatSession cookie on an EIO %s handshake that has none', async (eio) => {
    const { server } = await startHarness();

    const handshake = await http(`${server.url}${server.socketPath}/?EIO=${eio}&transport=polling`);
    expect(handshake.status).toBe(200);
    expect(String(handshake.headers['set-cookie'])).toMatch(new RegExp(`^${SESSION_COOKIE}=[\\w-]{16,}; Path=/s/demo; HttpOnly; SameSite=Lax$`));
  });

  it('keeps a cookie the server issued', async () => {
    const { server } = await startHarness();

    const handshake = await http(`${server.url}${server.socketPath}/?EIO=${PROJECT_EIO_REVISIONS[0]}&transport=polling`, { headers: { cookie: await browserCookie(server) } });
    expect(handshake.status).toBe(200);
    expect(handshake.headers['set-cookie']).toBeUndefined();
  });
});
