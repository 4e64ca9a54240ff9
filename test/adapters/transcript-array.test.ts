import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { get } from 'svelte/store';
import { effectScope, watch } from 'vue';
import type { EffectScope } from 'vue';
import { centionChatStore } from '../../adapters/svelte';
import { useCentionChat } from '../../adapters/vue';
import type { CentionChat, Message } from '../../core';
import type { ChatServer } from '../../server';
import { startTestServer } from '../support/chat-server';
import { chatWithBea } from './live-chat';

/** Resolves once `read()` holds `length` messages, checked on each of the client's changes. */
function holds(client: CentionChat, read: () => readonly Message[], length: number): Promise<void> {
  return new Promise((resolve) => {
    const off = client.subscribe(() => {
      if (read().length !== length) return;
      queueMicrotask(() => off());
      resolve();
    });
  });
}

// The adapters give the transcript as one array that grows, so a message costs them the same in
// a long chat as in a short one; what a page sees of it must stay true all the same.
describe('the transcript as an array that grows', () => {
  let server: ChatServer;
  let client: CentionChat;
  let sessionId: number;
  let scope: EffectScope;
  beforeEach(async () => {
    ({ server } = await startTestServer());
    client = await chatWithBea(server, 'Where is my parcel?');
    sessionId = client.getSnapshot().session!.sessionId;
    scope = effectScope();
  });
  afterEach(async () => {
    scope.stop();
    client.stop();
    await server.close();
  });

  it('Vue: the same array takes each new message and watchers hear of it; a reset gives a new, empty one', async () => {
    const { transcript, reset } = scope.run(() => useCentionChat(client))!;
    const first = transcript.value;
    expect(first.map((m) => m.text)).toEqual(client.getSnapshot().transcript.toArray().map((m) => m.text));
    const heard: number[] = [];
    scope.run(() => watch(transcript, (messages) => heard.push(messages.length), { flush: 'sync' }));

    server.agent.say(sessionId, 'It left the depot this morning.');
    await holds(client, () => transcript.value, 3);
    expect(transcript.value).toBe(first);
    expect(transcript.value.at(-1)?.text).toBe('It left the depot this morning.');
    expect(heard).toEqual([3]);

    reset();
    await holds(client, () => transcript.value, 0);
    expect(transcript.value).not.toBe(first);
    expect(first).toHaveLength(3);
  });

  it('Svelte: the store gives the transcript at once, then the grown array on each message, and a new one after a reset', async () => {
    const store = centionChatStore(client);
    const given: (readonly Message[])[] = [];
    const off = store.transcript.subscribe((messages) => given.push(messages));
    expect(given).toHaveLength(1);
    const first = given[0]!;
    expect(first.map((m) => m.text)).toEqual(client.getSnapshot().transcript.toArray().map((m) => m.text));

    server.agent.say(sessionId, 'It left the depot this morning.');
    await holds(client, () => given.at(-1)!, 3);
    expect(given.at(-1)).toBe(first);
    expect(get(store.transcript).map((m) => m.text)).toEqual(['Where is my parcel?', expect.any(String), 'It left the depot this morning.']);

    store.reset();
    await holds(client, () => given.at(-1)!, 0);
    expect(given.at(-1)).not.toBe(first);
    off();
  });
});
