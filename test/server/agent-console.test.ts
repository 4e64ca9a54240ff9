import { describe, expect, it } from 'vitest';
import type { ChatMessageEvent, UploadResult } from '../../core/protocol';
import type { ChatServer, ConsoleArea, ConsoleChat, ConsoleLine, Errand } from '../../server';
import type { TestClient } from './support/clients';
import { CLIENT_KINDS } from './support/clients';
import { systemEvent, withEvent, withText } from './support/match';
import type { Harness } from './support/harness';
import { AREAS, register, startHarness } from './support/harness';
import { http, multipart } from './support/http';

const CONSOLE_EVENTS = ['agent:hello', 'agent:areas', 'agent:chat', 'agent:message', 'agent:preview', 'agent:errand'];

interface Hello {
  readonly areas: readonly ConsoleArea[];
  readonly chats: readonly ConsoleChat[];
  readonly errands: readonly Errand[];
}


/** Opens a console with the server's key, or with `auth` when given. */
async function openConsole({ server, connect }: Pick<Harness, 'server' | 'connect'>, auth: Record<string, string> | undefined = server.consoleKey === undefined ? undefined : { key: server.consoleKey }): Promise<TestClient> {
  return connect('v4', { namespace: '/agent', extraEvents: CONSOLE_EVENTS, ...(auth ? { auth } : {}) });
}

/** Uploads as the console does: with an upload ticket for the chat, never its session secret. */
async function uploadAs(server: ChatServer, agent: TestClient, chat: ConsoleChat, name: string, data: string): Promise<UploadResult> {
  const { ticket } = (await agent.requestRaw('agent:upload', { sessionId: chat.sessionId })) as { ticket: string };
  const { body, contentType } = multipart([
    { name: 'session', value: String(chat.sessionId) },
    { name: 'area', value: String(chat.areaId) },
    { name: 'agentTicket', value: ticket },
    { name: 'uploadfile', filename: name, type: 'text/plain', data: Buffer.from(data) },
  ]);
  return (await http(`${server.baseURL}/Cention/web/chat/client/uploadAttachment`, { method: 'POST', body, headers: { 'content-type': contentType, origin: server.url } })).json();
}

