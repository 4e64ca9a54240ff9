/**
 * Run as its own process by the lifecycle suite: opens every kind of resource the server has
 * (sockets of both namespaces, agent and expiry timers, a delayed event, an upload, a refused
 * upload lingering), then closes the server. The process must then exit by itself: anything
 * left open would keep it alive.
 */
import { io } from 'socket.io-client';
import { encodePayload } from '../../../core/protocol';
import { startServer } from '../../../server';
import { http, multipart } from './http';

const server = await startServer({
  areas: [{ id: 1, name: 'Support', agents: { mode: 'simulated', joinDelayMs: 60_000 }, features: { 'chat.attachment': true, 'chat.max-attachment-size': 1024 } }],
  logger: () => {},
});
const options = { path: server.socketPath, reconnection: false, forceNew: true };
const customer = io(server.url, options);
const agentConsole = io(`${server.url}/agent`, { ...options, auth: { key: server.consoleKey } });
await new Promise((resolve) => agentConsole.once('connect', () => resolve(undefined)));

const register = (): Promise<{ sessionId: number; sessionSecret: string }> =>
  new Promise((resolve) => customer.emit('register', encodePayload({ area: 1, name: 'Ann', message: 'Hello' }), (reply: string) => resolve(JSON.parse(decodeURIComponent(reply)))));
await register(); // waits for its simulated agent: a join timer
const session = await register();
server.faults.set({ delayMs: 60_000 });
server.agent.join(session.sessionId, 'Pat');
const form = (size: number) =>
  multipart([
    { name: 'sessionSecret', value: session.sessionSecret },
    { name: 'uploadfile', filename: 'a.txt', type: 'text/plain', data: Buffer.alloc(size) },
  ]);
for (const size of [10, 4096]) {
  const { body, contentType } = form(size);
  await http(`${server.baseURL}/Cention/web/chat/client/uploadAttachment`, { method: 'POST', body, headers: { 'content-type': contentType, connection: 'keep-alive' } });
}

await server.close();
console.log(`closed; listening=${String(server.listening)}`);
