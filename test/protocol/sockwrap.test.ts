import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodePayload, encodePayload } from '../../core/protocol';

describe('sockwrap', () => {
  it('encodes an object as percent-encoded JSON', () => {
    expect(encodePayload({ preview: 'Hi & bye' })).toBe(encodeURIComponent('{"preview":"Hi & bye"}'));
  });

  it('encodes a string as percent-encoding and leaves numbers and booleans alone', () => {
    expect(encodePayload('a b')).toBe('a%20b');
    expect(encodePayload(3)).toBe(3);
    expect(encodePayload(true)).toBe(true);
  });

  it('decodes whatever it encoded', () => {
    const json = fc.oneof(fc.object(), fc.array(fc.jsonValue()), fc.dictionary(fc.string(), fc.string()));
    fc.assert(fc.property(json, (value) => {
      expect(decodePayload(encodePayload(value))).toEqual(JSON.parse(JSON.stringify(value)));
    }));
  });

  it('takes plain JSON objects as they are', () => {
    const payload = { agent: 'Ann', chat: [], client: 'Bo' };
    expect(decodePayload(payload)).toBe(payload);
  });

  it('reads plain JSON text and broken percent-encoding without throwing', () => {
    expect(decodePayload('{"a":1}')).toEqual({ a: 1 });
    expect(decodePayload('%E0%A4%A')).toBe('%E0%A4%A');
    expect(decodePayload('hello')).toBe('hello');
    expect(decodePayload('{not json')).toBe('{not json');
  });
});
