/**
 * Model-based test of the client against the reference server. fast-check writes random
 * scripts of customer sends, page loads, disconnects and resumes, network drops, kicks,
 * server restarts, lost replies, delayed / duplicated / reordered server events, agent
 * activity and the passing of time; every command lets the network move before the next one,
 * so faults meet real traffic. Then the guarantees every chat relies on are checked:
 *
 * - every message the customer wrote is completed (`sent`) exactly once, across page loads;
 * - the server stored each exactly once;
 * - the transcript never shows a message twice, and `messages$` never emits one twice;
 * - own messages keep the order they were written in;
 * - the client ends up showing the server's transcript.
 *
 * Client and server share one manual clock: reply timeouts, retries, the rejoin after a kick,
 * the server's delays and agents move only when a command advances it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Subscription } from 'rxjs';
import { createCentionChat } from '../../core';
import type { CentionChat, ChatView } from '../../core';
import type { ChatServer, OutgoingFaults } from '../../server';
import { startTestServer } from '../support/chat-server';
import type { ManualClock } from '../support/manual-clock';
import { memoryStorage, view } from '../core/support';

interface Model {
  /** umids the page took, in the order the customer wrote them. */
  readonly sent: string[];
  /** umids the page refused at once because it held no chat (a resume that gave up), with why. */
  readonly refused: Promise<string>[];
  /** The page let go of the link on purpose (`disconnect()`), until it resumes. */
  detached: boolean;
  /** How many pages the chat has been on. */
  pages: number;
  /** The server loses its replies: nothing that waits for one can finish. */
  losingReplies: boolean;
}

/** One page of the site: a client, and what it told. */
interface Page {
  readonly chat: CentionChat;
  /** How often `messages$` emitted each message id on this page. */
  readonly emitted: Map<number, number>;
  readonly subscriptions: Subscription[];
}

interface Real {
  readonly server: ChatServer;
  readonly clock: ManualClock;
  readonly sessionId: number;
  page: Page;
  readonly pages: Page[];
  /** How many `sent` receipts each umid got, on every page together. */
  readonly completions: Map<string, number>;
  openPage(): Page;
}

type Command = fc.AsyncCommand<Model, Real>;

/** Lets sockets, timers of socket.io and the server's handlers run: a few turns of the event loop, no wall-clock wait. */
async function pump(turns = 4): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

const command = (name: string, run: (m: Model, r: Real) => Promise<void> | void, check: (m: Readonly<Model>) => boolean = () => true): Command => ({
  check,
  run: async (m, r) => {
    await run(m, r);
    await pump();
  },
  toString: () => name,
});

/** Where a page holds no chat, so a message has nowhere to go: it is refused, with a reason. */
const NO_CHAT: ReadonlySet<string> = new Set(['idle', 'queueFull', 'agentUnavailable', 'finished']);

const send = (text: string): Command =>
  command(`send(${JSON.stringify(text)})`, (m, r) => {
    const holds = !NO_CHAT.has(r.page.chat.getSnapshot().phase);
    const outgoing = r.page.chat.send(text);
    if (holds) m.sent.push(outgoing.id);
    else m.refused.push(outgoing.sent.then(() => `${outgoing.id} was sent`, (error: { code?: string }) => `${outgoing.id} ${error.code ?? String(error)}`));
  });

const drop = command('drop', (_, r) => void r.server.dropClient(r.sessionId));
const kick = command('kick', (_, r) => void r.server.kickClient(r.sessionId));
const restart = command('restart', (_, r) => r.server.restart());

const fault = (faults: Partial<OutgoingFaults>): Command =>
  command(`faults(${JSON.stringify(faults)})`, (m, r) => {
    if (faults.loseReplies !== undefined) m.losingReplies = faults.loseReplies;
    r.server.faults.set(faults, r.sessionId);
  });

const clearFaults = command('clearFaults', (m, r) => {
  m.losingReplies = false;
  r.server.faults.clear(r.sessionId);
  r.server.faults.flush();
});

const advance = (ms: number): Command => command(`advance(${ms})`, (_, r) => r.clock.advance(ms));

const agentSays = (text: string): Command => command(`agentSays(${JSON.stringify(text)})`, (_, r) => void r.server.agent.say(r.sessionId, text));
const agentAcks = command('agentAcks', (_, r) => void r.server.agent.ack(r.sessionId));

/** The customer goes to another page of the site: this page stops, the next one resumes the chat. */
const nextPage = command('nextPage', (m, r) => {
  r.page.chat.stop();
  r.page = r.openPage();
  m.pages++;
  m.detached = false;
  // A resume whose reply is lost waits for its timeout; the script goes on meanwhile.
  void r.page.chat.resume().catch(() => undefined);
});

const disconnect = command(
  'disconnect',
  (m, r) => {
    r.page.chat.disconnect();
    m.detached = true;
  },
  (m) => !m.detached,
);

const resume = command(
  'resume',
  (m, r) => {
    m.detached = false;
    void r.page.chat.resume().catch(() => undefined);
  },
  (m) => m.detached,
);

/**
 * Waits until `done` holds for the current page, while time passes on the manual clock (a
 * quarter second per real turn of the timers phase) and a page whose resume gave up tries
 * again, as a customer would. Fails, saying where it stuck, if it never gets there.
 */
