import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { derived, fromStore, get } from 'svelte/store';
import { createApp, defineComponent, h, nextTick } from 'vue';
import { centionChatStore } from '../../adapters/svelte';
import { bindChat } from '../../adapters/vanilla';
import { useCentionChat } from '../../adapters/vue';
import { describeMessage } from '../../core';
import type { CentionChatOptions, ChatView } from '../../core';
import type { ChatServer } from '../../server';
import { startTestServer } from '../support/chat-server';

/** Resolves once a store (or anything with the store contract) holds a view that passes `predicate`. */
function until(store: { subscribe(run: (view: ChatView) => void): () => void }, predicate: (view: ChatView) => boolean): Promise<ChatView> {
  return new Promise((resolve) => {
    const unsubscribe = store.subscribe((view) => {
      if (!predicate(view)) return;
      queueMicrotask(() => unsubscribe());
      resolve(view);
    });
  });
}

// Beyond the conformance suite: each adapter inside its framework's own machinery.
describe('inside the frameworks', () => {
  let server: ChatServer;
  let options: CentionChatOptions;
  beforeEach(async () => {
    ({ server } = await startTestServer());
    options = { baseURL: server.baseURL, area: 1, storage: null };
  });
  afterEach(() => server.close());

  it('re-renders a mounted Vue component, and unmounting stops the client it made', async () => {
    let chat!: ReturnType<typeof useCentionChat>;
    const Chat = defineComponent({
      setup() {
        chat = useCentionChat(options);
        return () => h('p', { id: 'Open' }, String(chat.state.value.availability?.chatOpen ?? 'unknown'));
      },
    });
    const root = document.createElement('div');
    const app = createApp(Chat);
    app.mount(root);
    expect(root.textContent).toBe('unknown');
    await chat.canChat();
    await nextTick();
    expect(root.textContent).toBe('true');
    app.unmount();
    expect(() => chat.client.canChat()).toThrow(expect.objectContaining({ code: 'invalid-state' }));
  });

  it('works with svelte/store: get, derived and fromStore', async () => {
    const chat = centionChatStore(options);
    const open = derived(chat, (view) => view.availability?.chatOpen);
    const phases: string[] = [];
    const stop = derived(chat, (view) => view.phase).subscribe((phase) => phases.push(phase));
    expect(get(chat).phase).toBe('idle');
    expect(fromStore(chat).current.phase).toBe('idle');
    await chat.canChat();
    expect(get(open)).toBe(true);
    const { sessionId } = await chat.start({ name: 'Ada', message: 'Hi' });
    server.agent.join(sessionId);
    await until(chat, (view) => view.phase === 'connected');
    expect(phases).toEqual(['idle', 'starting', 'queued', 'connected']);
    stop();
    chat.stop();
  });

  it('hands a plain page its messages, receipts and errors, until dispose()', async () => {
    const messages: string[] = [];
    const receipts: string[] = [];
    const errors: string[] = [];
    const chat = bindChat(options, {
      message: (message) => messages.push(describeMessage(message).text),
      receipt: (receipt) => receipts.push(receipt.state),
      error: (error) => errors.push(error.code),
    });
    const { sessionId } = await chat.start({ name: 'Ada', message: 'Hi' });
    server.agent.join(sessionId);
    await chat.send('Hello').sent;
    server.agent.ack(sessionId);
    await until(chat.client, (view) => view.transcript.toArray().some((m) => m.text === 'Hello' && view.deliveryOf(m) === 'acked'));
    expect(messages).toEqual(['Hi', 'Agent(s) added: Bea', 'Hello']);
    expect(receipts).toEqual(['sent', 'acked']);
    expect(chat.view.phase).toBe('connected');
    await expect(chat.start({ name: 'Ada', message: 'Again' })).rejects.toMatchObject({ code: 'invalid-state' });
    expect(errors).toEqual(['invalid-state']);

    chat.dispose();
    expect(() => chat.client.canChat()).toThrow(expect.objectContaining({ code: 'invalid-state' }));
    expect(messages).toHaveLength(3);
  });
});
