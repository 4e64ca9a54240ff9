/**
 * How many concurrent chats one reference server holds, and at what memory.
 *
 *   npx tsx test/bench/server-load.ts [1000 5000 10000]
 *
 * The server runs in a child process (so its memory is its own); this process opens chats over
 * socket.io-client 4 (websocket transport) in batches: connect, register, wait until the
 * simulated agent has joined. At each step it asks the server for its counts and memory (after
 * a GC), then every chat sends one message and waits for the agent's answer. Every chat stays
 * open until the end. Needs `ulimit -n` above the largest step plus a margin.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { ChatMessageEvent, SessionInfo } from '../../core/protocol';
import { decodePayload, encodePayload, readChatMessageEvent } from '../../core/protocol';

interface Stats {
  readonly sessions: number;
  readonly live: number;
  readonly sockets: number;
  readonly rss: number;
  readonly heapUsed: number;
}

type ToParent = { readonly type: 'ready'; readonly url: string; readonly socketPath: string } | ({ readonly type: 'stats' } & Stats);

const BATCH = 250;
const MB = 1024 * 1024;

// ------------------------------------------------------------------ the server process

async function serve(): Promise<void> {
  const { startServer } = await import('../../server');
  const server = await startServer({
    areas: [
      {
        id: 1,
        name: 'Load',
        agents: { mode: 'simulated', names: ['Alice', 'Bob', 'Carol', 'Dan'], joinDelayMs: 50, replyDelayMs: 100, typingMs: 200 },
        queueLimit: Infinity,
        idleTimeoutMs: 60 * 60_000,
      },
    ],
    agentConsole: false,
    // Thousands of chats from one address: no limits.
    limits: false,
    logger: (line) => console.error(line),
  });
  const send = (message: ToParent): void => {
    process.send?.(message);
  };
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'stats') {
      (globalThis as { gc?: () => void }).gc?.();
      const memory = process.memoryUsage();
      const sessions = server.sessions();
      send({ type: 'stats', sessions: sessions.length, live: sessions.filter((s) => s.state !== 'ended').length, sockets: sessions.reduce((n, s) => n + s.connectedSockets, 0), rss: memory.rss, heapUsed: memory.heapUsed });
    }
    if (message.type === 'stop') void server.close().then(() => process.exit(0));
  });
  send({ type: 'ready', url: server.url, socketPath: server.socketPath });
}

// ------------------------------------------------------------------ the load process

function nextMessage<T>(child: ChildProcess, type: T extends { type: infer K } ? K : never): Promise<T> {
  return new Promise((resolve) => {
    const listener = (message: { type?: string }): void => {
      if (message.type !== type) return;
      child.off('message', listener);
      resolve(message as T);
    };
    child.on('message', listener);
  });
}

function openChat(url: string, socketPath: string, index: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { path: socketPath, transports: ['websocket'], forceNew: true, reconnection: false, timeout: 60_000 });
    socket.on('chat message', (raw: unknown, ack?: (value: string) => void) => {
      ack?.('onJson');
      const event = readChatMessageEvent(decodePayload(raw));
      if (event && event.agent !== '' && event.chat.some((m) => m.text.includes('AGENTS_ADDED'))) resolve(socket);
    });
    socket.on('connect_error', reject);
    socket.on('connect', () => {
      socket.emit('register', encodePayload({ area: 1, name: `Load ${index}`, message: `Hello from chat ${index}` }), (raw: unknown) => {
        const reply = decodePayload(raw) as Partial<SessionInfo> & { error?: string };
        if (reply.error) reject(new Error(reply.error));
      });
    });
  });
}

function roundTrip(socket: Socket, index: number): Promise<void> {
  return new Promise((resolve) => {
    const text = `ping ${index}`;
    const onMessage = (raw: unknown): void => {
      const event = readChatMessageEvent(decodePayload(raw)) as ChatMessageEvent;
      if (event.chat.some((m) => m.sender === 'AGENT' && m.text.includes(text))) {
        socket.off('chat message', onMessage);
        resolve();
      }
    };
    socket.on('chat message', onMessage);
    socket.emit('chat message', encodePayload({ id: `p-${index}`, message: text, mcount: 1 }), () => {});
  });
}

async function load(steps: readonly number[]): Promise<void> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { url, socketPath } = await nextMessage<Extract<ToParent, { type: 'ready' }>>(child, 'ready');
  const stats = async (): Promise<Stats> => {
    const reply = nextMessage<Extract<ToParent, { type: 'stats' }>>(child, 'stats');
    child.send({ type: 'stats' });
    return reply;
  };
  const idle = await stats();
  console.log(`server idle: RSS ${(idle.rss / MB).toFixed(1)} MB, heap ${(idle.heapUsed / MB).toFixed(1)} MB`);
  console.log('chats   live   sockets   open time   round trip   server RSS   server heap   heap per chat');

  const sockets: Socket[] = [];
  try {
    for (const target of steps) {
      const opened = Date.now();
      while (sockets.length < target) {
        const batch = Array.from({ length: Math.min(BATCH, target - sockets.length) }, (_, i) => openChat(url, socketPath, sockets.length + i));
        sockets.push(...(await Promise.all(batch)));
      }
      const openTime = Date.now() - opened;
      const pinged = Date.now();
      await Promise.all(sockets.map((socket, index) => roundTrip(socket, index + target * 10)));
      const roundTripTime = Date.now() - pinged;
      const s = await stats();
      console.log(
        [
          String(target).padEnd(7),
          String(s.live).padEnd(6),
          String(s.sockets).padEnd(9),
          `${(openTime / 1000).toFixed(1)} s`.padEnd(11),
          `${(roundTripTime / 1000).toFixed(1)} s`.padEnd(12),
          `${(s.rss / MB).toFixed(0)} MB`.padEnd(12),
          `${(s.heapUsed / MB).toFixed(0)} MB`.padEnd(13),
          `${((s.heapUsed - idle.heapUsed) / s.live / 1024).toFixed(1)} KB`,
        ].join(' '),
      );
    }
  } finally {
    for (const socket of sockets) socket.close();
    child.send({ type: 'stop' });
    await new Promise((resolve) => child.on('exit', resolve));
  }
}

if (process.argv.includes('--serve')) {
  await serve();
} else {
  const steps = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  await load(steps.length > 0 ? steps : [1000, 5000, 10_000]);
}
