import { Window } from 'happy-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Listener, SocketLike } from '../../core';
import { browserPage, followPage } from '../../core/transport/page-life';
import type { PageWindow } from '../../core/transport/page-life';

/**
 * A socket.io socket as the page-life code sees it: it counts the attempts it was asked to make,
 * and the test says when one connects or fails. `io` is its manager, which announces socket.io's
 * own backoff attempts.
 */
class FakeSocket implements SocketLike {
  connected = false;
  attempts = 0;
  disconnects = 0;
  private listeners = new Map<string, Set<Listener>>();
  readonly io = {
    on: (event: string, listener: Listener) => this.on(`io:${event}`, listener),
    off: (event: string, listener?: Listener) => this.off(`io:${event}`, listener),
  };

  on(event: string, listener: Listener) {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(listener);
  }
  off(event: string, listener?: Listener) {
    if (listener) this.listeners.get(event)?.delete(listener);
    else this.listeners.delete(event);
  }
  emit() {}
  connect() {
    this.attempts += 1;
  }
  disconnect() {
    this.disconnects += 1;
    if (this.connected) {
      this.connected = false;
      this.fire('disconnect', 'io client disconnect');
    }
  }
  /** The attempt under way succeeds. */
  succeed() {
    this.connected = true;
    this.fire('connect');
  }
  /** The attempt under way fails. */
  fail() {
    this.fire('connect_error', new Error('xhr poll error'));
  }
  /** The server's side went away: socket.io will try again after its backoff. */
  drop() {
    this.connected = false;
    this.fire('disconnect', 'transport close');
  }
  /** socket.io's backoff ran out and it tries again by itself. */
  backoffAttempt() {
    this.fire('io:reconnect_attempt', 1);
  }
  listening(): number {
    return [...this.listeners.values()].reduce((n, set) => n + set.size, 0);
  }
  private fire(event: string, ...args: unknown[]) {
    for (const listener of [...(this.listeners.get(event) ?? [])]) listener(...args);
  }
}

/** A happy-dom window whose visibility the test sets. */
function pageWindow() {
  const window = new Window();
  let visibility: 'visible' | 'hidden' = 'visible';
  Object.defineProperty(window.document, 'visibilityState', { get: () => visibility, configurable: true });
  const dispatch = (type: string, init: Record<string, unknown> = {}) => {
    const event = new window.Event(type);
    for (const [key, value] of Object.entries(init)) Object.defineProperty(event, key, { value });
    window.dispatchEvent(event);
  };
  return {
    window,
    online: () => dispatch('online'),
    offline: () => dispatch('offline'),
    pageshow: (persisted: boolean) => dispatch('pageshow', { persisted }),
    pagehide: (persisted: boolean) => dispatch('pagehide', { persisted }),
    beforeunload: () => dispatch('beforeunload'),
    setVisible(visible: boolean) {
      visibility = visible ? 'visible' : 'hidden';
      window.document.dispatchEvent(new window.Event('visibilitychange'));
    },
  };
}

/** Lets the microtasks run, where wakes of one moment are folded into one. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const windows: Window[] = [];
afterEach(async () => {
  for (const window of windows.splice(0)) await window.happyDOM.close();
});

/** A socket that follows a fresh page; it has made its first attempt and connected. */
function connectedSocket() {
  const page = pageWindow();
  windows.push(page.window);
  const socket = new FakeSocket();
  const stop = followPage(browserPage(page.window as unknown as PageWindow)!, socket);
  socket.connect();
  socket.succeed();
  return { page, socket, stop };
}

describe('the page life of the link', () => {
  it('drops the socket at once when the browser goes offline, and keeps socket.io trying', () => {
    const { page, socket } = connectedSocket();
    const downs: unknown[] = [];
    socket.on('disconnect', (reason) => downs.push(reason));
    page.offline();
    expect(socket.connected).toBe(false);
    expect(downs).toEqual(['io client disconnect']);
    expect(socket.attempts).toBe(2);
  });

  it('tries at once when the network comes back, without waiting for the backoff', async () => {
    const { page, socket } = connectedSocket();
    page.offline();
    socket.fail(); // offline: socket.io now waits out its backoff
    const before = socket.attempts;
    page.online();
    await settle();
    expect(socket.attempts).toBe(before + 1);
    socket.succeed();
    expect(socket.connected).toBe(true);
  });

  it('makes one attempt for a tab that comes back after an hour, however many wakes arrive together', async () => {
    const { page, socket } = connectedSocket();
    page.setVisible(false);
    socket.drop();
    // An hour hidden: socket.io's throttled attempts all failed.
    for (let i = 0; i < 60; i++) {
      socket.backoffAttempt();
      socket.fail();
    }
    const before = socket.attempts;
    page.setVisible(true);
    page.online();
    page.pageshow(true);
    page.setVisible(false);
    page.setVisible(true);
    await settle();
    expect(socket.attempts).toBe(before + 1);
  });

  it('waits for an attempt under way, and makes one more only if it fails', async () => {
    const { page, socket } = connectedSocket();
    socket.drop();
    socket.backoffAttempt();
    const before = socket.attempts;
    page.online();
    page.setVisible(true);
    await settle();
    expect(socket.attempts).toBe(before);
    socket.fail();
    await settle();
    expect(socket.attempts).toBe(before + 1);
    socket.fail();
    await settle();
    expect(socket.attempts).toBe(before + 1);
  });

  it('does nothing on a wake while connected, or on the first pageshow of a load', async () => {
    const { page, socket } = connectedSocket();
    page.online();
    page.setVisible(true);
    page.pageshow(false);
    await settle();
    expect(socket.attempts).toBe(1);
    expect(socket.disconnects).toBe(0);
  });

  it('closes the socket on pagehide and opens it again when the page comes back from the cache', async () => {
    const { page, socket } = connectedSocket();
    page.pagehide(true);
    expect(socket.connected).toBe(false);
    const before = socket.attempts;
    // Nothing reconnects a hidden page but its return.
    page.offline();
    await settle();
    expect(socket.attempts).toBe(before);
    page.pageshow(true);
    await settle();
    expect(socket.attempts).toBe(before + 1);
    socket.succeed();
    expect(socket.connected).toBe(true);
  });

  it('begins closing at beforeunload, and connects again when the page is still shown a moment later', async () => {
    const { page, socket } = connectedSocket();
    vi.useFakeTimers();
    try {
      page.beforeunload();
      expect(socket.connected).toBe(false);
      const before = socket.attempts;
      await vi.advanceTimersByTimeAsync(999);
      expect(socket.attempts).toBe(before);
      // A download or a cancelled leave: the page stayed.
      await vi.advanceTimersByTimeAsync(1);
      expect(socket.attempts).toBe(before + 1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('leaves no listener on the page or the socket once stopped', async () => {
    const { page, socket, stop } = connectedSocket();
    const ownListeners = socket.listening();
    stop();
    expect(socket.listening()).toBe(ownListeners - 4);
    socket.drop();
    page.online();
    page.pageshow(true);
    page.offline();
    await settle();
    expect(socket.attempts).toBe(1);
  });

  it('is not there outside a browser page', () => {
    expect(browserPage({} as PageWindow)).toBeUndefined();
    expect(browserPage()).toBeUndefined(); // Node: no window
  });
});
