/**
 * One chat for all the tabs of a site (see `tab-share.ts`): what the chat engine calls.
 *
 * @module
 */
import type { Clock } from '../clock';
import { browserTabs, shareTabs } from './tab-share';
import { tabsNameOf } from './watch';
import type { TabShare } from './tab-share';

export type { TabShare, TabEnvironment, LockManagerLike, ChannelLike } from './tab-share';

/** The tab sharing of a chat on `baseURL`, where the browser has Web Locks and BroadcastChannel; else `undefined` (each tab its own socket). */
export function tabShareFor(baseURL: string, clock: Clock): TabShare | undefined {
  const environment = browserTabs();
  return environment ? shareTabs(tabsNameOf(baseURL), environment, clock) : undefined;
}
