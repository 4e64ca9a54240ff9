/**
 * Server events that come in a burst reach the machine as one batch, even when each came as a
 * task of its own, as every WebSocket message does in a browser (core/transport/after-tasks.ts).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { createCentionChat } from '../../core';
import type { Listener, SocketLike } from '../../core';
import { encodePayload } from '../../core/protocol';
import { afterQueuedTasks } from '../../core/transport/after-tasks';

/** A connected socket in the process: it answers `register`, and the test fires server events at it. */
class LocalSocket implements SocketLike {
  connected = false;
  readonly acks: unknown[] = [];
  private readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  off(event: string) {
    this.listeners.delete(event);
  }
  emit(event: string, ...args: unknown[]) {
    const ack = args.at(-1);
    if (event === 'register' && typeof ack === 'function') queueMicrotask(() => ack(encodePayload({ sessionId: 1, sessionSecret: 'secret', areaId: 1, clientName: 'Ada' })));
  }
  connect() {
    queueMicrotask(() => {
      this.connected = true;
      this.fire('connect');
    });
  }
  disconnect() {
    this.connected = false;
  }
  fire(event: string, ...args: unknown[]) {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
  /** A `chat message` of one agent message, asking for its ack. */
  say(id: number) {
    const chat = [{ id, sender: 'AGENT', sent: 1_767_600_000, sentHuman: '10:00', text: `Message ${id}`, umid: '' }];
    this.fire('chat message', encodePayload({ agent: 'Bea', client: 'Ada', chat }), (answer: unknown) => this.acks.push(answer));
  }
}

/** A started chat on a {@link LocalSocket}, counting the events its machine takes, by type. */
async function startedChat() {
  let socket: LocalSocket | undefined;
  const taken = new Map<string, number>();
  const inspect = (event: InspectionEvent) => {
    // The events the chat's own actor (the root) takes, not those of its link.
    if (event.type === '@xstate.event' && event.actorRef.sessionId === event.rootId) taken.set(event.event.type, (taken.get(event.event.type) ?? 0) + 1);
  };
  const chat = createCentionChat({ baseURL: 'http://127.0.0.1:1/s/test', area: 1, storage: null, io: () => (socket = new LocalSocket()), inspect });
  await chat.start({ name: 'Ada', message: 'Hello' });
  return { chat, socket: socket!, taken };
}

const nextTask = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('a burst of server events', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reaches the machine as one batch when each message came as a task of its own', async () => {
    const { chat, socket, taken } = await startedChat();
    const shown: number[] = [];
    chat.messages$.subscribe((message) => shown.push(message.id));
    await nextTask();
    const before = taken.get('server.chatMessage') ?? 0;
    // As a browser hands a flood to the page: each WebSocket message a task, all already queued.
    const ids = Array.from({ length: 50 }, (_, i) => 1_000 + i);
    for (const id of ids) setImmediate(() => socket.say(id));
    await nextTask();
    await nextTask();
    expect(shown).toEqual(ids);
    expect(taken.get('server.chatMessage')! - before).toBe(1);
    // Every message asked for its ack and got it, once.
    expect(socket.acks).toHaveLength(ids.length);
    chat.stop();
  });

  it('still reaches the machine at once, alone, when nothing else is queued', async () => {
    const { chat, socket } = await startedChat();
    const shown: number[] = [];
    chat.messages$.subscribe((message) => shown.push(message.id));
    socket.say(7);
    await nextTask();
    expect(shown).toEqual([7]);
    socket.say(8);
    await nextTask();
    expect(shown).toEqual([7, 8]);
    chat.stop();
  });
});

describe('afterQueuedTasks', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('runs after the tasks queued before it, each callback once, in order', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('queued before'));
    afterQueuedTasks(() => order.push('first'));
    afterQueuedTasks(() => order.push('second'));
    setImmediate(() => order.push('queued after'));
    expect(order).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(order).toEqual(['queued before', 'first', 'second', 'queued after']);
  });

  it('runs the others when one throws, and throws that error on its own', async () => {
    const thrown: unknown[] = [];
    // What would surface as an uncaught error is caught here instead.
    vi.stubGlobal('queueMicrotask', (run: () => void) => {
      try {
        run();
      } catch (error) {
        thrown.push(error);
      }
    });
    const ran: string[] = [];
    const failure = new Error('a listener broke');
    afterQueuedTasks(() => {
      throw failure;
    });
    afterQueuedTasks(() => ran.push('after it'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(ran).toEqual(['after it']);
    expect(thrown).toEqual([failure]);
  });
});
