/**
 * The statechart inspector of `?inspect` on the vanilla site, in Chromium, under the server's
 * Content-Security-Policy: it follows a live chat, steps back through it, and opens a recording
 * made by another client and steps through that.
 */
import { filter, firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createCentionChat } from '../../core';
import { createRecorder } from '../../core/replay';
import { AREA, entries, expectNoCspViolations, pageURL, requireBuilt, send, shownOnce, startChat, visit, useChromiumAndSiteServer } from './support';

const shared = useChromiumAndSiteServer();

/** A chat of another customer, recorded: started, taken by Bea, a message each way, closed. */
async function recordedChat(): Promise<string> {
  const recorder = createRecorder();
  const chat = createCentionChat({ baseURL: shared.server.baseURL, area: AREA.played, storage: null, record: recorder });
  try {
    const { sessionId } = await chat.start({ name: 'Ada', message: 'Where is my bike?' });
    shared.server.agent.join(sessionId, 'Bea');
    await chat.send('It was due on Monday.').sent;
    shared.server.agent.say(sessionId, 'It leaves today.');
    await firstValueFrom(chat.messages$.pipe(filter((message) => message.text === 'It leaves today.')));
    await chat.close();
  } finally {
    chat.stop();
  }
  return JSON.stringify(recorder.recording());
}

describe('the statechart inspector on the vanilla site', () => {
  it('follows the chat on the chart, steps back through it, and steps through a recording it opens', async () => {
    requireBuilt('vanilla');
    const v = await visit(shared.browser);
    await v.page.goto(`${pageURL(shared.server, 'vanilla', AREA.played)}&inspect`);
    const panel = v.page.locator('.cention-inspector');
    await panel.locator('svg [data-state="chat.idle"].active').waitFor();

    const { sessionId } = await startChat(v.page, shared.server);
    shared.server.agent.join(sessionId, 'Bea');
    await send(v.page, 'Hello?');
    await panel.locator('[data-state="chat.live.session.connected"].active').waitFor();
    expect(await panel.locator('.events .user', { hasText: 'user.send' }).count()).toBeGreaterThan(0);

    // Back to the step the chat started: the chart shows it as it was, with the arrow it took.
    await panel.locator('.events li', { hasText: 'user.start' }).first().click();
    await panel.locator('[data-state="chat.live.starting"].active').waitFor();
    expect(await panel.locator('g.label.taken', { hasText: 'user.start' }).count()).toBe(1);
    expect(await panel.locator('[data-state="chat.live.session.connected"].active').count()).toBe(0);

    // A customer's recording, opened with the file button, from its first step to its last.
    await panel.locator('.file input').setInputFiles({ name: 'ada.json', mimeType: 'application/json', buffer: Buffer.from(await recordedChat()) });
    await panel.locator('.mode', { hasText: 'replay: ada.json' }).waitFor();
    await panel.locator('[data-state="chat.idle"].active').waitFor();
    const slider = panel.locator('.timeline input');
    await slider.fill(await slider.getAttribute('max') ?? '0');
    await panel.locator('[data-state="chat.finished"].active').waitFor();
    await panel.locator('[aria-label="previous step"]').click();
    expect(await panel.locator('.timeline output').textContent()).toMatch(/^(\d+) \/ (\d+)/);

    expect(await panel.evaluate((element) => getComputedStyle(element).position)).toBe('fixed');
    expectNoCspViolations(v);
    expect(v.pageErrors).toEqual([]);
    await v.context.close();
    shared.server.agent.end(sessionId);
  });

  it('sees a burst of 300 agent messages reach the machine in a few steps, not one each, and shows each once', async () => {
    requireBuilt('vanilla');
    const v = await visit(shared.browser);
    await v.page.goto(`${pageURL(shared.server, 'vanilla', AREA.played)}&inspect`);
    const panel = v.page.locator('.cention-inspector');
    const { sessionId } = await startChat(v.page, shared.server);
    shared.server.agent.join(sessionId, 'Bea');
    await send(v.page, 'Hello?');
    await panel.locator('[data-state="chat.live.session.connected"].active').waitFor();
    // Each WebSocket message is a task of its own in a browser; the link takes what a burst
    // brought as one batch (core/transport/after-tasks.ts).
    const steps = async () => Number(/\/ (\d+)/.exec((await panel.locator('.timeline output').textContent()) ?? '')?.[1]);
    const before = await steps();
    for (let i = 1; i <= 300; i++) shared.server.agent.say(sessionId, `Burst ${i}`);
    await shownOnce(v.page, 'AGENT', /Burst 300(?!\d)/);
    expect(await entries(v.page, 'AGENT', /Burst \d+/).count()).toBe(300);
    const taken = (await steps()) - before;
    expect(taken).toBeGreaterThan(0);
    expect(taken).toBeLessThan(30);
    expect(v.pageErrors).toEqual([]);
    await v.context.close();
    shared.server.agent.end(sessionId);
  });

  it('is a small handle on a phone until it is opened', async () => {
    requireBuilt('vanilla');
    const v = await visit(shared.browser, { width: 390, height: 800 });
    await v.page.goto(`${pageURL(shared.server, 'vanilla', AREA.played)}&inspect`);
    const handle = v.page.locator('.cention-inspector .handle');
    await handle.waitFor();
    const folded = await v.page.locator('.cention-inspector').boundingBox();
    expect(folded!.width).toBeLessThan(200);
    await handle.click();
    await v.page.locator('.cention-inspector .chart').waitFor();
    expect((await v.page.locator('.cention-inspector').boundingBox())!.width).toBeGreaterThan(380);
    expectNoCspViolations(v);
    await v.context.close();
  });
});
