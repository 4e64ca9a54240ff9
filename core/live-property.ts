/**
 * A property read through a getter, given to many objects at little cost. V8 keeps an object
 * literal with a getter of its own (`{ get actor() { … } }`) as a dictionary, and so an object
 * given a getter that is a new function each time: for the client's twenty-odd properties that
 * is over a kilobyte of heap per client. One getter shared by every object (what it reads is
 * found by the object) keeps them fast objects of one shape.
 *
 * @module
 */

/** Per property name: the getter every object with it shares, and what it reads for each object. */
const properties = new Map<string, { readonly descriptor: PropertyDescriptor; readonly readers: WeakMap<object, () => unknown> }>();

/**
 * Gives `target` an enumerable, read-only property `name` whose value is `read()` at each read,
 * as `get name() { return read(); }` in an object literal would; returns `target`.
 */
export function defineLive<O extends object, K extends string, T>(target: O, name: K, read: () => T): O & { readonly [P in K]: T } {
  let property = properties.get(name);
  if (!property) {
    const readers = new WeakMap<object, () => unknown>();
    property = {
      readers,
      descriptor: {
        get(this: object) {
          return readers.get(this)?.();
        },
        enumerable: true,
        configurable: true,
      },
    };
    properties.set(name, property);
  }
  property.readers.set(target, read);
  return Object.defineProperty(target, name, property.descriptor) as O & { readonly [P in K]: T };
}
