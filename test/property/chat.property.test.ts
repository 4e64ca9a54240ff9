/**
 * Model-based test of the client against two servers: the reference server, and a strict,
 * independent one written from the protocol alone (docs/protocol.md) (test/support/strict-server.ts) that drops a
 * packet arriving while its socket disconnects and forgets every umid on restart. fast-check
 * picks the server and writes random scripts of customer sends, page loads, disconnects and
 * resumes, network drops, kicks, restarts (some forgetting umids), lost replies, delayed /
 * duplicated / reordered server events, agent activity and the passing of time; every command
 * lets the network move before the next one, so faults meet real traffic. Then the guarantees
 * every chat relies on are checked:
 *
 * - every message the customer wrote ends stored (completed `sent` exactly once, across page
 *   loads) or failed with a reason: none is lost, none is stranded;
 * - the server stored each once; the only exception is one the protocol cannot prevent: a
 *   message whose reply a restart that forgot umids cut off (the client cannot tell it was
 *   stored, and the server no longer knows its umid), which is counted apart;
 * - the transcript never shows a message twice, and `messages$` never emits one twice;
 * - own messages keep the order they were written in;
 * - the client ends up showing the server's transcript;
 * - each page's chat, recorded and replayed with no network, goes through the same snapshots
 *   (states, context, transcript) at every step as it did live.
 *
 * Client and server share one manual clock: reply timeouts, retries, the rejoin after a kick,
 * the server's delays, the strict server's handling and the agents move only when a command
 * advances it. `PROPERTY_RUNS` (default 200) and `PROPERTY_SEED` choose the runs; the figures
 * are printed at the end.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Subscription } from 'rxjs';
import { createCentionChat } from '../../core';
import type { CentionChat, ChatView, Message } from '../../core';
import type { OutgoingFaults } from '../../server';
import { startTestServer } from '../support/chat-server';
import { ManualClock } from '../support/manual-clock';
import { startStrictServer } from '../support/strict-server';
import { memoryStorage, view, within } from '../core/support';
import { createRecorder, replayChat } from '../../core/replay';
import type { ChatRecorder } from '../../core/replay';
import type { ChatSnapshot } from '../../machines';
import { canonical, liveSnapshots } from '../support/replay';

const RUNS = Number(process.env['PROPERTY_RUNS'] ?? 200);
const SEED = process.env['PROPERTY_SEED'] === undefined ? undefined : Number(process.env['PROPERTY_SEED']);

/** Which server a run talks to. */
type ServerKind = 'reference' | 'strict';

/** What a run needs of a server, whichever it is. */
interface ModelServer {
  readonly kind: ServerKind;
  readonly baseURL: string;
  stored(sessionId: number): readonly Message[];
  drop(sessionId: number): void;
  /** A restart; `forgetUmids` loses every umid (the strict server always does). */
  restart(forgetUmids: boolean): Promise<void>;
  join(sessionId: number): void;
  say(sessionId: number, text: string): void;
  ack(sessionId: number): void;
  /** Only the reference server has these. */
  readonly kick?: (sessionId: number) => void;
  readonly faults?: { set(faults: Partial<OutgoingFaults>, sessionId: number): void; clear(sessionId?: number): void; flush(): void };
  close(): Promise<void>;
}

async function startModelServer(kind: ServerKind, clock: ManualClock): Promise<ModelServer> {
  if (kind === 'strict') {
    // Every event is handled 20 ms after it arrives, on the manual clock: one that finds its socket gone is dropped.
    const server = await startStrictServer({ clock, handlingMs: 20 });
    return {
      kind,
      baseURL: server.baseURL,
      stored: (id) => server.session(id)!.transcript,
      drop: (id) => void server.drop(id),
      restart: async () => server.restart(),
      join: (id) => server.agent.join(id, 'Bea'),
      say: (id, text) => void server.agent.say(id, text),
      ack: (id) => void server.agent.ack(id),
      close: () => server.close(),
    };
  }
  const { server } = await startTestServer({ clock });
  return {
    kind,
    baseURL: server.baseURL,
    stored: (id) => server.session(id)!.transcript,
    drop: (id) => void server.dropClient(id),
    restart: (forgetUmids) => server.restart({ forgetUmids }),
    join: (id) => server.agent.join(id, 'Bea'),
    say: (id, text) => void server.agent.say(id, text),
    ack: (id) => void server.agent.ack(id),
    kick: (id) => void server.kickClient(id),
    faults: server.faults,
    close: () => server.close(),
  };
}

