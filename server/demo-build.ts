/**
 * What `npm run demo` builds before it starts the server: the drop-in script
 * (`dist/CentionChatAPI.js`, which the vanilla site loads), the inspector panel it loads with
 * `?inspect` (`dist/devtools.js`) and the Vue and Svelte sites (`examples/<site>/dist/`). Each is built only when it is missing or its inputs changed since
 * the demo last built it (a hash of their contents, kept under `node_modules/.cache/`), and
 * never the package's type declarations, which the demo does not use (`npm run build` makes the
 * whole package). It prints nothing but errors; tsup and Vite load only when something is built.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One thing the demo serves that has to be built first. */
export interface DemoTarget {
  readonly name: string;
  /** Files and folders (relative to the root) whose contents it is built from; `dist/` and `node_modules/` inside them are skipped. */
  readonly inputs: readonly string[];
  /** Files (relative to the root) the build makes; a missing one means it must be built. */
  readonly outputs: readonly string[];
  /** Builds it, quietly; rejects with the build's error. */
  build(root: string): Promise<void>;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Inputs every target shares: the library's sources and the exact dependency versions. */
const LIBRARY = ['core', 'machines', 'package.json', 'package-lock.json', 'tsconfig.json'];

/** The package's tsup settings for the entry that has `entry`, from tsup.config.ts. */
async function tsupSettings(entry: string) {
  const { default: configs } = await import('../tsup.config');
  if (typeof configs === 'function') throw new Error('tsup.config.ts must export its configurations, not a function');
  const found = (Array.isArray(configs) ? configs : [configs]).find((config) => typeof config.entry === 'object' && config.entry !== null && entry in config.entry);
  if (!found) throw new Error(`tsup.config.ts has no ${entry} entry`);
  return found;
}

/** The drop-in script and its engine, with the package's own tsup settings for them (the same files `npm run build` makes, without the rest). */
const DROP_IN: DemoTarget = {
  name: 'the drop-in script',
  inputs: [...LIBRARY, 'tsup.config.ts'],
  outputs: ['dist/CentionChatAPI.js', 'dist/CentionChatAPI.engine.js'],
  build: async (root) => {
    const [{ build }, { dropInScript }] = await Promise.all([import('tsup'), import('../tsup.config')]);
    await build({ ...dropInScript(join(root, 'dist')), config: false, silent: true });
  },
};

/** The inspector panel the vanilla site loads with `?inspect`: the package's ES module of it, without its types. */
const DEVTOOLS: DemoTarget = {
  name: 'the devtools panel',
  inputs: ['core/devtools', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsup.config.ts'],
  outputs: ['dist/devtools.js'],
  build: async (root) => {
    const [{ build }, settings] = await Promise.all([import('tsup'), tsupSettings('devtools')]);
    const { entry, ...rest } = settings;
    const devtools = (entry as Record<string, string>)['devtools'] ?? '';
    await build({ ...rest, entry: { devtools }, format: ['esm'], dts: false, clean: false, config: false, silent: true, outDir: join(root, 'dist') });
  },
};

/** A Vite example site, built with its own `vite.config.ts`. */
function viteSite(site: 'vue' | 'svelte'): DemoTarget {
  return {
    name: `the ${site === 'vue' ? 'Vue' : 'Svelte'} site`,
    inputs: [...LIBRARY, 'adapters', `examples/${site}`, 'examples/shared', 'examples/vanilla/chat.css'],
    outputs: [`examples/${site}/dist/index.html`, `examples/${site}/dist/second.html`],
    build: async (root) => {
      const { build } = await import('vite');
      await build({ configFile: join(root, 'examples', site, 'vite.config.ts'), logLevel: 'error' });
    },
  };
}

/** What `npm run demo` builds. */
export const DEMO_TARGETS: readonly DemoTarget[] = [DROP_IN, DEVTOOLS, viteSite('vue'), viteSite('svelte')];

/** The files of an input, relative to the root: the file itself, or every file under the folder but `dist/` and `node_modules/`. */
function inputFiles(root: string, input: string): string[] {
  const full = join(root, input);
  const info = statSync(full, { throwIfNoEntry: false });
  if (!info) return [];
  if (info.isFile()) return [input];
  return readdirSync(full, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .filter((file) => !file.split(sep).some((part) => part === 'dist' || part === 'node_modules'));
}

/** A hash of the names and contents of every input file. */
export function fingerprint(root: string, inputs: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of [...new Set(inputs.flatMap((input) => inputFiles(root, input)))].sort()) {
    hash.update(file).update('\0').update(readFileSync(join(root, file))).update('\0');
  }
  return hash.digest('hex');
}

/** Where the demo keeps the fingerprint each target was last built from. */
export function stampFile(root: string, target: DemoTarget): string {
  return join(root, 'node_modules', '.cache', 'cention-chat-demo', `${target.name.replace(/\W+/g, '-')}.sha256`);
}

/** What {@link buildWhatChanged} did. */
export interface BuildReport {
  readonly built: readonly string[];
  readonly upToDate: readonly string[];
}

/**
 * Builds each target that is missing an output or whose inputs changed since its last build
 * here, all at once; a target that fails rejects the whole with its error and keeps no stamp,
 * so the next start tries it again.
 */
export async function buildWhatChanged(targets: readonly DemoTarget[] = DEMO_TARGETS, root = ROOT): Promise<BuildReport> {
  const built: string[] = [];
  const upToDate: string[] = [];
  await Promise.all(
    targets.map(async (target) => {
      const stamp = stampFile(root, target);
      const before = fingerprint(root, target.inputs);
      const last = await readFile(stamp, 'utf8').catch(() => '');
      if (last === before && target.outputs.every((output) => existsSync(join(root, output)))) {
        upToDate.push(target.name);
        return;
      }
      try {
        await target.build(root);
      } catch (error) {
        throw new Error(`Building ${target.name} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      built.push(target.name);
      await mkdir(dirname(stamp), { recursive: true });
      // The inputs as they were when the build began: a file changed meanwhile is built next time.
      await writeFile(stamp, before);
    }),
  );
  return { built, upToDate };
}
