/**
 * Where the time of one send goes: timestamps along `chat.send(text).sent`, next to a raw
 * socket.io-client's `emit` with an ack on the same server, socket.io-client version and
 * transport.
 *
 *   npm run build && npx tsx test/bench/send-trace.ts [--v2] [--sends N] [--warm-up N] [--transitions]
 *
 * The points of one send of ours: `send()` called; the machine's `user.send` given to the actor;
 * the `chat message` packet handed to socket.io (`emit`); the reply's packet arriving (the
 * engine.io `packet` event, before socket.io reads it); the ack callback called; the `receipt`
 * notification of the machine; the snapshot after it; `sent` resolving. Of the raw client: the
 * emit, the packet arriving, the ack callback, the promise resolving. Each segment is the median
 * over the measured sends, in µs. The server is the bench's (test/bench/client-bench.ts --serve),
 * in its own process.
 *
 * `--transitions` also marks where the machine takes each event (an XState inspector's
 * `@xstate.event`): the `chatMessage` command reaching the link actor, and the `reply.chatMessage`
 * event reaching the machine. That splits the machine's two transitions from the link's work on
 * either side of them; the inspector costs a little of its own, so the totals are read without it.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import ioClientV2 from 'socket.io-client-v2';
import type { InspectionEvent } from 'xstate';
// Ours as a site runs it: the built package (`npm run build` first).
import { built, builtSocketIoV4 } from './built';
import { numberArg as arg } from './command-line';
import { rawRegistration } from './raw-registration';
import type { CentionChat } from '../../core';
import type { IoFactory, SocketLike } from '../../core/transport/link';
import { decodePayload, encodePayload, readSessionInfo } from '../../core/protocol';

const { createCentionChat } = built;
const { io: ioV4 } = builtSocketIoV4;

type Ready = { readonly type: 'ready'; readonly baseURL: string; readonly url: string; readonly socketPath: string };

const v2 = process.argv.includes('--v2');
const transitions = process.argv.includes('--transitions');
const SENDS = arg('sends', 2000);
const WARM_UP = arg('warm-up', 3000);
const BLOCK = 100;
const now = (): number => performance.now();

/** A socket's engine.io `packet` event for a socket.io ACK packet: when a reply arrived, before socket.io decodes it. */
function onPacket(socket: SocketLike, listener: () => void): void {
  const manager = (socket as unknown as { io: { engine?: Engine; on(e: string, l: () => void): void } }).io;
  type Engine = { on(e: string, l: (packet: { type: string; data?: unknown }) => void): void };
  const hook = (engine: Engine) =>
    engine.on('packet', (packet) => {
      if (packet.type === 'message' && typeof packet.data === 'string' && packet.data.startsWith('3')) listener();
    });
  if (manager.engine) hook(manager.engine);
  else manager.on('open', () => hook(manager.engine as Engine));
}

/** The io factory of the version measured, with every socket it makes told to this process. */
const baseIo: IoFactory = v2 ? (uri, options) => ioClientV2(uri, options) : ioV4;

