import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCentionChat } from '../../core';
import type { CentionChat } from '../../core';
import { createInspectorPanel } from '../../core/devtools/inspector-panel';
import type { InspectorPanel } from '../../core/devtools/inspector-panel';
import type { ChatServer } from '../../server';
import { startTestServer } from '../support/chat-server';

describe('the inspector panel', () => {
  let server: ChatServer;
  let panel: InspectorPanel;
  let chat: CentionChat;
  beforeEach(async () => {
    ({ server } = await startTestServer());
    panel = createInspectorPanel();
    chat = createCentionChat({ baseURL: server.baseURL, area: 1, storage: null, inspect: panel.inspect });
  });
  afterEach(async () => {
    chat.stop();
    panel.dispose();
    await server.close();
  });

  const active = () => [...panel.element.querySelectorAll('.state.active > .name')].map((n) => n.textContent);
  const events = () => [...panel.element.querySelectorAll('.log li span')].map((n) => n.textContent);

  it('draws every state of the machine and lights up the active ones', async () => {
    expect(panel.element.isConnected).toBe(true);
    expect(panel.element.querySelectorAll('.state').length).toBeGreaterThan(20);
    expect(active()).toEqual(['cention', 'availability', 'unknown', 'chat', 'idle']);
    await chat.start({ name: 'Ada', message: 'Hi' });
    await expect.poll(active).toEqual(['cention', 'availability', 'unknown', 'chat', 'live', 'session', 'queued']);
    // The echo of the question can come after the queue place.
    await expect.poll(() => panel.element.textContent).toContain('1 messages');
  });

  it('logs the events with where they came from, newest first', async () => {
    await chat.start({ name: 'Ada', message: 'Hi' });
    await expect.poll(events).toEqual(expect.arrayContaining(['user.start', 'link.connected', 'reply.register']));
    expect(events().indexOf('reply.register')).toBeLessThan(events().indexOf('user.start'));
    expect(panel.element.querySelector('.log .user')?.textContent).toBe('user.start');
    expect(panel.element.querySelector('.log .reply')?.textContent).toBe('reply.register');
  });

  it('goes away on dispose', () => {
    panel.dispose();
    expect(panel.element.isConnected).toBe(false);
  });
});

describe('the inspector panel on a page with a strict Content-Security-Policy', () => {
  it('brings its look as an adopted stylesheet, not a <style> element the policy would block, and takes it back on dispose', () => {
    const before = document.adoptedStyleSheets.length;
    const panel = createInspectorPanel();
    try {
      expect(panel.element.querySelector('style')).toBeNull();
      expect(document.querySelectorAll('style')).toHaveLength(0);
      expect(document.adoptedStyleSheets).toHaveLength(before + 1);
      const rules = [...document.adoptedStyleSheets.at(-1)!.cssRules].map((rule) => rule.cssText).join('\n');
      expect(rules).toContain('.cention-inspector');
    } finally {
      panel.dispose();
    }
    expect(document.adoptedStyleSheets).toHaveLength(before);
  });
});
