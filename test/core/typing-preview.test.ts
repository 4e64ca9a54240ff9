import { describe, expect, it } from 'vitest';
import { ChatError, _CentionChat, createCentionChat } from '../../core';
import type { CentionChat, CentionChatOptions } from '../../core';
import { ManualClock } from '../support/manual-clock';
import { useChatServer, view } from './support';

describe('the typing preview the agent sees', () => {
  const t = useChatServer();

  /** A chat with an agent, on a clock the test moves, and every preview the server got. */
  async function chatting(previewEvery?: number, options: Partial<CentionChatOptions> = {}) {
    const clock = new ManualClock(Date.now());
    const chat = t.client({ clock, ...(previewEvery !== undefined ? { previewEvery } : {}), ...options });
    const session = await chat.start({ name: 'Ada', message: 'Hi' });
    t.server.agent.join(session.sessionId, 'Bea');
    await view(chat, (v) => v.phase === 'connected');
    const previews: string[] = [];
    t.server.on('preview', (e) => previews.push(e.preview));
    return { clock, chat, previews };
  }

  /** Everything the client emitted before this has reached the server: previews and messages share one ordered socket. */
  async function barrier(chat: CentionChat): Promise<void> {
    await chat.send('(barrier)').sent;
  }

  it('shows the first keystroke at once, then at most one preview per interval, ending with the latest text', async () => {
    const { clock, chat, previews } = await chatting();
    chat.preview('H');
    chat.preview('He');
    chat.preview('Hel');
    clock.advance(299);
    await barrier(chat);
    expect(previews).toEqual(['H']);
    clock.advance(1);
    await barrier(chat);
    expect(previews).toEqual(['H', 'Hel']);
    clock.advance(1_000);
    chat.preview('Hell');
    await barrier(chat);
    expect(previews).toEqual(['H', 'Hel', 'Hell']);
  });

  it('says at once that the customer stopped, cancels what was waiting, and never repeats itself', async () => {
    const { clock, chat, previews } = await chatting();
    chat.preview('Hi');
    chat.preview('Hi t');
    chat.preview('   ');
    chat.preview('');
    clock.advance(1_000);
    chat.preview('Same');
    clock.advance(1_000);
    chat.preview('Same');
    await barrier(chat);
    expect(previews).toEqual(['Hi', '', 'Same']);
  });

  it('sends every change when previewEvery is 0', async () => {
    const { chat, previews } = await chatting(0);
    chat.preview('a');
    chat.preview('ab');
    await barrier(chat);
    expect(previews).toEqual(['a', 'ab']);
  });

  it('leaves no timer waiting once the chat is reset', async () => {
    const { clock, chat } = await chatting();
    chat.preview('a');
    chat.preview('ab');
    const waiting = clock.pending;
    chat.reset();
    expect(clock.pending).toBeLessThan(waiting);
    expect(clock.pending).toBe(0);
  });

  it("shows the agent a placeholder of the same length, and the stop, when preview is 'length'", async () => {
    const { chat, previews } = await chatting(0, { preview: 'length' });
    chat.preview('My card number is 4111');
    chat.preview('My 🙂');
    chat.preview('');
    await barrier(chat);
    expect(previews).toEqual(['••••••••••••••••••••••', '••••', '']);
  });

  it("shows the agent nothing, not even a stop, when preview is 'off'", async () => {
    const { chat, previews } = await chatting(0, { preview: 'off' });
    chat.preview('My secret');
    chat.preview('');
    await barrier(chat);
    expect(previews).toEqual([]);
  });

  it("shows the text itself when preview is 'text' or not set", async () => {
    const { chat, previews } = await chatting(0, { preview: 'text' });
    chat.preview('Hi');
    await barrier(chat);
    expect(previews).toEqual(['Hi']);
  });

  it('refuses any other preview mode with invalid-input, in the typed client and in _CentionChat(options)', () => {
    const bad = { baseURL: 'https://cloud.cention.com/s/demo', preview: 'blur' } as unknown as CentionChatOptions;
    expect(() => createCentionChat(bad)).toThrow(expect.objectContaining({ name: 'ChatError', code: 'invalid-input', message: expect.stringContaining("'text', 'length' or 'off'") }) as ChatError);
    expect(() => _CentionChat({ preview: 'hidden' } as never)).toThrow(ChatError);
  });
});
