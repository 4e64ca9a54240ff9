/**
 * The four areas of `npm run demo` (and the default of `startServer`), one per answer a chat
 * page must handle.
 *
 * @module
 */
import type { AreaConfig } from './areas';

const MB = 1024 * 1024;

/**
 * 1 "Support": open always, simulated agents, attachments on (10 MB).
 * 2 "Sales": always closed (`chatOpen: false`, register → `chat closed`).
 * 3 "Billing": open with no agents (`agentsAvailable: 0`, register → `agent unavailable`).
 * 4 "Busy": open, agents online but busy, queue limit 2 (a third waiting chat gets
 *   `queue full`); a person takes queued chats in the agent console.
 */
export const DEMO_AREAS: readonly AreaConfig[] = [
  {
    id: 1,
    name: 'Support',
    timeZone: 'Europe/Stockholm',
    hours: 'always',
    agents: { mode: 'simulated', names: ['Alice', 'Bob'] },
    features: { 'chat.attachment': true, 'chat.max-attachment-size': 10 * MB, 'chat.max-image-size': 10 * MB },
  },
  {
    id: 2,
    name: 'Sales',
    timeZone: 'Europe/Stockholm',
    hours: 'never',
    agents: { mode: 'simulated', names: ['Sam'] },
  },
  {
    id: 3,
    name: 'Billing',
    timeZone: 'Europe/Stockholm',
    hours: 'always',
    agents: { mode: 'none' },
  },
  {
    id: 4,
    name: 'Busy',
    timeZone: 'Europe/Stockholm',
    hours: 'always',
    agents: { mode: 'busy', names: ['Dana', 'Eve'] },
    queueLimit: 2,
    features: { 'chat.attachment': true, 'chat.max-attachment-size': 10 * MB, 'chat.max-image-size': 10 * MB },
  },
];
