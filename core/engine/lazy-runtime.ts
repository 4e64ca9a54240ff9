/**
 * The runtime the ES module entries start with: a stand-in that loads the real one
 * (`core/runtime`: xstate, the statechart, socket.io-client, the link) with `import()` when the
 * machine is first needed, or at once when the store keeps a chat to resume (or an inspector or
 * recorder is to watch the machine from its first state). Until then it is a
 * chat that has not begun: its snapshot is `idle`, `canChat()` is answered over plain HTTP, and
 * the commands that need the machine wait, in order, for it to load.
 *
 * @module
 */
import type { Availability, ChatSnapshot, UserEvent } from '../../machines';
import { initialContext } from '../../machines/chat/chat.context';
import { faultOf } from '../errors';
import { ChatError } from '../errors';
import { askCanChat, messageOf } from '../http';
import { withActor } from '../live-property';
import type { ChatRuntime, StartRuntime } from '../runtime/types';
import { readChat } from '../session-store';
import { whenAnotherTabChats } from '../tabs/watch';

/** The commands that do nothing to a chat that has not begun. */
const NOTHING_TO_DO: ReadonlySet<UserEvent['type']> = new Set(['user.disconnect', 'user.reset', 'user.markRead']);

/** Whether a state value is in the (partial) state value `want`, as a snapshot's `matches` tells. */
function within(want: unknown, value: unknown): boolean {
  if (typeof want === 'string') return typeof value === 'string' ? value === want : typeof value === 'object' && value !== null && want in value;
  return typeof value === 'object' && value !== null && Object.entries(want as object).every(([key, inner]) => key in value && within(inner, (value as Record<string, unknown>)[key]));
}

/**
 * The snapshot of a machine that has not been made yet: its first context, in `idle`, with what
 * was checked over HTTP; or, while a start or resume waits for the runtime, `live.starting` or
 * `live.resuming`, where the machine goes at once on that command: a page sees the phase change
 * as soon as it asks, as it did when the machine was always there.
 */
function idleSnapshot(availability: Availability | undefined, region: string, waiting?: 'starting' | 'resuming'): ChatSnapshot {
  const value = { availability: region, chat: waiting ? { live: waiting } : 'idle' };
  return {
    status: 'active',
    value,
    context: { ...initialContext(undefined), availability },
    matches: (want: unknown) => within(want, value),
  } as unknown as ChatSnapshot;
}

/**
 * Wraps a loader of the real runtime into a runtime that loads it when first needed. A loader
 * that has it already (a second client on the page) hands it over at once.
 */
