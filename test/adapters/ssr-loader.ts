import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import vue from '@vitejs/plugin-vue';
import { createServer } from 'vite';
import type { Plugin, ViteDevServer } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// svelte 4's types declare the module 'svelte/compiler', not 'svelte4/compiler': typed here.
const { compile: compileSvelte4 } = createRequire(import.meta.url)('svelte4/compiler') as {
  compile(source: string, options: { generate: 'ssr'; sveltePath: string; filename: string }): { js: { code: string; map: unknown } };
};

/**
 * Real Svelte 4: `.svelte4` files (plain JavaScript, Svelte 4 syntax) compiled for the server by
 * svelte 4.2's own compiler, with its own runtime (`svelte` imports become `svelte4`).
 */
function svelte4(): Plugin {
  return {
    name: 'svelte4-ssr',
    transform(code, id) {
      if (!id.endsWith('.svelte4')) return undefined;
      const { js } = compileSvelte4(code, { generate: 'ssr', sveltePath: 'svelte4', filename: id });
      return { code: js.code, map: js.map as never };
    },
  };
}

/** Components that exist only as text (e.g. taken from the docs), served under `/virtual/<name>`. */
function virtualFiles(files: ReadonlyMap<string, string>): Plugin {
  const root = here('./fixtures/virtual/');
  return {
    name: 'virtual-components',
    enforce: 'pre',
    resolveId(id) {
      return id.startsWith('/virtual/') && files.has(id.slice('/virtual/'.length)) ? root + id.slice('/virtual/'.length) : undefined;
    },
    load(id) {
      return id.startsWith(root) ? files.get(id.slice(root.length)) : undefined;
    },
  };
}

/**
 * A Vite server that loads components for server rendering in Node, as a user's build would:
 * Vue SFCs, Svelte 5 (`.svelte`), Svelte 4 (`.svelte4`), and `cention-chat/*` imports resolved
 * to this repository's sources. Load the renderers through it too (`vue/server-renderer`,
 * `svelte/server`), so a component and its renderer share one copy of the framework.
 */
export function ssrLoader(virtual: ReadonlyMap<string, string> = new Map()): Promise<ViteDevServer> {
  return createServer({
    configFile: false,
    root: here('./fixtures'),
    logLevel: 'silent',
    appType: 'custom',
    server: { middlewareMode: true, hmr: false, ws: false },
    plugins: [virtualFiles(virtual), vue(), svelte({ configFile: false }), svelte4()],
    resolve: {
      alias: [
        { find: /^cention-chat\/vue$/, replacement: here('../../adapters/vue/index.ts') },
        { find: /^cention-chat\/svelte$/, replacement: here('../../adapters/svelte/index.ts') },
        { find: /^cention-chat\/vanilla$/, replacement: here('../../adapters/vanilla/index.ts') },
        { find: /^cention-chat$/, replacement: here('../../core/index.ts') },
      ],
    },
  });
}

/** A Svelte 4 server component: `render(props)` gives the HTML. */
export interface Svelte4Component {
  render(props: Record<string, unknown>): { html: string };
}
