import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// What each built entry brings into a page: its file and every file of the package it imports,
// as a bundler would follow them. The inspector, the recorder, the test kit and the layout
// engine must reach no page that did not ask for them.

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

/** The entry's file and the package files it imports, all of their text. */
function reached(entry: string): string {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const [, path] of code.matchAll(/(?:from|import|require)\s*\(?\s*["'](\.\.?\/[^"']+)["']/g)) visit(join(dirname(file), path!));
  };
  visit(join(DIST, entry));
  return [...seen].map((file) => readFileSync(file, 'utf8')).join('\n');
}

/** What gives each away in built code. */
const MARKERS = {
  inspector: ['cention-inspector', 'data-state'],
  recorder: ['cention-chat/recording', 'maxEntries'],
  'test kit and server': ['allowEIO3', 'busboy', 'startScriptedServer'],
  'layout engine': ['org.eclipse.elk', 'elk.algorithm'],
} as const;

const has = (code: string, what: keyof typeof MARKERS) => MARKERS[what].filter((marker) => code.includes(marker));

describe('what each built entry brings into a page', () => {
  it.each(['index.js', 'index.cjs', 'machines.js', 'protocol.js', 'vue.js', 'svelte.js', 'vanilla.js', 'socket.io-v4.js', 'CentionChatAPI.js', 'CentionChatAPI.standalone.js'])(
    '%s carries no inspector, recorder, test kit or layout engine',
    (entry) => {
      expect(existsSync(join(DIST, entry)), `dist/${entry}: run npm run build`).toBe(true);
      const code = reached(entry);
      for (const what of Object.keys(MARKERS) as (keyof typeof MARKERS)[]) expect(has(code, what), `${what} in ${entry}`).toEqual([]);
    },
  );

  it('the recorder and replay carry no inspector, test kit or layout engine', () => {
    const code = reached('replay.js');
    expect(has(code, 'recorder').length).toBeGreaterThan(0);
    for (const what of ['inspector', 'test kit and server', 'layout engine'] as const) expect(has(code, what), what).toEqual([]);
  });

  it('the inspector carries the chart as drawn at docs time, but not the layout engine or the test kit', () => {
    const code = reached('devtools.js');
    expect(has(code, 'inspector').length).toBeGreaterThan(0);
    for (const what of ['test kit and server', 'layout engine'] as const) expect(has(code, what), what).toEqual([]);
    // Whole in one file, so that a page can import it as it is.
    expect(/\bimport\s*[\w{},*\s$]*from\s*["'][^./"'][^"']*["']/.exec(code)?.[0], 'an import of a package').toBeUndefined();
  });
});
