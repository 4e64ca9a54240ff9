import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The npm package: ESM + CJS + types, one file per public entry.
    entry: {
      index: 'core/index.ts',
      protocol: 'core/protocol/index.ts',
      machines: 'machines/index.ts',
      vue: 'adapters/vue/index.ts',
      svelte: 'adapters/svelte/index.ts',
      vanilla: 'adapters/vanilla/index.ts',
      devtools: 'core/devtools/inspector-panel.ts',
    },
    // The frameworks are the user's (optional peer dependencies), never bundled.
    external: ['vue', 'svelte'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    treeshake: true,
    splitting: true,
    outDir: 'dist',
  },
  {
    // The drop-in browser script of the 5.1.0 API: one self-contained minified file.
    entry: { CentionChatAPI: 'core/compat/browser.ts' },
    format: ['iife'],
    outExtension: () => ({ js: '.js' }),
    platform: 'browser',
    target: 'es2020',
    minify: true,
    sourcemap: true,
    noExternal: [/.*/],
    treeshake: true,
    outDir: 'dist',
    banner: {
      // The seed's switch: true for use on your own web site (see docs/facade.md).
      js: 'var FOR_THIRD_PARTY_USE = true;',
    },
  },
]);
