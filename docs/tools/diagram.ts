/**
 * `npm run diagram`: draws the chat statechart into docs/statechart.svg. `npm test` fails when the
 * committed picture no longer matches the machine (test/machines/chat.diagram.test.ts).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { drawChatStatechart, STATECHART_SVG } from './chat-statechart';

const path = fileURLToPath(STATECHART_SVG);
writeFileSync(path, await drawChatStatechart());
console.log(`Drew ${path}`);