describe.each(CLIENT_KINDS)('the agent console namespace, with a socket.io-client %s customer', (kind) => {
  it('greets a console with every area and chat, and announces a new chat as it queues', async () => {
    const { server, connect } = await startHarness();
    const agent = await openConsole({ server, connect });
    const hello = await agent.next<Hello>('agent:hello');
    expect(hello.chats).toEqual([]);
    expect(hello.areas.find((a) => a.id === AREAS.busy.id)).toEqual({ id: 4, name: 'Busy', open: true, mode: 'busy', agentsOnline: 1, queueLimit: 2, attachments: true });
    expect(hello.areas.find((a) => a.id === AREAS.manual.id)?.agentsOnline).toBe(1);

    const customer = await connect(kind);
    const { sessionId } = await register(customer, AREAS.busy.id);
    const announced = await agent.next<ConsoleChat>('agent:chat', (chat) => chat.sessionId === sessionId && chat.queuePosition === 1);
    expect(announced).toMatchObject({ areaName: 'Busy', clientName: 'Ann Andersson', email: 'ann@example.com', state: 'queued', agent: '', online: true, undelivered: 1, rating: null });
    expect(JSON.stringify(announced), 'a console gets no session secret').not.toContain(server.session(sessionId)?.secret);
  });

  it('shows the rating a customer gave the ended chat', async () => {
    const { server, connect } = await startHarness();
    const agent = await openConsole({ server, connect });
    const { sessionId, sessionSecret } = await register(await connect(kind), AREAS.busy.id);
    server.agent.end(sessionId);
    await agent.next<ConsoleChat>('agent:chat', (chat) => chat.sessionId === sessionId && chat.state === 'ended');
    const rated = await http(`${server.baseURL}/socket/external.api/chatrating`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ secret: sessionSecret, rating: 2, comment: 'Slow' }) });
    expect(rated.status).toBe(200);
    expect(await agent.next<ConsoleChat>('agent:chat', (chat) => chat.rating !== null)).toMatchObject({ sessionId, rating: { rating: 2, comment: 'Slow' } });
    const later = await openConsole({ server, connect });
    expect((await later.next<Hello>('agent:hello')).chats.find((chat) => chat.sessionId === sessionId)?.rating).toEqual({ rating: 2, comment: 'Slow' });
  });

  it('lets a person take a chat, read it, see the customer type, reply, type, mark delivered, attach and end', async () => {
    const { server, connect } = await startHarness();
    const agent = await openConsole({ server, connect });
    const customer = await connect(kind);
    const { sessionId } = await register(customer, AREAS.busy.id);

    expect(await agent.requestRaw('agent:take', { sessionId, name: 'Dana' })).toEqual({ ok: true });
    expect(systemEvent(await customer.next<ChatMessageEvent>('chat message', withEvent('AGENTS_ADDED')))).toEqual({ event: 'AGENTS_ADDED', names: ['Dana'] });
    expect(await agent.next<ConsoleChat>('agent:chat', (chat) => chat.state === 'assigned')).toMatchObject({ sessionId, agent: 'Dana', agentKind: 'person', queuePosition: 0 });
    const opened = (await agent.requestRaw('agent:open', { sessionId })) as { chat: ConsoleChat; lines: ConsoleLine[] };
    expect(opened.chat).toMatchObject({ state: 'assigned', agent: 'Dana', agentKind: 'person' });
    expect(opened.lines.map((line) => [line.who, line.text])).toEqual([
      ['Ann Andersson', 'Where is my parcel?'],
      ['', 'Agent(s) added: Dana'],
    ]);

    customer.send('preview', { preview: 'It was sent on Mon' });
    expect(await agent.next('agent:preview')).toEqual({ sessionId, preview: 'It was sent on Mon' });

    await agent.requestRaw('agent:type', { sessionId, messageLen: 9 });
    expect(await customer.next('agent preview')).toEqual({ messageLen: 9 });
    expect(await agent.requestRaw('agent:say', { sessionId, text: 'Let me check.' })).toMatchObject({ ok: true, id: expect.any(Number) });
    expect(await customer.next('agent preview')).toEqual({ messageLen: 0 });
    await customer.next('chat message', withText('Let me check.'));
    expect(await agent.next<{ line: ConsoleLine }>('agent:message', (m) => m.line.text === 'Let me check.')).toMatchObject({ sessionId, line: { who: 'Dana', sender: 'AGENT' } });

    await customer.request('chat message', { id: 'u-1', message: 'Thanks', mcount: 1 });
    await agent.next<ConsoleChat>('agent:chat', (chat) => chat.undelivered === 2);
    const acked = (await agent.requestRaw('agent:ack', { sessionId })) as { ids: number[] };
    expect(acked.ids).toHaveLength(2);
    expect(await customer.next('message acked')).toEqual({ ids: acked.ids });
    await agent.next<ConsoleChat>('agent:chat', (chat) => chat.undelivered === 0);

    const file = await uploadAs(server, agent, opened.chat, 'label.txt', 'Tracking: 123');
    expect(await agent.requestRaw('agent:attach', { sessionId, fileId: file.id })).toEqual({ ok: true });
    expect(systemEvent(await customer.next<ChatMessageEvent>('chat message', withEvent('FILE_UPLOAD')))).toMatchObject({ fileName: 'label.txt', name: 'Dana' });
    const fileLine = await agent.next<{ line: ConsoleLine }>('agent:message', (m) => m.line.file !== undefined);
    expect(fileLine.line.href).toMatch(new RegExp(`^${file.download}\\?t=[\\w-]+$`));
    expect(fileLine.line.href, 'a console gets no session secret').not.toContain(server.session(sessionId)?.secret);
    expect((await http(`${server.url}${fileLine.line.href ?? ''}`)).text).toBe('Tracking: 123');

    expect(await agent.requestRaw('agent:end', { sessionId })).toEqual({ ok: true });
    expect(systemEvent(await customer.next<ChatMessageEvent>('chat message', withEvent('OWNER_ENDS_CHAT')))).toEqual({ event: 'OWNER_ENDS_CHAT', name: 'Dana' });
    await customer.next('finish chat session');
    await agent.next<ConsoleChat>('agent:chat', (chat) => chat.state === 'ended');
  });

  it('transfers a chat to a colleague, takes one over from a simulated agent, and leaves one', async () => {
    const { server, clock, connect } = await startHarness();
    const agent = await openConsole({ server, connect });
    const customer = await connect(kind);
    const { sessionId } = await register(customer, AREAS.busy.id);
    await agent.requestRaw('agent:take', { sessionId, name: 'Dana' });

    expect(await agent.requestRaw('agent:transfer', { sessionId, name: 'Eve' })).toEqual({ ok: true });
    expect(systemEvent(await customer.next<ChatMessageEvent>('chat message', withEvent('AGENTS_REMOVED')))).toEqual({ event: 'AGENTS_REMOVED', names: ['Dana'] });
    expect(await agent.next<ConsoleChat>('agent:chat', (chat) => chat.agent === 'Eve')).toMatchObject({ sessionId, state: 'assigned', agentKind: 'person' });
    const lines = ((await agent.requestRaw('agent:open', { sessionId })) as { lines: ConsoleLine[] }).lines.map((line) => line.text);
    expect(lines.slice(-2)).toEqual(['Agent(s) added: Eve', 'Agent(s) removed: Dana']);
    expect(await agent.requestRaw('agent:transfer', { sessionId, name: '' })).toEqual({ error: 'invalid input: name' });

    expect(await agent.requestRaw('agent:leave', { sessionId })).toEqual({ ok: true });
    expect(systemEvent(await customer.next<ChatMessageEvent>('chat message', withEvent('AGENT_LEFT')))).toEqual({ event: 'AGENT_LEFT', name: 'Eve' });
    await agent.next<ConsoleChat>('agent:chat', (chat) => chat.sessionId === sessionId && chat.state === 'queued');

    const botCustomer = await connect(kind);
    const bot = await register(botCustomer, AREAS.support.id);
    clock.advance(1000);
    await botCustomer.next('chat message', withEvent('AGENTS_ADDED'));
    expect(await agent.requestRaw('agent:leave', { sessionId: bot.sessionId })).toEqual({ error: `chat ${bot.sessionId} is handled by a simulated agent` });
    expect(await agent.requestRaw('agent:transfer', { sessionId: bot.sessionId, name: 'Pat' })).toEqual({ ok: true });
    expect(systemEvent(await botCustomer.next<ChatMessageEvent>('chat message', withEvent('AGENTS_REMOVED')))).toEqual({ event: 'AGENTS_REMOVED', names: ['Alice'] });
    expect(await agent.requestRaw('agent:say', { sessionId: bot.sessionId, text: 'Pat here.' })).toMatchObject({ ok: true });
    expect(server.session(bot.sessionId)).toMatchObject({ agent: 'Pat', agentKind: 'person' });
  });

  it('refuses what a console may not do, naming why', async () => {
    const { server, clock, connect } = await startHarness();
    const agent = await openConsole({ server, connect });
    const customer = await connect(kind);
    const bot = await register(customer, AREAS.support.id);
    clock.advance(1000);
    await customer.next('chat message', withEvent('AGENTS_ADDED'));
    const waiting = await register(await connect(kind), AREAS.busy.id);

    expect(await agent.requestRaw('agent:take', { sessionId: waiting.sessionId })).toEqual({ error: 'invalid input: name' });
    expect(await agent.requestRaw('agent:say', { sessionId: waiting.sessionId, text: 'Hi' })).toEqual({ error: `chat ${waiting.sessionId} has no agent yet` });
    expect(await agent.requestRaw('agent:say', { sessionId: bot.sessionId, text: 'Hi' })).toEqual({ error: `chat ${bot.sessionId} is handled by a simulated agent` });
    expect(await agent.requestRaw('agent:take', { sessionId: bot.sessionId, name: 'Pat' })).toEqual({ error: `chat ${bot.sessionId} already has an agent (Alice)` });
    expect(await agent.requestRaw('agent:open', { sessionId: 999 })).toEqual({ error: 'no chat 999' });
    expect(await agent.requestRaw('agent:open', { sessionId: 'one' })).toEqual({ error: 'invalid input: sessionId' });
    expect(await agent.requestRaw('agent:type', { sessionId: bot.sessionId, messageLen: -1 })).toEqual({ error: 'invalid input: messageLen' });
    expect(await agent.requestRaw('agent:attach', { sessionId: waiting.sessionId, fileId: 12 })).toEqual({ error: 'invalid input: fileId' });
  });
});

