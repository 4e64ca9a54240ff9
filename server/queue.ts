/**
 * The queues of chats waiting for an agent, one per area, with 1-based places.
 *
 * @module
 */

/** A chat whose place in its area's queue changed. */
export interface PlaceChange {
  readonly sessionId: number;
  /** The new 1-based place. */
  readonly place: number;
}

/** Chats waiting for an agent, per area, in arrival order. */
export class AreaQueues {
  private readonly waiting = new Map<number, number[]>();

  private list(areaId: number): number[] {
    let list = this.waiting.get(areaId);
    if (!list) {
      list = [];
      this.waiting.set(areaId, list);
    }
    return list;
  }

  /** The session ids waiting in an area, first in line first. */
  ids(areaId: number): readonly number[] {
    return this.waiting.get(areaId) ?? [];
  }

  /** The 1-based place of a chat, or 0 when it is not queued. */
  place(areaId: number, sessionId: number): number {
    return this.ids(areaId).indexOf(sessionId) + 1;
  }

  /** Queues a chat at the back (or the front, for a chat whose agent left) and says whose place changed. */
  add(areaId: number, sessionId: number, { front = false } = {}): PlaceChange[] {
    const list = this.list(areaId);
    if (list.includes(sessionId)) return [];
    if (front) {
      list.unshift(sessionId);
      return this.placesFrom(list, 0);
    }
    list.push(sessionId);
    return this.placesFrom(list, list.length - 1);
  }

  /** Takes a chat out of its queue and says whose place changed (everyone behind it). */
  remove(areaId: number, sessionId: number): PlaceChange[] {
    const list = this.list(areaId);
    const index = list.indexOf(sessionId);
    if (index < 0) return [];
    list.splice(index, 1);
    return this.placesFrom(list, index);
  }

  clear(): void {
    this.waiting.clear();
  }

  private placesFrom(list: readonly number[], index: number): PlaceChange[] {
    return list.slice(index).map((sessionId, offset) => ({ sessionId, place: index + offset + 1 }));
  }
}
