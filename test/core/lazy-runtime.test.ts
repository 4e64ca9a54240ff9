/**
 * The engine's lazy runtime (core/engine/lazy-runtime.ts): a site's first bundle holds no xstate
 * or socket.io-client; the runtime is loaded when a command first needs it, or at once when a
 * kept chat waits. Driven with a stand-in loader, so that what is loaded, and when, can be seen.
 */
import { describe, expect, it } from 'vitest';
import { phaseOf } from '../../machines';
import type { ChatSnapshot, UserEvent } from '../../machines';
import { configure } from '../../core/engine/config';
import { lazyRuntime } from '../../core/engine/lazy-runtime';
import type { ChatRuntime, RuntimeListener, StartRuntime } from '../../core/runtime/types';
import { ChatError } from '../../core';
import { memoryStorage } from './support';

const BASE = 'https://chat.example.com/s/demo';

/** A runtime that records what it is sent, and a loader of it that can be told to fail. */
function standIn(fail = false) {
  const sent: UserEvent[] = [];
  let loads = 0;
  const real: StartRuntime = (): ChatRuntime => ({
    actor: undefined,
    getSnapshot: () => ({}) as ChatSnapshot,
    send: (event) => (sent.push(event), true),
    stop: () => undefined,
  });
  const load = () => {
    loads += 1;
    return fail ? Promise.reject(new Error('chunk 404')) : Promise.resolve(real);
  };
  return { sent, load, loads: () => loads, fail: (value: boolean) => (fail = value) };
}

function listener() {
  const failures: unknown[] = [];
  const notifications: unknown[] = [];
  const heard: RuntimeListener = { snapshot: () => undefined, notification: (n) => void notifications.push(n), failed: (e) => void failures.push(e) };
  return { heard, failures, notifications };
}

const fetchAnswering = (body: unknown): typeof fetch => async () => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });

describe('the lazy runtime', () => {
  it('answers canChat over HTTP without loading the runtime', async () => {
    const runtime = standIn();
    const { heard, notifications } = listener();
    const config = configure({ baseURL: BASE, area: 1, storage: null, fetch: fetchAnswering({ chatOpen: true, agentsAvailable: 2, feature: {} }) });
    const chat = lazyRuntime(runtime.load)(config, heard);
    chat.send({ type: 'user.canChat', area: 1, requestId: 1 });
    await expect.poll(() => notifications.length).toBe(1);
    expect(notifications[0]).toMatchObject({ type: 'availability', availability: { requestId: 1, area: 1, result: { chatOpen: true, agentsAvailable: 2 } } });
    expect(runtime.loads()).toBe(0);
    expect(chat.actor).toBeUndefined();
    expect(chat.getSnapshot().matches({ chat: 'idle' })).toBe(true);
  });

  it('loads the runtime on the first command that needs it, and hands it the commands in order', async () => {
    const runtime = standIn();
    const { heard } = listener();
    const chat = lazyRuntime(runtime.load)(configure({ baseURL: BASE, area: 1, storage: null }), heard);
    chat.send({ type: 'user.markRead' });
    chat.send({ type: 'user.reset' });
    expect(runtime.loads()).toBe(0);
    chat.send({ type: 'user.resume', area: 1 });
    // The page sees the chat resuming at once, as the machine would show it.
    expect(phaseOf(chat.getSnapshot())).toBe('resuming');
    chat.send({ type: 'user.send', umid: 'c-1', text: 'Hello' });
    await expect.poll(() => runtime.sent.length).toBe(2);
    expect(runtime.sent.map((e) => e.type)).toEqual(['user.resume', 'user.send']);
    expect(runtime.loads()).toBe(1);
  });

  it('loads at once when the page keeps a chat to resume', () => {
    const runtime = standIn();
    const storage = memoryStorage();
    storage.setItem(`cention-chat:${BASE}:1`, JSON.stringify({ area: 1, sessionId: 7, secret: 's', outbox: [] }));
    storage.setItem(`cention-chat:${BASE}:last`, '1');
    lazyRuntime(runtime.load)(configure({ baseURL: BASE, area: 1, storage }), listener().heard);
    expect(runtime.loads()).toBe(1);
  });

  it('tells a runtime that cannot be loaded as a connect-failed ChatError, and tries again on the next command', async () => {
    const runtime = standIn(true);
    const { heard, failures } = listener();
    const chat = lazyRuntime(runtime.load)(configure({ baseURL: BASE, area: 1, storage: null }), heard);
    chat.send({ type: 'user.start', registration: {} as never });
    expect(phaseOf(chat.getSnapshot())).toBe('starting');
    await expect.poll(() => failures.length).toBe(1);
    expect(phaseOf(chat.getSnapshot())).toBe('idle');
    expect(failures[0]).toBeInstanceOf(ChatError);
    expect(failures[0]).toMatchObject({ code: 'connect-failed', message: expect.stringContaining('chunk 404') });
    runtime.fail(false);
    chat.send({ type: 'user.send', umid: 'c-2', text: 'Again' });
    await expect.poll(() => runtime.sent.length).toBe(1);
    // The command that was refused is not sent later behind the customer's back.
    expect(runtime.sent).toEqual([{ type: 'user.send', umid: 'c-2', text: 'Again' }]);
    expect(runtime.loads()).toBe(2);
  });
  it('keeps showing a start it has handed on as starting, not idle, until the runtime takes it (tabs still choosing which one leads)', async () => {
    // A runtime whose machine is idle and that takes the start only later, as a tab that has not
    // yet learnt whether it leads does.
    const snapshotOf = (chat: 'idle' | 'live') => ({ value: { chat }, matches: (want: { chat?: string }) => want.chat === chat }) as unknown as ChatSnapshot;
    let machine = snapshotOf('idle');
    let tell: ((snapshot: ChatSnapshot) => void) | undefined;
    const real: StartRuntime = (_config, heard): ChatRuntime => {
      tell = heard.snapshot;
      heard.snapshot(machine);
      return { actor: undefined, getSnapshot: () => machine, send: (event) => event.type !== 'user.start', stop: () => undefined };
    };
    const seen: boolean[] = [];
    const { heard } = listener();
    const chat = lazyRuntime(() => Promise.resolve(real))(configure({ baseURL: BASE, area: 1, storage: null }), { ...heard, snapshot: (s) => void seen.push(s.matches({ chat: 'idle' })) });
    chat.send({ type: 'user.start', registration: {} as never });
    await expect.poll(() => tell).toBeDefined();
    // Loaded, its machine still idle: the page still sees the chat starting.
    expect(phaseOf(chat.getSnapshot())).toBe('starting');
    tell!(machine);
    machine = snapshotOf('live');
    tell!(machine);
    // idle (before the start), starting (the stand-in), then the machine once it took the start.
    expect(seen).toEqual([true, false, false]);
    expect(chat.getSnapshot()).toBe(machine);
  });
});
