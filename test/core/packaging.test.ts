import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

// What `npm run build` made, reached the way a user of the package reaches it: by the package's
// own name, through package.json "exports", in a plain Node process (a server rendering a page).

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const manifest = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
  name: string;
  exports: Record<string, string | { types: string; default: string } | { types: { import: string; require: string }; import: string; require: string }>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};

/** The named exports each entry must have (read from its source). */
const EXPECTED: Record<string, readonly string[]> = {
  '.': ['createCentionChat', 'createChatEngine', '_CentionChat', 'ChatError', 'ChatStreams', 'describeMessage', 'systemClock', 'connect', 'Transcript'],
  './machines': ['chatMachine', 'connect', 'phaseOf', 'Transcript', 'Delivered', 'fault', 'faultFromWire', 'isUnsent'],
  './protocol': ['encodePayload', 'decodePayload', 'SERVER_EVENTS', 'CLIENT_EVENTS', 'AUTO_ACK', 'SYSTEM_SENTENCES', 'describeSystemEvent', 'endpoints', 'readMessage', 'readChatMessageEvent'],
  './vue': ['useCentionChat'],
  './svelte': ['centionChatStore'],
  './vanilla': ['bindChat'],
  './devtools': ['createInspectorPanel'],
  './replay': ['createRecorder', 'replayChat', 'createReplica', 'readRecording', 'createInputLog', 'redactEvent'],
  './socket.io-v4': ['io'],
};

/** What a browser has and a server does not. */
const BROWSER_GLOBALS = ['window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage'];

/** The entries with code of their own: everything but the drop-in scripts and package.json. */
const CODE_ENTRIES = Object.entries(manifest.exports).flatMap(([entry, target]) => (typeof target === 'object' && 'import' in target ? [{ entry, target }] : []));

interface Imported {
  readonly names?: string[];
  readonly touched: string[];
  readonly error?: string;
}

/**
 * Imports (ESM) or requires (CJS) one entry in a fresh Node process whose browser globals are
 * getters that throw, and tells what it exported and which of those globals it touched. The
 * package's dependencies are loaded first, before the getters: socket.io-client and Vue feature-
 * detect `document` and `navigator` with `typeof` when they load, which is theirs to do; the
 * check is on this package's own code.
 */
async function importOnServer(specifier: string, format: 'import' | 'require'): Promise<Imported> {
  const dependencies = [...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)];
  const load = format === 'import' ? 'await import' : 'require';
  const body = `
    for (const dependency of ${JSON.stringify(dependencies)}) ${load}(dependency);
    const touched = [];
    for (const name of ${JSON.stringify(BROWSER_GLOBALS)}) {
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get() {
          touched.push(name);
          throw new ReferenceError(name + ' is not defined: ${specifier} touched it on a server');
        },
      });
    }
    let names, error;
    try {
      names = Object.keys(${load}(${JSON.stringify(specifier)})).sort();
    } catch (e) {
      error = String((e && e.stack) || e);
    }
    process.stdout.write(JSON.stringify({ names, touched, error }));`;
  const code = format === 'import' ? body : `(async () => {${body}})();`;
  const args = format === 'import' ? ['--input-type=module', '-e', code] : ['-e', code];
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: ROOT });
  return JSON.parse(stdout) as Imported;
}

describe(`the built package, as "${manifest.name}" in Node`, () => {
  beforeAll(() => {
    const missing = CODE_ENTRIES.flatMap(({ target }) => [target.import, target.require, target.types.import, target.types.require]).filter((file) => !existsSync(ROOT + file));
    if (missing.length > 0) throw new Error(`Run \`npm run build\` first; missing: ${missing.join(', ')}`);
  });

  it('has a test for each entry of "exports"', () => {
    expect(CODE_ENTRIES.map(({ entry }) => entry).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(CODE_ENTRIES.map(({ entry }) => entry))('%s imports and requires without a browser, with the same named exports', async (entry) => {
    const specifier = entry === '.' ? manifest.name : manifest.name + entry.slice(1);
    const [esm, cjs] = await Promise.all([importOnServer(specifier, 'import'), importOnServer(specifier, 'require')]);
    for (const imported of [esm, cjs]) {
      expect(imported.error).toBeUndefined();
      expect(imported.touched).toEqual([]);
      expect(imported.names).toEqual(expect.arrayContaining([...EXPECTED[entry]!]));
    }
    expect(cjs.names).toEqual(esm.names);
  });

  it('has the test kit for Node only, as ESM that Node 20.19 also requires', async () => {
    const [esm, cjs] = await Promise.all([importOnServer('cention-chat/testing', 'import'), importOnServer('cention-chat/testing', 'require')]);
    for (const imported of [esm, cjs]) {
      expect(imported.error).toBeUndefined();
      expect(imported.names).toEqual(expect.arrayContaining(['startServer', 'startScriptedServer', 'serverFault', 'serverFaults', 'applyServerFault', 'DEMO_AREAS']));
    }
  });

  it('points the drop-in scripts, their types and package.json at files that are there', () => {
    for (const script of ['./CentionChatAPI.js', './CentionChatAPI.standalone.js'] as const) {
      const target = manifest.exports[script] as { types: string; default: string };
      for (const file of [target.types, target.default]) expect(existsSync(ROOT + file), file).toBe(true);
    }
    expect(existsSync(ROOT + String(manifest.exports['./package.json']))).toBe(true);
  });

  it('declares the drop-in script\'s globals for a TypeScript page', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cention-page-'));
    try {
      writeFileSync(
        join(dir, 'page.ts'),
        [
          `/// <reference path="${ROOT}dist/CentionChatAPI.d.ts" />`,
          'const chat: CentionChatAPI = _CentionChat();',
          "chat.baseURL = 'https://cloud.cention.com/s/demo';",
          "chat.registerAction('queue', (place) => place.toFixed());",
          'const third: boolean = FOR_THIRD_PARTY_USE;',
          '// @ts-expect-error the seed has no such function',
          'chat.sendMessage();',
          'export { third };',
        ].join('\n'),
      );
      const tsc = `${ROOT}node_modules/typescript/bin/tsc`;
      await promisify(execFile)(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--lib', 'es2022,dom', '--skipLibCheck', join(dir, 'page.ts')], { cwd: dir });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
