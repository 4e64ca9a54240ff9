/**
 * Desktop notifications of agent messages while the page is hidden, through the browser's
 * Notification API: the opt-in. Opt-in twice over: the site passes `notifications` and calls
 * `enableNotifications()` from a click (browsers refuse, and customers resent, a permission
 * asked for on load); nothing is asked before that. The showing is the runtime's
 * (`core/runtime/desktop.ts`): there are messages to show only once a chat has begun.
 *
 * @module
 */
import { ChatError, requireInput } from './errors';

/** The `notifications` option of the client and of `_CentionChat(options)`. */
export interface NotificationOptions {
  /** Show the agent's message in the notification; default `false`: only that the agent answered. */
  readonly text?: boolean;
  /** The notification's title; default `"New chat message"`. */
  readonly title?: string;
  /** What it says when the text is not shown; `{agent}` becomes the agent's name. Default `"{agent} has answered."`. */
  readonly body?: string;
  /** An icon's address. */
  readonly icon?: string;
}

/** The part of the browser's `Notification` the chat uses (a test passes its own). */
export interface NotificationApi {
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  new (title: string, options?: { body?: string; tag?: string; icon?: string }): { onclick: ((event: Event) => void) | null; close(): void };
}

/** One face's opt-in: what the site asked for, and whether the customer has been asked yet. */
export interface DesktopOptIn {
  /** The site's `notifications` option, read; `undefined`: the site did not ask. */
  readonly options: NotificationOptions | undefined;
  /** Whether `enable()` was called: notifications show only after. */
  readonly enabled: boolean;
  /** Asks the browser for permission (call it from a click); resolves with its answer. */
  enable(): Promise<NotificationPermission>;
  /** Forgets the opt-in (the client stopped). */
  disable(): void;
}

/** The browser's `Notification`, where it has one. */
export const notificationApi = (): NotificationApi | undefined => (globalThis as { Notification?: NotificationApi }).Notification;

/** Reads the `notifications` option; a wrong shape throws `invalid-input`. */
export function readNotificationOptions(options: unknown): NotificationOptions | undefined {
  if (options === undefined || options === false) return undefined;
  if (options === true) return {};
  requireInput(typeof options === 'object' && options !== null, 'notifications must be true or { text?, title?, body?, icon? }.');
  const { text, title, body, icon } = options as Record<string, unknown>;
  requireInput(text === undefined || typeof text === 'boolean', 'notifications.text must be true or false.');
  for (const [name, value] of Object.entries({ title, body, icon })) requireInput(value === undefined || typeof value === 'string', `notifications.${name} must be a string.`);
  return options as NotificationOptions;
}

/** The opt-in of one face, for its `notifications` option (a wrong one throws `invalid-input`). */
export function desktopOptIn(option: unknown): DesktopOptIn {
  const options = readNotificationOptions(option);
  // `enabled` a plain property (a literal with a getter is a V8 dictionary), and methods that
  // need no `this`: the client hands `enable` on as its own `enableNotifications`.
  const optIn: DesktopOptIn & { enabled: boolean } = {
    options,
    enabled: false,
    enable: () => {
      if (!options) return Promise.reject(new ChatError('invalid-state', 'Desktop notifications are off: pass `notifications: {}` (or `{ text: true }`) to the chat first.'));
      const api = notificationApi();
      if (!api) return Promise.reject(new ChatError('no-browser', 'This browser has no desktop notifications.'));
      optIn.enabled = true;
      return api.permission === 'default' ? api.requestPermission() : Promise.resolve(api.permission);
    },
    disable: () => {
      optIn.enabled = false;
    },
  };
  return optIn;
}
