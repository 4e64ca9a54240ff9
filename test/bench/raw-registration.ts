/**
 * What the benches' raw socket.io-clients register with: a chat in area 1, as `register` asks
 * (docs/protocol.md). Plain data, so that the Chromium bench's page script can bundle it too.
 *
 * @module
 */
import type { RegisterPayload } from '../../core/protocol';

/** The `register` payload of a raw client of the bench on `baseURL`, before sockwrap encoding. */
export function rawRegistration(baseURL: string): RegisterPayload {
  return { area: 1, name: 'Raw', email: '', phone: '', message: 'Hello', externalData: '', baseURL, offlineChat: false, trackClientUrl: false };
}
