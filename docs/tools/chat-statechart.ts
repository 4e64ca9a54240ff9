import { chatMachine } from '../../machines';
import type { StatechartDrawing } from '../../core/devtools/drawing';
import { drawStatechart, layoutStatechart } from './statechart';

/** Where the inspector's copy of the picture is committed, as data. */
export const STATECHART_DRAWING = new URL('../../core/devtools/chat-statechart.drawing.ts', import.meta.url);

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

/** The laid-out chat statechart, for the inspector. */
export function layoutChatStatechart(): Promise<StatechartDrawing> {
  return layoutStatechart(chatMachine, { title: 'The chat statechart (machines/chat/chat.machine.ts)', lifecycle: LIFECYCLE });
}

/** The inspector's module of the laid-out chart. */
export async function chatStatechartModule(): Promise<string> {
  return [
    '// Made by `npm run diagram` (docs/tools/diagram.ts) from the machine: do not edit. test/machines/chat.diagram.test.ts',
    '// fails when it no longer matches the machine.',
    "import type { StatechartDrawing } from './drawing';",
    '',
    '/** The chat statechart, laid out by ELK at docs time: what the inspector draws. */',
    `export const CHAT_STATECHART: StatechartDrawing = ${JSON.stringify(await layoutChatStatechart())};`,
    '',
  ].join('\n');
}
