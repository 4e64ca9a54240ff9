import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

// What `npm pack` would put in the tarball, from npm's own listing (`--dry-run --json`) of what
// `npm run build` made: what a user downloads.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface PackedFile {
  readonly path: string;
  readonly size: number;
}

interface Packed {
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly PackedFile[];
}

interface Manifest {
  readonly main: string;
  readonly module: string;
  readonly types: string;
  readonly license: string;
  readonly repository: { readonly type: string; readonly url: string };
  readonly homepage: string;
  readonly bugs: { readonly url: string };
  readonly exports: Record<string, string | { types: { import: string; require: string }; import: string; require: string } | { types: string; default: string }>;
}

const manifest = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as Manifest;

/** Every file package.json sends a user to. */
function entryFiles(): string[] {
  const targets = Object.values(manifest.exports).flatMap((target) =>
    typeof target === 'string' ? [target] : 'default' in target ? [target.default, target.types] : [target.import, target.require, target.types.import, target.types.require],
  );
  return [...new Set([manifest.main, manifest.module, manifest.types, ...targets].map((path) => path.replace(/^\.\//, '')))].sort();
}

describe('the package as npm packs it', () => {
  let packed: Packed;
  beforeAll(async () => {
    const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT });
    [packed] = JSON.parse(stdout) as [Packed];
    console.log(`npm pack: ${packed.size} bytes packed, ${packed.unpackedSize} unpacked, ${packed.files.length} files`);
  });

  it('holds every file that package.json points to', () => {
    const paths = new Set(packed.files.map((file) => file.path));
    expect(entryFiles().filter((path) => !paths.has(path))).toEqual([]);
  });

  it('holds the built code, the license, the README, the manifest and the demo server\'s pages, and nothing else', () => {
    const others = packed.files.map((file) => file.path).filter((path) => !path.startsWith('dist/') && !/^examples\/(console|vanilla)\/[\w.-]+$/.test(path));
    expect(others.sort()).toEqual(['LICENSE', 'README.md', 'package.json']);
    expect(packed.files.map((file) => file.path)).toEqual(expect.arrayContaining(['examples/console/index.html', 'examples/vanilla/index.html', 'dist/cention-chat-server.js']));
    expect(readFileSync(`${ROOT}LICENSE`, 'utf8')).toMatch(/^MIT License/);
    expect(manifest.license).toBe('MIT');
  });

  it('ships a source map only when the build was asked for them, and then one for every script', () => {
    const sizes = new Map(packed.files.map((file) => [file.path, file.size]));
    const maps = packed.files.filter((file) => file.path.endsWith('.map'));
    if (process.env.CENTION_SOURCEMAPS === '1') {
      const scripts = packed.files.filter((file) => /\.c?js$/.test(file.path));
      expect(scripts.filter((file) => !sizes.has(`${file.path}.map`)).map((file) => file.path)).toEqual([]);
    } else {
      // Without the flag, no map outweighs the code it maps (today's build makes none at all).
      const heavy = maps.filter((map) => map.size > (sizes.get(map.path.slice(0, -'.map'.length)) ?? 0));
      expect(heavy.map((map) => map.path)).toEqual([]);
    }
  });

  it('has a README whose images and links work on the npm page: absolute, into files the repository has', () => {
    const readme = readFileSync(`${ROOT}README.md`, 'utf8');
    const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map(([, target]) => target ?? '');
    const repository = manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    const [, owner, name] = /github\.com\/([\w.-]+)\/([\w.-]+)$/.exec(repository) ?? [];
    const inRepository = new RegExp(`^(?:${repository}/blob/main/|https://raw\\.githubusercontent\\.com/${owner}/${name}/main/)([^#]+)`);
    expect(targets.filter((target) => !/^(https:\/\/|#)/.test(target))).toEqual([]);
    const files = targets.flatMap((target) => inRepository.exec(target)?.slice(1, 2) ?? []);
    expect(files.filter((file) => !existsSync(ROOT + file))).toEqual([]);
    expect(files).toContain('docs/statechart.svg');
  });

  it('says where the project lives, for the npm page', () => {
    const repository = manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    expect(repository).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
    expect(manifest.homepage.startsWith(repository)).toBe(true);
    expect(manifest.bugs.url).toBe(`${repository}/issues`);
  });
});
