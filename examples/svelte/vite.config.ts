import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// Two pages (a full page load between them), served by `npm run demo` at /svelte/.
export default defineConfig({
  root: here('.'),
  base: '/svelte/',
  plugins: [svelte({ configFile: false })],
  resolve: {
    // The library as a user imports it, straight from its sources: no build of it needed first.
    alias: [
      { find: /^cention-chat\/svelte$/, replacement: here('../../adapters/svelte/index.ts') },
      { find: /^cention-chat\/devtools$/, replacement: here('../../core/devtools/inspector-panel.ts') },
      { find: /^cention-chat$/, replacement: here('../../core/index.ts') },
    ],
  },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    rollupOptions: { input: { index: here('index.html'), second: here('second.html') } },
  },
});
