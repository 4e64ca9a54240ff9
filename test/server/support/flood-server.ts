/**
 * The server of the flood test, in its own process (started with `--max-old-space-size=256
 * --expose-gc`) so its heap is its own. It tells the parent where it listens, then answers
 * `heap` with its heap after a full GC, the highest heap it saw since the last `heap`, and how
 * many chats it holds; `stop` closes it.
 */
import { getHeapStatistics } from 'node:v8';
import { startServer } from '../../../server';

export type FloodServerMessage =
  | { readonly type: 'ready'; readonly url: string; readonly baseURL: string; readonly socketPath: string }
  | { readonly type: 'heap'; readonly heapUsed: number; readonly peak: number; readonly heapLimit: number; readonly sessions: number };

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const server = await startServer({
  areas: [
    {
      id: 1,
      name: 'Support',
      agents: { mode: 'simulated', names: ['Alice', 'Bob'], joinDelayMs: 200, replyDelayMs: 200, typingMs: 200 },
      features: { 'chat.attachment': true, 'chat.max-attachment-size': 256 * 1024 },
      queueLimit: Infinity,
      // Short, so the flood's chats are gone within seconds of it stopping; the limits are the defaults.
      idleTimeoutMs: 5_000,
    },
  ],
  endedChatRetentionMs: 3_000,
  agentConsole: false,
  logger: () => {},
});

let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().heapUsed);
}, 100);

const send = (message: FloodServerMessage): void => void process.send?.(message);
process.on('message', (message: { type?: string }) => {
  if (message.type === 'heap') {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    gc();
    gc();
    send({ type: 'heap', heapUsed: process.memoryUsage().heapUsed, peak, heapLimit: getHeapStatistics().heap_size_limit, sessions: server.sessions().length });
    peak = 0;
  }
  if (message.type === 'stop') {
    clearInterval(sampler);
    void server.close().then(() => process.exit(0));
  }
});
send({ type: 'ready', url: server.url, baseURL: server.baseURL, socketPath: server.socketPath });
