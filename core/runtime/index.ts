/**
 * The chat runtime: the XState actor of the chat machine, with the socket link, the `canchat`
 * and upload requests as its actors, and the chat kept for the next page. This is what a page
 * downloads when it first chats: the ES module entries load it with `import()` when a command
 * needs it (see `lazy-runtime.ts`); the drop-in scripts carry it inside.
 *
 * @module
 */
import { createChatActor } from '../../machines/chat/chat.bound';
import type { ChatActors } from '../../machines/chat/chat.bound';
import type { ChatNotification } from '../../machines';
import { createLink } from '../transport/link';
import { defaultIo } from '../transport/socket-io';
import { browserPage } from '../transport/page-life';
import { tabShareFor } from '../tabs';
import { createCanChat, createUpload, diagnoseConnectError } from './http-actors';
import { keepChat } from './keep';
import { desktopNotifications } from './desktop';
import type { ChatActor, StartRuntime } from './types';

export type { ChatActor, ChatRuntime, RuntimeConfig, RuntimeListener, StartRuntime } from './types';

/** The page's address, for `resume` (one function for every client). */
const pageHref = () => (globalThis as { location?: { href: string } }).location?.href ?? '';

/** Starts the chat machine with its I/O (see {@link StartRuntime}). */
export const startRuntime: StartRuntime = (config, listener) => {
  const { endpoints, clock, http } = config;
  const { record } = config;
  // One chat for all the tabs of the site (core/tabs); undefined when off or where the browser cannot.
  const tabs = config.shareAcrossTabs ? tabShareFor(endpoints.baseURL, clock) : undefined;
  const io: ChatActors = {
    link: createLink({
      io: config.io ?? defaultIo,
      endpoints,
      clock,
      ackTimeout: config.ackTimeout,
      trackClientUrl: config.trackClientUrl,
      href: pageHref,
      ...(config.socketOptions ? { socketOptions: config.socketOptions } : {}),
      diagnose: (socketError) => diagnoseConnectError(http, socketError),
      page: browserPage(), // the page's life: wake, offline, pagehide (core/transport/page-life.ts)
    }),
    canChat: createCanChat(http),
    upload: createUpload(http),
  };
  const recorded = record ? record.inspect(config.inspect) : config.inspect;
  // Sharing tabs: real I/O only in the tab that leads, whose inputs are logged for the others,
  // and whose timers fire in a follower when the log says they did.
  const inspect = tabs ? tabs.inspect(recorded) : recorded;
  const actorClock = tabs ? tabs.clock(clock) : clock;
  // One chart for every client, this client's I/O bound to its actor (machines/chat/chat.bound.ts).
  const actor: ChatActor = createChatActor(tabs ? tabs.actors(io) : io, {
    ...(config.delays ? { delays: config.delays } : {}),
    clock: record ? record.clock(actorClock) : actorClock,
    input: config.maxConnectErrors === undefined ? {} : { maxConnectErrors: config.maxConnectErrors },
    ...(inspect ? { inspect } : {}),
  });
  const keeper = keepChat(config.store);
  const desktop = config.desktop ? desktopNotifications(config.desktop) : undefined;
  const notifications = actor.on('*', (n) => {
    keeper.notified(n as ChatNotification);
    desktop?.notified(n as ChatNotification);
    listener.notification(n as ChatNotification);
  });
  const snapshots = actor.subscribe({
    next: (snapshot) => {
      keeper.changed(snapshot);
      listener.snapshot(snapshot);
    },
    // A crash of the machine is a bug; it must not take the page down silently.
    error: listener.failed,
  });
  actor.start();
  tabs?.attach(actor); // elect a leader, or join the leader's log
  // As if the machine had asked itself: the view, and the limits of attach(), know it from the start.
  if (config.availability) actor.send({ type: 'check.done', ...config.availability });
  return {
    actor,
    getSnapshot: () => actor.getSnapshot(),
    send(event) {
      keeper.sent(event);
      if (tabs) return tabs.command(event);
      actor.send(event);
      return true;
    },
    stop() {
      tabs?.stop();
      desktop?.dispose();
      notifications.unsubscribe();
      snapshots.unsubscribe();
      actor.stop();
    },
  };
};
