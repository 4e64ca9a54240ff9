import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatError } from '../../core';
import type { CentionChat } from '../../core';
import { facade, useChatServer, view } from './support';

/** The browser's Notification as a test sees it: who asked for permission, and what was shown. */
function fakeNotifications(permission: NotificationPermission, answer: NotificationPermission = 'granted') {
  const shown: { title: string; body?: string; tag?: string; closed: boolean }[] = [];
  let requests = 0;
  class FakeNotification {
    static permission: NotificationPermission = permission;
    static requestPermission() {
      requests += 1;
      FakeNotification.permission = answer;
      return Promise.resolve(answer);
    }
    onclick: ((event: Event) => void) | null = null;
    private readonly entry: (typeof shown)[number];
    constructor(title: string, options: { body?: string; tag?: string } = {}) {
      this.entry = { title, ...options, closed: false };
      shown.push(this.entry);
    }
    close() {
      this.entry.closed = true;
    }
  }
  const page = { visibilityState: 'visible' };
  vi.stubGlobal('Notification', FakeNotification);
  vi.stubGlobal('document', page);
  return {
    shown,
    get requests() {
      return requests;
    },
    hide: () => void (page.visibilityState = 'hidden'),
    show: () => void (page.visibilityState = 'visible'),
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('desktop notifications of agent messages', () => {
  const t = useChatServer();

  async function chatting(chat: CentionChat) {
    const session = await chat.start({ name: 'Ada', message: 'Hi' });
    t.server.agent.join(session.sessionId, 'Bea');
    await view(chat, (v) => v.phase === 'connected');
    return session.sessionId;
  }

  async function agentSays(chat: CentionChat, sessionId: number, text: string) {
    const before = chat.getSnapshot().unread;
    t.server.agent.say(sessionId, text);
    await view(chat, (v) => v.unread > before);
  }

  it('never asks for permission on its own: only enableNotifications(), which the site calls from a click, asks', async () => {
    const browser = fakeNotifications('default');
    const chat = t.client({ notifications: {} });
    const sessionId = await chatting(chat);
    browser.hide();
    await agentSays(chat, sessionId, 'Your parcel left today.');
    expect(browser.requests).toBe(0);
    expect(browser.shown).toEqual([]);
    await expect(chat.enableNotifications()).resolves.toBe('granted');
    expect(browser.requests).toBe(1);
  });

  it('shows that the agent answered while the page is hidden, without the text unless the site asks for it', async () => {
    const browser = fakeNotifications('granted');
    const chat = t.client({ notifications: {} });
    const sessionId = await chatting(chat);
    await chat.enableNotifications();
    await agentSays(chat, sessionId, 'Seen while visible.');
    expect(browser.shown).toEqual([]);
    browser.hide();
    await agentSays(chat, sessionId, 'Your card ends in 4242.');
    expect(browser.shown).toEqual([{ title: 'New chat message', body: 'Bea has answered.', tag: 'cention-chat', closed: false }]);
    expect(JSON.stringify(browser.shown)).not.toContain('4242');
  });

  it('shows the text when the site sets text: true, and replaces the notification before', async () => {
    const browser = fakeNotifications('granted');
    const chat = t.client({ notifications: { text: true, title: 'Shop chat' } });
    const sessionId = await chatting(chat);
    await chat.enableNotifications();
    browser.hide();
    await agentSays(chat, sessionId, 'One');
    await agentSays(chat, sessionId, 'Two');
    expect(browser.shown.map(({ title, body, closed }) => [title, body, closed])).toEqual([
      ['Shop chat', 'One', true],
      ['Shop chat', 'Two', false],
    ]);
  });

  it('shows nothing when the customer said no', async () => {
    const browser = fakeNotifications('default', 'denied');
    const chat = t.client({ notifications: { text: true } });
    const sessionId = await chatting(chat);
    await expect(chat.enableNotifications()).resolves.toBe('denied');
    browser.hide();
    await agentSays(chat, sessionId, 'Hello?');
    expect(browser.shown).toEqual([]);
  });

  it('refuses to enable without the option, or where the browser has no notifications, and refuses a bad option', async () => {
    fakeNotifications('default');
    const chat = t.client();
    await expect(chat.enableNotifications()).rejects.toMatchObject({ code: 'invalid-state' });
    vi.stubGlobal('Notification', undefined);
    await expect(t.client({ notifications: true }).enableNotifications()).rejects.toMatchObject({ code: 'no-browser' });
    expect(() => t.client({ notifications: { text: 'yes' } as never })).toThrow(ChatError);
  });

  it('works the same through _CentionChat(options)', async () => {
    const browser = fakeNotifications('default');
    const chat = facade({ notifications: {} });
    chat.baseURL = t.server.baseURL;
    const said: string[] = [];
    chat.registerAction('chat message', ({ chat: messages }) => said.push(...messages.filter((m) => m.sender === 'AGENT').map((m) => m.text)));
    chat.connect({ area: 1, name: 'Ada', email: 'ada@example.com', message: 'Hi' });
    await expect.poll(() => t.server.sessions().length).toBe(1);
    const sessionId = t.server.sessions()[0]!.id;
    t.server.agent.join(sessionId, 'Bea');
    browser.hide();
    t.server.agent.say(sessionId, 'Before the click.');
    await expect.poll(() => said).toEqual(['Before the click.']);
    expect(browser.requests).toBe(0);
    expect(browser.shown).toEqual([]);
    await expect(chat.enableNotifications()).resolves.toBe('granted');
    t.server.agent.say(sessionId, 'After the click.');
    await expect.poll(() => browser.shown.length).toBe(1);
    expect(browser.shown[0]).toMatchObject({ body: 'Bea has answered.' });
  });
});
