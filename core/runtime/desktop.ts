/**
 * Shows the desktop notifications a face opted in to (`core/notifications.ts`): an agent
 * message that arrives while the page is hidden, once the customer has allowed it. A
 * notification never shows what the agent wrote unless the site sets `text: true`: a locked
 * screen is a public place.
 *
 * @module
 */
import type { ChatNotification } from '../../machines';
import { notificationApi } from '../notifications';
import type { DesktopOptIn } from '../notifications';

/** All notifications of a chat share one tag: a new one replaces the last, and tabs of one chat show one. */
const TAG = 'cention-chat';

/** What the runtime does with the opt-in: a look at each notification of the machine. */
export interface DesktopNotifications {
  notified(notification: ChatNotification): void;
  /** Closes the notification shown, if any. */
  dispose(): void;
}

/** Shows the notifications of one chat that `optIn` allows. */
export function desktopNotifications(optIn: DesktopOptIn): DesktopNotifications {
  let shown: { close(): void } | undefined;
  return {
    notified(notification) {
      const { options } = optIn;
      const api = notificationApi();
      if (!optIn.enabled || !options || !api || notification.type !== 'messages') return;
      const page = globalThis as { document?: { visibilityState?: string }; focus?: () => void };
      if (api.permission !== 'granted' || page.document?.visibilityState !== 'hidden') return;
      const last = notification.messages.filter((message) => message.sender === 'AGENT').at(-1);
      if (!last) return;
      const agent = notification.agent || 'The agent';
      const body = options.text ? last.text.slice(0, 200) : (options.body ?? '{agent} has answered.').replaceAll('{agent}', agent);
      shown?.close();
      const shownNow = new api(options.title ?? 'New chat message', { body, tag: TAG, ...(options.icon ? { icon: options.icon } : {}) });
      shownNow.onclick = () => {
        if (typeof page.focus === 'function') page.focus();
        shownNow.close();
      };
      shown = shownNow;
    },
    dispose() {
      shown?.close();
      shown = undefined;
    },
  };
}