describe('the messages customers left, in the agent console', () => {
  it('greets a console with the errands kept, and announces each new one', async () => {
    const { server, connect } = await startHarness();
    const leave = (subject: string) =>
      http(`${server.baseURL}/socket/external.api/createerrand`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ area: AREAS.sales.id, name: 'Ann', email: 'ann@example.com', subject, message: 'When do you open?' }),
      });
    await leave('Opening hours');
    const agent = await openConsole({ server, connect });
    expect((await agent.next<Hello>('agent:hello')).errands).toEqual([expect.objectContaining({ reference: 'E-1', areaName: 'Sales', name: 'Ann', email: 'ann@example.com', subject: 'Opening hours', message: 'When do you open?' })]);
    await leave('Returns');
    expect(await agent.next<Errand>('agent:errand')).toMatchObject({ reference: 'E-2', subject: 'Returns', areaId: AREAS.sales.id });
  });
});

describe('the agent console page and its key', () => {
  it('serves the page, its script, socket.io client bundle and config', async () => {
    const { server } = await startHarness();

    const page = await http(`${server.url}/console/`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>Agent console');
    expect((await http(`${server.url}/console`)).status).toBe(301);
    const script = await http(`${server.url}/console/console.js`);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.text).not.toContain('innerHTML');
    expect((await http(`${server.url}/console/vendor/socket.io.min.js`)).status).toBe(200);
    expect((await http(`${server.url}/console/config.json`)).json()).toEqual({ baseURL: '/s/demo', socketPath: '/s/demo/socket/socket.io', namespace: '/agent', keyRequired: true });
    expect((await http(`${server.url}/console/..%2f..%2fpackage.json`)).status).toBe(404);
  });

  it('refuses a console without the key when one is set', async () => {
    const { server, connect } = await startHarness({ agentConsole: { key: 'k3y' } });

    await expect(openConsole({ server, connect }, {})).rejects.toThrow(/agent key required/);
    await expect(openConsole({ server, connect }, { key: 'wrong' })).rejects.toThrow(/agent key required/);
    await (await openConsole({ server, connect }, { key: 'k3y' })).next('agent:hello');
    expect(server.consoleURL).toBe(`${server.url}/console/#key=k3y`);
  });

  it('has no page and no namespace when turned off', async () => {
    const { server, connect } = await startHarness({ agentConsole: false });

    expect((await http(`${server.url}/console/`)).status).toBe(404);
    await expect(openConsole({ server, connect }, {})).rejects.toThrow(/Invalid namespace/);
    expect(server.consoleURL).toBeUndefined();
  });
});
