/**
 * What one message costs the adapters, in a short chat and in a long one: from a `chat message`
 * event arriving at the socket to the adapter's reactive value holding it (Vue: `transcript`
 * read as a component reads it; Svelte: the `transcript` store's subscriber, or the view store's
 * `$chat.transcript.toArray()` as the older snippet did). The socket is an in-process fake, so the
 * figures are the client's and the adapter's own work, with no network.
 *
 *   npx tsx test/bench/adapter-bench.ts [--quick]
 *
 * Also imported by client-bench.ts, which prints its rows.
 */
import { computed, effectScope } from 'vue';
import { createCentionChat } from '../../core';
import type { CentionChat, Message } from '../../core';
import type { IoFactory } from '../../core/transport/link';
import { encodePayload } from '../../core/protocol';
import { InProcessSocket, nextTurn } from './in-process-socket';
import { useCentionChat } from '../../adapters/vue';
import { centionChatStore } from '../../adapters/svelte';

/** A socket that answers `register` at once and lets the bench push `chat message` events. */
class FakeSocket extends InProcessSocket {}

let nextId = 1;
const noAck = (): void => undefined;
function messages(count: number): string {
  const chat: Message[] = [];
  for (let i = 0; i < count; i++) {
    const id = nextId++;
    chat.push({ id, sender: 'AGENT', sent: 1_767_600_000, sentHuman: '10:00', text: `Message number ${id}`, umid: '' });
  }
  return encodePayload({ agent: 'Bea', client: 'Ada', chat }) as string;
}

/** A client on a fake socket, with a chat started and `length` messages in its transcript. */
async function chatOf(length: number): Promise<{ chat: CentionChat; socket: FakeSocket }> {
  let socket: FakeSocket | undefined;
  const io: IoFactory = () => (socket = new FakeSocket());
  const chat = createCentionChat({ baseURL: 'http://127.0.0.1:1/s/bench', area: 1, storage: null, io });
  await chat.start({ name: 'Ada', message: 'Hello' });
  const live = socket as unknown as FakeSocket;
  for (let left = length; left > 0; left -= 1000) {
    live.fire('chat message', messages(Math.min(1000, left)), noAck);
    await nextTurn();
  }
  if (chat.getSnapshot().transcript.length !== length) throw new Error(`the transcript holds ${chat.getSnapshot().transcript.length}, not ${length}`);
  return { chat, socket: live };
}

export interface AdapterFigures {
  /** µs per message, median of the rounds, by adapter path and transcript length. */
  readonly [path: string]: Readonly<Record<number, number>>;
}

type Path = (chat: CentionChat) => { read(): number; stop(): void };

const PATHS: Record<string, Path> = {
  'client only (subscribe)': (chat) => {
    let length = 0;
    const off = chat.subscribe((view) => (length = view.transcript.length));
    return { read: () => length, stop: off };
  },
  'Vue: useCentionChat().transcript': (chat) => {
    const scope = effectScope();
    const { transcript } = scope.run(() => useCentionChat(chat))!;
    return { read: () => transcript.value.length, stop: () => scope.stop() };
  },
  'Vue before: computed(() => view.transcript.toArray())': (chat) => {
    const scope = effectScope();
    const { state } = scope.run(() => useCentionChat(chat))!;
    const transcript = scope.run(() => computed(() => state.value.transcript.toArray()))!;
    return { read: () => transcript.value.length, stop: () => scope.stop() };
  },
  'Svelte: chat.transcript store': (chat) => {
    let array: readonly Message[] = [];
    const off = centionChatStore(chat).transcript.subscribe((messages) => (array = messages));
    return { read: () => array.length, stop: off };
  },
  'Svelte: $chat.transcript.toArray() (before)': (chat) => {
    let array: readonly Message[] = [];
    const off = centionChatStore(chat).subscribe((view) => (array = view.transcript.toArray()));
    return { read: () => array.length, stop: off };
  },
};

/** µs per message for each path, at each transcript length (the median): `rounds` chats of that length get `perRound` messages each, one at a time, each read out. */
export async function measureAdapters(lengths: readonly number[], perRound: number, rounds: number): Promise<AdapterFigures> {
  const times: Record<string, Record<number, number[]>> = {};
  // Rounds alternate between the paths and the lengths, so that the machine's noise falls on all alike.
  for (let round = 0; round < rounds; round++) {
    for (const [name, path] of Object.entries(PATHS)) {
      for (const length of lengths) {
        const { chat, socket } = await chatOf(length);
        const probe = path(chat);
        const payloads = Array.from({ length: perRound }, () => messages(1));
        const list = ((times[name] ??= {})[length] ??= []);
        let expected = probe.read();
        for (const payload of payloads) {
          const start = performance.now();
          socket.fire('chat message', payload, noAck);
          await nextTurn();
          if (probe.read() !== ++expected) throw new Error(`${name}: the message did not come out`);
          list.push((performance.now() - start) * 1000);
        }
        probe.stop();
        chat.stop();
      }
    }
  }
  const figures: Record<string, Record<number, number>> = {};
  for (const [name, byLength] of Object.entries(times)) {
    figures[name] = {};
    for (const [length, list] of Object.entries(byLength)) figures[name][Number(length)] = [...list].sort((a, b) => a - b)[list.length >> 1]!;
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  // A first pass warms every path up (JIT); the second is reported.
  await measureAdapters([100, 10_000], 100, 5);
  const figures = await measureAdapters([100, 10_000], 100, quick ? 10 : 30);
  for (const [name, byLength] of Object.entries(figures)) {
    const short = byLength[100]!;
    const long = byLength[10_000]!;
    console.log(`${name.padEnd(56)} 100: ${short.toFixed(2).padStart(7)} µs   10,000: ${long.toFixed(2).padStart(7)} µs   ratio ${(long / short).toFixed(2)}`);
  }
}
