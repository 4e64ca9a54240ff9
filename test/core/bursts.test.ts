/**
 * Server events that come in a burst reach the machine as one batch, even when each came as a
 * task of its own, as every WebSocket message does in a browser (core/transport/after-tasks.ts).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { createCentionChat } from '../../core';
import { afterQueuedTasks } from '../../core/transport/after-tasks';
import { floodPayload } from '../bench/command-line';
import { InProcessSocket, nextTurn } from '../bench/in-process-socket';

/** The benches' socket in the process (it answers `register`), keeping what the client acked. */
class LocalSocket extends InProcessSocket {
  readonly acks: unknown[] = [];
  /** A `chat message` of one agent message, asking for its ack. */
  say(id: number) {
    this.fire('chat message', floodPayload(id), (answer: unknown) => this.acks.push(answer));
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


describe('a burst of server events', () => {
  it('reaches the machine as one batch when each message came as a task of its own', async () => {
    const { chat, socket, taken } = await startedChat();
    const shown: number[] = [];
    chat.messages$.subscribe((message) => shown.push(message.id));
    await nextTurn();
    const before = taken.get('server.chatMessage') ?? 0;
    // As a browser hands a flood to the page: each WebSocket message a task, all already queued.
    const ids = Array.from({ length: 50 }, (_, i) => 1_000 + i);
    for (const id of ids) setImmediate(() => socket.say(id));
    await nextTurn();
    await nextTurn();
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
    await nextTurn();
    expect(shown).toEqual([7]);
    socket.say(8);
    await nextTurn();
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
