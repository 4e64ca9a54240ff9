// @vitest-environment happy-dom
import fc from 'fast-check';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { applyServerFault, serverFaults, startScriptedServer } from 'cention-chat/testing';
import type { ChatServer } from 'cention-chat/testing';
import { mountChatWidget } from './chat-widget';

let server: ChatServer;
beforeEach(async () => {
  server = await startScriptedServer({ agent: 'Bea', replies: (text) => `You said: ${text}` });
});
afterEach(() => server.close());

/** What the widget shows: its status line and its messages. */
const shown = (root: HTMLElement) => ({
  status: root.querySelector('[role=status]')?.textContent,
  messages: [...root.querySelectorAll('li')].map((li) => li.textContent),
});

it('shows the agent who took the chat and their answer', async () => {
  const root = document.body.appendChild(document.createElement('div'));
  const widget = mountChatWidget(root, server.baseURL);
  await widget.start('Ada', 'Where is my parcel?');
  await vi.waitFor(() => expect(shown(root)).toEqual({ status: 'Chatting with Bea', messages: ['Where is my parcel?', 'Agent(s) added: Bea', 'You said: Where is my parcel?'] }));
  widget.dispose();
});

it('shows every message once, whatever the server and the network do', async () => {
  await fc.assert(
    fc.asyncProperty(serverFaults({ maxLength: 4 }), async (faults) => {
      const root = document.body.appendChild(document.createElement('div'));
      const widget = mountChatWidget(root, server.baseURL);
      const { sessionId } = await widget.start('Ada', 'Hello?');
      for (const fault of faults) await applyServerFault(server, sessionId, fault);
      // The customer writes while the faults are on; then the network heals.
      root.querySelector('input')!.value = 'Is it on its way?';
      root.querySelector('form')!.requestSubmit();
      await applyServerFault(server, sessionId, { kind: 'heal' });
      await vi.waitFor(() => expect(shown(root).messages).toContain('You said: Is it on its way?'), { timeout: 10_000 });
      const { messages } = shown(root);
      expect(messages.filter((text) => text === 'Is it on its way?')).toHaveLength(1);
      expect(messages.filter((text) => text === 'You said: Is it on its way?')).toHaveLength(1);
      widget.dispose();
    }),
    { numRuns: 10 },
  );
});
