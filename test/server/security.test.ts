import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE, encodeSystemEvent } from '../../core/protocol';
import { AgentActionError } from '../../server';
import type { ConsoleChat, ConsoleLine } from '../../server';
import { CLIENT_KINDS } from './support/clients';
import type { Harness } from './support/harness';
import { AREAS, register, registration, startHarness } from './support/harness';
import { http, multipart } from './support/http';

const CONSOLE_EVENTS = ['agent:hello', 'agent:areas', 'agent:chat', 'agent:message', 'agent:preview', 'agent:forget'];

/** The forged event of the audit: a "file" whose link runs script in the console. */
const FORGED_FILE = encodeSystemEvent({ event: 'FILE_UPLOAD', fileDownload: 'javascript:alert(sessionStorage.getItem("cention-console-key"))//', fileName: 'invoice.pdf', sizeHuman: '1 KB', name: 'Ann' });
const FORGED_END = encodeSystemEvent({ event: 'OWNER_ENDS_CHAT', name: 'Dana' });

async function openConsole({ server, connect }: Pick<Harness, 'server' | 'connect'>) {
  return connect('v4', { namespace: '/agent', extraEvents: CONSOLE_EVENTS, auth: { key: server.consoleKey ?? '' } });
}

describe.each(CLIENT_KINDS)('only the server writes system messages (socket.io-client %s)', (kind) => {
  it('refuses a chat message that starts with U+0001, even after spaces, and stores nothing', async () => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);
    const { sessionId } = await register(client, AREAS.busy.id);

    for (const message of [FORGED_FILE, FORGED_END, `  \n${FORGED_END}`, '\u0001']) {
      expect(await client.request('chat message', { id: `u-${message.length}`, message, mcount: 1 })).toEqual({ error: 'invalid input: message' });
    }
    expect(server.session(sessionId)?.transcript.map((m) => m.text)).toEqual(['Where is my parcel?']);
  });

  it('refuses a register whose question starts with U+0001, or whose name holds a line break or control character', async () => {
    const { server, connect } = await startHarness();
    const client = await connect(kind);

    expect(await client.request('register', registration(AREAS.busy.id, { message: FORGED_END }))).toEqual({ error: 'invalid input: message' });
    for (const name of ['Ann\n[10:00] Dana ended the chat.', 'Ann\r', 'Ann\u0001', 'Ann\u2028Bob', 'Ann\u202eevil']) {
      expect(await client.request('register', registration(AREAS.busy.id, { name }))).toEqual({ error: 'invalid input: name' });
    }
    expect(server.sessions()).toEqual([]);
  });
});

describe('what agents write', () => {
  it('refuses agent text that starts with U+0001, from the console and the test API', async () => {
    const harness = await startHarness();
    const { server, connect } = harness;
    const customer = await connect('v4');
    const { sessionId } = await register(customer, AREAS.busy.id);
    server.agent.join(sessionId, 'Dana');
    const agent = await openConsole(harness);

    expect(await agent.requestRaw('agent:say', { sessionId, text: FORGED_FILE })).toEqual({ error: expect.stringMatching(/^invalid input: text/) });
    expect(() => server.agent.say(sessionId, ` ${FORGED_END}`)).toThrow(AgentActionError);
    expect(server.session(sessionId)?.transcript.filter((m) => m.sender === 'AGENT')).toEqual([]);
  });

  it('refuses agent names that could pass for the system or hold a line break', async () => {
    const harness = await startHarness();
    const { server, connect } = harness;
    const { sessionId } = await register(await connect('v4'), AREAS.busy.id);
    const agent = await openConsole(harness);

    for (const name of ['System', ' system ', 'Dana\nSystem', 'Dana\u0001']) {
      expect(await agent.requestRaw('agent:take', { sessionId, name })).toEqual({ error: expect.stringMatching(/^invalid input: name/) });
      expect(() => server.agent.join(sessionId, name)).toThrow(AgentActionError);
    }
    server.agent.join(sessionId, 'Dana');
    expect(await agent.requestRaw('agent:transfer', { sessionId, name: 'System' })).toEqual({ error: expect.stringMatching(/^invalid input: name/) });
    expect(server.session(sessionId)).toMatchObject({ agent: 'Dana' });
  });
});

