/**
 * A load process of `npm run bench:server`: it holds its share of the chats, each a
 * socket.io-client 4 websocket that speaks the protocol as a browser does (it acks every
 * `chat message` with `"onJson"`), and sends each chat's messages at the times the bench gives.
 * For every send it records how late it left, how long the `chat message` reply (the Message
 * sent object that `send().sent` resolves with) took, and when the agent's answer came. It also
 * watches its own event loop, so the bench can tell a slow server from a slow load process.
 *
 * Run by test/bench/server-load.ts, not by hand.
 */
import { performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { SessionInfo } from '../../core/protocol';
import { decodePayload, encodePayload, readChatMessageEvent } from '../../core/protocol';
import { watchLoopDelay } from './loop-delay';

/** What the bench asks of a load process. */
export type ToChats =
  | { readonly type: 'open'; readonly url: string; readonly socketPath: string; readonly chats: readonly number[] }
  | { readonly type: 'run'; readonly startAt: number; readonly everyMs: number; readonly rounds: number; readonly totalChats: number }
  | { readonly type: 'close' };

/**
 * Every send of one load process, one entry per send in parallel arrays (ms). `at`: when it
 * was due, from the start of the run; `late`: how long after that it left; `latency`: from
 * leaving to its reply; `answer`: from leaving to the agent's answer. `NaN` when none came.
 */
export interface Sends {
  readonly at: number[];
  readonly late: number[];
  readonly latency: number[];
  readonly answer: number[];
}

/** What a load process tells the bench. */
export type FromChats =
  | { readonly type: 'opened' }
  | {
      readonly type: 'result';
      readonly sends: Sends;
      /** Replies that were an `{error}` instead of a Message sent. */
      readonly errors: number;
      /** Its event loop's delay over the run (ms). */
      readonly loopP50: number;
      readonly loopP99: number;
      readonly loopMax: number;
      /** CPU time it used over the run, and the run's wall time (ms). */
      readonly cpuMs: number;
      readonly wallMs: number;
    };

const BATCH = 250;
/** How long the run waits for the last replies and answers. */
const DRAIN_MS = 10_000;
const ANSWERED = /"ping (\d+) (\d+)"/;

const tell = (message: FromChats): void => {
  process.send?.(message);
};

/** One chat of this process. */
interface Chat {
  readonly index: number;
  readonly socket: Socket;
  /** The epoch ms (sub-millisecond) each of its sends left, by round. */
  readonly leftAt: number[];
}

const epochNow = (): number => performance.timeOrigin + performance.now();

function openChat(url: string, socketPath: string, index: number, onAnswer: (chat: number, round: number, at: number) => void): Promise<Chat> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { path: socketPath, transports: ['websocket'], forceNew: true, reconnection: false, timeout: 60_000 });
    const chat: Chat = { index, socket, leftAt: [] };
    let greeted = false;
    socket.on('chat message', (raw: unknown, ack?: (value: string) => void) => {
      const at = epochNow();
      ack?.('onJson');
      const event = readChatMessageEvent(decodePayload(raw));
      for (const message of event?.chat ?? []) {
        if (message.sender !== 'AGENT') continue;
        const answered = ANSWERED.exec(message.text);
        if (answered) onAnswer(Number(answered[1]), Number(answered[2]), at);
        else if (!greeted) {
          // The agent's greeting: the chat is open, its agent idle, ready for the run.
          greeted = true;
          resolve(chat);
        }
      }
    });
    socket.on('connect_error', reject);
    socket.on('disconnect', (reason) => {
      if (reason !== 'io client disconnect') console.error(`chat ${index} lost its socket: ${reason}`);
    });
    socket.on('connect', () => {
      socket.emit('register', encodePayload({ area: 1, name: `Load ${index}`, message: `Hello from chat ${index}` }), (raw: unknown) => {
        const reply = decodePayload(raw) as Partial<SessionInfo> & { error?: string };
        if (reply.error) reject(new Error(`register: ${reply.error}`));
      });
    });
  });
}

