import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Transcript } from '../../machines';
import type { Message } from '../../machines/wire';

const message = (id: number): Message => ({ id, sender: 'AGENT', sent: 1_767_600_000, sentHuman: '10:00', text: `Message ${id}`, umid: '' });

describe('a transcript', () => {
  // Merging takes a fast path for ids past every id so far; whatever order and repeats the
  // batches come in, it must hold what sorting and deduplicating them all would.
  it('holds every id once, in order, whatever batches are merged into it, and old values stay as they were', () => {
    const batches = fc.array(fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 12 }), { maxLength: 12 });
    fc.assert(
      fc.property(batches, (ids) => {
        let transcript = Transcript.empty();
        const seen: number[] = [];
        for (const batch of ids) {
          const before = transcript;
          const heldBefore = before.toArray().map((m) => m.id);
          const { transcript: next, added } = transcript.merge(batch.map(message));
          const fresh = [...new Set(batch)].filter((id) => !seen.includes(id)).sort((a, b) => a - b);
          expect(added.map((m) => m.id)).toEqual(fresh);
          seen.push(...fresh);
          expect(next.toArray().map((m) => m.id)).toEqual([...seen].sort((a, b) => a - b));
          expect(before.toArray().map((m) => m.id)).toEqual(heldBefore);
          for (const id of seen) expect(next.has(id)).toBe(true);
          transcript = next;
        }
      }),
    );
  });
});
