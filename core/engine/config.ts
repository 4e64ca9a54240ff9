/**
 * The engine's options, checked (a bad one throws `invalid-input` quoting what it got) and
 * filled in with their defaults: the addresses, the clock, HTTP, and the store of kept chats.
 *
 * @module
 */
import { systemClock } from '../clock';
import { ChatError, quoted, requireInput } from '../errors';
import { endpoints as endpointsOf } from '../protocol/addresses';
import type { Endpoints } from '../protocol';
import type { RuntimeConfig } from '../runtime/types';
import { readChat } from '../session-store';
import type { SessionStore, StorageLike } from '../session-store';
import type { CentionChatOptions } from './types';

function defaultStorage(): StorageLike | undefined {
  try {
    return (globalThis as { sessionStorage?: StorageLike }).sessionStorage;
  } catch {
    // Storage blocked by the browser: chats still work, only resuming on another page does not.
    return undefined;
  }
}

// The defaults of every client, one function each for all of them.
const globalFetch: typeof fetch = (...args) => globalThis.fetch(...args);
const newXhr = () => new XMLHttpRequest();

/** Checks the options and fills in the defaults. */
export function configure(options: CentionChatOptions): RuntimeConfig {
  requireInput(typeof options === 'object' && options !== null, 'The chat needs an options object with a baseURL: { baseURL: "https://cloud.cention.com/s/demo" }.');
  let endpoints: Endpoints;
  try {
    endpoints = endpointsOf(options.baseURL);
  } catch (error) {
    throw new ChatError('invalid-input', (error as Error).message);
  }
  const { area } = options;
  requireInput(area === undefined || Number.isSafeInteger(area), `area must be an integer, got ${quoted(area)}.`);
  const { shareAcrossTabs } = options;
  requireInput(shareAcrossTabs === undefined || typeof shareAcrossTabs === 'boolean', `shareAcrossTabs must be true or false, got ${quoted(shareAcrossTabs)}.`);
  const clock = options.clock ?? systemClock;
  const store: SessionStore = { storage: options.storage === null ? undefined : (options.storage ?? defaultStorage()), baseURL: endpoints.baseURL };
  const xhr = options.uploadWith === 'xhr' || (options.uploadWith === undefined && typeof XMLHttpRequest !== 'undefined');
  return {
    endpoints,
    clock,
    store,
    http: {
      endpoints,
      fetch: options.fetch ?? globalFetch,
      clock,
      timeout: options.httpTimeout ?? 15_000,
      secretFor: (which) => readChat(store, which)?.secret,
      xhr: xhr ? newXhr : undefined,
    },
    io: options.io,
    ackTimeout: options.ackTimeout ?? 10_000,
    trackClientUrl: options.trackClientUrl ?? false,
    socketOptions: options.socketOptions,
    delays: options.delays as Record<string, number> | undefined,
    maxConnectErrors: options.maxConnectErrors,
    inspect: options.inspect,
    record: options.record,
    area,
    shareAcrossTabs: shareAcrossTabs !== false,
  };
}
