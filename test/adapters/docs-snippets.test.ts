// @vitest-environment node
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { ViteDevServer } from 'vite';
import type { Component } from 'svelte';
import type { render as svelteRender } from 'svelte/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from 'vue';
import type { renderToString as vueRenderToString } from 'vue/server-renderer';
import type { CentionChat } from '../../core';
import type { ChatServer } from '../../server';
import { startTestServer } from '../support/chat-server';
import { chatWithBea } from './live-chat';
import { ssrLoader } from './ssr-loader';
import type { Svelte4Component } from './ssr-loader';

// The code blocks of the README and docs/adapters.md, held to the real exports: the component
// snippets render a live chat, the script snippets type-check against the sources.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCS = ['README.md', 'docs/adapters.md'];

interface Snippet {
  /** Where it is, e.g. `README.md #3 (svelte)`. */
  readonly name: string;
  readonly lang: string;
  readonly code: string;
}

const snippets: Snippet[] = DOCS.flatMap((doc) =>
  [...readFileSync(ROOT + doc, 'utf8').matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map(([, lang = '', code = ''], i) => ({ name: `${doc} #${i + 1} (${lang})`, lang, code })),
);
const of = (...langs: string[]) => snippets.filter((s) => langs.includes(s.lang)).map((s) => [s.name, s] as const);

/** The snippet with the chat it makes from options swapped for the test's live client. */
function onLiveClient(snippet: Snippet): string {
  const made = /\b(useCentionChat|centionChatStore)\(\{[^}]*\}\)/;
  expect(snippet.code, `${snippet.name} makes its chat from options`).toMatch(made);
  return snippet.code.replace(made, '$1(globalThis.snippetClient)');
}

describe('the snippets of the docs', () => {
  let server: ChatServer;
  let client: CentionChat;
  let vite: ViteDevServer;
  const files = new Map<string, string>();
  beforeAll(async () => {
    ({ server } = await startTestServer());
    client = await chatWithBea(server, 'Where is my parcel?');
    (globalThis as { snippetClient?: CentionChat }).snippetClient = client;
    vite = await ssrLoader(files);
  });
  afterAll(async () => {
    delete (globalThis as { snippetClient?: CentionChat }).snippetClient;
    await vite?.close();
    client?.stop();
    await server?.close();
  });

  /** What every component snippet must show of the chat: the question, and Bea's arrival in words. */
  function expectTranscript(html: string): void {
    expect(html).toContain('Where is my parcel?');
    expect(html).toMatch(/<li[^>]*>[^<]*Bea[^<]*<\/li>/);
    expect(html, 'a system message shown raw').not.toContain('\u0001');
    expect(html, 'a system message shown raw').not.toContain('AGENTS_ADDED');
  }

  it('has component snippets for Vue and Svelte in both files', () => {
    expect(of('vue').length).toBeGreaterThanOrEqual(2);
    expect(of('svelte').length).toBeGreaterThanOrEqual(2);
  });

  it.each(of('vue'))('renders %s with Vue', async (name, snippet) => {
    const file = `${name.replace(/\W+/g, '-')}.vue`;
    files.set(file, onLiveClient(snippet));
    // Vue imported the way the snippet imports it, so both use one copy.
    files.set('vue-ssr.js', "export { createSSRApp } from 'vue';\nexport { renderToString } from 'vue/server-renderer';\n");
    const { createSSRApp, renderToString } = (await vite.ssrLoadModule('/virtual/vue-ssr.js')) as { createSSRApp: (component: unknown) => App; renderToString: typeof vueRenderToString };
    const { default: Snippet } = (await vite.ssrLoadModule(`/virtual/${file}`)) as { default: unknown };
    expectTranscript(await renderToString(createSSRApp(Snippet)));
  });

  it.each(of('svelte'))('renders %s with Svelte 5', async (name, snippet) => {
    const file = `${name.replace(/\W+/g, '-')}.svelte`;
    files.set(file, onLiveClient(snippet));
    const { render } = (await vite.ssrLoadModule('svelte/server')) as { render: typeof svelteRender };
    const { default: Snippet } = (await vite.ssrLoadModule(`/virtual/${file}`)) as { default: Component };
    expectTranscript(render(Snippet).body);
  });

  it.each(of('svelte'))('renders %s with Svelte 4', async (name, snippet) => {
    const file = `${name.replace(/\W+/g, '-')}.svelte4`;
    files.set(file, onLiveClient(snippet));
    const { default: Snippet } = (await vite.ssrLoadModule(`/virtual/${file}`)) as { default: Svelte4Component };
    expectTranscript(Snippet.render({}).html);
  });

  it('type-checks every script snippet that imports the library', { timeout: 60_000 }, () => {
    const scripts = snippets.filter((s) => (s.lang === 'ts' || s.lang === 'js') && /^import /m.test(s.code));
    expect(scripts.length).toBeGreaterThanOrEqual(4);
    expect(typeErrors(scripts)).toEqual([]);
  });
});

/**
 * Type errors of script snippets, each checked as a module of its own against the sources (the
 * package's entries mapped to them). JavaScript is checked too, without strict null checks, as
 * an editor would check a page's script. Names the docs leave to the reader are declared.
 */
function typeErrors(scripts: readonly Snippet[]): string[] {
  const entries = { '': 'core/index.ts', '/vue': 'adapters/vue/index.ts', '/svelte': 'adapters/svelte/index.ts', '/vanilla': 'adapters/vanilla/index.ts', '/devtools': 'core/devtools/inspector-panel.ts' };
  const paths = Object.fromEntries(Object.entries(entries).map(([entry, source]) => [`cention-chat${entry}`, [ROOT + source]]));
  const leftToTheReader = 'declare function render(text: string): void;\ndeclare const baseURL: string;\n';
  const errors: string[] = [];
  for (const lang of ['ts', 'js']) {
    const virtual = new Map([[`${ROOT}test/adapters/fixtures/virtual/reader.d.ts`, leftToTheReader]]);
    const names = new Map<string, string>();
    scripts.forEach((s, i) => {
      if (s.lang !== lang) return;
      const file = `${ROOT}test/adapters/fixtures/virtual/snippet-${i}.${lang}`;
      virtual.set(file, s.code);
      names.set(file, s.name);
    });
    if (names.size === 0) continue;
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
      types: [],
      strict: lang === 'ts',
      exactOptionalPropertyTypes: lang === 'ts',
      allowJs: true,
      checkJs: true,
      skipLibCheck: true,
      noEmit: true,
      paths,
    };
    const host = ts.createCompilerHost(options);
    const { fileExists, readFile, getSourceFile } = host;
    host.fileExists = (file) => virtual.has(file) || fileExists(file);
    host.readFile = (file) => virtual.get(file) ?? readFile(file);
    host.getSourceFile = (file, language, ...rest) => {
      const text = virtual.get(file);
      return text === undefined ? getSourceFile(file, language, ...rest) : ts.createSourceFile(file, text, language);
    };
    const program = ts.createProgram([...virtual.keys()], options, host);
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const where = d.file ? names.get(d.file.fileName) : undefined;
      if (where === undefined && d.file) continue; // the library's own files are typecheck's job
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
      errors.push(`${where ?? 'options'}:${line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    }
  }
  return errors;
}
