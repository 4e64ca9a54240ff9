/**
 * What the package costs a site, as a site builds it: tiny consumer projects, one import each,
 * built by Vite for production in a temporary folder against the built package (`dist/`, through
 * package.json "exports", as `npm install cention-chat` would give it), next to the same project
 * without the import. Each result is min+gzip (Vite's own minifier, gzip -9 per file, as a
 * browser downloads them): what the import adds to the first bundle (the entry chunk and what it
 * imports statically) and what it puts in lazy chunks (loaded by `import()` when first needed).
 *
 * Run `npm run build` first. Used by `npm run bench` (which prints it) and by
 * test/core/bundle-budgets.test.ts (which holds it to the budgets), from `dist/` as built.
 *
 * @module
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import type { Rollup } from 'vite';

/** The repository's root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A site without the chat, built the same way: what every consumer is compared with. */
type Baseline = 'plain' | 'vue';

/** One consumer: the line that uses the package, in a site of its kind. */
export interface Consumer {
  /** What it imports, as the issue names it. */
  readonly name: string;
  readonly baseline: Baseline;
  /** The consumer's module: imports first, then `use(...)`, which keeps what it is given. */
  readonly code: string;
  /** The budget for what it adds to the first bundle (bytes, min+gzip). */
  readonly target: number;
  /** What `npm test` holds it to today (bytes): the target where it is met, else what was reached (docs/benchmarks.md says what stands in the way). */
  readonly limit: number;
  /** Whether it may add lazy chunks at all (describeMessage, ChatError and the protocol must not: they never load the engine). */
  readonly lazy: boolean;
}

const OPTIONS = "{ baseURL: 'https://cloud.cention.com/s/demo', area: 1 }";

/** The sites of each baseline: a plain page, and a Vue app that renders one component. */
const SITES: Record<Baseline, (line: string) => string> = {
  plain: (line) => `${line}\nconst use = (value) => { window.kept = value; };\n`,
  vue: (line) => `import { createApp, h } from 'vue';\n${line}\ncreateApp({ setup() { const used = use(); return () => h('p', String(used)); } }).mount('#app');\n`,
};

/** The consumers the budgets are about (issue 9), and the drop-in's face as an ES module for comparison. */
const KiB = 1024;
/**
 * A site that creates a chat: the 8 KiB for its first bundle, and what is held today
 * (10.5–10.9 KiB reached, the Vue and Svelte adapters' growing transcript array included; the view
 * of the idle chat, the commands' input checks and the streams stand in the way, docs/benchmarks.md).
 * Tab sharing (issue 10) added 0.8 KiB that must be there before the runtime loads: the
 * `preview`, `notifications` and `shareAcrossTabs` options read and refused at creation,
 * `enableNotifications()` asking from the click itself, and the look for another tab's chat.
 * The heap work of issue 9 added 0.2 KiB (shared getters and streams; 10 KiB less heap per client).
 */
const CHAT = { target: 8 * KiB, limit: 11 * KiB, lazy: true } as const;
/** What never loads the engine. */
const LEAN = { target: 3 * KiB, limit: 3 * KiB, lazy: false } as const;

export const CONSUMERS: readonly Consumer[] = [
  { name: 'createCentionChat', baseline: 'plain', code: `import { createCentionChat } from 'cention-chat';\nconst chat = createCentionChat(${OPTIONS}); chat.state$.subscribe((view) => (document.title = view.phase));` , ...CHAT },
  { name: 'useCentionChat (cention-chat/vue)', baseline: 'vue', code: `import { useCentionChat } from 'cention-chat/vue';\nconst use = () => useCentionChat(${OPTIONS}).phase.value;` , ...CHAT },
  { name: 'centionChatStore (cention-chat/svelte)', baseline: 'plain', code: `import { centionChatStore } from 'cention-chat/svelte';\ncentionChatStore(${OPTIONS}).subscribe((view) => (document.title = view.phase));` , ...CHAT },
  { name: 'bindChat (cention-chat/vanilla)', baseline: 'plain', code: `import { bindChat } from 'cention-chat/vanilla';\nbindChat(${OPTIONS}, { view: (view) => (document.title = view.phase) });` , ...CHAT },
  { name: 'describeMessage', baseline: 'plain', code: `import { describeMessage } from 'cention-chat';\ndocument.title = describeMessage({ id: 1, sender: 'SYSTEM', sent: 0, sentHuman: '', text: location.hash, umid: '' }).text;` , ...LEAN },
  { name: 'ChatError', baseline: 'plain', code: `import { ChatError } from 'cention-chat';\ndocument.title = String(new ChatError('timeout', location.hash));` , ...LEAN },
  { name: 'cention-chat/protocol (all of it)', baseline: 'plain', code: `import * as protocol from 'cention-chat/protocol';\nwindow.protocol = protocol;` , ...LEAN },
];

/** min+gzip of what one build put in the first bundle and in lazy chunks. */
interface Built {
  readonly first: number;
  readonly lazy: number;
}

