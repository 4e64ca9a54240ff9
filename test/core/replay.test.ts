import { describe, expect, it } from 'vitest';
import { ChatError } from '../../core';
import { createRecorder, readRecording, replayChat } from '../../core/replay';
import type { ChatRecording } from '../../core/replay';
import { canonical, liveSnapshots, shapeOf } from '../support/replay';
import { useChatServer, view } from './support';

const ada = { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+46 70 123 45 67', message: 'Where is my parcel?' };

describe('recording a chat and replaying it', () => {
  const t = useChatServer();

  /** A chat with a bit of everything: a check, a start, the queue, an agent who types and stops, messages both ways, a dropped link, a close. */
  async function recordedChat(keepTexts: boolean) {
    const recorder = createRecorder({ keepTexts });
    const live = liveSnapshots();
    const chat = t.client({ clock: t.clock, record: recorder, inspect: live.inspect, delays: { agentTypingTimeout: 1_000 } });
    await chat.canChat();
    const session = await chat.start(ada);
    t.server.agent.join(session.sessionId, 'Bea');
    await view(chat, (v) => v.phase === 'connected');
    t.server.agent.type(session.sessionId, 12);
    await view(chat, (v) => v.agentTypingLength === 12);
    // Nobody stops the typing: the machine's own timer does.
    t.clock.advance(1_000);
    await view(chat, (v) => !v.agentTyping);
    await chat.send('It was due on Monday.').sent;
    t.server.agent.say(session.sessionId, 'Let me look.');
    await view(chat, (v) => v.transcript.last?.text === 'Let me look.');
    t.server.dropClient(session.sessionId);
    await view(chat, (v) => v.phase === 'reconnecting');
    const queued = chat.send('Are you there?');
    await view(chat, (v) => v.phase === 'connected');
    await queued.sent;
    await chat.close();
    return { recording: recorder.recording(), live: live.snapshots, secret: session.sessionSecret };
  }

  it('reaches the same states, context and transcript at every step, timers included', async () => {
    const { recording, live } = await recordedChat(true);
    expect(recording.entries.some((entry) => 'fire' in entry), 'a timer fired').toBe(true);
    const steps = [...replayChat(JSON.stringify(recording))];
    expect(steps).toHaveLength(recording.entries.length + 1);
    expect(live).toHaveLength(recording.entries.length);
    for (const [i, snapshot] of live.entries()) expect(canonical(steps[i + 1]!.snapshot), `step ${i + 1}: ${steps[i + 1]!.event?.type}`).toEqual(canonical(snapshot));
    expect(steps.at(-1)!.snapshot.context.transcript.toArray().map((m) => m.text)).toContain('Are you there?');
    // And again: a replay is a function of the recording.
    expect([...replayChat(recording)].map((s) => canonical(s.snapshot))).toEqual(steps.map((s) => canonical(s.snapshot)));
  });

  it('redacts texts, names and the secret unless asked to keep texts, and the redacted chat still goes through the same states', async () => {
    const { recording, live, secret } = await recordedChat(false);
    const file = JSON.stringify(recording);
    for (const word of ['Lovelace', 'ada@example.com', '123 45', 'parcel', 'Monday', 'Let me look', 'Are you there', 'Bea', secret]) expect(file).not.toContain(word);
    expect(recording.redacted).toBe(true);
    const steps = [...replayChat(file)];
    for (const [i, snapshot] of live.entries()) expect(shapeOf(steps[i + 1]!.snapshot), `step ${i + 1}: ${steps[i + 1]!.event?.type}`).toEqual(shapeOf(snapshot));
  });

  it('keeps the secret out of a recording that keeps texts', async () => {
    const { recording, secret } = await recordedChat(true);
    const file = JSON.stringify(recording);
    expect(file).toContain('Let me look.');
    expect(file).not.toContain(secret);
  });

  it('stops at its bound and says so, and what it kept still replays', async () => {
    const recorder = createRecorder({ maxEntries: 5 });
    const chat = t.client({ clock: t.clock, record: recorder });
    const session = await chat.start(ada);
    t.server.agent.join(session.sessionId, 'Bea');
    await view(chat, (v) => v.phase === 'connected');
    const recording = recorder.recording();
    expect(recording.entries).toHaveLength(5);
    expect(recording.ended).toMatchObject({ reason: 'entries' });
    expect([...replayChat(recording)]).toHaveLength(6);
    expect(() => createRecorder({ maxBytes: 0 })).toThrow(ChatError);
  });

  it('refuses a file that is not a recording, and a log that does not fit the machine, saying why', () => {
    expect(() => readRecording('{')).toThrow(/not JSON/);
    expect(() => replayChat({ format: 'something else' } as unknown as ChatRecording)).toThrow(/format/);
    const base = { format: 'cention-chat/recording', version: 1, startedAt: 0, input: { maxConnectErrors: 3 }, redacted: true };
    expect(() => readRecording({ ...base, entries: [{ t: 1, fire: 0 }] })).toThrow(/entry 0/);
    const foreign = readRecording({ ...base, entries: [{ t: 1, fire: 7 }] });
    expect(() => [...replayChat(foreign)]).toThrow(expect.objectContaining({ code: 'invalid-input', message: expect.stringMatching(/timer #7/) }));
  });
});
