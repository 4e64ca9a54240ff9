import { resolve } from 'node:path';
import { defineConfig } from 'tsup';
import type { Options } from 'tsup';

/** How terser packs the drop-in script; the bench minifies the dependencies alone the same way. */
export const TERSER_COMPRESS = { passes: 3, pure_getters: true } as const;

/**
 * Source maps only when asked for (`CENTION_SOURCEMAPS=1 npm run build`): with the sources they
 * carry, they are three times the size of the code, and even without them no smaller, so the
 * package ships none by default (test/core/pack.test.ts holds it to that).
 */
const SOURCEMAPS = process.env.CENTION_SOURCEMAPS === '1';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

/** Resolves imports matching `filter` to `target` (a path from the repository's root). */
function swap(name: string, filter: RegExp, target: string): Plugin {
  return { name, setup: (build) => void build.onResolve({ filter }, () => ({ path: resolve(target) })) };
}

/** The drop-in script's transport is the page's socket.js: the engine's `./transport/socket-io` becomes page-io. */
const PAGE_SOCKET_JS = swap('page-socket-js', /\/transport\/socket-io$/, 'core/transport/page-io.ts');
/**
 * A drop-in script is one file: it carries the runtime itself, where the ES module entries load it
 * lazily (`core/engine/default-runtime.ts` becomes `core/runtime/index.ts`, which exports the same `startRuntime`).
 */
const RUNTIME_INSIDE = swap('runtime-inside', /\/default-runtime$/, 'core/runtime/index.ts');
/** And the uploads, which the ES module entries load with the first file. */
const UPLOADS_INSIDE = swap('uploads-inside', /\/uploads-loader$/, 'core/engine/uploads-inside.ts');
/** The standalone script carries socket.io-client 2's slim build (its own, without `debug`): 15 KiB min+gzip, not 18. */
const SLIM_SOCKET_IO_V2 = swap('slim-socket-io-v2', /^socket\.io-client-v2$/, 'node_modules/socket.io-client-v2/dist/socket.io.slim.js');

/** The options of a drop-in browser script: one self-contained minified IIFE. */
function dropIn(entry: Record<string, string>, plugins: Plugin[]): Options {
  return {
    entry,
    format: ['iife'],
    outExtension: () => ({ js: '.js' }),
    platform: 'browser',
    target: 'es2020',
    sourcemap: SOURCEMAPS,
    noExternal: [/.*/],
    treeshake: true,
    outDir: 'dist',
    esbuildPlugins: plugins,
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
  };
}

/** The package's entries (package.json "exports"), one file each. */
const ENTRIES = {
  index: 'core/index.ts',
  protocol: 'core/protocol/index.ts',
  machines: 'machines/index.ts',
  vue: 'adapters/vue/index.ts',
  svelte: 'adapters/svelte/index.ts',
  vanilla: 'adapters/vanilla/index.ts',
  devtools: 'core/devtools/inspector-panel.ts',
  replay: 'core/replay/index.ts',
  'socket.io-v4': 'core/transport/socket-io-v4.ts',
};

/** Every entry but the inspector, which is built on its own (below). */
const { devtools, ...SHARED_ENTRIES } = ENTRIES;

export default defineConfig([
  {
    // The npm package: ESM + CJS + types, one file per public entry.
    entry: SHARED_ENTRIES,
    // The frameworks are the user's (optional peer dependencies), never bundled.
    external: ['vue', 'svelte'],
    format: ['esm', 'cjs'],
    // And `CentionChatAPI.d.ts`: the drop-in scripts' globals, types only; and the test kit's
    // types here, not in its own build, which this one's `clean` would race.
    dts: { entry: { ...ENTRIES, CentionChatAPI: 'core/compat/globals.ts', testing: 'server/testing.ts' } },
    sourcemap: SOURCEMAPS,
    clean: true,
    target: 'es2022',
    treeshake: true,
    splitting: true,
    outDir: 'dist',
  },
  // The inspector, whole in one file: it replays recordings on its own copy of the machine and
  // xstate, so a page loads it as it is (the vanilla site's `?inspect` imports /dist/devtools.js),
  // and the chart's drawing (data) stays in it alone.
  {
    entry: { devtools },
    noExternal: [/.*/],
    format: ['esm', 'cjs'],
    platform: 'browser',
    sourcemap: SOURCEMAPS,
    target: 'es2022',
    treeshake: true,
    minify: true,
    outDir: 'dist',
  },
  // The test kit and the demo server's command, for Node: reached by no browser entry, and on
  // socket.io, busboy and fast-check as the user has them (optional dependencies).
  {
    entry: { testing: 'server/testing.ts', 'cention-chat-server': 'server/cli.ts' },
    // Every package stays the user's (socket.io, busboy, fast-check; vite only in the clone's demo build).
    external: [/^[^./]/],
    // ESM only: Node 20.19 and later `require()` it too, and the server finds its pages by `import.meta.url`.
    format: ['esm'],
    platform: 'node',
    sourcemap: SOURCEMAPS,
    target: 'node20',
    treeshake: true,
    splitting: true,
    outDir: 'dist',
  },
  // The drop-in browser script of the 5.1.0 API, on the page's socket.js like the original.
  dropIn({ CentionChatAPI: 'core/compat/browser.ts' }, [PAGE_SOCKET_JS, RUNTIME_INSIDE, UPLOADS_INSIDE]),
  // The same for pages without socket.js: socket.io-client 2 inside.
  dropIn({ 'CentionChatAPI.standalone': 'core/compat/browser-standalone.ts' }, [SLIM_SOCKET_IO_V2, RUNTIME_INSIDE, UPLOADS_INSIDE]),
]);
