/**
 * The attacker of the flood test, in its own process, from one address: for `durationMs` it
 * opens more sockets than the server allows an address, and on them registers chat after chat,
 * sends 10 KB messages as fast as the connection takes them, previews, and junk, opening a new
 * socket whenever the server cuts one; meanwhile it uploads files with a secret and stalls
 * uploads without one. Then it closes everything and prints what the server answered, as one
 * JSON line.
 *
 *   node --import tsx flood-client.ts <url> <socketPath> <baseURL> <durationMs>
 */
import { request } from 'node:http';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { decodePayload, encodePayload } from '../../../core/protocol';

const [url = '', socketPath = '', baseURL = '', durationText = '60000'] = process.argv.slice(2);
const deadline = Date.now() + Number(durationText);
const running = (): boolean => Date.now() < deadline;

export interface FloodReport {
  readonly socketsOpened: number;
  readonly socketsRefused: number;
  /** Sockets the server disconnected. */
  readonly socketsCut: number;
  /** Replies by what they said: `ok`, or the error (`rate limited`, `no session`...). */
  readonly replies: Record<string, number>;
  readonly messagesSent: number;
  readonly registersSent: number;
  readonly previewsSent: number;
  /** Upload answers by HTTP status. */
  readonly uploads: Record<string, number>;
}

const replies: Record<string, number> = {};
const uploads: Record<string, number> = {};
let messagesSent = 0;
let registersSent = 0;
let previewsSent = 0;
const count = (table: Record<string, number>, key: string): void => {
  table[key] = (table[key] ?? 0) + 1;
};
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const TEN_KB = encodePayload({ id: '', message: 'x'.repeat(10_000), mcount: 1 }) as string;
const registration = (n: number) => encodePayload({ area: 1, name: `Flood ${n}`, email: '', phone: '', message: 'y'.repeat(10_000), externalData: '', baseURL, offlineChat: false, trackClientUrl: false });

function ask(socket: Socket, event: string, payload: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    socket.timeout(10_000).emit(event, payload, (error: Error | null, reply: unknown) => {
      const decoded = (error ? { error: 'timeout' } : decodePayload(reply)) as Record<string, unknown>;
      count(replies, typeof decoded['error'] === 'string' ? decoded['error'] : 'ok');
      resolve(decoded);
    });
  });
}

/** Waits while the connection's own buffer is full, so the flooder sends as fast as the link takes it without running out of memory itself. */
async function drained(socket: Socket): Promise<void> {
  const engine = socket.io.engine as unknown as { writeBuffer: unknown[] } | undefined;
  while (running() && engine && engine.writeBuffer.length > 200) await tick();
}

function open(): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = io(url, { path: socketPath, transports: ['websocket'], forceNew: true, reconnection: false, timeout: 10_000 });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', () => {
      socket.close();
      resolve(undefined);
    });
  });
}

/** Chat after chat: register, close, register... */
async function registerLoop(socket: Socket, n: number): Promise<void> {
  while (running() && socket.connected) {
    registersSent++;
    const reply = await ask(socket, 'register', registration(n));
    if (typeof reply['sessionId'] === 'number') await ask(socket, 'close chat', encodePayload({}));
  }
}

/** 10 KB messages as fast as the link takes them, a few asking for an ack. */
async function messageLoop(socket: Socket, n: number): Promise<void> {
  registersSent++;
  await ask(socket, 'register', registration(n));
  let i = 0;
  while (running() && socket.connected) {
    messagesSent++;
    const payload = TEN_KB.replace('%22id%22%3A%22%22', `%22id%22%3A%22f-${n}-${++i}%22`);
    if (i % 20 === 0) void ask(socket, 'chat message', payload);
    else socket.emit('chat message', payload);
    await drained(socket);
    if (i % 50 === 0) await tick();
  }
}

/** Previews and junk. */
async function noiseLoop(socket: Socket, n: number): Promise<void> {
  registersSent++;
  await ask(socket, 'register', registration(n));
  let i = 0;
  while (running() && socket.connected) {
    previewsSent++;
    socket.emit('preview', encodePayload({ preview: `typing ${++i} ${'z'.repeat(1000)}` }));
    if (i % 10 === 0) socket.emit('take over', { everything: true });
    if (i % 10 === 5) socket.emit('register', '%E0%A4%A');
    if (i % 100 === 0) void ask(socket, 'preview', encodePayload({ preview: 'asked' }));
    await drained(socket);
    if (i % 50 === 0) await tick();
  }
}

function post(fields: Record<string, string>, fileBytes: number, stall: boolean): Promise<void> {
  const boundary = 'flood-boundary';
  const head =
    Object.entries(fields)
      .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      .join('') + `--${boundary}\r\nContent-Disposition: form-data; name="uploadfile"; filename="flood.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  return new Promise((resolve) => {
    const req = request(`${baseURL}/Cention/web/chat/client/uploadAttachment`, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }, (res) => {
      count(uploads, String(res.statusCode));
      res.resume();
      res.on('end', () => {
        req.destroy();
        resolve();
      });
    });
    req.on('error', () => resolve());
    req.write(head);
    req.write(Buffer.alloc(fileBytes, 7));
    if (stall) return; // never ends: only a server that answers without the rest lets it go
    req.end(`\r\n--${boundary}--\r\n`);
  });
}

async function uploadLoop(secret: string | undefined): Promise<void> {
  while (running()) {
    if (secret === undefined) await post({ session: '1', area: '1' }, 64 * 1024, true);
    else await post({ sessionSecret: secret }, 200 * 1024, false);
    // A pause, so the flood does not run this machine out of ports in TIME_WAIT.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const sockets = new Set<Socket>();
let opened = 0;
let refused = 0;
let cut = 0;

/** One attacker's socket: its role on a socket, and a new socket whenever the server cuts it (after a pause once refused). */
async function attacker(n: number): Promise<void> {
  while (running()) {
    const socket = await open();
    if (!socket) {
      refused++;
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    opened++;
    sockets.add(socket);
    socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect' || reason === 'transport close') cut++;
    });
    await (n % 3 === 0 ? registerLoop(socket, n) : n % 3 === 1 ? messageLoop(socket, n) : noiseLoop(socket, n));
    socket.close();
    sockets.delete(socket);
  }
}

const loops: Promise<void>[] = [];
for (let n = 0; n < 60; n++) loops.push(attacker(n));
const uploader = await open();
const chat = uploader ? await ask(uploader, 'register', registration(999)) : {};
const secret = typeof chat['sessionSecret'] === 'string' ? chat['sessionSecret'] : undefined;
for (let n = 0; n < 3; n++) loops.push(uploadLoop(secret));
for (let n = 0; n < 3; n++) loops.push(uploadLoop(undefined));
await Promise.all(loops);

uploader?.close();
for (const socket of sockets) socket.close();
const report: FloodReport = { socketsOpened: opened, socketsRefused: refused, socketsCut: cut, replies, messagesSent, registersSent, previewsSent, uploads };
console.log(JSON.stringify(report));
process.exit(0);
