import { io as ioV4 } from 'socket.io-client';
import ioV1 from 'socket.io-client-v1';
import ioV2 from 'socket.io-client-v2';
import { describe, expect, it } from 'vitest';
import type { ChatServer } from '../../server';
import { TestClient } from './support/clients';
import { AREAS, onCleanup, register, startHarness } from './support/harness';
import { http } from './support/http';

type Connectable = (uri: string, options: Record<string, unknown>) => { on(event: string, listener: (...args: unknown[]) => void): unknown; close(): unknown };

/** Resolves with how a raw client's first connection attempt ends: `connect`, or the error's message. */
function firstAttempt(io: Connectable, server: ChatServer, path = server.socketPath): Promise<string> {
  const socket = io(server.url, { path, forceNew: true, reconnection: false, transports: ['polling'] });
  onCleanup(() => void socket.close());
  return new Promise((resolve) => {
    socket.on('connect', () => resolve('connect'));
    socket.on('connect_error', (error) => resolve(error instanceof Error ? error.message : String(error)));
  });
}

describe('the Engine.IO mode of the server', () => {
  it('takes socket.io-client 1, 2 and 4 by default', async () => {
    const { server } = await startHarness({ engineIO: 'both' });
    expect(server.engineIO).toBe('both');
    expect(await firstAttempt(ioV1 as unknown as Connectable, server)).toBe('connect');
    expect(await firstAttempt(ioV2 as unknown as Connectable, server)).toBe('connect');
    expect(await firstAttempt(ioV4 as unknown as Connectable, server)).toBe('connect');
  });

  it('refuses an Engine.IO 4 handshake with engineIO: 3, and takes socket.io-client 1 and 2, like a Cention 5.x server', async () => {
    const { server } = await startHarness({ engineIO: 3 });
    expect(await firstAttempt(ioV4 as unknown as Connectable, server)).toBe('xhr poll error');
    expect(await firstAttempt(ioV1 as unknown as Connectable, server)).toBe('connect');
    expect(await firstAttempt(ioV2 as unknown as Connectable, server)).toBe('connect');

    const refused = await http(`${server.url}${server.socketPath}/?EIO=4&transport=polling`);
    expect(refused.status).toBe(403);
    const handshake = await http(`${server.url}${server.socketPath}/?EIO=3&transport=polling`);
    expect(handshake.status).toBe(200);
    // Engine.IO 3's open packet, with Cention's heartbeat: a ping every 25 s, 60 s to answer.
    expect(handshake.text).toMatch(/"pingInterval":25000,"pingTimeout":60000/);
  });

  it('runs a chat over socket.io-client 2 against an Engine.IO-3-only server', async () => {
    const { server, connect } = await startHarness({ engineIO: 3 });
    const client = await connect('v2');
    const { sessionId } = await register(client, AREAS.busy.id);
    server.agent.join(sessionId, 'Dana');
    expect(await client.next<{ agent: string }>('chat message', (e) => e.agent === 'Dana')).toMatchObject({ agent: 'Dana' });
    expect(await client.request('chat message', { id: 'c-1', message: 'Hello', mcount: 1 })).toMatchObject({ umid: 'c-1' });
  });

  it('serves the agent console (socket.io-client 4) on a path of its own when the chat speaks Engine.IO 3 only', async () => {
    const { server } = await startHarness({ engineIO: 3, agentConsole: { key: false } });
    expect(server.agentSocketPath).not.toBe(server.socketPath);
    expect((await http(`${server.url}/console/config.json`)).json()).toMatchObject({ socketPath: server.agentSocketPath, namespace: '/agent' });
    const console = await TestClient.connect('v4', server, { namespace: '/agent' });
    onCleanup(() => console.close());
    expect(console.connected).toBe(true);
  });

  it('refuses a mode it does not know', async () => {
    await expect(startHarness({ engineIO: 4 as never })).rejects.toThrow("engineIO must be 3 or 'both', got 4");
  });
});