/** What one consumer adds to a site of its kind. */
export interface BundleSize extends Built {
  readonly consumer: Consumer;
}

const gzipped = (code: string) => gzipSync(code, { level: 9 }).length;

/** Builds one site in `dir` and sums its chunks, first bundle and lazy apart. */
async function buildSite(dir: string, main: string): Promise<Built> {
  writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="app"></div><script type="module" src="/main.js"></script>\n');
  writeFileSync(join(dir, 'main.js'), main);
  const result = await build({ root: dir, configFile: false, logLevel: 'silent', build: { write: false, outDir: join(dir, 'dist') } });
  const output = (Array.isArray(result) ? result[0] : result) as Rollup.RollupOutput;
  const chunks = new Map(output.output.flatMap((file) => (file.type === 'chunk' ? [[file.fileName, file] as const] : [])));
  const first = new Set<string>();
  const reach = (name: string) => {
    if (first.has(name)) return;
    first.add(name);
    for (const imported of chunks.get(name)?.imports ?? []) reach(imported);
  };
  for (const chunk of chunks.values()) if (chunk.isEntry) reach(chunk.fileName);
  let firstBytes = 0;
  let lazyBytes = 0;
  for (const [name, chunk] of chunks) {
    if (first.has(name)) firstBytes += gzipped(chunk.code);
    else lazyBytes += gzipped(chunk.code);
  }
  return { first: firstBytes, lazy: lazyBytes };
}

/** Measures each consumer against its baseline (builds one after the other: Vite is not light). */
export async function measureBundles(consumers: readonly Consumer[] = CONSUMERS): Promise<BundleSize[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cention-consumer-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    // The package as installed, and the site's own Vue (one copy, the one the package resolves too).
    symlinkSync(ROOT, join(dir, 'node_modules', 'cention-chat'), 'dir');
    symlinkSync(join(ROOT, 'node_modules', 'vue'), join(dir, 'node_modules', 'vue'), 'dir');
    const baselines = new Map<Baseline, Built>();
    const sizes: BundleSize[] = [];
    for (const consumer of consumers) {
      if (!baselines.has(consumer.baseline)) baselines.set(consumer.baseline, await buildSite(dir, SITES[consumer.baseline]('')));
      const base = baselines.get(consumer.baseline)!;
      const built = await buildSite(dir, SITES[consumer.baseline](consumer.code));
      sizes.push({ consumer, first: built.first - base.first, lazy: built.lazy - base.lazy });
    }
    return sizes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** min+gzip of a built drop-in script (`dist/<name>.js`). */
export function dropInSize(name: 'CentionChatAPI' | 'CentionChatAPI.engine' | 'CentionChatAPI.standalone'): number {
  return gzipped(readFileSync(join(ROOT, 'dist', `${name}.js`), 'utf8'));
}

/**
 * The drop-in script's budget (issue 7: 26 KiB), and what `npm test` holds it to: what every
 * visitor of a page that embeds it downloads. Its engine (xstate, the statechart, the link, tab
 * sharing), which only a visitor who chats downloads, is held where it is, so that neither grows
 * unseen: 11.22 and 25.71 KiB on 2026-12-08 (docs/benchmarks.md).
 */
export const DROP_IN = { target: 26 * KiB, limit: 11.5 * KiB, engine: 26 * KiB } as const;

/** Prints what each consumer adds, and the drop-in scripts, against their budgets (`npm run bench`, or `npx tsx test/bench/bundle-sizes.ts`). */
export async function printBundleSizes(): Promise<void> {
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(2)} KiB`;
  const mark = (ok: boolean) => (ok ? 'ok' : 'NO');
  console.log('\nWhat a one-line consumer adds to a Vite production build (min+gzip):');
  console.log(`${'import'.padEnd(40)} ${'first bundle'.padStart(12)} ${'lazy chunks'.padStart(12)}   target`);
  for (const { consumer, first, lazy } of await measureBundles()) {
    const ok = first <= consumer.target && (consumer.lazy || lazy === 0);
    console.log(`${consumer.name.padEnd(40)} ${kib(first).padStart(12)} ${kib(lazy).padStart(12)}   ≤ ${kib(consumer.target)} first${consumer.lazy ? '' : ', no lazy chunk'}  ${mark(ok)}`);
  }
  const script = dropInSize('CentionChatAPI');
  const engine = dropInSize('CentionChatAPI.engine');
  console.log(`${'dist/CentionChatAPI.js (drop-in)'.padEnd(40)} ${kib(script).padStart(12)} ${kib(engine).padStart(12)}   ≤ ${kib(DROP_IN.target)} first, the engine when a chat begins  ${mark(script <= DROP_IN.target)}`);
  console.log(`${'dist/CentionChatAPI.standalone.js'.padEnd(40)} ${kib(dropInSize('CentionChatAPI.standalone')).padStart(12)}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await printBundleSizes();
