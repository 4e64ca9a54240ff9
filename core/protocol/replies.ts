/**
 * Readers of the server's HTTP answers (docs/protocol.md §7): `canchat`, an upload, a left
 * message. Read leniently, like the socket's (`readers.ts`), and never throwing.
 *
 * @module
 */
import type { CanChatResult, ChatFeatures, ErrandCreated, UploadResult } from './wire';
import { bool, fields, num0, readFields, str } from './values';

/** Reads a `canchat` reply; a reply that is not an object reads as a failed check. */
export function readCanChat(raw: unknown): CanChatResult {
  return (
    readFields<CanChatResult>(raw, { chatOpen: bool, agentsAvailable: num0, feature: (value) => (fields(value) ?? {}) as ChatFeatures, resumable: bool, error: str }) ?? {
      chatOpen: false,
      agentsAvailable: 0,
      feature: {},
      resumable: false,
      error: 'invalid reply',
    }
  );
}

/** Reads an UploadResult; `undefined` when it has no download path. */
export function readUploadResult(raw: unknown): UploadResult | undefined {
  return readFields<UploadResult>(raw, { id: num0, value: str, download: (value) => str(value) || undefined, sizeHuman: str, size: num0, type: str });
}

/** Reads a `createerrand` reply; `undefined` when it names no reference. */
export function readErrandCreated(raw: unknown): ErrandCreated | undefined {
  return readFields<ErrandCreated>(raw, { reference: (value) => str(value) || undefined });
}
