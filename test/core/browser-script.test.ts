import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { _CentionChat } from '../../core';

const SCRIPT = new URL('../../dist/CentionChatAPI.js', import.meta.url);

/** What every browser page has besides the language itself. */
const WEB_GLOBALS = { URL, URLSearchParams, AbortController, Blob, setTimeout, clearTimeout, setInterval, clearInterval, queueMicrotask, console };

/** Runs the built drop-in script as a page would: in a fresh global scope of its own. */
function loadScript(page: Record<string, unknown> = {}) {
  const code = readFileSync(SCRIPT, 'utf8');
  const context = vm.createContext({ ...WEB_GLOBALS, ...page });
  const before = new Set(Object.keys(context));
  vm.runInContext(code, context, { filename: 'CentionChatAPI.js' });
  const added = Object.keys(context).filter((key) => !before.has(key));
  return { context, added, code, factory: context['_CentionChat'] as typeof _CentionChat };
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
    const { code, added, context, factory } = loadScript();
    expect(code.startsWith('var FOR_THIRD_PARTY_USE = true;\n')).toBe(true);
    expect(context['FOR_THIRD_PARTY_USE']).toBe(true);
    expect(typeof factory).toBe('function');
    expect(added.sort()).toEqual(['FOR_THIRD_PARTY_USE', '_CentionChat']);
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
