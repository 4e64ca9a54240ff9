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

  // Any value can be merged into, the newest or an older one (whose store a newer one has
  // written past): each finds exactly its own messages by id, and no other.
  it('finds by id exactly the messages it holds, in every value, newest or older, merged into or not', () => {
    const merges = fc.array(fc.record({ from: fc.nat(), ids: fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 8 }) }), { maxLength: 14 });
    fc.assert(
      fc.property(merges, (steps) => {
        const values = [{ transcript: Transcript.empty(), ids: new Set<number>() }];
        for (const { from, ids } of steps) {
          const base = values[from % values.length]!;
          const { transcript } = base.transcript.merge(ids.map(message));
          values.push({ transcript, ids: new Set([...base.ids, ...ids]) });
        }
        for (const { transcript, ids } of values) {
          expect(transcript.toArray().map((m) => m.id)).toEqual([...ids].sort((a, b) => a - b));
          for (let id = -1; id <= 41; id++) {
            expect(transcript.has(id)).toBe(ids.has(id));
            expect(transcript.get(id)?.id).toBe(ids.has(id) ? id : undefined);
          }
        }
      }),
    );
  });
});