export function lazyRuntime(load: () => StartRuntime | Promise<StartRuntime>): StartRuntime {
  return (config, listener) => {
    let runtime: ChatRuntime | undefined;
    let loading = false;
    let stopped = false;
    const queue: UserEvent[] = [];
    // What canChat() learnt over HTTP, and the checks still under way.
    let availability: Availability | undefined;
    let region = 'unknown';
    // (Made with the first check: most pages never ask before the runtime is there.)
    let checks: Map<number, { readonly area: number; readonly stop: AbortController }> | undefined;
    let waiting: 'starting' | 'resuming' | undefined;
    // Why the runtime's snapshots are held back (see begin()): while the waiting commands go in,
    // then while a start or resume it has not taken yet leaves its machine idle.
    let holding: 'commands' | 'untaken' | undefined;
    // The stand-in's snapshot, until the runtime has one.
    let idle: ChatSnapshot | undefined = idleSnapshot(undefined, region);
    const changed = () => {
      idle = idleSnapshot(availability, (checks?.size ?? 0) > 0 ? 'checking' : region, waiting);
      listener.snapshot(idle);
    };

    const begin = (startRuntime: StartRuntime) => {
      loading = false;
      unwatchTabs?.();
      if (stopped) return;
      // Until the waiting commands are in, the machine's snapshots (idle first) are held: the page
      // sees the chat go on from where the stand-in left it, not back to idle for a moment. A
      // start or resume the runtime has not taken yet (tabs still choosing which one leads) holds
      // them on while the machine is idle, until it takes it or refuses it.
      holding = 'commands';
      let held: ChatSnapshot | undefined;
      // Told, and let go of: the machine's later snapshots replace it.
      const release = () => {
        holding = undefined;
        idle = undefined;
        const last = held;
        held = undefined;
        if (last) listener.snapshot(last);
      };
      const real = startRuntime(availability ? { ...config, availability } : config, {
        ...listener,
        snapshot(snapshot) {
          held = snapshot;
          if (holding === undefined || (holding === 'untaken' && !snapshot.matches({ chat: 'idle' }))) release();
        },
        notification(n) {
          if (holding === 'untaken' && n.type === 'rejected' && (n.ref.command === 'start' || n.ref.command === 'resume')) release();
          listener.notification(n);
        },
      });
      runtime = real;
      // A check still under way is asked again of the machine, so that its answer lands there.
      for (const [requestId, check] of checks ?? []) {
        check.stop.abort();
        real.send({ type: 'user.canChat', area: check.area, requestId });
      }
      checks = undefined;
      let untaken = false;
      for (const event of queue.splice(0)) if (!real.send(event) && (event.type === 'user.start' || event.type === 'user.resume')) untaken = true;
      if (untaken && real.getSnapshot().matches({ chat: 'idle' })) holding = 'untaken';
      else release();
    };
    const start = () => {
      if (loading || runtime || stopped) return;
      loading = true;
      const loaded = load();
      if (typeof loaded === 'function') return begin(loaded);
      loaded.then(begin, (error: unknown) => {
        loading = false;
        queue.length = 0;
        if (waiting && !stopped) {
          waiting = undefined;
          changed();
        }
        if (!stopped) listener.failed(new ChatError('connect-failed', `The chat could not be loaded: ${messageOf(error)}`, { cause: error }));
      });
    };

    const check = (area: number, requestId: number) => {
      const stop = new AbortController();
      (checks ??= new Map()).set(requestId, { area, stop });
      changed();
      const settle = (result?: Availability) => {
        if (stop.signal.aborted || !checks?.delete(requestId)) return false;
        if (result) availability = result;
        region = availability ? 'known' : 'failed';
        return true;
      };
      askCanChat(config.http, area, stop.signal).then(
        (result) => {
          if (!settle({ requestId, area, result })) return;
          listener.notification({ type: 'availability', availability: { requestId, area, result } });
          changed();
        },
        (error: unknown) => {
          if (!settle()) return;
          listener.notification({ type: 'rejected', ref: { command: 'canChat', requestId }, fault: faultOf(error) });
          changed();
        },
      );
    };

    listener.snapshot(idle);
    // A kept chat will be resumed; an inspector or a recorder watches the machine from its first
    // state; a chat another tab of the site holds is followed here too (core/tabs/watch.ts).
    let unwatchTabs: (() => void) | undefined;
    if (config.inspect || config.record || readChat(config.store, config.area ?? -1)) start();
    else if (config.shareAcrossTabs) unwatchTabs = whenAnotherTabChats(config.endpoints.baseURL, start);
    const standin: Omit<ChatRuntime, 'actor'> = {
      getSnapshot: () => (runtime && holding !== 'untaken' ? runtime.getSnapshot() : (idle ??= idleSnapshot(availability, region, waiting))),
      send(event) {
        if (runtime) return runtime.send(event);
        if (event.type === 'user.canChat') {
          check(event.area, event.requestId);
          return true;
        }
        // A chat that has not begun has nothing to let go of, reset or mark read: not worth loading it for.
        if (queue.length === 0 && NOTHING_TO_DO.has(event.type)) return true;
        queue.push(event);
        if (!waiting && (event.type === 'user.start' || event.type === 'user.resume')) {
          waiting = event.type === 'user.start' ? 'starting' : 'resuming';
          changed();
        }
        start();
        return false;
      },
      stop() {
        stopped = true;
        unwatchTabs?.();
        queue.length = 0;
        for (const { stop } of checks?.values() ?? []) stop.abort();
        checks = undefined;
        runtime?.stop();
      },
    };
    // The actor as it is at each read; a getter in the literal would make this a dictionary (see live-property.ts).
    return withActor(standin, () => runtime?.actor);
  };
}
