import type { Message } from '../wire';

/** What a merge changed. */
export interface TranscriptMerge {
  readonly transcript: Transcript;
  /** The messages that were new, in transcript order. */
  readonly added: readonly Message[];
}

/**
 * The chat transcript: messages deduplicated by id and ordered by id, as an immutable value.
 *
 * A chat can hold a hundred thousand messages, so a merge must not copy the whole list. Every
 * `Transcript` is a view of the first `length` entries of a shared, append-only store: appending
 * to the newest view writes past every older view's end and leaves them unchanged, so old
 * snapshots stay true. Only an out-of-order message or a merge into an older view copies.
 * The store is in id order, so a message is found by halving it: no index by id to write for
 * each message of a flood, nor to keep for each message of a long chat.
 */
export class Transcript implements Iterable<Message> {
  // Declared, not a field: set when first read (see toArray), and no helper call in the ES2020 builds.
  declare private array: readonly Message[] | undefined;

  private constructor(
    /** Every message of the newest view, in id order; this view is its first `length`. */
    private readonly store: Message[],
    /** How many messages the transcript holds. */
    readonly length: number,
  ) {}

  /** The empty transcript. */
  static empty(): Transcript {
    return new Transcript([], 0);
  }

  /** Builds a transcript from messages in any order, dropping repeated ids. */
  static from(messages: Iterable<Message>): Transcript {
    return Transcript.empty().merge([...messages]).transcript;
  }

  /** The message at `index` (negative counts from the end). */
  at(index: number): Message | undefined {
    const i = index < 0 ? this.length + index : index;
    return i >= 0 && i < this.length ? this.store[i] : undefined;
  }

  /** The newest message. */
  get last(): Message | undefined {
    return this.at(-1);
  }

  /** Whether a message with this id is in the transcript. */
  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  /** The message with this id. */
  get(id: number): Message | undefined {
    let low = 0;
    let high = this.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const message = this.store[middle] as Message;
      if (message.id === id) return message;
      if (message.id < id) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  *[Symbol.iterator](): Iterator<Message> {
    for (let i = 0; i < this.length; i++) yield this.store[i] as Message;
  }

  /** The messages as an array (made once per transcript value). */
  toArray(): readonly Message[] {
    this.array ??= this.store.slice(0, this.length);
    return this.array;
  }

  /** For `JSON.stringify` and inspectors: the messages as an array. */
  toJSON(): readonly Message[] {
    return this.toArray();
  }

  /**
   * Merges messages in: ids already present (or repeated in `messages`) are dropped, the rest
   * take their place by id. Returns the same transcript when nothing was new.
   */
  merge(messages: readonly Message[]): TranscriptMerge {
    const added: Message[] = [];
    let seen: Set<number> | undefined;
    let inOrder = true;
    let lastId = this.last?.id ?? -Infinity;
    for (const message of messages) {
      // Past every id so far (the transcript's and this batch's): new, and nothing to look up.
      // That is every message of a chat going on; only the rest pays for the lookups.
      if (message.id > lastId) {
        seen?.add(message.id);
        lastId = message.id;
        added.push(message);
        continue;
      }
      seen ??= new Set(added.map((m) => m.id));
      if (this.has(message.id) || seen.has(message.id)) continue;
      seen.add(message.id);
      if (message.id < lastId) inOrder = false;
      lastId = Math.max(lastId, message.id);
      added.push(message);
    }
    if (added.length === 0) return { transcript: this, added };
    const { store } = this;
    if (inOrder && store.length === this.length) {
      for (const message of added) store.push(message);
      return { transcript: new Transcript(store, store.length), added };
    }
    const items = [...this.toArray(), ...added].sort((a, b) => a.id - b.id);
    return { transcript: new Transcript(items, items.length), added: inOrder ? added : added.slice().sort((a, b) => a.id - b.id) };
  }
}
