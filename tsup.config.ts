import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build as esbuild } from 'esbuild';
import { minify } from 'terser';
import { defineConfig } from 'tsup';
import type { Options } from 'tsup';
import { ENGINE_FILE, ENGINE_HOOK_KEY } from './core/compat/engine-hook';

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
 * The standalone script is one file: it carries the runtime itself, where the ES module entries load it
 * lazily (`core/engine/default-runtime.ts` becomes `core/runtime/index.ts`, which exports the same `startRuntime`).
 */
const RUNTIME_INSIDE = swap('runtime-inside', /\/default-runtime$/, 'core/runtime/index.ts');
/** And the uploads, which the ES module entries load with the first file. */
const UPLOADS_INSIDE = swap('uploads-inside', /\/uploads-loader$/, 'core/engine/uploads-inside.ts');
/** The drop-in script loads both with its engine, from the same folder (`core/compat/engine-script.ts`). */
const RUNTIME_SCRIPT = swap('runtime-script', /\/default-runtime$/, 'core/compat/engine-script.ts');
const UPLOADS_SCRIPT = swap('uploads-script', /\/uploads-loader$/, 'core/compat/engine-script.ts');
/** The standalone script carries socket.io-client 2's slim build (its own, without `debug`): 15 KiB min+gzip, not 18. */
const SLIM_SOCKET_IO_V2 = swap('slim-socket-io-v2', /^socket\.io-client-v2$/, 'node_modules/socket.io-client-v2/dist/socket.io.slim.js');

/** How terser writes a drop-in script: the seed's switch on top, readable, for sites to set (see docs/facade.md). */
const PREAMBLE = 'var FOR_THIRD_PARTY_USE = true;';

/** terser's options for a drop-in file; `map` is the bundle's own map, which terser's then chains onto. */
function terserOptions(preamble: string | undefined, map?: string) {
  return {
    // The map still leads to the sources.
    sourceMap: SOURCEMAPS && map ? { content: map, url: 'inline' as const } : false,
    compress: TERSER_COMPRESS,
    format: { comments: false, ...(preamble ? { preamble } : {}) },
  };
}

/** What every drop-in file is: for browsers from 2020 on, with every dependency inside. */
const BROWSER_SCRIPT = {
  outExtension: () => ({ js: '.js' }),
  platform: 'browser',
  target: 'es2020',
  sourcemap: SOURCEMAPS,
  noExternal: [/.*/],
} as const satisfies Options;

/** The options of a drop-in browser script in one file: one self-contained minified IIFE. */
function dropIn(entry: Record<string, string>, plugins: Plugin[]): Options {
  return {
    entry,
    format: ['iife'],
    ...BROWSER_SCRIPT,
    treeshake: true,
    outDir: 'dist',
    esbuildPlugins: plugins,
    // terser packs this script about 4% smaller than esbuild's minifier.
    minify: 'terser',
    // tsup chains terser's map onto the bundle's, so the map still leads to the sources.
    terserOptions: { ...terserOptions(PREAMBLE), sourceMap: SOURCEMAPS },
  };
}

/**
 * The drop-in script, `CentionChatAPI.js`, and the engine it loads when a chat first needs it,
 * `CentionChatAPI.engine.js` (see `core/compat/engine-script.ts`), as two classic scripts that
 * share their common modules at run time instead of carrying them twice. Two passes:
 * 1. (these options) esbuild splits the two entries as ES modules into a staging folder: the
 *    script's own modules, the engine's own, and one chunk of what both use;
 * 2. (`finishDropIn`, on success) each file becomes an IIFE: the script carries the chunk and
 *    puts the list of its exports in the page's hook (`core/compat/engine-hook.ts`); the engine
 *    reads them from that hook, and refuses another build's script.
 * `outDir` is where the two files go (`dist` for the package; the demo builds its own).
 */
export function dropInScript(outDir = 'dist'): Options {
  // One staging folder per destination, emptied before and removed after (made only when built).
  const stage = join(tmpdir(), `cention-drop-in-${createHash('sha256').update(resolve(outDir)).digest('hex').slice(0, 12)}`);
  return {
    entry: { CentionChatAPI: 'core/compat/browser.ts', [ENGINE_FILE.replace(/\.js$/, '')]: 'core/compat/engine.ts' },
    format: ['esm'],
    ...BROWSER_SCRIPT,
    splitting: true,
    metafile: true,
    outDir: stage,
    clean: true,
    esbuildPlugins: [PAGE_SOCKET_JS, RUNTIME_SCRIPT, UPLOADS_SCRIPT],
    onSuccess: () => finishDropIn(stage, outDir),
  };
}