interface Model {
  readonly server: ServerKind;
  /** umids the page took, in the order the customer wrote them, and their (unique) texts. */
  readonly sent: string[];
  readonly texts: Map<string, string>;
  /** umids the page refused at once because it held no chat (a resume that gave up), with why. */
  readonly refused: Promise<string>[];
  /** umids on the wire without a reply when a restart forgot every umid: if stored twice, the protocol could not help it. */
  readonly inDoubt: Set<string>;
  /** The page let go of the link on purpose (`disconnect()`), until it resumes. */
  detached: boolean;
  /** How many pages the chat has been on. */
  pages: number;
  /** The server loses its replies: nothing that waits for one can finish. */
  losingReplies: boolean;
  /** The reference server holds events to reorder them. */
  reordering: boolean;
}

/** One page of the site: a client, and what it told. */
interface Page {
  readonly chat: CentionChat;
  /** How often `messages$` emitted each message id on this page. */
  readonly emitted: Map<number, number>;
  readonly subscriptions: Subscription[];
  /** The page's chat, recorded, and its snapshot after each input as it ran. */
  readonly recorder: ChatRecorder;
  readonly live: readonly ChatSnapshot[];
}

interface Real {
  readonly server: ModelServer;
  readonly clock: ManualClock;
  readonly sessionId: number;
  page: Page;
  readonly pages: Page[];
  /** How many `sent` receipts each umid got, on every page together. */
  readonly completions: Map<string, number>;
  /** umids that failed, with the code of why (on any page). */
  readonly failures: Map<string, string>;
  /** umids some page has sent (an outbox entry was `sending`). */
  readonly onWire: Set<string>;
  /** Clock time when reorder-held events were last let go. */
  releasedAt: number;
  openPage(): Page;
}

type Command = fc.AsyncCommand<Model, Real>;

/** Lets sockets, timers of socket.io and the server's handlers run: a few turns of the event loop, no wall-clock wait. */
async function pump(turns = 4): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A reordering network still delivers: an event held for reordering goes out after at most this much time. */
const REORDER_HOLD_MS = 1_000;

/**
 * Time passes on the shared clock. An event the reorder fault holds waits for the next one, but
 * not past {@link REORDER_HOLD_MS}: otherwise, in a quiet chat, the fault would hold the only
 * event for ever, while the clock ran on into the server's idle timeout.
 */
function passTime(r: Real, ms: number): void {
  r.clock.advance(ms);
  if (r.clock.now() - r.releasedAt >= REORDER_HOLD_MS) {
    r.server.faults?.flush();
    r.releasedAt = r.clock.now();
  }
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
    // Unique texts, so a message stored twice shows even after its umid was forgotten.
    const outgoing = r.page.chat.send(`${text} #${m.sent.length + m.refused.length + 1}`);
    if (holds) {
      m.sent.push(outgoing.id);
      m.texts.set(outgoing.id, outgoing.message);
    } else {
      m.refused.push(outgoing.sent.then(() => `${outgoing.id} was sent`, (error: { code?: string }) => `${outgoing.id} ${error.code ?? String(error)}`));
    }
  });

const onReference = (m: Readonly<Model>) => m.server === 'reference';

const drop = command('drop', (_, r) => r.server.drop(r.sessionId));
const kick = command('kick', (_, r) => r.server.kick?.(r.sessionId), onReference);

/** What went on the wire and has had no reply when a restart forgets umids: the server may have stored it, and cannot tell any more. */
function noteInDoubt(m: Model, r: Real): void {
  for (const umid of r.onWire) if (!r.completions.has(umid) && !r.failures.has(umid)) m.inDoubt.add(umid);
}

const restart = command('restart', (_, r) => r.server.restart(false), onReference);
const restartForgetting = command('restart(forgetUmids)', async (m, r) => {
  noteInDoubt(m, r);
  await r.server.restart(true);
});

const fault = (faults: Partial<OutgoingFaults>): Command =>
  command(
    `faults(${JSON.stringify(faults)})`,
    (m, r) => {
      if (faults.loseReplies !== undefined) m.losingReplies = faults.loseReplies;
      if (faults.reorder !== undefined) m.reordering = faults.reorder;
      r.server.faults?.set(faults, r.sessionId);
    },
    onReference,
  );

const clearFaults = command(
  'clearFaults',
  (m, r) => {
    m.losingReplies = false;
    m.reordering = false;
    r.server.faults?.clear(r.sessionId);
    r.server.faults?.flush();
  },
  onReference,
);

const advance = (ms: number): Command => command(`advance(${ms})`, (_, r) => passTime(r, ms));

