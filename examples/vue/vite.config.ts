import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// Two pages (a full page load between them), served by `npm run demo` at /vue/.
export default defineConfig({
  root: here('.'),
  base: '/vue/',
  plugins: [vue()],
  resolve: {
    // The library as a user imports it, straight from its sources: no build of it needed first.
    alias: [
      { find: /^cention-chat\/vue$/, replacement: here('../../adapters/vue/index.ts') },
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
