/**
 * What a tab that has not loaded the chat runtime needs to know of the others: whether one of
 * them holds a chat of the same site, now or later. It stays small (it is in every page's first
 * bundle): the lock's name, a look at the held locks, and an ear on the channel.
 *
 * @module
 */
import type { ChannelLike, LockManagerLike } from './tab-share';

/** The name of the lock and of the channel that the tabs of one site's chat share. */
export const tabsNameOf = (baseURL: string): string => `cention-chat:${baseURL}`;

/** The browser's Web Locks (with `query`, where it has it) and `BroadcastChannel`, where it has both. */
export function tabPlatform(): { readonly locks: LockManagerLike & Partial<LockQuery>; readonly Channel: new (name: string) => ChannelLike } | undefined {
  const global = globalThis as {
    readonly navigator?: { readonly locks?: (LockManagerLike & Partial<LockQuery>) | null };
    readonly BroadcastChannel?: new (name: string) => ChannelLike;
  };
  const locks = global.navigator?.locks;
  const Channel = global.BroadcastChannel;
  return locks && typeof Channel === 'function' ? { locks, Channel } : undefined;
}

/** `navigator.locks.query()`, which tells the locks held by every tab of the origin. */
interface LockQuery {
  query(): Promise<{ readonly held?: readonly { readonly name?: string }[] }>;
}

/**
 * Calls `then` once, when another tab of the site holds its chat (it holds the lock, or speaks on
 * the channel); never where the browser has no Web Locks or BroadcastChannel. Returns the stop,
 * or `undefined` where there is nothing to watch (no function of its own kept by every client).
 */
export function whenAnotherTabChats(baseURL: string, then: () => void): (() => void) | undefined {
  const platform = tabPlatform();
  if (!platform?.locks.query) return undefined;
  const name = tabsNameOf(baseURL);
  const channel = new platform.Channel(name);
  let done = false;
  const stop = () => {
    done = true;
    channel.close();
  };
  const go = () => {
    if (done) return;
    stop();
    then();
  };
  // A tab that starts a chat later says so on the channel: it leads, or asks for the log.
  channel.addEventListener('message', go);
  platform.locks.query().then(
    ({ held }) => held?.some((lock) => lock.name === name) && go(),
    () => undefined,
  );
  return stop;
}