interface Marks {
  send: number;
  actor: number;
  emit: number;
  arrive: number;
  ack: number;
  receipt: number;
  snapshot: number;
  resolved: number;
  /** With `--transitions`: the link actor given the `chatMessage` command; the machine given the reply. */
  command: number;
  reply: number;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;

async function main(): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./client-bench.ts', import.meta.url)), '--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<Ready>((resolve) => child.once('message', (m: Ready) => resolve(m)));
  const join = (sessionId: number) =>
    new Promise<void>((resolve) => {
      child.once('message', () => resolve());
      child.send({ type: 'join', sessionId });
    });
  try {
    // Ours, with hooks at each point.
    const unmarked = (): Marks => ({ send: 0, actor: 0, emit: 0, arrive: 0, ack: 0, receipt: 0, snapshot: 0, resolved: 0, command: 0, reply: 0 });
    let marks = unmarked();
    const inspect = (event: InspectionEvent) => {
      if (!tracing || event.type !== '@xstate.event') return;
      if (event.event.type === 'chatMessage' && marks.command === 0) marks.command = now();
      if (event.event.type === 'reply.chatMessage' && marks.reply === 0) marks.reply = now();
    };
    let tracing = false;
    const io: IoFactory = (uri, options) => {
      const socket = baseIo(uri, options);
      const emit = socket.emit.bind(socket);
      socket.emit = (event: string, ...args: unknown[]) => {
        if (tracing && event === 'chat message') {
          marks.emit = now();
          const ack = args.pop() as (...a: unknown[]) => void;
          args.push((...a: unknown[]) => {
            marks.ack = now();
            ack(...a);
          });
        }
        return emit(event, ...args);
      };
      onPacket(socket, () => {
        if (tracing && marks.arrive === 0 && marks.emit !== 0) marks.arrive = now();
      });
      return socket;
    };
    const chat: CentionChat = createCentionChat({ baseURL: ready.baseURL, area: 1, storage: null, socketOptions: { transports: ['websocket'] }, io, ...(transitions ? { inspect } : {}) });
    const session = await chat.start({ name: 'Ours', message: 'Hello' });
    await join(session.sessionId);
    // The runtime is loaded once a chat has started (core/engine/lazy-runtime.ts).
    const actor = chat.actor;
    if (!actor) throw new Error('the chat started without its runtime');
    const actorSend = actor.send.bind(actor);
    actor.send = (event) => {
      if (tracing && event.type === 'user.send') marks.actor = now();
      actorSend(event);
    };
    actor.on('receipt', (n) => {
      if (tracing && n.state === 'sent' && marks.receipt === 0) marks.receipt = now();
    });
    actor.subscribe(() => {
      if (tracing && marks.receipt !== 0 && marks.snapshot === 0) marks.snapshot = now();
    });

    // Raw, with the same hooks.
    const rawSocket = baseIo(ready.url.replace(/\/$/, ''), { path: ready.socketPath, forceNew: true, withCredentials: true, reconnection: false, transports: ['websocket'] });
    await new Promise<void>((resolve) => rawSocket.on('connect', () => resolve()));
    const ask = (event: string, payload: unknown, onAck?: () => void) =>
      new Promise<unknown>((resolve) => {
        rawSocket.emit(event, payload, (answer: unknown) => {
          onAck?.();
          resolve(answer);
        });
      });
    const rawSession = readSessionInfo(decodePayload(await ask('register', encodePayload(rawRegistration(ready.baseURL)))));
    if (!rawSession) throw new Error('raw register failed');
    await join(rawSession.sessionId);
    // The raw client acks every event that asks, as the protocol asks of any client.
    rawSocket.on('chat message', (...args: unknown[]) => (args.at(-1) as (v: string) => void)('onJson'));
    let raw = { emit: 0, arrive: 0, ack: 0, resolved: 0 };
    onPacket(rawSocket, () => {
      if (tracing && raw.arrive === 0 && raw.emit !== 0) raw.arrive = now();
    });

    const ours: Marks[] = [];
    const raws: (typeof raw)[] = [];
    let n = 0;
    for (let done = 0; done < WARM_UP + SENDS; done += BLOCK) {
      const measured = done >= WARM_UP;
      for (let i = 0; i < BLOCK; i++) {
        raw = { emit: 0, arrive: 0, ack: 0, resolved: 0 };
        tracing = true;
        raw.emit = now();
        await ask('chat message', encodePayload({ id: `raw-${++n}`, message: `Raw ${n}`, mcount: n }), () => (raw.ack = now()));
        raw.resolved = now();
        tracing = false;
        if (measured) raws.push(raw);
      }
      for (let i = 0; i < BLOCK; i++) {
        marks = unmarked();
        tracing = true;
        marks.send = now();
        await chat.send(`Ours ${++n}`).sent;
        marks.resolved = now();
        tracing = false;
        if (measured) ours.push(marks);
      }
    }
    const us = (values: number[]) => (median(values) * 1000).toFixed(1).padStart(7);
    const seg = <T>(list: T[], from: (m: T) => number, to: (m: T) => number) => us(list.map((m) => to(m) - from(m)));
    console.log(`socket.io-client ${v2 ? '2' : '4'}, websocket; ${SENDS} sends measured after ${WARM_UP}; medians in µs`);
    console.log(`ours: send() → actor.send          ${seg(ours, (m) => m.send, (m) => m.actor)}`);
    console.log(`      actor.send → socket emit     ${seg(ours, (m) => m.actor, (m) => m.emit)}`);
    console.log(`      emit → reply packet arrives  ${seg(ours, (m) => m.emit, (m) => m.arrive)}`);
    console.log(`      arrives → ack callback       ${seg(ours, (m) => m.arrive, (m) => m.ack)}`);
    console.log(`      ack → receipt notification   ${seg(ours, (m) => m.ack, (m) => m.receipt)}`);
    if (transitions) {
      console.log(`  of which: actor.send → the link has the command (the user.send transition)  ${seg(ours, (m) => m.actor, (m) => m.command)}`);
      console.log(`            the link has it → socket emit (encoding, the reply's timer)      ${seg(ours, (m) => m.command, (m) => m.emit)}`);
      console.log(`            ack → the machine has the reply (decoding, reading it)           ${seg(ours, (m) => m.ack, (m) => m.reply)}`);
      console.log(`            the machine has it → receipt (the reply.chatMessage transition,  ${seg(ours, (m) => m.reply, (m) => m.receipt)}`);
      console.log(`              and the receipt's other listeners: the keeper, the engine, the streams)`);
    }
    console.log(`      receipt → snapshot           ${seg(ours, (m) => m.receipt, (m) => m.snapshot)}`);
    console.log(`      snapshot → sent resolved     ${seg(ours, (m) => m.snapshot, (m) => m.resolved)}`);
    console.log(`      total                        ${seg(ours, (m) => m.send, (m) => m.resolved)}`);
    console.log(`raw:  emit → reply packet arrives  ${seg(raws, (m) => m.emit, (m) => m.arrive)}`);
    console.log(`      arrives → ack callback       ${seg(raws, (m) => m.arrive, (m) => m.ack)}`);
    console.log(`      ack → resolved               ${seg(raws, (m) => m.ack, (m) => m.resolved)}`);
    console.log(`      total                        ${seg(raws, (m) => m.emit, (m) => m.resolved)}`);
    chat.stop();
    rawSocket.disconnect();
  } finally {
    child.kill();
  }
}

await main();
