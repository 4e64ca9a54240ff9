import { chatMachine } from '../../machines';
import { drawStatechart } from './statechart';

/** Where the picture of the chat statechart is committed. */
export const STATECHART_SVG = new URL('../statechart.svg', import.meta.url);

/**
 * The states of the lifecycle that users know (idle, checking, queued, connected,
 * agent-unavailable, finished, resuming), drawn filled so that they stand out at a glance.
 */
export const LIFECYCLE = [
  'idle',
  'cention.availability.checking',
  'cention.chat.live.session.queued',
  'cention.chat.live.session.connected',
  'agentUnavailable',
  'finished',
  'cention.chat.live.resuming',
] as const;

/** The chat statechart as an SVG document. */
export function drawChatStatechart(): Promise<string> {
  return drawStatechart(chatMachine, { title: 'The chat statechart (machines/chat/chat.machine.ts)', lifecycle: LIFECYCLE });
}
