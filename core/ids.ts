/**
 * Ids made on this device: the umids of own messages and the ids of uploads.
 *
 * @module
 */
import type { Clock } from './clock';

let counter = 0;
const pageTag = Math.floor(Math.random() * 36 ** 4).toString(36);

/** An id unique on this device: prefix, time, page-load tag and a counter (docs/protocol.md §4: 1 to 64 characters). */
export function makeId(prefix: string, clock: Clock): string {
  return `${prefix}-${clock.now().toString(36)}-${pageTag}-${(++counter).toString(36)}`;
}
