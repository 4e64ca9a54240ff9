/**
 * One chat for all the tabs of a site: one tab leads and holds the one socket, the others
 * follow. Every tab runs the same chat machine; the leader's actors do the I/O and its input
 * log (every event that entered its actor, and every timer that fired) goes to the other tabs,
 * which feed it, in order, to their own machines with inert actors. So every tab has the same
 * transcript, outbox, queue place, typing and phase, and its own promises and events settle
 * from its own machine, as if it held the socket itself.
 *
 * - Election: the Web Locks API (`navigator.locks`, lock `cention-chat:<baseURL>`); the holder
 *   leads. Traffic: a `BroadcastChannel` of the same name. Without either, no sharing.
 * - A follower's command goes to the leader, which feeds it to its actor, so it enters the log
 *   and reaches every tab in one order. Until it is seen in the log, the follower keeps it, and
 *   posts it again to a new leader (which feeds each command id once). The other followers keep
 *   it too, so that it is not lost when its own tab closes while no tab leads.
 * - Joining: a new tab asks for the log and replays it, then follows. Entries are numbered; a
 *   tab that sees a gap asks for what it missed.
 * - Takeover: when the leader's tab closes, reloads or crashes, its lock passes to a follower,
 *   whose machine is already in the leader's state. Its link tells the machine that the old
 *   link is gone, opens the socket, and the machine rejoins with the secret and resends its
 *   outbox with the same umids (the server answers `already-seen` for what it stored).
 * - A page that goes into the back/forward cache leaves the group and joins again on its return.
 *
 * @module
 */
import type { InspectionEvent } from 'xstate';
import type { ChatEvent, UserEvent } from '../../machines';
import type { ChatActors } from '../../machines/chat/chat.bound';
import type { ChatActor } from '../runtime/types';
import type { Clock } from '../clock';
import { makeId } from '../ids';
import { inspectorFunction, inputOf } from '../replay/input-log';
import type { InputEntry, Inspector } from '../replay/input-log';
import { tabActors } from './tab-actors';
import type { Lead } from './tab-actors';
import { tabClock } from './tab-clock';
import type { TabClock } from './tab-clock';
import { readTabMessage } from './tab-messages';
import type { SharedEntry, TabMessage } from './tab-messages';
import { tabPlatform } from './watch';

/** The part of `navigator.locks` tab sharing uses. */
export interface LockManagerLike {
  request(name: string, options: { ifAvailable?: boolean; signal?: AbortSignal }, callback: (lock: unknown) => unknown): Promise<unknown>;
}

/** The part of a `BroadcastChannel` tab sharing uses. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  close(): void;
}

/** What tab sharing needs of the browser. */
export interface TabEnvironment {
  readonly locks: LockManagerLike;
  readonly channel: (name: string) => ChannelLike;
  /** The page's `pagehide`/`pageshow` (to leave the group for the back/forward cache); none: the tab never leaves. */
  readonly page?: { addEventListener(type: string, listener: (event: Event) => void): void; removeEventListener(type: string, listener: (event: Event) => void): void } | undefined;
}

/** The browser's Web Locks and BroadcastChannel, when it has both. */
export function browserTabs(): TabEnvironment | undefined {
  const platform = tabPlatform();
  if (!platform) return undefined;
  const page = globalThis as { addEventListener?: unknown };
  return { locks: platform.locks, channel: (name) => new platform.Channel(name), page: typeof page.addEventListener === 'function' ? (globalThis as unknown as TabEnvironment['page']) : undefined };
}

/** What a tab's chat engine asks of tab sharing: its actors, clock and inspector, and a road for its commands. */
export interface TabShare {
  /** The machine's actors, real only while this tab leads. */
  actors(real: ChatActors): ChatActors;
  /** The actor's clock (called once). */
  clock(base: Clock): Clock;
  /** The actor's inspector: logs its inputs while this tab leads, then hands every inspection to `next`. */
  inspect(next?: Inspector): (event: InspectionEvent) => void;
  /** Joins the tabs with the started actor. */
  attach(actor: ChatActor): void;
  /** A command of this tab's engine: fed to the actor in the leader (`true`), posted to it from a follower (`false`). */
  command(event: UserEvent): boolean;
  /** Leaves the tabs (a follower takes the lead if this tab had it). */
  stop(): void;
}

