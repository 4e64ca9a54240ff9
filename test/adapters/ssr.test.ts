// @vitest-environment node
import type { ViteDevServer } from 'vite';
import type { Component } from 'svelte';
import type { render as svelteRender } from 'svelte/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSSRApp, defineComponent, h } from 'vue';
import type { PropType } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { bindChat } from '../../adapters/vanilla';
import { useCentionChat } from '../../adapters/vue';
import type { CentionChat, CentionChatOptions, ChatView, IoFactory } from '../../core';
import type { ChatServer } from '../../server';
import { startTestServer } from '../support/chat-server';
import { chatWithBea } from './live-chat';
import { ssrLoader } from './ssr-loader';
import type { Svelte4Component } from './ssr-loader';

// Server rendering: no window, no socket, no request, and no timer left behind.
function serverOptions() {
  const io = vi.fn<IoFactory>();
  const fetch = vi.fn<typeof globalThis.fetch>();
  const options: CentionChatOptions = { baseURL: 'https://cloud.cention.com/s/demo', area: 1, io, fetch };
  return { options, untouched: () => io.mock.calls.length === 0 && fetch.mock.calls.length === 0 };
}

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('server-side rendering', () => {
  it('runs where there is no window', () => {
    expect(typeof window).toBe('undefined');
    expect(typeof sessionStorage).toBe('undefined');
  });

  it('renders a Vue component that uses useCentionChat', async () => {
    const Chat = defineComponent({
      props: { options: { type: Object as PropType<CentionChatOptions>, required: true } },
      setup(props) {
        const { phase, transcript } = useCentionChat(props.options);
        return () => h('p', `${phase.value} ${transcript.value.length}`);
      },
    });
    const { options, untouched } = serverOptions();
    const before = timers();
    expect(await renderToString(createSSRApp(Chat, { options }))).toBe('<p>idle 0</p>');
    expect(untouched()).toBe(true);
    expect(timers()).toBe(before);
  });

  it('binds a plain page with bindChat, and lets go of everything on dispose', () => {
    const { options, untouched } = serverOptions();
    const before = timers();
    const views: ChatView[] = [];
    const chat = bindChat(options, { view: (view) => views.push(view), message: () => undefined, receipt: () => undefined, error: () => undefined });
    expect(views.map((view) => view.phase)).toEqual(['idle']);
    expect(chat.view.transcript.length).toBe(0);
    chat.dispose();
    expect(untouched()).toBe(true);
    expect(timers()).toBe(before);
  });

  describe('Svelte components that use centionChatStore', () => {
    let vite: ViteDevServer;
    beforeAll(async () => {
      vite = await ssrLoader();
    });
    afterAll(() => vite.close());

    it.each(['Chat.svelte', 'ChatLegacy.svelte'])('renders %s with Svelte 5', async (file) => {
      // Loaded through the same Vite server as the component, so both use one copy of svelte.
      const { render } = (await vite.ssrLoadModule('svelte/server')) as { render: typeof svelteRender };
      const { default: Chat } = (await vite.ssrLoadModule(`/${file}`)) as { default: Component<{ options: CentionChatOptions }> };
      const { options, untouched } = serverOptions();
      const before = timers();
      const { body } = render(Chat, { props: { options } });
      expect(body).toContain('<p id="Phase">idle</p>');
      expect(body).toContain('<p id="Count">0</p>');
      expect(untouched()).toBe(true);
      expect(timers()).toBe(before);
    });

    it('renders a component compiled by Svelte 4 itself', async () => {
      const { default: Chat } = (await vite.ssrLoadModule('/Chat.svelte4')) as { default: Svelte4Component };
      const { options, untouched } = serverOptions();
      const before = timers();
      const { html } = Chat.render({ source: options });
      expect(html).toContain('<p id="Phase">idle</p>');
      expect(html).toContain('<p id="Count">0</p>');
      expect(untouched()).toBe(true);
      expect(timers()).toBe(before);
    });

    describe('in a chat', () => {
      let server: ChatServer;
      let client: CentionChat;
      beforeAll(async () => {
        ({ server } = await startTestServer());
        client = await chatWithBea(server, 'Where is my parcel?');
      });
      afterAll(async () => {
        client.stop();
        await server.close();
      });

      it('shows the transcript with Svelte 4: $chat, a derived store, and {#each} over toArray()', async () => {
        const { default: Chat } = (await vite.ssrLoadModule('/Chat.svelte4')) as { default: Svelte4Component };
        const { html } = Chat.render({ source: client });
        expect(html).toContain('<p id="Phase">connected</p>');
        expect(html).toContain('<p id="Agent">Bea</p>');
        expect(html).toContain('<li data-sender="CLIENT">Where is my parcel?</li>');
        expect(html).toContain('<li data-sender="SYSTEM">Agent(s) added: Bea</li>');
        // A client it was given stays running: it is not the component's to stop.
        expect(client.getSnapshot().phase).toBe('connected');
      });
    });
  });
});
