/**
 * The transcript as one array that grows, for the adapters: each new view's `Transcript` is
 * followed by appending only the messages that are new, so a message costs the same in a chat of
 * ten thousand as in a chat of ten. `Transcript.toArray()` copies the whole list for every new
 * transcript value, which is right for a snapshot and wrong for every change of a live chat.
 *
 * @module
 */
import type { Message, Transcript } from '../core';

/** What {@link TranscriptArray.follow} did to the array. */
export type TranscriptChange = 'none' | 'appended' | 'replaced';

/** One array that follows a chat's transcripts: appended to, or a new array when the transcript was rebuilt. */
export class TranscriptArray {
  private array: Message[] = [];
  private source: Transcript | undefined;

  /** The messages, in transcript order: the same array while it only grows, a new one after `'replaced'`. */
  get items(): readonly Message[] {
    return this.array;
  }

  /** Follows `transcript`: in O(new messages) when it extends the one followed so far. */
  follow(transcript: Transcript): TranscriptChange {
    if (transcript === this.source) return 'none';
    this.source = transcript;
    const items = this.array;
    const held = items.length;
    // A transcript only grows by appending or by a merge that puts a message before the end,
    // which moves the message now at `held - 1`; a reset starts it again from empty.
    const grows = transcript.length >= held && (held === 0 || transcript.at(held - 1) === items[held - 1]);
    if (grows) {
      if (transcript.length === held) return 'none';
      for (let i = held; i < transcript.length; i++) items.push(transcript.at(i) as Message);
      return 'appended';
    }
    this.array = transcript.toArray().slice();
    return 'replaced';
  }
}
