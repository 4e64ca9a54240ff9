import { defineConfig } from 'tsup';

/** How terser packs the drop-in script; the bench minifies the dependencies alone the same way. */
export const TERSER_COMPRESS = { passes: 3, pure_getters: true } as const;

/**
 * Source maps only when asked for (`CENTION_SOURCEMAPS=1 npm run build`): with the sources they
 * carry, they are three times the size of the code, and even without them no smaller, so the
 * package ships none by default (test/core/pack.test.ts holds it to that).
 */
const SOURCEMAPS = process.env.CENTION_SOURCEMAPS === '1';

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
    sourcemap: SOURCEMAPS,
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
    sourcemap: SOURCEMAPS,
    noExternal: [/.*/],
    treeshake: true,
    outDir: 'dist',
    // terser packs this script about 4% smaller than esbuild's minifier.
    minify: 'terser',
    terserOptions: {
      // tsup chains terser's map onto the bundle's, so the map still leads to the sources.
      sourceMap: SOURCEMAPS,
      compress: TERSER_COMPRESS,
      format: {
        comments: false,
        // The seed's switch, on top of the file and readable, for sites to set (see docs/facade.md).
        preamble: 'var FOR_THIRD_PARTY_USE = true;',
      },
    },
  },
]);