/** How long a tab that takes over waits for the last words of the old leader still on their way. */
const SETTLE_MS = 50;
/** How often a tab that has not had the log yet asks again. */
const HELLO_EVERY_MS = 250;

/**
 * Makes the tab sharing of one chat engine; `environment` is the browser's (see
 * {@link browserTabs}) or a test's.
 */
export function shareTabs(name: string, environment: TabEnvironment, realClock: Clock): TabShare {
  const me = makeId('tab', realClock);
  type Role = 'electing' | 'following' | 'leading' | 'away' | 'alone' | 'stopped';
  let role: Role = 'electing';
  let actor: ChatActor | undefined;
  let clock: TabClock | undefined;

  // ------------------------------------------------------------------ the lead, as the actors see it
  const watchers = new Set<(leading: boolean) => void>();
  let leading = false;
  const setLeading = (value: boolean) => {
    if (leading === value) return;
    leading = value;
    for (const watcher of [...watchers]) watcher(value);
  };
  const lead: Lead = {
    get leading() {
      return leading;
    },
    watch(change) {
      watchers.add(change);
      return () => void watchers.delete(change);
    },
  };

  // ------------------------------------------------------------------ the log
  let logId: string | undefined;
  // From the start before last given at rest (see `fromRest`): what came before it no tab needs.
  const log: SharedEntry[] = [];
  let lastFrom = 0;
  let lastSeq = 0;
  const fed = new Set<string>();
  const ahead = new Map<number, SharedEntry>();
  // Commands of this tab not yet seen in the log, in the order they were given.
  const held = new Map<string, UserEvent>();
  // Commands other followers posted that the log has not shown yet: if their tab closes before a
  // new leader is there to take them, this tab feeds them when it leads (the customer wrote them).
  const others = new Map<string, UserEvent>();
  let nextCommand = 0;
  // The event objects this (leading) tab fed for a command, to name the command in its entry.
  const tagged = new WeakMap<object, string>();
  let joined = false;

  let channel: ChannelLike | undefined;
  const post = (message: TabMessage) => channel?.postMessage(message);
  // Whether another tab of the chat has spoken on the channel. Until one has, nobody reads the
  // leader's entries: a tab that opens later says `hello` first and gets the log so far, so the
  // entries need not go out one by one. (Each post costs the page its structured clone; in
  // Chromium, one tab alone spent 10 % of its CPU time of a run of sends on posts nobody read.)
  let othersHeard = false;

  // Events that entered the actor and that it has not yet taken: its snapshot is theirs only at 0.
  let waiting = 0;
  /**
   * Whether this tab's machine is at rest, where a start (`beginStart`) leaves nothing of the
   * chats before it but the availability: no chat live or detached, no check or upload under
   * way, no timer pending, nothing waiting to be taken; nor a failed check, which a start keeps.
   */
  const atRest = () => {
    const { value, children } = actor!.getSnapshot();
    return !waiting && clock!.idle && !Object.keys(children).length && value.chat !== 'detached' && value.availability !== 'failed';
  };
  // The one before last, not the last: a follower that missed entries just before a start can still ask for them.
  const keep = (shared: SharedEntry) => {
    if (shared.fromRest) {
      log.splice(0, lastFrom);
      lastFrom = log.length;
    }
    log.push(shared);
  };

  const append = (entry: InputEntry, command?: string) => {
    const fromRest = 'event' in entry && entry.event.type === 'user.start' && atRest() ? { timers: clock!.timers, availability: actor!.getSnapshot().context.availability } : undefined;
    const shared: SharedEntry = { seq: ++lastSeq, entry, ...(command ? { command } : {}), ...(fromRest ? { fromRest } : {}) };
    keep(shared);
    if (command) fed.add(command);
    if (role === 'leading' && logId && othersHeard) post({ type: 'entry', from: me, logId, ...shared });
  };

  /** Feeds a command to this (leading) tab's actor, once per id. */
  const feed = (id: string, event: UserEvent) => {
    if (fed.has(id) || !actor) return;
    held.delete(id);
    const fresh = { ...event };
    tagged.set(fresh, id);
    actor.send(fresh);
  };

  /**
   * A follower applies the next entry of the leader's log; or a start past entries the leader
   * dropped, which a machine at rest takes up as the leader's did (else this tab goes on by itself).
   */
  const apply = (shared: SharedEntry) => {
    const { seq, fromRest } = shared;
    if (!actor || !clock) return;
    if (seq !== lastSeq + 1) {
      if (!fromRest || !atRest()) return goAlone();
      // What this tab logged before is no part of the leader's log now.
      log.length = lastFrom = 0;
      clock.timers = fromRest.timers;
      if (fromRest.availability) actor.send({ type: 'check.done', ...fromRest.availability });
    }
    lastSeq = seq;
    keep(shared);
    if (shared.command) {
      fed.add(shared.command);
      held.delete(shared.command);
      others.delete(shared.command);
    }
    try {
      if ('fire' in shared.entry) clock.fire(shared.entry.fire);
      else actor.send(shared.entry.event);
    } catch {
      // This tab's machine no longer matches the log: it goes on by itself.
      goAlone();
    }
  };
  /** `answer`: the leader's log after this tab's last entry, which begins with a start at rest where the leader dropped what came before. */
  const applyInOrder = (entries: readonly SharedEntry[], answer?: boolean) => {
    for (const shared of entries) {
      if (shared.seq <= lastSeq) continue;
      if (shared.seq === lastSeq + 1 || (answer && shared.fromRest)) apply(shared);
      else ahead.set(shared.seq, shared);
    }
    for (let next = ahead.get(lastSeq + 1); next && role === 'following'; next = ahead.get(lastSeq + 1)) {
      ahead.delete(next.seq);
      apply(next);
    }
    for (const seq of ahead.keys()) if (seq <= lastSeq) ahead.delete(seq);
  };

  // ------------------------------------------------------------------ following
  let helloTimer: ReturnType<Clock['setTimeout']> | undefined;
  let askedAt = -Infinity;
  const sayHello = () => {
    if (helloTimer !== undefined) realClock.clearTimeout(helloTimer);
    helloTimer = undefined;
    if (role !== 'following') return;
    askedAt = realClock.now();
    post({ type: 'hello', from: me, logId, since: lastSeq });
    // Until the log comes (the leader may be changing hands), ask again.
    if (!joined) helloTimer = realClock.setTimeout(sayHello, HELLO_EVERY_MS);
  };
  const postHeld = () => {
    for (const [id, event] of held) post({ type: 'command', from: me, id, event });
  };
  const sameLog = (theirs: string) => {
    if (logId === undefined && lastSeq === 0) logId = theirs;
    if (logId === theirs) return true;
    // This tab lived a chat that the tabs now leading never saw: it goes on by itself.
    goAlone();
    return false;
  };

  const onMessage = ({ data }: { readonly data: unknown }) => {
    const message = readTabMessage(data);
    if (!message || message.from === me) return;
    othersHeard = true;
    if (role === 'leading') {
      if (message.type === 'hello' && logId) {
        // A tab that knows another log gets none of this one: it goes on by itself.
        const known = message.logId === undefined || message.logId === logId;
        post({ type: 'log', from: me, to: message.from, logId, entries: known ? log.filter((e) => e.seq > message.since) : [] });
      } else if (message.type === 'command') {
        feed(message.id, message.event);
      }
      return;
    }
    if (role !== 'following') return;
    switch (message.type) {
      case 'log':
        if (message.to !== me || !sameLog(message.logId)) return;
        applyInOrder(message.entries, true);
        if (!joined && role === 'following') {
          joined = true;
          postHeld();
        }
        return;
      case 'entry':
        if (!joined || !sameLog(message.logId)) return;
        // The message is the entry (its command, its start at rest), in an envelope no reader of an entry reads.
        applyInOrder([message]);
        // A gap: ask for what is missing, once per while.
        if (ahead.size > 0 && realClock.now() - askedAt >= HELLO_EVERY_MS) sayHello();
        return;
      case 'command':
        if (!fed.has(message.id) && others.size < 1_000) others.set(message.id, message.event);
        return;
      case 'leader':
        if (!sameLog(message.logId)) return;
        if (message.seq < lastSeq) return goAlone();
        if (message.seq > lastSeq || !joined) sayHello();
        if (joined) postHeld();
        return;
      default:
        return;
    }
  };

  // ------------------------------------------------------------------ the election
  let release: (() => void) | undefined;
  let queued: AbortController | undefined;
  const takeLead = (tookOver: boolean): Promise<void> => {
    if (role !== 'following' && role !== 'electing') return Promise.resolve();
    return new Promise<void>((resolve) => {
      release = resolve;
      const promote = () => {
        if (role !== 'following' && role !== 'electing') return resolve();
        role = 'leading';
        if (helloTimer !== undefined) realClock.clearTimeout(helloTimer);
        ahead.clear();
        logId ??= makeId('log', realClock);
        clock?.lead((k) => append({ t: realClock.now(), fire: k }));
        setLeading(true);
        post({ type: 'leader', from: me, logId, seq: lastSeq });
        for (const [id, event] of [...held, ...others]) feed(id, event);
        others.clear();
      };
      // The old leader's last entries may still be on their way: take them first.
      if (tookOver) realClock.setTimeout(promote, SETTLE_MS);
      else promote();
    });
  };
  const elect = () => {
    const { locks } = environment;
    void locks
      .request(name, { ifAvailable: true }, (lock) => {
        if (role !== 'electing') return undefined;
        if (lock) return takeLead(false);
        role = 'following';
        sayHello();
        queued = new AbortController();
        locks.request(name, { signal: queued.signal }, () => takeLead(true)).catch(() => undefined);
        return undefined;
      })
      .catch(() => undefined);
  };
  const join = () => {
    channel = environment.channel(name);
    channel.addEventListener('message', onMessage);
    role = 'electing';
    elect();
  };
  /** Lets go of the channel and the lock; the actors' real work stops (or, `alone`, goes on unshared). */
  const leave = (next: Role) => {
    role = next;
    if (helloTimer !== undefined) realClock.clearTimeout(helloTimer);
    helloTimer = undefined;
    queued?.abort();
    queued = undefined;
    release?.();
    release = undefined;
    channel?.removeEventListener('message', onMessage);
    channel?.close();
    channel = undefined;
    ahead.clear();
  };
  const goAlone = () => {
    const wasLeading = leading;
    leave('alone');
    joined = false;
    if (!wasLeading) {
      clock?.lead(() => undefined);
      setLeading(true);
    }
    for (const [id, event] of [...held]) feed(id, event);
  };

  // ------------------------------------------------------------------ the back/forward cache
  const onPageHide = () => {
    if (role === 'stopped' || role === 'alone') return;
    leave('away');
    clock?.follow();
    setLeading(false);
  };
  const onPageShow = (event: Event) => {
    if (!(event as PageTransitionEvent).persisted || role !== 'away') return;
    joined = lastSeq === 0 ? false : joined;
    join();
  };
  environment.page?.addEventListener('pagehide', onPageHide);
  environment.page?.addEventListener('pageshow', onPageShow);

  return {
    actors: (real) => tabActors(real, lead),
    clock(base) {
      clock = tabClock(base);
      return clock;
    },
    inspect(next) {
      const forward = inspectorFunction(next);
      return (inspection) => {
        if (role === 'leading') {
          const input: ChatEvent | undefined = inputOf(inspection);
          if (input) append({ t: realClock.now(), event: input }, tagged.get(input));
        }
        if (inspection.actorRef.sessionId === inspection.rootId) waiting += inspection.type === '@xstate.event' ? 1 : inspection.type === '@xstate.snapshot' ? -1 : 0;
        forward?.(inspection);
      };
    },
    attach(started) {
      actor = started;
      join();
    },
    command(event) {
      if (role === 'leading' || role === 'alone') {
        actor?.send(event);
        return true;
      }
      if (role === 'stopped') return false;
      const id = `${me}-${(++nextCommand).toString(36)}`;
      held.set(id, event);
      if (role === 'following' && joined) post({ type: 'command', from: me, id, event });
      return false;
    },
    stop() {
      if (role === 'stopped') return;
      environment.page?.removeEventListener('pagehide', onPageHide);
      environment.page?.removeEventListener('pageshow', onPageShow);
      leave('stopped');
      clock?.dispose();
      held.clear();
      watchers.clear();
    },
  };
}
