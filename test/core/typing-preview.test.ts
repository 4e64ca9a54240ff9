import { describe, expect, it } from 'vitest';
import { typingPreview } from '../../core/typing-preview';
import { ManualClock } from '../support/manual-clock';

function paced(everyMs = 300) {
  const clock = new ManualClock();
  const sent: string[] = [];
  const preview = typingPreview((text) => sent.push(text), clock, everyMs);
  return { clock, sent, preview };
}

describe('the typing preview', () => {
  it('shows the first keystroke at once, then at most one preview per interval, ending with the latest text', () => {
    const { clock, sent, preview } = paced();
    preview.typed('H');
    expect(sent).toEqual(['H']);
    preview.typed('He');
    preview.typed('Hel');
    clock.advance(299);
    expect(sent).toEqual(['H']);
    clock.advance(1);
    expect(sent).toEqual(['H', 'Hel']);
    clock.advance(1_000);
    expect(sent).toEqual(['H', 'Hel']);
    preview.typed('Hell');
    expect(sent).toEqual(['H', 'Hel', 'Hell']);
  });

  it('says at once that the customer stopped, and cancels what was waiting', () => {
    const { clock, sent, preview } = paced();
    preview.typed('Hi');
    preview.typed('Hi t');
    preview.typed('   ');
    expect(sent).toEqual(['Hi', '']);
    expect(clock.pending).toBe(0);
    preview.typed('');
    expect(sent).toEqual(['Hi', '']);
  });

  it('does not repeat a text the agent already sees', () => {
    const { clock, sent, preview } = paced();
    preview.typed('Same');
    clock.advance(500);
    preview.typed('Same');
    expect(sent).toEqual(['Same']);
  });

  it('sends every change when the interval is 0, and dispose() leaves no timer', () => {
    const eager = paced(0);
    eager.preview.typed('a');
    eager.preview.typed('ab');
    expect(eager.sent).toEqual(['a', 'ab']);
    const { clock, preview } = paced();
    preview.typed('a');
    preview.typed('ab');
    expect(clock.pending).toBe(1);
    preview.dispose();
    expect(clock.pending).toBe(0);
  });
});
