import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCentionChat } from '../../core';
import type { CentionChat } from '../../core';
import { createInspectorPanel } from '../../core/devtools/inspector-panel';
import type { InspectorPanel } from '../../core/devtools/inspector-panel';
import { createRecorder } from '../../core/replay';
import type { ChatRecording } from '../../core/replay';
import { getStateNodes } from 'xstate/graph';
import { chatMachine } from '../../machines';
import type { ChatServer } from '../../server';
import { startTestServer } from '../support/chat-server';

const lit = (panel: InspectorPanel) => [...panel.element.querySelectorAll('.chart [data-state].active')].map((g) => g.getAttribute('data-state'));
const taken = (panel: InspectorPanel) => [...panel.element.querySelectorAll('.chart g.label.taken text')].map((t) => t.textContent);
const listed = (panel: InspectorPanel) => [...panel.element.querySelectorAll('.events li span')].map((s) => [s.className, s.textContent]);
const stepOf = (panel: InspectorPanel, type: string) => panel.steps.findIndex((step) => step.event?.type === type);

describe('the inspector panel on a live chat', () => {
  let server: ChatServer;
  let panel: InspectorPanel;
  let chat: CentionChat;
  let recorder: ReturnType<typeof createRecorder>;
  beforeEach(async () => {
    ({ server } = await startTestServer());
    panel = createInspectorPanel({ folded: false });
    recorder = createRecorder();
    chat = createCentionChat({ baseURL: server.baseURL, area: 1, storage: null, inspect: panel.inspect, record: recorder });
  });
  afterEach(async () => {
    chat.stop();
    panel.dispose();
    await server.close();
  });

  it('draws every state of the chart and lights up the active ones', async () => {
    const drawn = new Set([...panel.element.querySelectorAll('.chart [data-state]')].map((g) => g.getAttribute('data-state')));
    expect(getStateNodes(chatMachine.root).map((node) => node.path.join('.')).filter((path) => !drawn.has(path))).toEqual([]);
    // The machine is loaded at once for an inspector (core/engine/lazy-runtime.ts), a moment after the client is made.
    await expect.poll(() => lit(panel)).toEqual(['availability', 'availability.unknown', 'chat', 'chat.idle']);
    await chat.start({ name: 'Ada', message: 'Hi' });
    await expect.poll(() => lit(panel)).toContain('chat.live.session.queued');
    expect(panel.element.querySelector('.states')?.textContent).toBe('availability.unknown, chat.live.session.queued');
  });

  it('lights up the transition each step took', async () => {
    await chat.start({ name: 'Ada', message: 'Hi' });
    await expect.poll(() => stepOf(panel, 'reply.register')).toBeGreaterThan(0);
    panel.select(stepOf(panel, 'user.start'));
    expect(taken(panel)).toContain('user.start');
    panel.select(stepOf(panel, 'reply.register'));
    expect(taken(panel).some((label) => label?.startsWith('reply.register'))).toBe(true);
    expect(panel.element.querySelectorAll('.chart path.taken').length).toBeGreaterThan(0);
  });

  it('keeps a timeline of every event, coloured by where it came from, that steps back to what the chat was then', async () => {
    const { sessionId } = await chat.start({ name: 'Ada', message: 'Hi' });
    server.agent.join(sessionId, 'Bea');
    await expect.poll(() => lit(panel)).toContain('chat.live.session.connected');
    expect(listed(panel)).toEqual(expect.arrayContaining([['start', 'start'], ['user', 'user.start'], ['link', 'link.connected'], ['reply', 'reply.register'], ['server', 'server.chatMessage']]));
    const latest = panel.current;
    expect(latest).toBe(panel.steps.length - 1);

    panel.select(0);
    expect(lit(panel)).toContain('chat.idle');
    expect(panel.element.querySelector('.timeline output')?.textContent).toMatch(/^1 \/ \d+/);
    expect(panel.element.querySelector('.detail dd:nth-of-type(2)')?.textContent).toBe('0 messages');
    // Moved back, it stays there while the chat goes on; at the end it follows again.
    chat.send('Hello?');
    await expect.poll(() => panel.steps.length).toBeGreaterThan(latest + 1);
    expect(panel.current).toBe(0);
    const slider = panel.element.querySelector<HTMLInputElement>('.timeline input')!;
    slider.value = slider.max;
    slider.dispatchEvent(new Event('input'));
    expect(lit(panel)).toContain('chat.live.session.connected');
    panel.element.querySelector<HTMLButtonElement>('[aria-label="previous step"]')!.click();
    expect(panel.current).toBe(panel.steps.length - 2);
  });

  it('opens a recording by drag and drop and steps through it as if it were live', async () => {
    await chat.start({ name: 'Ada', message: 'Hi' });
    await expect.poll(() => lit(panel)).toContain('chat.live.session.queued');
    const recording = recorder.recording();
    const other = createInspectorPanel({ folded: false });
    try {
      const drop = new Event('drop', { cancelable: true }) as Event & { dataTransfer: unknown };
      Object.defineProperty(drop, 'dataTransfer', { value: { files: [new File([JSON.stringify(recording)], 'ada.json', { type: 'application/json' })] } });
      other.element.dispatchEvent(drop);
      await expect.poll(() => other.steps.length).toBe(recording.entries.length + 1);
      expect(other.element.querySelector('.mode')?.textContent).toBe('replay: ada.json');
      expect(lit(other)).toContain('chat.idle');
      other.select(other.steps.length - 1);
      expect(lit(other)).toContain('chat.live.session.queued');
      expect(listed(other).map(([, text]) => text)).toEqual(listed(panel).slice(0, other.steps.length).map(([, text]) => text));
    } finally {
      other.dispose();
    }
  });

  it('says why a file is not a recording, and keeps what it showed', () => {
    const shown = panel.steps;
    expect(() => panel.open('{"format":"something else"}', 'x.json')).toThrow(expect.objectContaining({ code: 'invalid-input' }));
    expect(panel.element.querySelector('[role=alert]')?.textContent).toMatch(/not a chat recording/);
    expect(panel.steps).toBe(shown);
    const foreign: ChatRecording = { format: 'cention-chat/recording', version: 1, startedAt: 0, input: { maxConnectErrors: 3 }, redacted: true, entries: [{ t: 1, fire: 3 }] };
    expect(() => panel.open(foreign)).toThrow(/timer #3/);
  });

  it('goes away on dispose', () => {
    panel.dispose();
    expect(panel.element.isConnected).toBe(false);
  });
});

describe('the inspector panel on a phone and under a strict Content-Security-Policy', () => {
  it('starts folded to a small handle on a narrow screen, and unfolds from it', () => {
    (window as unknown as { happyDOM: { setViewport(v: { width: number; height: number }): void } }).happyDOM.setViewport({ width: 390, height: 800 });
    const panel = createInspectorPanel();
    try {
      expect(panel.element.classList.contains('folded')).toBe(true);
      panel.element.querySelector<HTMLButtonElement>('.handle')!.click();
      expect(panel.element.classList.contains('folded')).toBe(false);
      panel.element.querySelector<HTMLButtonElement>('header button:last-child')!.click();
      expect(panel.element.classList.contains('folded')).toBe(true);
    } finally {
      panel.dispose();
      (window as unknown as { happyDOM: { setViewport(v: { width: number; height: number }): void } }).happyDOM.setViewport({ width: 1024, height: 768 });
    }
  });

  it('brings its look as an adopted stylesheet, with no <style> element or style attribute the policy would block, and takes it back on dispose', () => {
    const before = document.adoptedStyleSheets.length;
    const panel = createInspectorPanel();
    try {
      expect(panel.element.querySelector('style')).toBeNull();
      expect(panel.element.querySelectorAll('[style]')).toHaveLength(0);
      expect(panel.element.hasAttribute('style')).toBe(false);
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