const chats = new Map<number, Chat>();
const sends: Sends = { at: [], late: [], latency: [], answer: [] };
/** Where each send's entry is in `sends`, by chat and round. */
const entryOf = new Map<string, number>();
let errors = 0;
let outstanding = 0;

function recordAnswer(chat: number, round: number, at: number): void {
  const entry = entryOf.get(`${chat} ${round}`);
  const left = chats.get(chat)?.leftAt[round];
  if (entry === undefined || left === undefined || !Number.isNaN(sends.answer[entry])) return;
  sends.answer[entry] = at - left;
  outstanding--;
}

async function open(url: string, socketPath: string, indices: readonly number[]): Promise<void> {
  for (let i = 0; i < indices.length; i += BATCH) {
    const batch = await Promise.all(indices.slice(i, i + BATCH).map((index) => openChat(url, socketPath, index, recordAnswer)));
    for (const chat of batch) chats.set(chat.index, chat);
  }
}

function send(chat: Chat, round: number, dueAt: number, startAt: number): void {
  const entry = sends.at.length;
  const left = epochNow();
  sends.at.push(dueAt - startAt);
  sends.late.push(left - dueAt);
  sends.latency.push(Number.NaN);
  sends.answer.push(Number.NaN);
  entryOf.set(`${chat.index} ${round}`, entry);
  chat.leftAt[round] = left;
  // Two replies per send: the Message sent ack and the agent's answer.
  outstanding += 2;
  chat.socket.emit('chat message', encodePayload({ id: `b-${chat.index}-${round}`, message: `ping ${chat.index} ${round}`, mcount: round + 2 }), (raw: unknown) => {
    sends.latency[entry] = epochNow() - left;
    outstanding--;
    const reply = decodePayload(raw) as { error?: string };
    if (reply.error !== undefined) {
      errors++;
      // No answer comes to a refused message.
      outstanding--;
    }
  });
}

/** Sends every round of every chat at its time: chat `i` of `n` at `i / n` of each period. */
async function run({ startAt, everyMs, rounds, totalChats }: Extract<ToChats, { type: 'run' }>): Promise<void> {
  const schedule = [...chats.values()].sort((a, b) => a.index - b.index);
  const dueAt = (position: number): number => {
    const round = Math.floor(position / schedule.length);
    const chat = schedule[position % schedule.length] as Chat;
    return startAt + round * everyMs + (chat.index * everyMs) / totalChats;
  };
  const total = schedule.length * rounds;
  let loop: ReturnType<typeof watchLoopDelay> | undefined;
  const cpu = process.cpuUsage();
  const wall = performance.now();
  await new Promise<void>((resolve) => {
    let position = 0;
    const tick = (): void => {
      const now = epochNow();
      while (position < total && dueAt(position) <= now) {
        const chat = schedule[position % schedule.length] as Chat;
        send(chat, Math.floor(position / schedule.length), dueAt(position), startAt);
        position++;
      }
      if (position < total) setTimeout(tick, Math.max(0, dueAt(position) - epochNow()));
      else resolve();
    };
    setTimeout(() => {
      loop = watchLoopDelay();
      tick();
    }, Math.max(0, startAt - epochNow()));
  });
  const drainUntil = performance.now() + DRAIN_MS;
  while (outstanding > 0 && performance.now() < drainUntil) await new Promise((resolve) => setTimeout(resolve, 50));
  const delay = loop?.read() ?? { p50: Number.NaN, p99: Number.NaN, max: Number.NaN };
  loop?.stop();
  const used = process.cpuUsage(cpu);
  tell({ type: 'result', sends, errors, loopP50: delay.p50, loopP99: delay.p99, loopMax: delay.max, cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall });
}

process.on('message', (message: ToChats) => {
  if (message.type === 'open') void open(message.url, message.socketPath, message.chats).then(() => tell({ type: 'opened' }));
  if (message.type === 'run') void run(message);
  if (message.type === 'close') {
    for (const chat of chats.values()) chat.socket.close();
    process.exit(0);
  }
});
