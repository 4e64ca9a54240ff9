/**
 * What one transition of the chat machine costs, warm: an event that only assigns
 * (`user.markRead`) on a chat that is connected, next to the same event on a machine of one
 * state. What the send path pays twice (its `user.send` and its reply), and what a flatter chart
 * could save.
 *
 *   npx tsx test/bench/transition-cost.ts
 */
import { assign, createActor, setup } from 'xstate';
import { built } from './built';
import type { IoFactory } from '../../core/transport/link';
import { InProcessSocket } from './in-process-socket';

const { createCentionChat } = built;

class ConnectedSocket extends InProcessSocket {}

const N = 50_000;
const time = (run: () => void): number => {
  for (let i = 0; i < N; i++) run();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) run();
  return ((performance.now() - t0) * 1000) / N;
};

const io: IoFactory = () => new ConnectedSocket();
const chat = createCentionChat({ baseURL: 'http://127.0.0.1:1/s/bench', area: 1, storage: null, io });
await chat.start({ name: 'Ada', message: 'Hello' });
// The runtime is loaded once a chat has started (core/engine/lazy-runtime.ts).
const started = chat.actor;
if (!started) throw new Error('the chat started without its runtime');
const chart = time(() => started.send({ type: 'user.markRead' }));

const flat = createActor(setup({ types: { context: {} as { unread: number }, events: {} as { type: 'user.markRead' } } }).createMachine({ context: { unread: 0 }, on: { 'user.markRead': { actions: assign({ unread: 0 }) } } }));
flat.start();
const one = time(() => flat.send({ type: 'user.markRead' }));
console.log(`one assign-only transition, warm: the chat machine (connected) ${chart.toFixed(1)} µs, a machine of one state ${one.toFixed(1)} µs`);
chat.stop();
