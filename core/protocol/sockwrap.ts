/**
 * sockwrap, the payload encoding of Cention's socket events (docs/protocol.md §2).
 *
 * Objects travel as `encodeURIComponent(JSON.stringify(o))`, strings as
 * `encodeURIComponent(s)`, numbers and booleans as they are. Receivers decode leniently, so a
 * server that sends plain JSON objects is understood too.
 *
 * @module
 */

/** Encodes one payload for the wire. `undefined` and `null` travel as they are. */
export function encodePayload(payload: unknown): unknown {
  if (payload === null || payload === undefined) return payload;
  if (typeof payload === 'string') return encodeURIComponent(payload);
  if (typeof payload === 'object') return encodeURIComponent(JSON.stringify(payload));
  return payload;
}

/**
 * Decodes one payload leniently: a string is percent-decoded and then JSON-parsed if it
 * parses; anything else is taken as it is. A string that is not valid percent-encoding is
 * taken as it is too, so a decoder never throws.
 */
export function decodePayload(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  let text = raw;
  if (raw.includes('%')) {
    try {
      text = decodeURIComponent(raw);
    } catch {
      text = raw;
    }
  }
  const first = text.charCodeAt(0);
  // Only text that can start a JSON object, array, string, number or literal is worth parsing:
  // a plain word like `hello` stays a string without paying for an exception.
  if (!(first === 0x7b || first === 0x5b || first === 0x22 || first === 0x2d || (first >= 0x30 && first <= 0x39) || text === 'true' || text === 'false' || text === 'null')) {
    return text;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
