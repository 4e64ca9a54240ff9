/**
 * One send of ours with no network: a client on an in-process socket that answers each `chat
 * message` on the next microtask as the reference server does (the reply, then `message sent`,
 * then the echo, each asking for its ack). What is left is the client's own time per send.
 *
 *   npx tsx test/bench/send-profile.ts [--sends N] [--first N] [--source]
 *   node --cpu-prof --import tsx test/bench/send-profile.ts     (where that time goes)
 */
import type { IoFactory, Listener } from '../../core/transport/link';
import { clientUnderTest, numberArg as arg } from './command-line';
import { InProcessSocket, nextTurn } from './in-process-socket';
import { decodePayload, encodePayload } from '../../core/protocol';

/** Answers each `chat message` as the reference server does: the reply, `message sent`, the echo. */
class LoopbackSocket extends InProcessSocket {
  private nextId = 100;
  override emit(event: string, ...args: unknown[]): this {
    super.emit(event, ...args);
    if (event === 'chat message') {
      const ack = args.at(-1) as Listener;
      const { id: umid, message } = decodePayload(args[0]) as { id: string; message: string };
      const id = this.nextId++;
      const sent = { id: String(id), umid, sent: 1_767_600_000, sentHuman: '10:00' };
      queueMicrotask(() => ack(encodePayload(sent)));
      setImmediate(() => {
        this.fire('message sent', encodePayload(sent), () => undefined);
        this.fire('chat message', encodePayload({ agent: 'Bea', client: 'Ada', chat: [{ id, sender: 'CLIENT', sent: 1_767_600_000, sentHuman: '10:00', text: message, umid }] }), () => undefined);
      });
    }
    return this;
  }
}

const createCentionChat = await clientUnderTest();
const io: IoFactory = () => new LoopbackSocket();
const chat = createCentionChat({ baseURL: 'http://127.0.0.1:1/s/bench', area: 1, storage: null, io });
await chat.start({ name: 'Ada', message: 'Hello' });
const sends = arg('sends', 20_000);
const first = arg('first', 200);
const times: number[] = [];
for (let i = 0; i < sends; i++) {
  const t0 = performance.now();
  await chat.send(`Message ${i}`).sent;
  times.push((performance.now() - t0) * 1000);
  // The echo and `message sent` come on the next turn, as from a network, and the link hands
  // them to the machine on a turn after that: the next send starts once this one's echo has
  // taken it out of the outbox, so that each send is timed without its predecessor's echo.
  for (let turn = 0; turn < 3 && chat.getSnapshot().pending.length > 0; turn++) await nextTurn();
  if (chat.getSnapshot().pending.length > 0) throw new Error(`the echo of message ${i} did not come`);
}
const median = (list: number[]) => [...list].sort((a, b) => a - b)[list.length >> 1]!;
console.log(`send → sent, no network: first ${first} p50 ${median(times.slice(0, first)).toFixed(1)} µs, last ${sends - first} p50 ${median(times.slice(first)).toFixed(1)} µs`);
chat.stop();