describe('the console and the history pages read system events only from what the server wrote', () => {
  it('shows a forged file as the text it is: no file, no link', async () => {
    const harness = await startHarness();
    const { server, connect } = harness;
    const customer = await connect('v4');
    const { sessionId, sessionSecret } = await register(customer, AREAS.busy.id);
    const agent = await openConsole(harness);
    server.agent.join(sessionId, 'Dana');
    await customer.request('chat message', { id: 'u-1', message: FORGED_FILE, mcount: 1 });
    await customer.request('chat message', { id: 'u-2', message: 'Hello', mcount: 2 });

    const { lines } = (await agent.requestRaw('agent:open', { sessionId })) as { lines: ConsoleLine[] };
    expect(lines.filter((line) => line.file !== undefined || line.href !== undefined)).toEqual([]);
    expect(lines.filter((line) => line.sender === 'CLIENT').map((line) => line.text)).toEqual(['Where is my parcel?', 'Hello']);
    const history = await http(`${server.baseURL}/socket/external.api/savehistory?area=${AREAS.busy.id}&secret=${encodeURIComponent(sessionSecret)}`);
    expect(history.text).not.toContain('invoice.pdf');
  });

  it('starts every line a viewer might show in savehistory with the time or an indent, whatever line break a message holds', async () => {
    const { server, connect } = await startHarness();
    const customer = await connect('v4');
    const { sessionSecret } = await register(customer, AREAS.busy.id);
    for (const [index, eol] of ['\n', '\r\n', '\r', '\u2028', '\u2029', '\u0085', '\v', '\f'].entries()) {
      await customer.request('chat message', { id: `u-${index}`, message: `Fine${eol}[10:00] Dana ended the chat.`, mcount: index });
    }

    const text = (await http(`${server.baseURL}/socket/external.api/savehistory?area=${AREAS.busy.id}&secret=${encodeURIComponent(sessionSecret)}`)).text;
    const body = text.split('\n\n').slice(1).join('\n\n');
    const lines = body.split(/\r\n|[\n\r\v\f\u0085\u2028\u2029]/).filter((line) => line !== '');
    expect(lines.length).toBeGreaterThan(8);
    for (const line of lines) expect(line, JSON.stringify(line)).toMatch(/^(\[\d\d:\d\d\] Ann Andersson: | {8}\[10:00\] Dana ended)/);
  });
});

describe('what a console receives', () => {
  it('never a session secret: not in the chat list, the chat updates, the transcript or its links', async () => {
    const harness = await startHarness();
    const { server, connect } = harness;
    const customer = await connect('v4');
    const { sessionId, sessionSecret } = await register(customer, AREAS.busy.id);
    const agent = await openConsole(harness);
    await agent.next('agent:hello');
    await agent.requestRaw('agent:take', { sessionId, name: 'Dana' });
    await customer.request('chat message', { id: 'u-1', message: 'Thanks', mcount: 1 });
    await server.agent.attach(sessionId, { name: 'label.txt', data: 'Tracking: 123' });
    const opened = await agent.requestRaw('agent:open', { sessionId });
    await agent.next('agent:message', (m: { line: ConsoleLine }) => m.line.file !== undefined);

    expect(JSON.stringify(agent.log)).not.toContain(sessionSecret);
    expect(JSON.stringify(opened)).not.toContain(sessionSecret);
    expect(agent.all<ConsoleChat>('agent:chat').length).toBeGreaterThan(0);
  });

  it('a download link that opens that one file, and nothing else of the chat', async () => {
    const harness = await startHarness();
    const { server, connect } = harness;
    const { sessionId } = await register(await connect('v4'), AREAS.busy.id);
    server.agent.join(sessionId, 'Dana');
    const agent = await openConsole(harness);
    const label = await server.agent.attach(sessionId, { name: 'label.txt', data: 'Tracking: 123' });
    const other = await server.agent.attach(sessionId, { name: 'other.txt', data: 'Other' });
    const { lines } = (await agent.requestRaw('agent:open', { sessionId })) as { lines: ConsoleLine[] };
    const href = lines.find((line) => line.file?.name === 'label.txt')?.href ?? '';
    const token = new URL(href, server.url).searchParams.get('t') ?? '';

    expect((await http(`${server.url}${href}`)).text).toBe('Tracking: 123');
    expect((await http(`${server.url}${other.download}?t=${token}`)).status).toBe(403);
    expect((await http(`${server.baseURL}/socket/external.api/savehistory?area=${AREAS.busy.id}&secret=${token}`)).status).toBe(403);
    expect(await (await connect('v4')).request('resume', { href: '', trackClientUrl: false, secret: token })).toEqual({ error: 'no session' });
    expect(label.id).not.toBe(other.id);
  });
});

