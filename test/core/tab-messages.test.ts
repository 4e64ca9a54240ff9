import { describe, expect, it } from 'vitest';
import { readTabMessage } from '../../core/tabs/tab-messages';
import { tabClock } from '../../core/tabs/tab-clock';
import { ManualClock } from '../support/manual-clock';

describe('what the tabs of a chat say to each other', () => {
  it('reads the five kinds of message', () => {
    const entry = { seq: 1, entry: { t: 5, event: { type: 'server.queue', position: 1 } } };
    expect(readTabMessage({ type: 'hello', from: 'a', logId: undefined, since: 0 })).toBeDefined();
    expect(readTabMessage({ type: 'log', from: 'a', to: 'b', logId: 'l', entries: [entry, { seq: 2, entry: { t: 6, fire: 1 } }] })).toBeDefined();
    expect(readTabMessage({ type: 'entry', from: 'a', logId: 'l', ...entry, command: 'b-1' })).toBeDefined();
    expect(readTabMessage({ type: 'command', from: 'b', id: 'b-1', event: { type: 'user.send', umid: 'c-1', text: 'Hi' } })).toBeDefined();
    expect(readTabMessage({ type: 'leader', from: 'a', logId: 'l', seq: 3 })).toBeDefined();
  });

  it('ignores what is not one of them: other libraries on the channel, broken or hostile messages', () => {
    for (const junk of [
      null,
      'hello',
      42,
      { type: 'hello' },
      { type: 'hello', from: 'a', since: 'all' },
      { type: 'shutdown', from: 'a' },
      { type: 'command', from: 'b', id: 'x', event: { type: 'server.finished' } },
      { type: 'command', from: 'b', id: 7, event: { type: 'user.close' } },
      { type: 'entry', from: 'a', logId: 'l', seq: 1.5, entry: { t: 1, fire: 1 } },
      { type: 'entry', from: 'a', logId: 'l', seq: 1, entry: { t: 1 } },
      { type: 'log', from: 'a', to: 'b', logId: 'l', entries: [{ seq: 1, entry: null }] },
      { type: 'leader', from: 'a', seq: 1 },
    ]) {
      expect(readTabMessage(junk), JSON.stringify(junk)).toBeUndefined();
    }
  });
});

describe("a sharing tab's clock", () => {
  it('numbers every timer, runs none while following, and fires timer k when the log says', () => {
    const base = new ManualClock(1_000);
    const clock = tabClock(base);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('first'), 100);
    const second = clock.setTimeout(() => fired.push('second'), 100);
    clock.setTimeout(() => fired.push('third'), 300);
    clock.clearTimeout(second);
    base.advance(1_000);
    expect(fired).toEqual([]);
    clock.fire(3);
    expect(fired).toEqual(['third']);
    expect(() => clock.fire(2)).toThrow(expect.objectContaining({ code: 'invalid-input' }) as Error);
    expect(() => clock.fire(9)).toThrow(expect.objectContaining({ code: 'invalid-input' }) as Error);
    expect(clock.timers).toBe(3);
  });

  it('runs what is pending for real when its tab takes the lead, at the time each was due, and says so first', () => {
    const base = new ManualClock(1_000);
    const clock = tabClock(base);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('overdue'), 100);
    clock.setTimeout(() => fired.push('later'), 500);
    base.advance(200);
    const told: number[] = [];
    clock.lead((k) => told.push(k));
    base.advance(0);
    expect(fired).toEqual(['overdue']);
    base.advance(299);
    expect(fired).toEqual(['overdue']);
    base.advance(1);
    expect(fired).toEqual(['overdue', 'later']);
    expect(told).toEqual([1, 2]);
    clock.setTimeout(() => fired.push('while leading'), 10);
    clock.follow();
    base.advance(100);
    expect(fired).toHaveLength(2);
    clock.fire(3);
    expect(fired.at(-1)).toBe('while leading');
  });
});
