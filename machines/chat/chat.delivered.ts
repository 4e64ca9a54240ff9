interface Store {
  /** Message id → the order it was added in. Orders never change once written. */
  readonly order: Map<number, number>;
}

/**
 * The ids of client messages the agent has received (`message acked`), as an immutable value.
 *
 * Like the transcript it is a view of the first `size` entries of a shared, append-only store,
 * so adding an id costs O(1) however many there are, and older snapshots stay true.
 */
export class Delivered {
  private constructor(
    private readonly store: Store,
    /** How many ids it holds. */
    readonly size: number,
  ) {}

  /** The one empty set, every chat's (made at first use): adding to it starts a store of its own. */
  private static declare emptySet: Delivered | undefined;

  /** The empty set. */
  static empty(): Delivered {
    return (Delivered.emptySet ??= new Delivered({ order: new Map() }, 0));
  }

  /** Whether the message with this id was delivered. */
  has(id: number): boolean {
    const order = this.store.order.get(id);
    return order !== undefined && order < this.size;
  }

  /** Adds ids; returns the new value and the ids that were not in it yet. */
  add(ids: readonly number[]): { readonly delivered: Delivered; readonly added: readonly number[] } {
    const added: number[] = [];
    const seen = new Set<number>();
    for (const id of ids) {
      if (!this.has(id) && !seen.has(id)) {
        seen.add(id);
        added.push(id);
      }
    }
    if (added.length === 0) return { delivered: this, added };
    let store = this.store;
    if (this.size === 0) store = { order: new Map() };
    else if (store.order.size !== this.size) {
      // Adding to an older value: copy its part of the store first.
      const order = new Map<number, number>();
      for (const [id, at] of store.order) if (at < this.size) order.set(id, at);
      store = { order };
    }
    let size = this.size;
    for (const id of added) store.order.set(id, size++);
    return { delivered: new Delivered(store, size), added };
  }

  /** For `JSON.stringify` and inspectors: how many. */
  toJSON(): { readonly size: number } {
    return { size: this.size };
  }
}
