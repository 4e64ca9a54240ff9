import { createCentionChat } from '../../dist/index.js';
import type { IoFactory, Listener, SocketLike } from '../../core/transport/link';
import { encodePayload } from '../../core/protocol';
class S implements SocketLike {
  connected = false; l = new Map<string, Listener[]>();
  on(e: string, f: Listener) { this.l.set(e, [...(this.l.get(e) ?? []), f]); return this; }
  off() { return this; }
  emit(e: string, ...a: unknown[]) { const ack = a.at(-1) as Listener; if (e === 'register') queueMicrotask(() => ack(encodePayload({ sessionId: 1, sessionSecret: 's', areaId: 1, clientName: 'A' }))); return this; }
  connect() { queueMicrotask(() => { this.connected = true; this.fire('connect'); }); return this; }
  disconnect() { return this; }
  fire(e: string, ...a: unknown[]) { for (const f of this.l.get(e) ?? []) f(...a); }
}
let sock!: S;
const io: IoFactory = () => (sock = new S());
const chat = createCentionChat({ baseURL: 'http://127.0.0.1:1/s/b', area: 1, storage: null, io });
await chat.start({ name: 'A', message: 'Hi' });
let n = 0; chat.messages$.subscribe(() => n++);
const payloads: string[] = []; for (let i = 0; i < 200_000; i++) payloads.push(encodePayload({ agent: 'Bea', client: 'Ada', chat: [{ id: 1000 + i, sender: 'AGENT', sent: 1, sentHuman: '10:00', text: `Flood message number ${i}`, umid: '' }] }) as string);
const noop = () => undefined;
for (let i = 0; i < 20000; i += 8) { for (let j = i; j < i + 8; j++) sock.fire("chat message", payloads[j], noop); await Promise.resolve(); await Promise.resolve(); }
const t0 = performance.now();
for (let i = 20000; i < payloads.length; i += 8) { for (let j = i; j < i + 8; j++) sock.fire('chat message', payloads[j], noop); await Promise.resolve(); await Promise.resolve(); }
console.log('µs per message, client only', ((performance.now() - t0) * 1000 / (payloads.length - 20000)).toFixed(2), n);
