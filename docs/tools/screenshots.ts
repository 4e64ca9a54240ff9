/**
 * `npm run screenshots`: the README's pictures, made from the demo as it is. It builds what the
 * demo builds (only what changed), starts the demo server with its own areas and simulated
 * agents on a free port, and drives Debian's Chromium (`CHROMIUM_PATH` elsewhere) through the
 * example sites as a customer would: the launcher with unread messages, a chat with the
 * simulated agent, the leave-a-message form of the closed area, the rating after the agent ended
 * the chat, and the chat on a phone. It writes docs/screenshots/*.png and prints each.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../test/support/chromium';
import type { Browser, Page } from 'playwright-core';
import { buildWhatChanged } from '../../server/demo-build';
import { startDemo } from '../../server/demo';

const OUT = fileURLToPath(new URL('../screenshots/', import.meta.url));
/** Tall enough for the whole panel (680 px) above its launcher. */
const DESKTOP = { width: 1100, height: 860 };
/** The shop page and its launcher, small enough that the corner is in view at the README's width. */
const SHOP = { width: 900, height: 560 };
const PHONE = { width: 390, height: 780 };
/** The demo's areas (server/demo-areas.ts): Support has the simulated agents Alice and Bob, Sales is closed. */
const SUPPORT = 1;
const CLOSED = 2;
/** The longest a step may take: the simulated agents join after 1.5 s and type for 1.2 s. */
const STEP = 20_000;

async function main(): Promise<void> {
  await buildWhatChanged();
  const { server } = await startDemo({ port: 0, host: '127.0.0.1', allowOrigins: [], trustProxy: false, engineIO: 'both' }, { logger: () => undefined });
  const browser = await launchChromium();
  mkdirSync(OUT, { recursive: true });
  try {
    const site = (name: string, area: number) => `${server.url}/${name}/index.html?area=${area}`;
    await launcher(browser, site('vanilla', SUPPORT));
    await chat(browser, site('vue', SUPPORT));
    await leaveMessage(browser, site('svelte', CLOSED));
    await rating(browser, site('vanilla', SUPPORT));
    await phone(browser, site('svelte', SUPPORT));
  } finally {
    await browser.close();
    await server.close();
  }
}

/** A page of its own browser context (so no chat of another picture is resumed), with the step timeout. */
async function open(browser: Browser, url: string, viewport = DESKTOP): Promise<Page> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  context.setDefaultTimeout(STEP);
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('#ChatLauncher').waitFor();
  return page;
}

/** Opens the panel and starts a chat as Ada; resolves once the simulated agent greeted her. */
async function startChat(page: Page, question: string): Promise<void> {
  await page.locator('#ChatLauncher').click();
  await page.locator('#StartName').fill('Ada');
  await page.locator('#StartEmail').fill('ada@example.com');
  await page.locator('#StartQuestion').fill(question);
  await page.locator('#StartButton').click();
}

async function agentSaid(page: Page, text: string): Promise<void> {
  await page.locator('#ChatMessages li[data-sender="AGENT"]', { hasText: text }).last().waitFor({ state: 'attached' });
}

/** The panel and the launcher below it, with a margin of the page around them. */
async function panelShot(page: Page, name: string): Promise<void> {
  const panel = (await page.locator('#ChatPanel').boundingBox())!;
  const viewport = page.viewportSize()!;
  const x = Math.max(0, Math.floor(panel.x) - 28);
  const y = Math.max(0, Math.floor(panel.y) - 28);
  await shot(page, name, { x, y, width: viewport.width - x, height: viewport.height - y });
}

async function shot(page: Page, name: string, clip?: { x: number; y: number; width: number; height: number }): Promise<void> {
  // Nothing moving in the picture: no caret, no smooth scroll under way.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const path = `${OUT}${name}.png`;
  await page.screenshot({ path, caret: 'hide', ...(clip ? { clip } : {}) });
  console.log(`Wrote ${path}`);
  await page.context().close();
}

/** The shop page with the launcher in its corner, two messages unread on it. */
async function launcher(browser: Browser, url: string): Promise<void> {
  const page = await open(browser, url, SHOP);
  await startChat(page, 'Is the Trail 2 in stock in size M?');
  await page.locator('#ChatView').waitFor();
  await page.locator('#ChatPanelClose').click();
  await page.locator('#UnreadBadge', { hasText: '2' }).waitFor();
  await page.mouse.move(0, 0);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await shot(page, 'launcher');
}

/** A chat with the simulated agent: the greeting, a question, its answer. */
async function chat(browser: Browser, url: string): Promise<void> {
  const page = await open(browser, url);
  await startChat(page, 'Is the Trail 2 in stock in size M?');
  await agentSaid(page, 'this is');
  await page.locator('#ChatInput').fill('Great! Can I pick it up on Saturday?');
  await page.locator('#ChatSendButton').click();
  await agentSaid(page, 'You wrote');
  await page.locator('#ChatMessages li[data-sender="CLIENT"][data-status="delivered"]', { hasText: 'Saturday' }).waitFor();
  await page.locator('#ChatInput').fill('Perfect, thank you!');
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await panelShot(page, 'chat');
}

/** The closed area: leave a message instead, the form filled in. */
async function leaveMessage(browser: Browser, url: string): Promise<void> {
  const page = await open(browser, url);
  await page.locator('#ChatLauncher').click();
  await page.locator('#LeaveMessageForm').waitFor();
  await page.locator('#LeaveName').fill('Ada Lindqvist');
  await page.locator('#LeaveEmail').fill('ada@example.com');
  await page.locator('#LeaveSubject').fill('Trade-in of my old bike');
  await page.locator('#LeaveText').fill('Hello! Do you take an old city bike in part exchange for a Fjord E? It is a 2019 model in good shape.');
  await page.locator('#LeaveMessageButton').focus();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await panelShot(page, 'leave-a-message');
}

/** A message that starts with "bye" and the simulated agent ends the chat: how was it? */
async function rating(browser: Browser, url: string): Promise<void> {
  const page = await open(browser, url);
  await startChat(page, 'Do you sell helmets for children?');
  await agentSaid(page, 'this is');
  await page.locator('#ChatInput').fill('Bye, and thanks for the help!');
  await page.locator('#ChatSendButton').click();
  await page.locator('#RatingForm').waitFor();
  await page.locator('#RatingForm').getByLabel('5, excellent').check();
  await page.locator('#RatingComment').fill('Quick and friendly, thanks!');
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await panelShot(page, 'rating');
}

/** On a phone the panel is the whole screen. */
async function phone(browser: Browser, url: string): Promise<void> {
  const page = await open(browser, url, PHONE);
  await startChat(page, 'Does the Fjord E fold?');
  await agentSaid(page, 'this is');
  await page.locator('#ChatInput').fill('How much does it weigh?');
  await page.locator('#ChatSendButton').click();
  await agentSaid(page, 'You wrote');
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await shot(page, 'phone');
}

await main();
