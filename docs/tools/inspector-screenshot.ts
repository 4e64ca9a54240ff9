/**
 * `npm run screenshot:inspector`: records a real chat against the reference server (a customer
 * asks, Bea takes the chat and types, the network drops and the chat rejoins, the customer closes
 * it), writes the recording to docs/screenshots/chat-recording.json, opens it in the inspector of
 * the vanilla site in headless Chromium, steps to where the link went down, and writes
 * docs/screenshots/inspector-replay.png. Needs `npm run build` first (the site loads dist/).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../test/support/chromium';
import { filter, firstValueFrom } from 'rxjs';
import { createCentionChat } from '../../core';
import type { CentionChat, ChatView } from '../../core';
import { createRecorder } from '../../core/replay';
import { demoMounts } from '../../server/demo-server';
import { startServer } from '../../server';

const RECORDING = fileURLToPath(new URL('../screenshots/chat-recording.json', import.meta.url));
const SCREENSHOT = fileURLToPath(new URL('../screenshots/inspector-replay.png', import.meta.url));

const until = (chat: CentionChat, done: (view: ChatView) => boolean) => firstValueFrom(chat.state$.pipe(filter(done)));

const server = await startServer({ port: 0, host: '127.0.0.1', agentConsole: false, logger: () => undefined, areas: [{ id: 1, name: 'Support', agents: { mode: 'busy', names: ['Bea'] } }], static: demoMounts() });
const browser = await launchChromium();
try {
  // The customer's chat, recorded as a site that allows texts records it.
  const recorder = createRecorder({ keepTexts: true });
  const chat = createCentionChat({
    baseURL: server.baseURL,
    area: 1,
    storage: null,
    record: recorder,
    delays: { agentTypingTimeout: 500 },
    socketOptions: { reconnectionDelay: 50, reconnectionDelayMax: 100, randomizationFactor: 0 },
  });
  await chat.canChat();
  const { sessionId } = await chat.start({ name: 'Ada', email: 'ada@example.com', message: 'Where is my bike? It was due on Monday.' });
  await until(chat, (v) => v.phase === 'queued');
  server.agent.join(sessionId, 'Bea');
  await until(chat, (v) => v.phase === 'connected');
  server.agent.type(sessionId, 24);
  await until(chat, (v) => v.agentTyping);
  server.agent.say(sessionId, 'Let me look it up for you.');
  await until(chat, (v) => !v.agentTyping && v.transcript.length >= 3);
  await chat.send('Thank you!').sent;
  server.dropClient(sessionId);
  await until(chat, (v) => v.phase === 'reconnecting');
  const queued = chat.send('Are you still there?');
  await until(chat, (v) => v.phase === 'connected');
  await queued.sent;
  server.agent.say(sessionId, 'Yes: it leaves the warehouse today.');
  await until(chat, (v) => v.transcript.last?.text === 'Yes: it leaves the warehouse today.');
  await chat.close();
  chat.stop();
  const recording = JSON.stringify(recorder.recording(), null, 1);
  writeFileSync(RECORDING, `${recording}\n`);
  console.log(`Recorded ${recorder.size.entries} entries to ${RECORDING}`);

  // The support engineer's view of it.
  const page = await browser.newPage({ viewport: { width: 1500, height: 1000 }, deviceScaleFactor: 1.5 });
  await page.goto(`${server.url}/vanilla/index.html?inspect`);
  const panel = page.locator('.cention-inspector');
  await panel.locator('.chart svg').waitFor();
  await panel.locator('.file input').setInputFiles({ name: 'chat-recording.json', mimeType: 'application/json', buffer: Buffer.from(recording) });
  await panel.locator('.mode', { hasText: 'replay' }).waitFor();
  await panel.locator('.events li', { hasText: 'link.disconnected' }).first().click();
  await panel.locator('header button', { hasText: 'zoom' }).click();
  await panel.locator('.events li.current').click();
  await panel.screenshot({ path: SCREENSHOT });
  console.log(`Wrote ${SCREENSHOT}`);
} finally {
  await browser.close();
  await server.close();
}
