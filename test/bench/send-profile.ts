/**
 * One send of ours with no network: a client on an in-process socket that answers each `chat
 * message` on the next microtask as the reference server does (the reply, then `message sent`,
 * then the echo, each asking for its ack). What is left is the client's own time per send.
 *
 *   npx tsx test/bench/send-profile.ts [--sends N] [--first N] [--source]
 *   node --cpu-prof --import tsx test/bench/send-profile.ts     (where that time goes)
 */
import type { createCentionChat as Create } from '../../core';
import type { IoFactory, Listener, SocketLike } from '../../core/transport/link';
import { decodePayload, encodePayload } from '../../core/protocol';

class LoopbackSocket implements SocketLike {
  connected = false;
  private readonly listeners = new Map<string, Listener[]>();
  private nextId = 100;
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  off(event: string, listener?: Listener): this {
    this.listeners.set(event, listener ? (this.listeners.get(event) ?? []).filter((l) => l !== listener) : []);
    return this;
  }
  emit(event: string, ...args: unknown[]): this {
    const ack = args.at(-1) as Listener;
    if (event === 'register') queueMicrotask(() => ack(encodePayload({ sessionId: 1, sessionSecret: 'secret', areaId: 1, clientName: 'Ada' })));
    if (event === 'chat message') {
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
  connect(): this {
    queueMicrotask(() => {
      this.connected = true;
      this.fire('connect');
    });
    return this;
  }
  disconnect(): this {
    this.connected = false;
    return this;
  }
  fire(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
}

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
};
// The built package by default (what a site runs; `npm run build` first), the sources with `--source`.
const { createCentionChat } = (process.argv.includes('--source') ? await import('../../core') : await import('../../dist/index.js')) as { createCentionChat: typeof Create };
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
  // The echo and `message sent` come on the next turn, as from a network.
  await new Promise((resolve) => setImmediate(resolve));
}
const median = (list: number[]) => [...list].sort((a, b) => a - b)[list.length >> 1]!;
console.log(`send → sent, no network: first ${first} p50 ${median(times.slice(0, first)).toFixed(1)} µs, last ${sends - first} p50 ${median(times.slice(first)).toFixed(1)} µs`);
chat.stop();
