/**
 * A flood with no network: `chat message` events (one message each, sockwrap-encoded, asking
 * for their ack, as the reference server writes them) fired at a client on an in-process socket,
 * `--per-read` of them per turn of the event loop as from one network read, counted on
 * `messages$`. What is left is the client's own time per flooded message.
 *
 *   npx tsx test/bench/flood-profile.ts [--messages N] [--per-read N | --tasks N] [--rounds N] [--source] [--bare | --decode]
 *
 * `--tasks N`: as a browser hands a flood to the page, each event a task of its own (a
 * `setImmediate` here), N of them queued at a time, as from one network read; the client's
 * batching (core/transport/after-tasks.ts) decides how many reach the machine together.
 * `--bare`: no client, a listener that acks and counts each event (what the raw client does);
 * `--decode`: that listener also decodes each payload (the protocol's part of ours). Ours less
 * `--decode` is the client's own glue per message.
 *   node --cpu-prof --import tsx test/bench/flood-profile.ts     (where that time goes)
 */
import type { IoFactory } from '../../core/transport/link';
import { clientUnderTest, floodPayload, numberArg as arg } from './command-line';
import { InProcessSocket, nextTurn } from './in-process-socket';
import { AUTO_ACK, decodePayload } from '../../core/protocol';

const createCentionChat = await clientUnderTest();
let socket: InProcessSocket | undefined;
const io: IoFactory = () => (socket = new InProcessSocket());
let received = 0;
const bare = process.argv.includes('--bare');
const decode = process.argv.includes('--decode');
const chat = bare || decode ? undefined : createCentionChat({ baseURL: 'http://127.0.0.1:1/s/bench', area: 1, storage: null, io });
if (chat) {
  await chat.start({ name: 'Ada', message: 'Hello' });
  chat.messages$.subscribe(() => void received++);
} else {
  socket = new InProcessSocket();
  let kept: unknown;
  socket.on('chat message', (payload, ack) => {
    if (decode) kept = decodePayload(payload);
    (ack as (value: string) => void)(AUTO_ACK);
    received++;
  });
  void kept;
}
const messages = arg('messages', 100_000);
const tasks = process.argv.includes('--tasks') ? arg('tasks', 16) : undefined;
const perRead = tasks ?? arg('per-read', 16);
const rounds = arg('rounds', 5);
const ack = () => undefined;
let nextId = 1;
for (let round = 0; round < rounds; round++) {
  // Encoded before the clock starts, as the bench's server does.
  const payloads = Array.from({ length: messages }, () => floodPayload(nextId++));
  const before = received;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < messages; i += perRead) {
    for (let j = i; j < Math.min(messages, i + perRead); j++) {
      if (tasks) setImmediate(() => socket!.fire('chat message', payloads[j], ack));
      else socket!.fire('chat message', payloads[j], ack);
    }
    await nextTurn();
  }
  // The last tasks' batch may still be waiting for its turn.
  for (let turn = 0; turn < 3 && received - before < messages; turn++) await nextTurn();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (received - before !== messages) throw new Error(`got ${received - before} of ${messages}`);
  // CPU time too: on a machine shared with other work, it moves less than the time on the clock.
  console.log(`round ${round + 1}: ${((ms * 1000) / messages).toFixed(2)} µs per message, ${((cpu.user + cpu.system) / messages).toFixed(2)} µs of CPU (transcript ${chat?.getSnapshot().transcript.length ?? 0})`);
}
chat?.stop();
