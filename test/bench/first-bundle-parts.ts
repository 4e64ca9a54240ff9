/**
 * What the parts of a site's first bundle cost, and what it would weigh without them: the
 * `createCentionChat` consumer of bundle-sizes.ts, its `cention-chat` the sources, bundled by esbuild (split,
 * minified) once as it is and once per group of modules replaced by stubs (each export a function
 * that does nothing), as if that part had gone to the lazy chunk. Prints the first bundle's
 * min+gzip for each, and the minified bytes of each module in it.
 *
 *   npx tsx test/bench/first-bundle-parts.ts
 *
 * esbuild's minifier packs a little worse than Vite's (which bundle-sizes.ts uses, through
 * `dist/`): read the differences between rows, not the rows against the budget. A stubbed build
 * is not a working client; it says what a part weighs, not what a replacement would.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Metafile, Plugin } from 'esbuild';
import { CONSUMERS, ROOT } from './bundle-sizes';

/** The parts that stand between the first bundle and its 8 KiB (docs/benchmarks.md). */
const PARTS: Record<string, readonly string[]> = {
  'the view of a chat that has not begun (connect, its context and fault readers)': ['machines/chat/chat.connect.ts', 'machines/chat/chat.faults.ts', 'machines/chat/chat.delivered.ts', 'machines/chat/chat.context.ts'],
  "the commands' synchronous checks and the errands (start, leaveMessage, rate)": ['core/protocol/checks.ts', 'core/errands.ts', 'core/engine/beside.ts'],
};

/** The consumer that the 8 KiB budget is about. */
const CONSUMER = CONSUMERS.find((consumer) => consumer.name === 'createCentionChat')!.code;

/** Replaces each module of `stubbed` with one whose every export is a function that does nothing. */
function stubs(stubbed: readonly string[]): Plugin {
  return {
    name: 'stubs',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        if (!stubbed.includes(relative(ROOT, args.path))) return undefined;
        const names = [...readFileSync(args.path, 'utf8').matchAll(/^export (?:async )?(?:function\*?|const|let|class) (\w+)/gm)].map((m) => m[1]);
        return { contents: names.map((name) => `export const ${name} = (x) => x;`).join('\n'), loader: 'ts' };
      });
    },
  };
}

/** The first bundle (the entry and what it imports statically): min+gzip, and minified bytes by module. */
async function firstBundle(stubbed: readonly string[]): Promise<{ gzip: number; modules: [string, number][] }> {
  const dir = mkdtempSync(join(tmpdir(), 'cention-first-bundle-'));
  try {
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, CONSUMER);
    const result = await build({ entryPoints: [entry], bundle: true, splitting: true, format: 'esm', minify: true, platform: 'browser', outdir: join(dir, 'out'), metafile: true, logLevel: 'silent', plugins: [stubs(stubbed)], alias: { 'cention-chat': join(ROOT, 'core/index.ts') }, define: { 'process.env.NODE_ENV': '"production"' } });
    const outputs: Metafile['outputs'] = result.metafile.outputs;
    // The consumer's own chunk (esbuild makes each `import()` an entry point of its own too), and what it imports statically.
    const first = new Set(Object.keys(outputs).filter((file) => outputs[file]!.entryPoint?.endsWith('entry.ts')));
    for (const file of first) for (const imported of outputs[file]!.imports) if (imported.kind === 'import-statement') first.add(imported.path);
    let gzip = 0;
    const modules = new Map<string, number>();
    for (const file of first) {
      gzip += gzipSync(readFileSync(join(process.cwd(), file)), { level: 9 }).length;
      for (const [input, { bytesInOutput }] of Object.entries(outputs[file]!.inputs)) modules.set(input, (modules.get(input) ?? 0) + bytesInOutput);
    }
    return { gzip, modules: [...modules].filter(([, bytes]) => bytes > 0).sort((a, b) => b[1] - a[1]) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const whole = await firstBundle([]);
console.log(`createCentionChat's first bundle, esbuild from the sources: ${whole.gzip.toLocaleString('en')} B min+gzip`);
for (const [module, bytes] of whole.modules) console.log(`  ${String(bytes).padStart(6)} B minified  ${module.endsWith('entry.ts') ? '(the consumer)' : relative(ROOT, join(process.cwd(), module))}`);
for (const [name, modules] of Object.entries(PARTS)) {
  const { gzip } = await firstBundle(modules);
  console.log(`without ${name}: ${gzip.toLocaleString('en')} B (${(gzip - whole.gzip).toLocaleString('en')})`);
}
const { gzip: neither } = await firstBundle(Object.values(PARTS).flat());
console.log(`without both: ${neither.toLocaleString('en')} B (${(neither - whole.gzip).toLocaleString('en')}); scaled to Vite's build of the same consumer, ${(neither / whole.gzip).toFixed(3)} of it`);
