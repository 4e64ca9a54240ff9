/**
 * Headless Debian Chromium for the browser tests, the Chromium benches and the docs' screenshot
 * tools: never a downloaded browser (`playwright install` cannot run here).
 *
 * @module
 */
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

/** Where Chromium is: `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Launches it headless. `backForwardCache`: with the back/forward cache on (Playwright turns it off unless told not to). */
export function launchChromium({ backForwardCache = false } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    ...(backForwardCache ? { ignoreDefaultArgs: ['--disable-back-forward-cache'] } : {}),
  });
}
