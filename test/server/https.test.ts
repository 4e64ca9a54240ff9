import { describe, expect, it } from 'vitest';
import type { ChatMessageEvent } from '../../core/protocol';
import { SESSION_COOKIE } from '../../core/protocol';
import type { ChatServer } from '../../server';
import { CLIENT_KINDS } from './support/clients';
import { withUmid } from './support/match';
import { AREAS, register, startHarness } from './support/harness';
import type { HttpOptions } from './support/http';
import { http } from './support/http';
import { selfSigned } from './support/self-signed';

const tls = selfSigned();
const SECURE = new RegExp(`^${SESSION_COOKIE}=[\\w-]{16,}; Path=/s/demo; HttpOnly; SameSite=None; Secure$`);
const LAX = new RegExp(`^${SESSION_COOKIE}=[\\w-]{16,}; Path=/s/demo; HttpOnly; SameSite=Lax$`);

/** The `Set-Cookie` of the EIO 4 and EIO 3 handshakes and of `canchat`, in that order. */
async function cookiesSet(server: ChatServer, options: HttpOptions = {}): Promise<string[]> {
  const urls = [`${server.url}${server.socketPath}/?EIO=4&transport=polling`, `${server.url}${server.socketPath}/?EIO=3&transport=polling`, `${server.baseURL}/socket/external.api/canchat?area=${AREAS.busy.id}`];
  const replies = await Promise.all(urls.map((url) => http(url, options)));
  for (const reply of replies) expect(reply.status).toBe(200);
  return replies.map((reply) => String(reply.headers['set-cookie']?.[0] ?? ''));
}

describe('the CentionChatSession cookie on https (docs/protocol.md §3)', () => {
  it('with the https option, serves TLS and sets SameSite=None; Secure on both handshakes and on canchat', async () => {
    const { server } = await startHarness({ https: tls });

    expect(server.url).toBe(`https://127.0.0.1:${server.port}`);
    expect(server.baseURL).toBe(`https://127.0.0.1:${server.port}/s/demo`);
    for (const cookie of await cookiesSet(server, { ca: tls.cert })) expect(cookie).toMatch(SECURE);
  });

  it('on plain http sets SameSite=Lax without Secure, and ignores X-Forwarded-Proto unless told to trust the proxy', async () => {
    const { server } = await startHarness();

    for (const cookie of await cookiesSet(server)) expect(cookie).toMatch(LAX);
    for (const cookie of await cookiesSet(server, { headers: { 'x-forwarded-proto': 'https' } })) expect(cookie).toMatch(LAX);
  });

  it.each([
    ['https', 'SameSite=None; Secure'],
    ['HTTPS', 'SameSite=None; Secure'],
    ['https, http', 'SameSite=None; Secure'],
    ['http', 'SameSite=Lax'],
    ['http, https', 'SameSite=Lax'],
    [undefined, 'SameSite=Lax'],
  ] as const)('with trustProxy and X-Forwarded-Proto %j, sets the cookie %s', async (proto, expected) => {
    const { server } = await startHarness({ trustProxy: true });

    const headers: Record<string, string> = proto === undefined ? {} : { 'x-forwarded-proto': proto };
    for (const cookie of await cookiesSet(server, { headers })) expect(cookie).toMatch(expected === 'SameSite=Lax' ? LAX : SECURE);
  });
});

describe.each(CLIENT_KINDS)('a chat over TLS (socket.io-client %s)', (kind) => {
  it('registers, sends a message and gets its echo', async () => {
    const { server, connect } = await startHarness({ https: tls });
    const client = await connect(kind, { ca: tls.cert });

    const { sessionId } = await register(client, AREAS.busy.id);
    await client.request('chat message', { id: 'u-1', message: 'Over TLS', mcount: 1 });
    expect((await client.next<ChatMessageEvent>('chat message', withUmid('u-1'))).chat[0]?.text).toBe('Over TLS');
    expect(server.session(sessionId)?.connectedSockets).toBe(1);
  });
});
