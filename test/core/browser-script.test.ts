import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import { DROP_IN } from '../bench/bundle-sizes';
import { describe, expect, it } from 'vitest';
import type { _CentionChat } from '../../core';

const SCRIPT = new URL('../../dist/CentionChatAPI.js', import.meta.url);
const STANDALONE = new URL('../../dist/CentionChatAPI.standalone.js', import.meta.url);

/** What every browser page has besides the language itself. */
const WEB_GLOBALS = { URL, URLSearchParams, AbortController, Blob, setTimeout, clearTimeout, setInterval, clearInterval, queueMicrotask };

/** A page's socket.js: a global `io` (never called by these tests). */
const SOCKET_JS = { io: () => ({}) };

/**
 * Runs a built drop-in script as a page would: in a fresh global scope of its own, after the
 * page's own globals (`page`; by default the page has socket.js). What it logs is kept.
 */
function loadScript(page: Record<string, unknown> = SOCKET_JS, script = SCRIPT) {
  const code = readFileSync(script, 'utf8');
  const logged: { level: 'error' | 'warn'; args: unknown[] }[] = [];
  const console = { error: (...args: unknown[]) => logged.push({ level: 'error', args }), warn: (...args: unknown[]) => logged.push({ level: 'warn', args }), log: () => undefined };
  const context = vm.createContext({ ...WEB_GLOBALS, console, ...page });
  const before = new Set(Object.keys(context));
  vm.runInContext(code, context, { filename: 'CentionChatAPI.js' });
  const added = Object.keys(context).filter((key) => !before.has(key));
  return { context, added, code, logged, factory: context['_CentionChat'] as typeof _CentionChat };
}

/** A `fetch` that records what it was asked and answers `canchat` with an open area. */
function recordingFetch() {
  const urls: string[] = [];
  const fetch = (url: string) => {
    urls.push(url);
    const body = { chatOpen: true, agentsAvailable: 1, feature: {}, resumable: false, error: '' };
    return Promise.resolve(new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } }));
  };
  return { urls, fetch };
}

describe('dist/CentionChatAPI.js, the drop-in script', () => {
  it('starts with the seed\'s switch, set to true and readable, and defines only it and _CentionChat', () => {
    const { code, added, context, factory, logged } = loadScript();
    expect(code.startsWith('var FOR_THIRD_PARTY_USE = true;\n')).toBe(true);
    expect(context['FOR_THIRD_PARTY_USE']).toBe(true);
    expect(typeof factory).toBe('function');
    expect(added.sort()).toEqual(['FOR_THIRD_PARTY_USE', '_CentionChat']);
    expect(logged).toEqual([]);
  });

  it('stays within its size budget, min+gzip, as npm run bench measures it', () => {
    // Issue 7 asks for 26 KiB (DROP_IN.target); what is held is what was reached, 34.0 KiB, of which
    // xstate is 12.1 and tab sharing 3.5 (docs/benchmarks.md says what stands in the way). It keeps it from growing.
    const { code } = loadScript();
    expect(gzipSync(code, { level: 9 }).length).toBeLessThanOrEqual(DROP_IN.limit);
  });

  it('carries no socket.io of its own: it uses the page\'s socket.js', () => {
    const { code } = loadScript();
    // socket.io-client's and engine.io-client's own words: none of them is inside.
    for (const word of ['engine.io', 'xhr poll error', 'websocket error', 'io client disconnect']) expect(code, word).not.toContain(word);
  });

  it('says once at load, naming the file, when the page has no socket.js; canChat still works', async () => {
    const { urls, fetch } = recordingFetch();
    const { factory, logged } = loadScript({});
    expect(logged).toEqual([{ level: 'error', args: [expect.stringMatching(/^CentionChat: socket\.js is missing: .*socket\.io-client 1\.x or 2\.x/)] }]);
    const chat = factory({ fetch: fetch as typeof globalThis.fetch, storage: null });
    chat.baseURL = 'https://cloud.cention.com/s/demo';
    const failures: Error[] = [];
    chat.registerAction('connect_error', (error) => failures.push(error));
    expect(await new Promise((resolve) => chat.canChat(resolve, 1))).toMatchObject({ chatOpen: true, error: '' });
    chat.connect({ area: 1, name: 'Ada', message: 'Hello' });
    await expect.poll(() => failures.length).toBe(1);
    expect(failures[0]).toMatchObject({ code: 'connect-failed', message: expect.stringContaining('socket.js is missing') });
    expect(urls).toEqual(['https://cloud.cention.com/s/demo/socket/external.api/canchat?area=1']);
    expect(logged).toHaveLength(1);
    chat.client?.stop();
  });
});

describe('dist/CentionChatAPI.standalone.js, the drop-in script with socket.io-client 2 inside', () => {
  it('defines only the switch and _CentionChat, and needs no socket.js', () => {
    const { code, added, logged, factory } = loadScript({}, STANDALONE);
    expect(code.startsWith('var FOR_THIRD_PARTY_USE = true;\n')).toBe(true);
    expect(typeof factory).toBe('function');
    expect(added.sort()).toEqual(['FOR_THIRD_PARTY_USE', '_CentionChat']);
    expect(logged).toEqual([]);
    expect(code).toContain('xhr poll error');
  });

  it('needs a baseURL on a third-party site, and says so with a ChatError', () => {
    const { factory } = loadScript();
    const chat = factory();
    let thrown: unknown;
    try {
      chat.canChat(() => undefined, 1);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: 'ChatError', code: 'invalid-input', message: expect.stringContaining('baseURL') });
  });

  it('asks the page\'s own workspace when the switch is set to false and no baseURL is given', async () => {
    const { urls, fetch } = recordingFetch();
    const { context, factory } = loadScript({ location: { origin: 'https://cc.example.com', pathname: '/s/acme/chat/index.html', href: 'https://cc.example.com/s/acme/chat/index.html' } });
    context['FOR_THIRD_PARTY_USE'] = false;
    const answer = await new Promise((resolve) => factory({ fetch: fetch as typeof globalThis.fetch, storage: null }).canChat(resolve, 3));
    expect(answer).toMatchObject({ chatOpen: true, error: '' });
    expect(urls).toEqual(['https://cc.example.com/s/acme/socket/external.api/canchat?area=3']);
  });

  it('uses the baseURL the page sets, whatever the switch says', async () => {
    const { urls, fetch } = recordingFetch();
    const { factory } = loadScript();
    const chat = factory({ fetch: fetch as typeof globalThis.fetch, storage: null });
    chat.baseURL = 'https://cloud.cention.com/s/demo';
    await new Promise((resolve) => chat.canChat(resolve, 2));
    expect(urls).toEqual(['https://cloud.cention.com/s/demo/socket/external.api/canchat?area=2']);
  });
});
