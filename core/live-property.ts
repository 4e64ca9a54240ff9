/**
 * The `actor` property of the client, the engine and the lazy runtime: read through a getter
 * that every object shares. V8 keeps an object literal with a getter of its own
 * (`{ get actor() { … } }`) as a dictionary, and so an object given a getter that is a new
 * function each time: for the client's twenty-odd properties that is over a kilobyte of heap per
 * client. One getter for every object (what it reads is found by the object) keeps them fast
 * objects of one shape.
 *
 * @module
 */

/** What each object's `actor` reads. */
const readers = new WeakMap<object, () => unknown>();

const ACTOR: PropertyDescriptor = {
  get(this: object) {
    return readers.get(this)?.();
  },
  enumerable: true,
  configurable: true,
};

/** Gives `target` an enumerable, read-only `actor` that is `read()` at each read, as `get actor() { return read(); }` in its literal would; returns `target`. */
export function withActor<O extends object, T>(target: O, read: () => T): O & { readonly actor: T } {
  readers.set(target, read);
  return Object.defineProperty(target, 'actor', ACTOR) as O & { readonly actor: T };
}