async function whileTimePasses(r: Real, what: string, done: (v: ChatView) => boolean): Promise<void> {
  const ticker = setInterval(() => {
    const phase = r.page.chat.getSnapshot().phase;
    if (phase === 'idle' || phase === 'detached') void r.page.chat.resume().catch(() => undefined);
    r.clock.advance(250);
  }, 1);
  try {
    await within(what, view(r.page.chat, done));
  } finally {
    clearInterval(ticker);
  }
}

/** The customer waits until the chat is back (the link up, the chat resumed). */
const settle = command('settle', (_, r) => whileTimePasses(r, 'the chat to be connected again', (v) => v.phase === 'connected'), (m) => !m.detached && !m.losingReplies);

/** Every fault goes; time passes until every message is through and the client shows the server's transcript. */
async function calmDown(r: Real): Promise<void> {
  r.server.faults.clear();
  r.server.faults.flush();
  const stored = () => r.server.session(r.sessionId)!.transcript.length;
  await whileTimePasses(r, 'every message to be through', (v) => v.phase === 'connected' && v.outbox.length === 0 && v.transcript.length === stored());
}

/** Waits for a promise, but not forever: what never comes fails with what it was waiting for. */
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

const text = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim().length > 0);

const commands = fc.commands(
  [
    text.map(send),
    text.map(send),
    text.map(send),
    text.map(send),
    fc.constant(drop),
    fc.constant(kick),
    fc.constant(restart),
    fc.constantFrom<Partial<OutgoingFaults>>({ duplicate: true }, { reorder: true }, { delayMs: 500 }, { loseReplies: true }, { duplicate: false }, { reorder: false }, { delayMs: 0 }, { loseReplies: false }).map(fault),
    fc.constant(clearFaults),
    fc.integer({ min: 1, max: 4_000 }).map(advance),
    fc.integer({ min: 1, max: 4_000 }).map(advance),
    text.map(agentSays),
    fc.constant(agentAcks),
    fc.constant(nextPage),
    fc.constant(disconnect),
    fc.constant(resume),
    fc.constant(settle),
  ],
  { maxCommands: 40, size: 'large' },
);

async function runScenario(cmds: Iterable<Command>): Promise<void> {
  const { server, clock } = await startTestServer();
  const storage = memoryStorage();
  const completions = new Map<string, number>();
  const pages: Page[] = [];
  const openPage = (): Page => {
    const chat = createCentionChat({
      baseURL: server.baseURL,
      area: 1,
      storage,
      clock,
      ackTimeout: 3_000,
      delays: { outboxRetry: 200 },
      socketOptions: { reconnectionDelay: 0, reconnectionDelayMax: 0, randomizationFactor: 0, transports: ['websocket'] },
    });
    const emitted = new Map<number, number>();
    const subscriptions = [
      chat.receipts$.subscribe((receipt) => {
        if (receipt.state === 'sent') completions.set(receipt.umid, (completions.get(receipt.umid) ?? 0) + 1);
      }),
      chat.messages$.subscribe((message) => emitted.set(message.id, (emitted.get(message.id) ?? 0) + 1)),
    ];
    const page = { chat, emitted, subscriptions };
    pages.push(page);
    return page;
  };
  try {
    const first = openPage();
    const { sessionId } = await first.chat.start({ name: 'Prop', message: 'Property test' });
    server.agent.join(sessionId, 'Bea');
    await view(first.chat, (v) => v.phase === 'connected');
    const model: Model = { sent: [], refused: [], detached: false, pages: 1, losingReplies: false };
    const real: Real = { server, clock, sessionId, page: first, pages, completions, openPage };
    await fc.asyncModelRun(() => ({ model, real }), cmds);
    await calmDown(real);

    const stored = server.session(sessionId)!.transcript;
    // Every message is completed exactly once, on whichever page it was.
    for (const umid of model.sent) expect(completions.get(umid), `completions of ${umid}`).toBe(1);
    expect([...completions.keys()].sort()).toEqual([...model.sent].sort());
    // The server stored each exactly once.
    for (const umid of model.sent) expect(stored.filter((m) => m.umid === umid), `stored ${umid}`).toHaveLength(1);
    // What a page without a chat refused, it refused with a reason, and it went nowhere.
    for (const why of await Promise.all(model.refused)) expect(why).toMatch(/ no-session$/);
    expect(stored.filter((m) => m.sender === 'CLIENT' && m.umid !== '' && !model.sent.includes(m.umid))).toEqual([]);
    // No page ever emitted a message twice.
    for (const [index, page] of pages.entries()) {
      const twice = [...page.emitted].filter(([, count]) => count > 1);
      expect(twice, `messages emitted twice on page ${index + 1}`).toEqual([]);
    }
    // The transcript never shows a message twice, and shows own messages in the order written.
    const shown = real.page.chat.getSnapshot().transcript.toArray();
    expect(new Set(shown.map((m) => m.id)).size).toBe(shown.length);
    expect(shown.map((m) => m.umid).filter((umid) => model.sent.includes(umid))).toEqual(model.sent);
    // And the client shows the server's transcript.
    expect(shown.map((m) => m.id)).toEqual(stored.map((m) => m.id));
  } finally {
    for (const page of pages) {
      for (const s of page.subscriptions) s.unsubscribe();
      page.chat.stop();
    }
    await server.close();
  }
}

describe('the client under random sends, page loads, drops, restarts, lost replies and event faults', () => {
  it('completes every message exactly once, never shows one twice, and keeps own messages in order', async () => {
    await fc.assert(fc.asyncProperty(commands, runScenario), { numRuns: Number(process.env['PROPERTY_RUNS'] ?? 80), endOnFailure: true });
  });
});