describe('an agent console upload ticket', () => {
  it('uploads to its one chat, only a person holds it, and runs out after five minutes', async () => {
    const harness = await startHarness();
    const { server, clock, connect } = harness;
    const mine = await register(await connect('v4'), AREAS.busy.id);
    const other = await register(await connect('v4'), AREAS.support.id);
    server.agent.join(mine.sessionId, 'Dana');
    const agent = await openConsole(harness);
    const upload = (ticket: string, fields: Record<string, string> = {}) => {
      const { body, contentType } = multipart([...Object.entries({ agentTicket: ticket, ...fields }).map(([name, value]) => ({ name, value })), { name: 'uploadfile', filename: 'a.txt', type: 'text/plain', data: Buffer.from('a') }]);
      return http(`${server.baseURL}/Cention/web/chat/client/uploadAttachment`, { method: 'POST', body, headers: { 'content-type': contentType } });
    };

    expect(await agent.requestRaw('agent:upload', { sessionId: other.sessionId })).toEqual({ error: expect.stringMatching(/no agent yet|simulated agent/) });
    const { ticket } = (await agent.requestRaw('agent:upload', { sessionId: mine.sessionId })) as { ticket: string };
    expect(ticket).not.toContain(mine.sessionSecret);
    expect((await upload(ticket)).status).toBe(200);
    expect((await upload(ticket, { session: String(other.sessionId) })).status).toBe(403);
    expect((await upload(ticket.replace(/^\d+/, String(other.sessionId)))).status).toBe(403);
    clock.advance(5 * 60_000 + 1);
    expect((await upload(ticket)).status).toBe(403);
  });
});

describe('the console key', () => {
  it('is random when startServer is given no key, and a console without it is refused', async () => {
    const harness = await startHarness({ agentConsole: {} });
    const other = await startHarness();
    const { server, connect } = harness;

    expect(server.consoleKey).toMatch(/^[\w-]{20,}$/);
    expect(other.server.consoleKey).not.toBe(server.consoleKey);
    expect(server.consoleURL).toBe(`${server.url}/console/#key=${server.consoleKey ?? ''}`);
    expect((await http(`${server.url}/console/config.json`)).json()).toMatchObject({ keyRequired: true });
    await expect(connect('v4', { namespace: '/agent' })).rejects.toThrow(/agent key required/);
    await (await openConsole(harness)).next('agent:hello');
  });

  it('may not be empty', async () => {
    await expect(startHarness({ agentConsole: { key: '' } })).rejects.toThrow(/agentConsole\.key/);
  });

  it('is off only when the caller says key: false', async () => {
    const { server, connect } = await startHarness({ agentConsole: { key: false } });

    expect(server.consoleKey).toBeUndefined();
    expect(server.consoleURL).toBe(`${server.url}/console/`);
    await (await connect('v4', { namespace: '/agent', extraEvents: CONSOLE_EVENTS })).next('agent:hello');
  });
});

describe('the CentionChatSession cookie', () => {
  /** A cookie value of the right shape that this server never issued. */
  const PLANTED = `${SESSION_COOKIE}=${'a'.repeat(46)}`;

  it('a planted well-formed cookie cannot resume the chat of the browser it was planted in', async () => {
    const { server, connect } = await startHarness();
    // The victim's browser carries the planted cookie and starts a chat.
    const victim = await connect('v4', { cookie: PLANTED });
    await register(victim, AREAS.busy.id);

    // The planter, with the same cookie, finds nothing.
    const planter = await connect('v4', { cookie: PLANTED });
    expect(await planter.request('resume', { href: '', trackClientUrl: false })).toEqual({ error: 'no session' });
    const canChat = await http(`${server.baseURL}/socket/external.api/canchat?area=${AREAS.busy.id}`, { headers: { cookie: PLANTED } });
    expect(canChat.json()).toMatchObject({ resumable: false });
    // A browser that sends it gets a key of the server's own instead.
    expect(String(canChat.headers['set-cookie'])).toMatch(new RegExp(`^${SESSION_COOKIE}=[\\w-]{46};`));
    const handshake = await http(`${server.url}${server.socketPath}/?EIO=4&transport=polling`, { headers: { cookie: PLANTED } });
    expect(String(handshake.headers['set-cookie'])).toMatch(new RegExp(`^${SESSION_COOKIE}=[\\w-]{46};`));
    expect(String(handshake.headers['set-cookie'])).not.toContain(PLANTED);
  });

  it('a cookie issued by another server is not accepted either', async () => {
    const first = await startHarness();
    const second = await startHarness();
    const issued = String((await http(`${first.server.baseURL}/socket/external.api/canchat?area=${AREAS.busy.id}`)).headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';

    const elsewhere = await http(`${second.server.baseURL}/socket/external.api/canchat?area=${AREAS.busy.id}`, { headers: { cookie: issued } });
    expect(elsewhere.headers['set-cookie']).toBeDefined();
    const home = await http(`${first.server.baseURL}/socket/external.api/canchat?area=${AREAS.busy.id}`, { headers: { cookie: issued } });
    expect(home.headers['set-cookie']).toBeUndefined();
  });
});