/** The page's hook, as code. */
const HOOK = `globalThis[Symbol.for(${JSON.stringify(ENGINE_HOOK_KEY)})]`;

/** Pass 2 of {@link dropInScript}: the staged ES modules into the two minified classic scripts in `outDir`. */
async function finishDropIn(stage: string, outDir: string): Promise<void> {
  try {
    const chunks = readdirSync(stage).filter((name) => name.startsWith('chunk-') && name.endsWith('.js'));
    if (chunks.length !== 1) throw new Error(`The drop-in's first pass made ${chunks.length} shared chunks, not one: ${chunks.join(', ')}`);
    const chunk = join(stage, chunks[0] ?? '');
    const metafile = JSON.parse(readFileSync(join(stage, 'metafile-esm.json'), 'utf8')) as { outputs: Record<string, { exports: string[] }> };
    const names = Object.entries(metafile.outputs).find(([path]) => resolve(path) === chunk)?.[1].exports;
    if (!names) throw new Error(`The drop-in's metafile does not list ${chunk}`);
    // The build both files come from: a hash of everything the first pass made.
    const hash = createHash('sha256');
    for (const name of ['CentionChatAPI.js', ENGINE_FILE, chunks[0] ?? '']) hash.update(readFileSync(join(stage, name)));
    const build = hash.digest('hex').slice(0, 12);
    // The chunk's exports as a list, in order, not an object: no name of them is left in either file.
    // A list holds values, not live bindings, so no module may assign an export after it has run.
    const chunkCode = readFileSync(chunk, 'utf8');
    const reassigned = names.filter((name) => new RegExp(`^\\s*${name.replace(/\$/g, '\\$')}\\s*=[^=>]`, 'm').test(chunkCode));
    if (reassigned.length > 0) throw new Error(`The drop-in shares values, not bindings, and these exports are assigned after load: ${reassigned.join(', ')}`);
    const script = [
      `import { ${names.map((name, index) => `${name} as shared${index}`).join(', ')} } from ${JSON.stringify(chunk)};`,
      `import ${JSON.stringify(join(stage, 'CentionChatAPI.js'))};`,
      `${HOOK} = { build: ${JSON.stringify(build)}, shared: [${names.map((_, index) => `shared${index}`).join(', ')}] };`,
    ].join('\n');
    // What the engine imports from the chunk, taken from the hook; checked first, since its modules run before its entry.
    const fromHook = [
      `const hook = ${HOOK};`,
      `if (!hook || hook.build !== ${JSON.stringify(build)}) throw new Error('CentionChat: ${ENGINE_FILE} (build ${build}) needs the CentionChatAPI.js of the same build, loaded first.');`,
      `export const [${names.join(', ')}] = hook.shared;`,
    ].join('\n');
    const sharedFromHook: Plugin = {
      name: 'shared-from-hook',
      setup: (pass) => {
        pass.onResolve({ filter: /^\.\/chunk-.*\.js$/ }, () => ({ path: 'shared', namespace: 'hook' }));
        pass.onLoad({ filter: /.*/, namespace: 'hook' }, () => ({ contents: fromHook, loader: 'js' }));
      },
    };
    const files: [name: string, contents: string, plugins: Plugin[], preamble?: string][] = [
      ['CentionChatAPI.js', script, [], PREAMBLE],
      [ENGINE_FILE, readFileSync(join(stage, ENGINE_FILE), 'utf8'), [sharedFromHook]],
    ];
    await Promise.all(files.map(async ([name, contents, plugins, preamble]) => {
      const bundled = await esbuild({
        // (Named apart from the staged files: a stdin named like the file it imports would import itself.)
        stdin: { contents, resolveDir: stage, sourcefile: `pass-2-${name}`, loader: 'js' },
        bundle: true,
        format: 'iife',
        platform: 'browser',
        target: 'es2020',
        write: false,
        sourcemap: SOURCEMAPS ? 'external' : false,
        outfile: join(outDir, name),
        plugins,
      });
      const code = bundled.outputFiles.find((file) => file.path.endsWith('.js'))?.text ?? '';
      const map = bundled.outputFiles.find((file) => file.path.endsWith('.map'))?.text;
      const packed = await minify(code, terserOptions(preamble, map));
      writeFileSync(join(outDir, name), `${packed.code ?? ''}\n`);
    }));
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
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
  dropInScript(),
  // The same for pages without socket.js: socket.io-client 2 inside.
  dropIn({ 'CentionChatAPI.standalone': 'core/compat/browser-standalone.ts' }, [SLIM_SOCKET_IO_V2, RUNTIME_INSIDE, UPLOADS_INSIDE]),
]);
