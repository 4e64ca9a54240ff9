/**
 * Model-based test of the client against the reference server: random sends, network drops,
 * server restarts, delayed / duplicated / reordered server events and agent activity, then
 * the guarantees every chat relies on are checked.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCentionChat } from '../../core';
import type { CentionChat } from '../../core';
import type { ChatServer, OutgoingFaults } from '../../server';
import { startTestServer } from '../support/chat-server';
import type { ManualClock } from '../support/manual-clock';
import { view } from '../core/support';

interface Model {
  /** umids in the order the customer wrote them. */
  readonly sent: string[];
}

interface Real {
  readonly server: ChatServer;
  readonly clock: ManualClock;
  readonly chat: CentionChat;
  readonly sessionId: number;
  /** How many `sent` receipts each umid got. */
  readonly completions: Map<string, number>;
}

type Command = fc.AsyncCommand<Model, Real>;

const describeCommand = (name: string, run: (m: Model, r: Real) => Promise<void> | void): Command => ({
  check: () => true,
  run: async (m, r) => {
    await run(m, r);
  },
  toString: () => name,
});

const send = (text: string): Command =>
  describeCommand(`send(${JSON.stringify(text)})`, (m, r) => {
    m.sent.push(r.chat.send(text).id);
  });

const drop = describeCommand('drop', (_, r) => {
  r.server.dropClient(r.sessionId);
});

const restart = describeCommand('restart', async (_, r) => {
  await r.server.restart();
});

const fault = (faults: Partial<OutgoingFaults>): Command =>
  describeCommand(`faults(${JSON.stringify(faults)})`, (_, r) => {
    r.server.faults.set(faults, r.sessionId);
  });

const clearFaults = describeCommand('clearFaults', (_, r) => {
  r.server.faults.clear(r.sessionId);
  r.server.faults.flush();
});

const advance = (ms: number): Command =>
  describeCommand(`advance(${ms})`, (_, r) => {
    r.clock.advance(ms);
  });

const agentSays = (text: string): Command =>
  describeCommand(`agentSays(${JSON.stringify(text)})`, (_, r) => {
    r.server.agent.say(r.sessionId, text);
  });

const agentAcks = describeCommand('agentAcks', (_, r) => {
  r.server.agent.ack(r.sessionId);
});

/** Waits for a view, but not forever: a client that never gets there fails with what it is waiting for. */
async function within<T>(what: string, promise: Promise<T>, ms = 15_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Lets the network breathe: resolves once the client is in its chat again. */
const settle = describeCommand('settle', async (_, r) => {
  await within('the chat to be connected again', view(r.chat, (v) => v.phase === 'connected'));
});

const text = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim().length > 0);

const commands = fc.commands(
  [
    text.map(send),
    text.map(send),
    text.map(send),
    fc.constant(drop),
    fc.constant(restart),
    fc.constantFrom<Partial<OutgoingFaults>>({ duplicate: true }, { reorder: true }, { delayMs: 500 }, { duplicate: false }, { reorder: false }, { delayMs: 0 }).map(fault),
    fc.constant(clearFaults),
    fc.integer({ min: 1, max: 1_000 }).map(advance),
    text.map(agentSays),
    fc.constant(agentAcks),
    fc.constant(settle),
  ],
  { maxCommands: 30 },
);

async function runScenario(cmds: Iterable<Command>): Promise<void> {
  const { server, clock } = await startTestServer();
  const chat = createCentionChat({
    baseURL: server.baseURL,
    area: 1,
    storage: null,
    ackTimeout: 3_000,
    delays: { outboxRetry: 200 },
    socketOptions: { reconnectionDelay: 10, reconnectionDelayMax: 50, randomizationFactor: 0, transports: ['websocket'] },
  });
  const completions = new Map<string, number>();
  const receipts = chat.receipts$.subscribe((r) => {
    if (r.state === 'sent') completions.set(r.umid, (completions.get(r.umid) ?? 0) + 1);
  });
  try {
    const { sessionId } = await chat.start({ name: 'Prop', message: 'Property test' });
    server.agent.join(sessionId, 'Bea');
    await view(chat, (v) => v.phase === 'connected');
    const model: Model = { sent: [] };
    await fc.asyncModelRun(() => ({ model, real: { server, clock, chat, sessionId, completions } }), cmds);

    // Calm everything down, then let every message and event arrive.
    server.faults.clear();
    server.faults.flush();
    clock.advance(60_000);
    await within('every message to be sent', view(chat, (v) => v.phase === 'connected' && v.outbox.every((e) => e.state === 'sent' || e.state === 'acked')));
    const stored = server.session(sessionId)!.transcript;
    await within('the client to show the whole transcript', view(chat, (v) => v.transcript.length >= stored.length));

    // Every message is completed exactly once.
    for (const umid of model.sent) expect(completions.get(umid), `completions of ${umid}`).toBe(1);
    expect([...completions.keys()].sort()).toEqual([...model.sent].sort());
    // The server stored each exactly once.
    for (const umid of model.sent) expect(stored.filter((m) => m.umid === umid), `stored ${umid}`).toHaveLength(1);
    // The transcript never shows a message twice, and shows own messages in the order written.
    const shown = chat.getSnapshot().transcript.toArray();
    expect(new Set(shown.map((m) => m.id)).size).toBe(shown.length);
    const ownOrder = shown.map((m) => m.umid).filter((umid) => model.sent.includes(umid));
    expect(ownOrder).toEqual(model.sent);
    // And the client's transcript is the server's.
    expect(shown.map((m) => m.id)).toEqual(stored.map((m) => m.id));
  } finally {
    receipts.unsubscribe();
    chat.stop();
    await server.close();
  }
}

describe('the client under random sends, drops, restarts and event faults', () => {
  it('completes every message exactly once, never shows one twice, and keeps own messages in order', async () => {
    await fc.assert(fc.asyncProperty(commands, runScenario), { numRuns: Number(process.env['PROPERTY_RUNS'] ?? 100), endOnFailure: true });
  });
});
