/**
 * The page's life as the link sees it: a laptop that wakes, a network that comes back, a tab
 * brought to the front, a page restored from the back/forward cache. socket.io-client knows
 * none of these; left alone it waits out its backoff (and a hidden tab's throttled timers)
 * before it tries again. This module tells the link's socket to try at once, and no more than
 * once, and lets the page into the back/forward cache by closing the socket on `pagehide`.
 *
 * @module
 */
import type { Listener, SocketLike } from './link';

/** What the page says, reduced to what the link does about it. */
export interface PageListener {
  /** The page may reach the server again: `online`, `visibilitychange` to visible, `pageshow` from the back/forward cache. */
  wake(): void;
  /** The browser says the network is gone (`offline`). */
  offline(): void;
  /** The page is being left (`beforeunload`, `pagehide`): it may be kept in the back/forward cache, which an open socket forbids. */
  hide(): void;
}

/** Where the page's life is heard from: the browser's window, or a test's stand-in. */
export interface PageEvents {
  /** Starts telling `listener`; returns the function that stops it. */
  watch(listener: PageListener): () => void;
}

/** The part of a window this module listens to. */
export interface PageWindow {
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
  readonly document?: { readonly visibilityState?: string; addEventListener(type: string, listener: () => void): void; removeEventListener(type: string, listener: () => void): void };
}

/** How long after `beforeunload` a page that is still shown takes itself for one that stayed. */
const STILL_HERE_MS = 1_000;

/** The browser's page events of `target` (default the global window); `undefined` where there is no window (a server, a worker). */
export function browserPage(target: PageWindow | undefined = globalThis as unknown as PageWindow): PageEvents | undefined {
  if (typeof target?.addEventListener !== 'function' || typeof target.document?.addEventListener !== 'function') return undefined;
  const { document } = target;
  return {
    watch(listener) {
      const onVisibility = () => {
        if (document.visibilityState === 'visible') listener.wake();
      };
      // Closing a WebSocket takes a round trip, and one still closing when the page is frozen
      // keeps it out of the back/forward cache: begin at `beforeunload`, before the next page
      // loads. A page still here a moment later (a download, a cancelled leave) connects again.
      let stayed: ReturnType<typeof setTimeout> | undefined;
      const heard: Record<string, (event: Event) => void> = {
        online: () => listener.wake(),
        offline: () => listener.offline(),
        // The first pageshow of a load says nothing new; one from the cache means the page is back.
        pageshow: (event) => (event as PageTransitionEvent).persisted && listener.wake(),
        pagehide: () => listener.hide(),
        beforeunload: () => {
          listener.hide();
          clearTimeout(stayed);
          stayed = setTimeout(() => listener.wake(), STILL_HERE_MS);
        },
      };
      for (const [type, heardIt] of Object.entries(heard)) target.addEventListener(type, heardIt);
      document.addEventListener('visibilitychange', onVisibility);
      return () => {
        for (const [type, heardIt] of Object.entries(heard)) target.removeEventListener(type, heardIt);
        clearTimeout(stayed);
        document.removeEventListener('visibilitychange', onVisibility);
      };
    },
  };
}

/** A socket.io socket's manager, where socket.io-client has one (`socket.io`): it says when a backoff attempt begins. */
interface ManagerLike {
  on(event: string, listener: Listener): unknown;
  off(event: string, listener?: Listener): unknown;
}

/**
 * Makes `socket` follow the page; called by the link before it connects. Returns the function
 * that stops it.
 *
 * - A wake connects at once, skipping socket.io's backoff, when the socket is down and no
 *   attempt is under way. Wakes of one moment (a tab shown as the network returns) coalesce into
 *   one attempt; a wake during an attempt waits for it, and makes one more only if it fails. So
 *   a tab hidden for an hour makes one attempt when it comes back, however often it was woken.
 * - `offline` drops a connected socket at once (the chat shows `reconnecting` now, not after a
 *   ping timeout) and lets socket.io try again with its backoff until a wake.
 * - `hide` closes the socket, so the page may enter the back/forward cache; the next wake (the
 *   page shown from the cache) opens it again. The chat machine sees a link that went down and
 *   came back: it rejoins and resends what was in flight, with the same umids.
 */
export function followPage(page: PageEvents, socket: SocketLike): () => void {
  const manager = (socket as { io?: ManagerLike }).io;
  // The link connects right after this: that is an attempt.
  let attempting = true;
  let wokenDuringAttempt = false;
  let parked = false;
  let scheduled = false;
  let stopped = false;

  const connectNow = () => {
    attempting = true;
    wokenDuringAttempt = false;
    parked = false;
    // disconnect() ends socket.io's backoff wait (and resets it); connect() opens at once.
    socket.disconnect();
    socket.connect();
  };
  const wakeNow = () => {
    scheduled = false;
    if (stopped || socket.connected) return;
    if (attempting && !parked) {
      wokenDuringAttempt = true;
      return;
    }
    connectNow();
  };
  const onConnect = () => {
    attempting = false;
    wokenDuringAttempt = false;
  };
  const onConnectError = () => {
    attempting = false;
    // The page woke while this attempt was under way: the network may be back only now. Not
    // from inside socket.io's own error handling, which goes on after this listener.
    if (wokenDuringAttempt && !stopped && !parked) queueMicrotask(() => {
      if (!stopped && !parked && !attempting && !socket.connected) connectNow();
    });
  };
  const onDisconnect = () => {
    // socket.io waits out its backoff before its next attempt: none is under way now.
    attempting = false;
  };
  const onAttempt = () => {
    attempting = true;
  };
  socket.on('connect', onConnect);
  socket.on('connect_error', onConnectError);
  socket.on('disconnect', onDisconnect);
  manager?.on('reconnect_attempt', onAttempt);

  const unwatch = page.watch({
    wake() {
      if (scheduled || stopped) return;
      scheduled = true;
      queueMicrotask(wakeNow);
    },
    offline() {
      if (stopped || parked || !socket.connected) return;
      // Down now rather than at the next ping timeout; socket.io keeps trying until a wake.
      socket.disconnect();
      attempting = true;
      socket.connect();
    },
    hide() {
      if (stopped) return;
      parked = true;
      attempting = false;
      wokenDuringAttempt = false;
      socket.disconnect();
    },
  });

  return () => {
    stopped = true;
    unwatch();
    socket.off('connect', onConnect);
    socket.off('connect_error', onConnectError);
    socket.off('disconnect', onDisconnect);
    manager?.off('reconnect_attempt', onAttempt);
  };
}
