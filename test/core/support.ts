import { filter, firstValueFrom, take, toArray } from 'rxjs';
import type { Observable } from 'rxjs';
import { afterEach, beforeEach } from 'vitest';
import { createCentionChat } from '../../core';
import type { CentionChat, CentionChatOptions, ChatView, StorageLike } from '../../core';
import type { ChatServer } from '../../server';
import { startTestServer } from '../support/chat-server';
import type { ManualClock } from '../support/manual-clock';

/** Web Storage in memory, shared between "pages" of one test. */
export function memoryStorage(): StorageLike & { readonly items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/** Resolves with the first view that passes `predicate` (the current one included). */
export function view(chat: CentionChat, predicate: (view: ChatView) => boolean): Promise<ChatView> {
  return firstValueFrom(chat.state$.pipe(filter(predicate)));
}

/** Resolves with the first `n` values of a stream. */
export function first<T>(stream: Observable<T>, n = 1): Promise<T[]> {
  return firstValueFrom(stream.pipe(take(n), toArray()));
}

/**
 * A reference server per test and clients that are stopped after it. Fast reconnects, so a
 * dropped link comes back in tens of milliseconds.
 */
export function useChatServer(serverOptions: Parameters<typeof startTestServer>[0] = {}) {
  const context = {} as { server: ChatServer; clock: ManualClock; client(options?: Partial<CentionChatOptions>): CentionChat };
  const clients: CentionChat[] = [];
  beforeEach(async () => {
    const { server, clock } = await startTestServer(serverOptions);
    context.server = server;
    context.clock = clock;
    context.client = (options = {}) => {
      const chat = createCentionChat({
        baseURL: server.baseURL,
        area: 1,
        storage: null,
        socketOptions: { reconnectionDelay: 20, reconnectionDelayMax: 100, randomizationFactor: 0 },
        ...options,
      });
      clients.push(chat);
      return chat;
    };
  });
  afterEach(async () => {
    for (const chat of clients.splice(0)) chat.stop();
    await context.server.close();
  });
  return context;
}
