import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CentionChat, ChatView } from '../../core';
import { FakeLocks, lossyChannels } from '../support/fake-locks';
import { facade, machineStateOf, memoryStorage, recordEvents, recordingIo, useChatServer, view } from './support';

const ada = { name: 'Ada', email: 'ada@example.com', message: 'Where is my parcel?' };

function texts(chat: CentionChat): string[] {
  return [...chat.getSnapshot().transcript].map((m) => m.text);
}

describe('one chat for all the tabs of a site', () => {
  const t = useChatServer();
  /** A close's grace of 5 ms, so that a chat closed ends at once. */
  const quick = { delays: { closeGrace: 5 } };
  let locks: FakeLocks;
  beforeEach(() => {
    // Node has BroadcastChannel; the Web Locks of one browser are played by FakeLocks.
    locks = new FakeLocks();
    vi.stubGlobal('navigator', { locks });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  /** Opens `n` tabs of the site, one after another, each once it knows its place. */
  async function tabs(n: number) {
    const io = recordingIo();
    const opened: CentionChat[] = [];
    for (let i = 0; i < n; i++) {
      opened.push(t.client({ io: io.factory, ...quick }));
      // The first tab leads at once; each other follows once the leader answered it.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { tabs: opened, sockets: io.sockets };
  }

  const allSee = (chats: readonly CentionChat[], predicate: (v: ChatView) => boolean) => Promise.all(chats.map((chat) => view(chat, predicate)));

  /** Every message the tabs post on their channel, from now on. */
  function watchPosts() {
    const posted: { readonly type: string; readonly entries?: readonly unknown[] }[] = [];
    const Channel = lossyChannels(() => false);
    vi.stubGlobal(
      'BroadcastChannel',
      class extends Channel {
        override postMessage(data: unknown) {
          posted.push(data as (typeof posted)[number]);
          super.postMessage(data);
        }
      },
    );
    return posted;
  }

  it('holds one socket for three tabs, and a message sent in tab 2 shows in tabs 1 and 3', async () => {
    const { tabs: [one, two, three], sockets } = await tabs(3);
    const session = await two!.start(ada);
    await allSee([one!, two!, three!], (v) => v.phase === 'queued');
    t.server.agent.join(session.sessionId, 'Bea');
    await allSee([one!, two!, three!], (v) => v.phase === 'connected');

    const receipt = await two!.send('It was due on Monday.').sent;
    expect(receipt.id).toMatch(/^\d+$/);
    await allSee([one!, two!, three!], (v) => [...v.transcript].some((m) => m.text === 'It was due on Monday.'));
    t.server.agent.say(session.sessionId, 'Let me look.');
    await allSee([one!, two!, three!], (v) => [...v.transcript].some((m) => m.text === 'Let me look.'));

    expect(sockets).toHaveLength(1);
    expect(t.server.session(session.sessionId)!.connectedSockets).toBe(1);
    expect(texts(one!)).toEqual(texts(two!));
    expect(texts(three!)).toEqual(texts(two!));
  });

  it('lets a follower take over when the leader closes mid-send: the message is stored once and shown once in every tab', async () => {
    const { tabs: [one, two, three], sockets } = await tabs(3);
    const session = await one!.start(ada);
    t.server.agent.join(session.sessionId, 'Bea');
    await allSee([one!, two!, three!], (v) => v.phase === 'connected');

    // The leader sends, and is gone before the server's answer can reach it.
    t.server.faults.set({ loseReplies: true, delayMs: 60_000 }, session.sessionId);
    const arrivals: boolean[] = [];
    t.server.on('client-message', (e) => e.message.text === 'Sent as the leader closed' && arrivals.push(e.alreadySeen));
    const arrived = t.server.waitFor('client-message', (e) => e.message.text === 'Sent as the leader closed');
    const sent = two!.send('Sent as the leader closed').sent;
    await arrived;
    one!.stop();
    t.server.faults.clear(session.sessionId);
    await sent;
    await allSee([two!, three!], (v) => v.phase === 'connected' && v.outbox.length === 0);

    const stored = t.server.session(session.sessionId)!.transcript.filter((m) => m.text === 'Sent as the leader closed');
    expect(stored).toHaveLength(1);
    // Stored once: the new leader finds it in the transcript on rejoining, or resends it with the same umid (already seen).
    expect(arrivals.filter((alreadySeen) => !alreadySeen)).toHaveLength(1);
    for (const tab of [two!, three!]) expect(texts(tab).filter((text) => text === 'Sent as the leader closed')).toHaveLength(1);
    expect(sockets.filter((s) => s.connected)).toHaveLength(1);
    expect(t.server.session(session.sessionId)!.connectedSockets).toBe(1);

    // The chat goes on from the new leader.
    await three!.send('And on.').sent;
    await allSee([two!, three!], (v) => [...v.transcript].some((m) => m.text === 'And on.'));
  });

  it('brings a tab that opens late up to date with the chat so far', async () => {
    const { tabs: [one] } = await tabs(1);
    const session = await one!.start(ada);
    t.server.agent.join(session.sessionId, 'Bea');
    t.server.agent.say(session.sessionId, 'Hello Ada.');
    await view(one!, (v) => [...v.transcript].some((m) => m.text === 'Hello Ada.'));
    const late = t.client();
    await view(late, (v) => v.phase === 'connected' && [...v.transcript].some((m) => m.text === 'Hello Ada.'));
    expect(texts(late)).toEqual(texts(one!));
  });

  it('keeps its own socket with shareAcrossTabs: false', async () => {
    const io = recordingIo();
    const one = t.client({ io: io.factory });
    const two = t.client({ io: io.factory, shareAcrossTabs: false });
    await one.start(ada);
    await two.start({ ...ada, name: 'Bob' });
    expect(io.sockets).toHaveLength(2);
    expect(t.server.sessions()).toHaveLength(2);
  });

  it('keeps a socket per tab where the browser has no Web Locks', async () => {
    vi.stubGlobal('navigator', {});
    const io = recordingIo();
    const one = t.client({ io: io.factory });
    const two = t.client({ io: io.factory });
    await one.start(ada);
    await two.start({ ...ada, name: 'Bob' });
    expect(io.sockets).toHaveLength(2);
  });

  it('settles a command given in a follower from its own machine, refusals included', async () => {
    const { tabs: [one, two] } = await tabs(2);
    // A tab loads the chat when it first needs it (here: a resume with nothing to resume), and
    // leads; the other tab sees that, loads it too and follows.
    await expect(one!.resume()).rejects.toMatchObject({ code: 'no-session' });
    await vi.waitFor(() => expect(two!.actor?.getSnapshot().context.lastError).toMatchObject({ code: 'no-session' }));
    await expect(two!.close()).rejects.toMatchObject({ code: 'no-session' });
    expect(() => two!.send('')).toThrow();
    const refused = two!.send('No chat yet').sent;
    await expect(refused).rejects.toMatchObject({ code: 'no-session' });
  });

  it('posts no entry of its log while no other tab is there, and gives a tab that opens later all of it', async () => {
    const posted = watchPosts();
    const { tabs: [one] } = await tabs(1);
    const session = await one!.start(ada);
    t.server.agent.join(session.sessionId, 'Bea');
    await one!.send('Alone so far').sent;
    t.server.agent.say(session.sessionId, 'Still here.');
    await view(one!, (v) => [...v.transcript].some((m) => m.text === 'Still here.'));
    expect(posted.filter((m) => m.type === 'entry')).toEqual([]);

    // A second tab asks for the log, gets all of it, and then each entry as it comes.
    const { tabs: [two] } = await tabs(1);
    await view(two!, (v) => [...v.transcript].some((m) => m.text === 'Still here.'));
    expect(posted.map((m) => m.type)).toContain('log');
    t.server.agent.say(session.sessionId, 'Now there are two of you.');
    await allSee([one!, two!], (v) => [...v.transcript].some((m) => m.text === 'Now there are two of you.'));
    expect(posted.filter((m) => m.type === 'entry').length).toBeGreaterThan(0);
    expect(texts(two!)).toEqual(texts(one!));
  });

  it('asks for the entries it missed, and ends in the same state as the leader', async () => {
    // The second tab loses every third entry of the log (the leader is never sent its own).
    let entries = 0;
    vi.stubGlobal('BroadcastChannel', lossyChannels((data) => (data as { type?: string }).type === 'entry' && ++entries % 3 === 0));
    const { tabs: [one, two] } = await tabs(2);
    const session = await one!.start(ada);
    t.server.agent.join(session.sessionId, 'Bea');
    for (const text of ['One', 'Two', 'Three', 'Four']) t.server.agent.say(session.sessionId, text);
    await one!.send('Five').sent;
    await view(one!, (v) => [...v.transcript].some((m) => m.text === 'Four'));
    await view(two!, (v) => v.outbox.length === 0 && [...v.transcript].some((m) => m.text === 'Five') && [...v.transcript].some((m) => m.text === 'Four'));
    expect(entries).toBeGreaterThan(3);
    expect(texts(two!)).toEqual(texts(one!));
    expect(two!.getSnapshot().phase).toBe(one!.getSnapshot().phase);
  });

  it("calls every tab's handlers of the 5.1.0 facade as if it held its own socket, and gives a tab that resumes the transcript", async () => {
    const first = facade({ storage: memoryStorage() });
    first.baseURL = t.server.baseURL;
    const firstEvents = recordEvents(first);
    first.connect({ area: 1, name: 'Ada', email: 'ada@example.com', message: 'Hello!' });
    await firstEvents.next('queue');
    const sessionId = t.server.sessions().at(-1)!.id;
    t.server.agent.join(sessionId, 'Bea');
    t.server.agent.say(sessionId, 'Hi Ada.');
    await firstEvents.next('chat message', ([data]) => (data as { chat: { text: string }[] }).chat.some((m) => m.text === 'Hi Ada.'));

    const second = facade({ storage: memoryStorage() });
    second.baseURL = t.server.baseURL;
    const secondEvents = recordEvents(second);
    const answer = new Promise<unknown>((resolve) => second.tryResume(resolve));
    expect(await answer).toMatchObject({ sessionId });
    const resent = await secondEvents.next('chat message', ([data]) => (data as { chat: { text: string }[] }).chat.some((m) => m.text === 'Hello!') && (data as { chat: { text: string }[] }).chat.some((m) => m.text === 'Hi Ada.'));
    expect(resent).toBeDefined();

    const from = firstEvents.seen.length;
    second.message('From the second tab');
    await firstEvents.next('message sent', () => true, from);
    await secondEvents.next('message sent');
    t.server.agent.say(sessionId, 'Both tabs hear this.');
    for (const events of [firstEvents, secondEvents]) await events.next('chat message', ([data]) => (data as { chat: { text: string }[] }).chat.some((m) => m.text === 'Both tabs hear this.'));
    expect(t.server.session(sessionId)!.connectedSockets).toBe(1);
  });

  /** The numbers (`seq`) of the entries of each log a leader gives a tab that asks for it, from now on. */
  const logsGiven = () => {
    const posted = watchPosts();
    return { at: (i: number) => ((posted.filter((m) => m.type === 'log').at(i)?.entries ?? []) as readonly { readonly seq: number }[]).map((e) => e.seq) };
  };
  /** `n` chats started and closed in `chat`, one after another. */
  async function chats(chat: CentionChat, n: number) {
    for (let i = 0; i < n; i++) {
      await chat.start({ ...ada, message: `Chat ${i}` });
      await chat.close();
    }
  }

  it('keeps only the log since the last chat began at rest, and a tab that opens after many chats reaches the leader\'s exact state', async () => {
    const given = logsGiven();
    const one = t.client(quick);
    await chats(one, 1);
    const late = t.client(quick);
    await view(late, (v) => v.phase === 'finished');
    const afterOne = given.at(-1).length;
    late.stop();

    await chats(one, 12);
    const session = await one.start({ ...ada, message: 'The chat going on' });
    t.server.agent.join(session.sessionId, 'Bea');
    t.server.agent.say(session.sessionId, 'Hello Ada.');
    await view(one, (v) => [...v.transcript].some((m) => m.text === 'Hello Ada.'));
    const later = t.client(quick);
    await view(later, (v) => [...v.transcript].some((m) => m.text === 'Hello Ada.'));
    // Thirteen chats later, the log given is not much longer than after the first (it was thirteen times it).
    expect(given.at(-1).length).toBeLessThan(2 * afterOne);
    expect(machineStateOf(later)).toEqual(machineStateOf(one));

    // The timers go on by the leader's numbers: the close's grace fires in the late tab too.
    await later.close();
    await allSee([one, later], (v) => v.phase === 'finished');
    expect(machineStateOf(later)).toEqual(machineStateOf(one));
    await chats(later, 1);
    await allSee([one, later], (v) => v.phase === 'finished');
    expect(machineStateOf(later)).toEqual(machineStateOf(one));
  });

  it('drops the same entries in a follower, so a tab that opens after the leader left gets a short log too', async () => {
    const given = logsGiven();
    const { tabs: [one, two] } = await tabs(2);
    await chats(one!, 1);
    await view(two!, (v) => v.phase === 'finished');
    const third = t.client(quick);
    await view(third, (v) => v.phase === 'finished');
    const afterOne = given.at(-1).length;
    third.stop();

    await chats(one!, 12);
    await view(two!, (v) => v.phase === 'finished');
    one!.stop();
    await two!.start(ada);
    await view(two!, (v) => v.phase === 'queued');
    const late = t.client(quick);
    await view(late, (v) => v.phase === 'queued');
    expect(given.at(-1).length).toBeLessThan(2 * afterOne);
    expect(machineStateOf(late)).toEqual(machineStateOf(two!));
  });

  it('drops nothing for a start given while the machine still has events to take', async () => {
    const one = t.client(quick);
    await chats(one, 1);
    one.reset();
    await view(one, (v) => v.phase === 'idle');
    // A page that answers a snapshot with two commands: when the start enters, the resume before
    // it has not been taken yet, and the machine it meets will not be at rest.
    const answer = one.actor!.subscribe(() => {
      answer.unsubscribe();
      one.resume().catch(() => undefined);
      one.start(ada).catch(() => undefined);
    });
    one.markRead();
    await view(one, (v) => v.phase === 'idle' && v.lastError !== undefined);
    // The next start drops the chat before last: a tab that opens then begins at that start.
    await chats(one, 1);
    const late = t.client(quick);
    await view(late, (v) => v.phase === 'finished');
    expect(machineStateOf(late)).toEqual(machineStateOf(one));
  });

  it('takes a tab back from the back/forward cache, past the chats it missed, to the leader\'s state', async () => {
    const given = logsGiven();
    // The page of the second tab alone: its pagehide and pageshow reach none of the others.
    const page = new EventTarget();
    const one = t.client(quick);
    await chats(one, 1);
    vi.stubGlobal('addEventListener', page.addEventListener.bind(page));
    vi.stubGlobal('removeEventListener', page.removeEventListener.bind(page));
    const two = t.client(quick);
    await view(two, (v) => v.phase === 'finished');
    vi.stubGlobal('addEventListener', undefined);
    const afterOne = given.at(-1).length;

    page.dispatchEvent(Object.assign(new Event('pagehide'), { persisted: true }));
    await chats(one, 12);
    await one.start({ ...ada, message: 'The chat going on' });
    page.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    await view(two, (v) => v.phase === 'queued');
    expect(given.at(-1).length).toBeLessThan(2 * afterOne);
    // The chat's queue place and echo may come after the log it was given.
    await vi.waitFor(() => expect(machineStateOf(two)).toEqual(machineStateOf(one)));
    // It follows again: its message goes through the leader's socket.
    await two.send('Back again').sent;
    await allSee([one, two], (v) => [...v.transcript].some((m) => m.text === 'Back again'));
    expect(machineStateOf(two)).toEqual(machineStateOf(one));

    // When it leads, a tab that opens is given entries that follow each other, and reaches its state.
    one.stop();
    const three = t.client(quick);
    await view(three, (v) => [...v.transcript].some((m) => m.text === 'Back again'));
    const seqs = given.at(-1);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    // The new leader rejoins the chat on its own socket: the same, once both are there.
    await vi.waitFor(() => expect(machineStateOf(three)).toEqual(machineStateOf(two)));
    two.stop(); // while its page is still there
  });

  it('leaves no channel, lock or timer behind once every tab has stopped', async () => {
    const before = process.getActiveResourcesInfo().length;
    const { tabs: opened } = await tabs(3);
    await opened[0]!.start(ada);
    await allSee(opened, (v) => v.phase === 'queued');
    for (const tab of opened) tab.stop();
    await expect.poll(() => locks.isHeld('cention-chat:' + t.server.baseURL)).toBe(false);
    await expect.poll(() => process.getActiveResourcesInfo().length).toBeLessThanOrEqual(before);
  });
});
