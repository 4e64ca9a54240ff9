/**
 * `npm run diagram`: draws the chat statechart into docs/statechart.svg, and lays it out for the
 * inspector (core/devtools/chat-statechart.drawing.ts). `npm test` fails when either no longer
 * matches the machine (test/machines/chat.diagram.test.ts).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chatStatechartModule, drawChatStatechart, STATECHART_DRAWING, STATECHART_SVG } from './chat-statechart';

for (const [url, make] of [
  [STATECHART_SVG, drawChatStatechart],
  [STATECHART_DRAWING, chatStatechartModule],
] as const) {
  const path = fileURLToPath(url);
  writeFileSync(path, await make());
  console.log(`Drew ${path}`);
}