const agentSays = (text: string): Command => command(`agentSays(${JSON.stringify(text)})`, (_, r) => r.server.say(r.sessionId, text));
const agentAcks = command('agentAcks', (_, r) => r.server.ack(r.sessionId));

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
    passTime(r, 250);
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
  r.server.faults?.clear();
  r.server.faults?.flush();
  const stored = () => r.server.stored(r.sessionId).length;
  try {
    await whileTimePasses(r, 'every message to be through', (v) => v.phase === 'connected' && v.outbox.length === 0 && v.transcript.length === stored());
  } catch (error) {
    const v = r.page.chat.getSnapshot();
    throw new Error(`${(error as Error).message}; the page is ${v.phase} (${JSON.stringify(v.lastError ?? v.transcript.last?.text ?? "")}), its outbox ${JSON.stringify(v.outbox)}, it shows ${v.transcript.length} of ${stored()} messages`);
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
    fc.constant(restartForgetting),
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

/** What the runs added up to, per server. */
interface Figures {
  runs: number;
  sent: number;
  lost: number;
  duplicated: number;
  /** Of the duplicated: stored twice because a restart that forgot umids cut their reply off. */
  duplicatedByForgetting: number;
  stranded: number;
  ms: number;
}

const figures: Record<ServerKind, Figures> = {
  reference: { runs: 0, sent: 0, lost: 0, duplicated: 0, duplicatedByForgetting: 0, stranded: 0, ms: 0 },
  strict: { runs: 0, sent: 0, lost: 0, duplicated: 0, duplicatedByForgetting: 0, stranded: 0, ms: 0 },
};

async function runScenario(kind: ServerKind, cmds: Iterable<Command>): Promise<void> {
  const began = performance.now();
  const clock = new ManualClock(Date.now());
  const server = await startModelServer(kind, clock);
  const storage = memoryStorage();
  const completions = new Map<string, number>();
  const failures = new Map<string, string>();
  const onWire = new Set<string>();
  const pages: Page[] = [];
  const openPage = (): Page => {
    const recorder = createRecorder({ keepTexts: true });
    const live = liveSnapshots();
    const chat = createCentionChat({
      record: recorder,
      inspect: live.inspect,
      baseURL: server.baseURL,
      area: 1,
      storage,
      clock,
      ackTimeout: 3_000,
      delays: { outboxRetry: 200 },
      // 1 ms, not 0: socket.io-client reads 0 as "not set" and waits its default second before each reconnect.
      socketOptions: { reconnectionDelay: 1, reconnectionDelayMax: 1, randomizationFactor: 0, transports: ['websocket'] },
    });
    const emitted = new Map<number, number>();
    const subscriptions = [
      chat.receipts$.subscribe((receipt) => {
        if (receipt.state === 'sent') completions.set(receipt.umid, (completions.get(receipt.umid) ?? 0) + 1);
        if (receipt.state === 'failed') failures.set(receipt.umid, receipt.error?.code ?? 'unknown');
      }),
      chat.messages$.subscribe((message) => emitted.set(message.id, (emitted.get(message.id) ?? 0) + 1)),
      chat.state$.subscribe((v) => {
        for (const entry of v.pending) if (entry.state === 'sending') onWire.add(entry.umid);
      }),
    ];
    const page = { chat, emitted, subscriptions, recorder, live: live.snapshots };
    pages.push(page);
    return page;
  };
  const model: Model = { server: kind, sent: [], texts: new Map(), refused: [], inDoubt: new Set(), detached: false, pages: 1, losingReplies: false, reordering: false };
  let real: Real | undefined;
  let calm: unknown;
  try {
    const first = openPage();
    const starting = first.chat.start({ name: 'Prop', message: 'Property test' });
    const ticker = setInterval(() => clock.advance(20), 1);
    let sessionId: number;
    try {
      ({ sessionId } = await within('the chat to start', starting));
      server.join(sessionId);
      await within('the agent to join', view(first.chat, (v) => v.phase === 'connected'));
    } finally {
      clearInterval(ticker);
    }
    real = { server, clock, sessionId, page: first, pages, completions, failures, onWire, releasedAt: clock.now(), openPage };
    await fc.asyncModelRun(() => ({ model, real: real! }), cmds);
    await calmDown(real).catch((error: unknown) => {
      calm = error;
    });

    const stored = server.stored(sessionId);
    const storedTimes = (umid: string) => stored.filter((m) => m.sender === 'CLIENT' && m.text === model.texts.get(umid)).length;
    const run = {
      lost: model.sent.filter((umid) => storedTimes(umid) === 0 && !failures.has(umid)).length,
      duplicated: model.sent.filter((umid) => storedTimes(umid) > 1),
      stranded: model.sent.filter((umid) => !completions.has(umid) && !failures.has(umid)).length,
    };
    const f = figures[kind];
    f.runs++;
    f.sent += model.sent.length;
    f.lost += run.lost;
    f.duplicated += run.duplicated.length;
    f.duplicatedByForgetting += run.duplicated.filter((umid) => model.inDoubt.has(umid)).length;
    f.stranded += run.stranded;

    if (calm) throw calm;
    // Nothing lost, nothing stranded: each message ended stored or failed with a reason.
    expect(run.lost, 'messages lost').toBe(0);
    expect(run.stranded, 'messages stranded').toBe(0);
    for (const [umid, code] of failures) expect(code, `why ${umid} failed`).not.toBe('unknown');
    // Stored once, but where a forgetting restart cut the reply off.
    expect(run.duplicated.filter((umid) => !model.inDoubt.has(umid)), 'stored twice').toEqual([]);
    // Every message is completed exactly once, on whichever page it was.
    for (const umid of model.sent) if (!failures.has(umid)) expect(completions.get(umid), `completions of ${umid}`).toBe(1);
    expect([...completions.keys()].sort()).toEqual(model.sent.filter((umid) => completions.has(umid)).sort());
    // What a page without a chat refused, it refused with a reason, and it went nowhere.
    for (const why of await Promise.all(model.refused)) expect(why).toMatch(/ no-session$/);
    const ours = new Set(model.texts.values());
    expect(stored.filter((m) => m.sender === 'CLIENT' && m.umid !== '' && !model.sent.includes(m.umid) && ours.has(m.text))).toEqual([]);
    // No page ever emitted a message twice.
    for (const [index, page] of pages.entries()) {
      const twice = [...page.emitted].filter(([, count]) => count > 1);
      expect(twice, `messages emitted twice on page ${index + 1}`).toEqual([]);
    }
    // The transcript never shows a message twice, and shows own messages in the order written.
    const shown = real.page.chat.getSnapshot().transcript.toArray();
    expect(new Set(shown.map((m) => m.id)).size).toBe(shown.length);
    const order = [...new Set(shown.filter((m) => m.sender === 'CLIENT' && ours.has(m.text)).map((m) => m.text))];
    expect(order).toEqual(model.sent.filter((umid) => !failures.has(umid)).map((umid) => model.texts.get(umid)));
    // And the client shows the server's transcript.
    expect(shown.map((m) => m.id)).toEqual(stored.map((m) => m.id));
    // Each page's recording, replayed with no server, goes through the very snapshots the page did.
    for (const [index, page] of pages.entries()) {
      page.chat.stop();
      const replayed = [...replayChat(JSON.stringify(page.recorder.recording()))].slice(1);
      expect(replayed.length, `steps replayed of page ${index + 1}`).toBe(page.live.length);
      for (const [i, step] of replayed.entries()) expect(canonical(step.snapshot), `page ${index + 1}, step ${i + 1} (${step.event?.type})`).toEqual(canonical(page.live[i]!));
    }
  } finally {
    for (const page of pages) {
      for (const s of page.subscriptions) s.unsubscribe();
      page.chat.stop();
    }
    await server.close();
    figures[kind].ms += performance.now() - began;
  }
}

function report(): void {
  const lines = (Object.entries(figures) as [ServerKind, Figures][]).map(
    ([kind, f]) =>
      `  ${kind.padEnd(9)} runs ${String(f.runs).padStart(5)}  sent ${String(f.sent).padStart(6)}  lost ${f.lost}  duplicated ${f.duplicated} (by a forgetting restart: ${f.duplicatedByForgetting})  stranded ${f.stranded}  time ${(f.ms / 1000).toFixed(1)} s`,
  );
  console.log([`property test: ${RUNS} runs${SEED === undefined ? '' : `, seed ${SEED}`}`, ...lines].join('\n'));
}

describe('the client under random sends, page loads, drops, restarts, lost replies and event faults, on two servers', () => {
  afterAll(report);

  it(
    'ends every message stored once or failed with a reason, never shows one twice, and keeps own messages in order',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom<ServerKind>('reference', 'strict'), commands, runScenario),
        { numRuns: RUNS, endOnFailure: true, ...(SEED === undefined ? {} : { seed: SEED }), ...(process.env['PROPERTY_PATH'] ? { path: process.env['PROPERTY_PATH'] } : {}) },
      );
    },
    // A run takes about a tenth of a second; a slow, shared machine gets ten times that.
    Math.max(300_000, RUNS * 1_000),
  );
});
