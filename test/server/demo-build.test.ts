import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DemoTarget } from '../../server/demo-build';
import { DEMO_TARGETS, buildWhatChanged } from '../../server/demo-build';
import { demoMounts } from '../../server/demo';
import { onCleanup } from './support/harness';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A folder with a library source and a site source, removed after the test. */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'demo-build-'));
  onCleanup(() => rmSync(root, { recursive: true, force: true }));
  for (const [file, text] of [['core/chat.ts', 'export const chat = 1;'], ['site/main.ts', 'import "../core/chat";'], ['package-lock.json', '{}']] as const) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return root;
}

/** A target that "builds" by copying its inputs' text into its output, counting its builds. */
function target(name: string, inputs: string[], output: string, fail?: Error): DemoTarget & { builds: number } {
  const made = {
    name,
    inputs,
    outputs: [output],
    builds: 0,
    build: async (root: string) => {
      made.builds++;
      if (fail) throw fail;
      mkdirSync(dirname(join(root, output)), { recursive: true });
      writeFileSync(join(root, output), `built ${made.builds}`);
    },
  };
  return made;
}

describe('what npm run demo builds before it starts', () => {
  it('builds everything the first time, nothing the second, and only what an edit touched after that', async () => {
    const root = project();
    const library = target('the library', ['core', 'package-lock.json'], 'dist/lib.js');
    const site = target('the site', ['core', 'site', 'package-lock.json'], 'site/dist/index.html');

    expect(await buildWhatChanged([library, site], root)).toEqual({ built: expect.arrayContaining(['the library', 'the site']), upToDate: [] });
    expect(await buildWhatChanged([library, site], root)).toEqual({ built: [], upToDate: expect.arrayContaining(['the library', 'the site']) });
    expect([library.builds, site.builds]).toEqual([1, 1]);

    writeFileSync(join(root, 'site/main.ts'), 'import "../core/chat"; // changed');
    expect(await buildWhatChanged([library, site], root)).toEqual({ built: ['the site'], upToDate: ['the library'] });
    writeFileSync(join(root, 'core/chat.ts'), 'export const chat = 2;');
    expect([...(await buildWhatChanged([library, site], root)).built].sort()).toEqual(['the library', 'the site']);
    expect([library.builds, site.builds]).toEqual([2, 3]);
  });

  it('ignores what a build writes into its own dist/, and builds again when an output is gone', async () => {
    const root = project();
    const site = target('the site', ['site'], 'site/dist/index.html');
    await buildWhatChanged([site], root);
    writeFileSync(join(root, 'site/dist/extra.js'), 'made by the build');
    expect((await buildWhatChanged([site], root)).upToDate).toEqual(['the site']);
    rmSync(join(root, 'site/dist'), { recursive: true });
    expect((await buildWhatChanged([site], root)).built).toEqual(['the site']);
    expect(readFileSync(join(root, 'site/dist/index.html'), 'utf8')).toBe('built 2');
  });

  it('fails with the build\'s error and tries again on the next start', async () => {
    const root = project();
    const broken = target('the site', ['site'], 'site/dist/index.html', new Error('main.ts:1:1: Unexpected token'));
    await expect(buildWhatChanged([broken], root)).rejects.toThrow('Building the site failed: main.ts:1:1: Unexpected token');
    await expect(buildWhatChanged([broken], root)).rejects.toThrow('Unexpected token');
    expect(broken.builds).toBe(2);
  });

  it('builds exactly what the demo serves from a build, and never the type declarations', () => {
    const outputs = DEMO_TARGETS.flatMap((t) => t.outputs);
    expect(outputs).toContain('dist/CentionChatAPI.js');
    expect(outputs).toContain('dist/devtools.js');
    for (const site of ['vue', 'svelte']) expect(outputs).toContain(`examples/${site}/dist/index.html`);
    expect(outputs.some((output) => output.endsWith('.d.ts'))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(manifest.scripts['demo']).toBe('tsx server/demo.ts');
    expect(manifest.scripts['build']).toBe('tsup');
    // Every built site the demo mounts from a dist/ folder is one of the targets.
    for (const mount of demoMounts(REPO).filter((m) => m.dir.endsWith('dist') && m.urlPath !== '/dist/' && !m.dir.includes('node_modules'))) {
      expect(outputs.map((output) => join(REPO, dirname(output)))).toContain(mount.dir);
    }
  });
});
