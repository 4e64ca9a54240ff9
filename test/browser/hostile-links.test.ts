/**
 * Issue 8, item 2, on the three example sites in headless Chromium: a file link forged by a
 * server is shown as the file's name without a link, and a `?baseURL=` of another origin does
 * not point the chat anywhere else.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodePayload, encodeSystemEvent } from '../../core/protocol';
import type { Message } from '../../core/protocol';
import { AREA, SITES, endVisit, pageURL, requireBuilt, shownOnce, startChat, visit, useChromiumAndSiteServer } from './support';
import type { Visit } from './support';

/** Another origin, on the loopback: nothing listens on its port, so a request there would only fail. */
const ELSEWHERE = 'http://127.0.0.2:9';

const shared = useChromiumAndSiteServer();

describe.each(SITES)('the %s example site, given hostile input', (site) => {
  let v: Visit;
  let requested: string[];

  beforeAll(() => requireBuilt(site));

  beforeEach(async () => {
    v = await visit(shared.browser);
    requested = [];
    v.context.on('request', (request) => requested.push(request.url()));
  });

  afterEach(() => endVisit(v, shared.server));

  it('ignores a ?baseURL= of another origin and chats with its own server', async () => {
    await v.page.goto(`${pageURL(shared.server, site, AREA.played)}&baseURL=${encodeURIComponent(`${ELSEWHERE}/s/demo`)}`);
    await startChat(v.page, shared.server);
    expect(requested.filter((url) => url.startsWith(ELSEWHERE))).toEqual([]);
  });

  it('shows a forged file link as the file name without a link, and runs nothing', async () => {
    await v.page.goto(pageURL(shared.server, site, AREA.played));
    const { sessionId, name } = await startChat(v.page, shared.server);
    shared.server.agent.join(sessionId, 'Bea');
    await shownOnce(v.page, 'SYSTEM', 'Bea joined the chat.');
    const forged = (id: number, fileDownload: string, fileName: string): Message => ({
      id,
      sender: 'SYSTEM',
      sent: Math.floor(Date.now() / 1000),
      sentHuman: '10:00',
      text: encodeSystemEvent({ event: 'FILE_UPLOAD', fileDownload, fileName, sizeHuman: '1 KB', name: 'Bea' }),
      umid: '',
    });
    const chat = [forged(1_000_000, 'javascript:window.pwned=1//', 'invoice.pdf'), forged(1_000_001, `${ELSEWHERE}/steal`, 'receipt.pdf')];
    shared.server.sendRaw(sessionId, 'chat message', encodePayload({ agent: 'Bea', chat, client: name }));

    for (const fileName of ['invoice.pdf', 'receipt.pdf']) {
      const entry = v.page.locator('#ChatMessages li', { hasText: fileName });
      await entry.waitFor({ state: 'visible' });
      expect(await entry.locator('a').count(), `a link for ${fileName}`).toBe(0);
      await entry.getByText(fileName).click();
    }
    expect(await v.page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await v.page.locator('#ChatMessages a[href^="javascript:" i], #ChatMessages a[href*="t="]').count()).toBe(0);
    expect(requested.filter((url) => url.startsWith(ELSEWHERE))).toEqual([]);
    expect(v.dialogs).toEqual([]);
  });
});
