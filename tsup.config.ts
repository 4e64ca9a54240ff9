import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { defineConfig } from 'tsup';
import type { Options } from 'tsup';

/** How terser packs the drop-in script; the bench minifies the dependencies alone the same way. */
export const TERSER_COMPRESS = { passes: 3, pure_getters: true } as const;

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

/** Resolves imports matching `filter` to `target` (a path from the repository's root). */
function swap(name: string, filter: RegExp, target: string): Plugin {
  return { name, setup: (build) => void build.onResolve({ filter }, () => ({ path: resolve(target) })) };
}

/** The drop-in script's transport is the page's socket.js: the engine's `./transport/socket-io` becomes page-io. */
const PAGE_SOCKET_JS = swap('page-socket-js', /\/transport\/socket-io$/, 'core/transport/page-io.ts');
/** The standalone script carries socket.io-client 2's slim build (its own, without `debug`): 15 KiB min+gzip, not 18. */
const SLIM_SOCKET_IO_V2 = swap('slim-socket-io-v2', /^socket\.io-client-v2$/, 'node_modules/socket.io-client-v2/dist/socket.io.slim.js');

/** `dist/CentionChatAPI.d.ts`: the globals the drop-in scripts define, for TypeScript pages. */
const GLOBALS_DTS = `/**
 * The globals that CentionChatAPI.js (and CentionChatAPI.standalone.js) define on the page.
 * A TypeScript page refers to this file, e.g. \`/// <reference types="cention-chat/CentionChatAPI.js" />\`.
 */
import type { _CentionChat as CentionChatFactory, CentionChatAPI as CentionChatObject } from './index.js';

declare global {
  /** The seed's switch, on top of the script: \`true\` on a third-party site (the default). */
  var FOR_THIRD_PARTY_USE: boolean;
  /** Returns a new \`CentionChat\` object (the Cention Chat API 5.1.0). */
  var _CentionChat: typeof CentionChatFactory;
  /** The \`CentionChat\` object that \`_CentionChat()\` returns. */
  type CentionChatAPI = CentionChatObject;
}

export {};
`;

/** The options of a drop-in browser script: one self-contained minified IIFE. */
function dropIn(entry: Record<string, string>, plugins: Plugin[]): Options {
  return {
    entry,
    format: ['iife'],
    outExtension: () => ({ js: '.js' }),
    platform: 'browser',
    target: 'es2020',
    sourcemap: true,
    noExternal: [/.*/],
    treeshake: true,
    outDir: 'dist',
    esbuildPlugins: plugins,
    onSuccess: () => writeFile('dist/CentionChatAPI.d.ts', GLOBALS_DTS),
    // terser packs this script about 4% smaller than esbuild's minifier.
    minify: 'terser',
    terserOptions: {
      // tsup chains terser's map onto the bundle's, so the map still leads to the sources.
      sourceMap: true,
      compress: TERSER_COMPRESS,
      format: {
        comments: false,
        // The seed's switch, on top of the file and readable, for sites to set (see docs/facade.md).
        preamble: 'var FOR_THIRD_PARTY_USE = true;',
      },
    },
  };
}

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
      'socket.io-v4': 'core/transport/socket-io-v4.ts',
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
  // The drop-in browser script of the 5.1.0 API, on the page's socket.js like the original.
  dropIn({ CentionChatAPI: 'core/compat/browser.ts' }, [PAGE_SOCKET_JS]),
  // The same for pages without socket.js: socket.io-client 2 inside.
  dropIn({ 'CentionChatAPI.standalone': 'core/compat/browser-standalone.ts' }, [SLIM_SOCKET_IO_V2]),
]);
