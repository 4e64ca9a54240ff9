import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { derived, fromStore, get } from 'svelte/store';
import { createApp, defineComponent, h, nextTick } from 'vue';
import { centionChatStore } from '../../adapters/svelte';
import { useCentionChat } from '../../adapters/vue';
import type { CentionChatOptions } from '../../core';
import type { ChatServer } from '../../server';
import { startTestServer } from '../support/chat-server';

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
    await new Promise<void>((resolve) => {
      const unsubscribe = chat.subscribe((view) => view.phase === 'connected' && queueMicrotask(() => (unsubscribe(), resolve())));
    });
    expect(phases).toEqual(['idle', 'starting', 'queued', 'connected']);
    stop();
    chat.stop();
  });
});
