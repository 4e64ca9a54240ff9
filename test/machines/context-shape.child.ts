/**
 * Run by context-shape.test.ts in a Node of its own with `--allow-natives-syntax`: takes the chat
 * machine through a chat and asks V8, after every event, whether the machine's context is still
 * an object with fast properties (not a dictionary). Prints JSON: the events after which it was not.
 */
import { agentsAdded, harness, message, registration, session } from './harness';
import type { ChatEvent } from '../../machines';

// V8's own answer; the syntax exists only with --allow-natives-syntax, so it is compiled here at run time.
const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;

// Proof that the probe can say no: what XState's assign makes of an object of 20 fields.
// (An object literal, as the machine's first context is.)
const twenty = new Function(`return { ${Array.from({ length: 20 }, (_, i) => `f${i}: ${i}`).join(', ')} }`)() as object;
const control = hasFastProperties(Object.assign({}, twenty, { f0: 1 }));

const h = harness({ maxConnectErrors: 3 });
const slow: string[] = [];
const send = (event: ChatEvent) => {
  h.send(event);
  if (!hasFastProperties(h.context())) slow.push(event.type);
};
const cases: ChatEvent[] = [
  { type: 'user.canChat', area: 1, requestId: 1 },
  { type: 'check.done', requestId: 1, area: 1, result: { chatOpen: true, agentsAvailable: 1, feature: {}, resumable: false, error: '' } },
  { type: 'user.start', registration },
  { type: 'link.connectError', message: 'refused' },
  { type: 'link.connected' },
  { type: 'reply.register', reply: { ok: true, value: session } },
  { type: 'server.chatMessage', agent: '', client: 'Ada', chat: [message('CLIENT', registration.message)] },
  { type: 'server.queue', position: 2 },
  { type: 'server.chatMessage', agent: 'Bea', client: 'Ada', chat: [agentsAdded('Bea')] },
  { type: 'server.agentPreview', messageLen: 5 },
  { type: 'server.chatMessage', agent: 'Bea', client: 'Ada', chat: [message('AGENT', 'Hello')] },
  { type: 'user.send', umid: 'u1', text: 'Thanks' },
  { type: 'reply.chatMessage', umid: 'u1', reply: { ok: true, value: { id: '900', umid: 'u1', sent: 1_767_600_000, sentHuman: '10:00' } } },
  { type: 'server.chatMessage', agent: 'Bea', client: 'Ada', chat: [message('CLIENT', 'Thanks', { id: 900, umid: 'u1' })] },
  { type: 'server.messageAcked', ids: [900] },
  { type: 'user.markRead' },
  { type: 'link.disconnected', reason: 'transport close' },
  { type: 'user.preview', text: 'Are you' },
  { type: 'user.send', umid: 'u2', text: 'Are you there?' },
  { type: 'link.connected' },
  { type: 'reply.resume', reply: { ok: true, value: session } },
  { type: 'user.close' },
  { type: 'server.finished' },
];
for (const event of cases) send(event);
console.log(JSON.stringify({ control, fields: Object.keys(h.context()).length, phase: h.view().phase, events: cases.length, slow, errors: h.errors.map(String) }));
