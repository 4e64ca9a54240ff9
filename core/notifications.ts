/**
 * Desktop notifications of agent messages while the page is hidden, through the browser's
 * Notification API. Opt-in twice over: the site passes `notifications` and calls
 * `enableNotifications()` from a click (browsers refuse, and customers resent, a permission
 * asked for on load); nothing is asked before that. A notification never shows what the agent
 * wrote unless the site sets `text: true`: a locked screen is a public place.
 *
 * @module
 */
import type { ChatNotification } from '../machines';
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

/** The part of the browser's `Notification` this module uses (a test passes its own). */
export interface NotificationApi {
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  new (title: string, options?: { body?: string; tag?: string; icon?: string }): { onclick: ((event: Event) => void) | null; close(): void };
}

/** Where the notifications live: the browser's, or a test's. */
export interface NotificationEnvironment {
  readonly Notification?: NotificationApi | undefined;
  readonly document?: { readonly visibilityState?: string } | undefined;
  /** Brings the page to the front when the customer clicks a notification. */
  readonly focus?: (() => void) | undefined;
}

/** What the client keeps: the opt-in, and a look at each notification of the machine. */
export interface DesktopNotifications {
  /** Asks for permission (call it from a click); resolves with the browser's answer. */
  enable(): Promise<NotificationPermission>;
  /** Every notification of the chat machine: agent messages become a desktop notification while the page is hidden. */
  notified(notification: ChatNotification): void;
  /** Closes the notification shown, if any. */
  dispose(): void;
}

/** All notifications of a chat share one tag: a new one replaces the last, and tabs of one chat show one. */
const TAG = 'cention-chat';

function browserEnvironment(): NotificationEnvironment {
  const global = globalThis as { Notification?: NotificationApi; document?: { visibilityState?: string }; focus?: () => void };
  return { Notification: global.Notification, document: global.document, focus: typeof global.focus === 'function' ? () => global.focus!() : undefined };
}

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

/**
 * Makes the desktop notifications of one chat. `options` undefined: the site did not ask, and
 * `enable()` rejects with `invalid-state`.
 */
export function desktopNotifications(options: NotificationOptions | undefined, environment: NotificationEnvironment = browserEnvironment()): DesktopNotifications {
  let enabled = false;
  let shown: { close(): void } | undefined;
  const api = environment.Notification;
  return {
    enable() {
      if (!options) return Promise.reject(new ChatError('invalid-state', 'Desktop notifications are off: pass `notifications: {}` (or `{ text: true }`) to the chat first.'));
      if (!api) return Promise.reject(new ChatError('no-browser', 'This browser has no desktop notifications.'));
      enabled = true;
      if (api.permission !== 'default') return Promise.resolve(api.permission);
      return api.requestPermission();
    },
    notified(notification) {
      if (!enabled || !options || !api || notification.type !== 'messages') return;
      if (api.permission !== 'granted' || environment.document?.visibilityState !== 'hidden') return;
      const fromAgent = notification.messages.filter((message) => message.sender === 'AGENT');
      const last = fromAgent.at(-1);
      if (!last) return;
      const agent = notification.agent || 'The agent';
      const body = options.text ? last.text.slice(0, 200) : (options.body ?? '{agent} has answered.').replaceAll('{agent}', agent);
      shown?.close();
      const shownNow = new api(options.title ?? 'New chat message', { body, tag: TAG, ...(options.icon ? { icon: options.icon } : {}) });
      shownNow.onclick = () => {
        environment.focus?.();
        shownNow.close();
      };
      shown = shownNow;
    },
    dispose() {
      shown?.close();
      shown = undefined;
      enabled = false;
    },
  };
}
