// @vitest-environment node
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { createServer } from 'vite';
import type { ViteDevServer } from 'vite';
import type { Component } from 'svelte';
import type { render as svelteRender } from 'svelte/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSSRApp, defineComponent, h } from 'vue';
import type { PropType } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { useCentionChat } from '../../adapters/vue';
import type { CentionChatOptions, IoFactory } from '../../core';

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

  describe('Svelte components that use centionChatStore', () => {
    let vite: ViteDevServer;
    beforeAll(async () => {
      vite = await createServer({
        configFile: false,
        root: fileURLToPath(new URL('./fixtures', import.meta.url)),
        logLevel: 'silent',
        appType: 'custom',
        server: { middlewareMode: true, hmr: false, ws: false },
        plugins: [svelte({ configFile: false })],
      });
    });
    afterAll(() => vite.close());

    it.each(['Chat.svelte', 'ChatLegacy.svelte'])('renders %s', async (file) => {
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
  });
});
