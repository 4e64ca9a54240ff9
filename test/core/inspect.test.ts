import { createInspector } from '@statelyai/inspect';
import { describe, expect, it } from 'vitest';
import { useChatServer, view } from './support';

/** What Stately's inspector would send to its UI, collected instead of sent. */
function statelyInspector() {
  const sent: { type: string; name?: string; sessionId?: string; event?: { type?: string }; snapshot?: { value?: unknown; context?: unknown } }[] = [];
  const inspector = createInspector({ send: (event: unknown) => void sent.push(event as (typeof sent)[number]), start: () => undefined, stop: () => undefined });
  return { sent, inspector };
}

describe('watching the chat with an XState inspector', () => {
  const t = useChatServer();

  it('hands Stately\'s inspector the chat actor, its events and snapshots it can serialise', async () => {
    const { sent, inspector } = statelyInspector();
    const chat = t.client({ inspect: inspector.inspect });
    const session = await chat.start({ name: 'Ada', message: 'Where is my parcel?' });
    t.server.agent.join(session.sessionId, 'Bea');
    await view(chat, (v) => v.phase === 'connected');
    await chat.send('It was due on Monday.').sent;
    // The inspector converts events when the thread is idle: wait until it has seen the reply.
    await expect.poll(() => sent.some((e) => e.type === '@xstate.event' && e.event?.type === 'reply.chatMessage')).toBe(true);

    const root = sent.find((e) => e.type === '@xstate.actor' && e.name === 'cention');
    expect(root).toBeDefined();
    const events = sent.filter((e) => e.type === '@xstate.event' && e.sessionId === root!.sessionId).map((e) => e.event!.type);
    expect(events).toEqual(expect.arrayContaining(['user.start', 'link.connected', 'reply.register', 'server.chatMessage', 'user.send', 'reply.chatMessage']));
    const last = sent.filter((e) => e.type === '@xstate.snapshot' && e.sessionId === root!.sessionId).at(-1)!;
    expect(last.snapshot?.value).toEqual({ availability: 'unknown', chat: { live: { session: 'connected' } } });
    // The transcript reaches the inspector as plain messages, not as the machine's own class.
    const context = last.snapshot?.context as { transcript: { text: string }[]; agent: string };
    expect(context.agent).toBe('Bea');
    expect(context.transcript.map((m) => m.text)).toContain('It was due on Monday.');
  });
});
