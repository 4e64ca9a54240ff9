/**
 * The recording: a chat's input log written down as one JSON document, and the reader that
 * checks one before anything replays it (a recording comes from a customer: hostile until read).
 *
 * @module
 */
import type { ChatEvent } from '../../machines';
import { ChatError } from '../errors';
import type { InputEntry } from './input-log';

/** The `format` of every recording. */
export const RECORDING_FORMAT = 'cention-chat/recording';
/** The version of the recording format this library writes and reads. */
export const RECORDING_VERSION = 1;

/** Why a recording stopped before the chat did. */
export type RecordingEnd = 'entries' | 'bytes';

/**
 * A chat as a recording keeps it: every input of the machine with its time, in order, and the
 * timers that fired between them. JSON throughout.
 *
 * @example
 * ```json
 * { "format": "cention-chat/recording", "version": 1, "startedAt": 1733560000000,
 *   "input": { "maxConnectErrors": 3 }, "redacted": true, "entries": [
 *   { "t": 1733560000012, "event": { "type": "user.canChat", "area": 1, "requestId": 1 } },
 *   { "t": 1733560000180, "event": { "type": "check.done", "requestId": 1, "area": 1, "result": { "...": "..." } } },
 *   { "t": 1733560003000, "fire": 4 } ] }
 * ```
 */
export interface ChatRecording {
  readonly format: typeof RECORDING_FORMAT;
  readonly version: typeof RECORDING_VERSION;
  /** The recording clock's time when the chat actor started (ms since the epoch). */
  readonly startedAt: number;
  /** The machine's input, as the recorded chat had it. */
  readonly input: { readonly maxConnectErrors: number };
  /** Whether texts and names are stand-ins (session secrets always are). */
  readonly redacted: boolean;
  /** The inputs and timer firings, in the order the machine took them. */
  readonly entries: readonly InputEntry[];
  /** Present when the recording reached its bound and stopped: at what time, and which bound. */
  readonly ended?: { readonly t: number; readonly reason: RecordingEnd };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function bad(why: string): never {
  throw new ChatError('invalid-input', `This is not a chat recording this library can replay: ${why}.`);
}

function readEntry(value: unknown, index: number): InputEntry {
  if (!isRecord(value) || !isTime(value['t'])) bad(`entry ${index} has no time "t"`);
  const { t, fire, event } = value;
  if (fire !== undefined) {
    if (typeof fire !== 'number' || !Number.isSafeInteger(fire) || fire < 1) bad(`entry ${index} fires no timer number`);
    return { t, fire };
  }
  if (!isRecord(event) || typeof event['type'] !== 'string') bad(`entry ${index} has neither an event with a type nor a timer`);
  return { t, event: event as unknown as ChatEvent };
}

/**
 * Reads a recording from its JSON text or parsed value, and checks its shape: the format and
 * version, a time on every entry, and an event with a `type` or a timer number in each. Throws
 * `invalid-input` saying what is wrong.
 */
export function readRecording(source: string | unknown): ChatRecording {
  let value: unknown = source;
  if (typeof source === 'string') {
    try {
      value = JSON.parse(source);
    } catch {
      bad('it is not JSON');
    }
  }
  if (!isRecord(value)) bad('it is not a JSON object');
  if (value['format'] !== RECORDING_FORMAT) bad(`its format is ${JSON.stringify(value['format'])}, not "${RECORDING_FORMAT}"`);
  if (value['version'] !== RECORDING_VERSION) bad(`it is version ${JSON.stringify(value['version'])}; this library reads version ${RECORDING_VERSION}`);
  const { startedAt, input, redacted, entries, ended } = value;
  if (!isTime(startedAt)) bad('it has no "startedAt" time');
  if (!isRecord(input) || !Number.isSafeInteger(input['maxConnectErrors'])) bad('its "input" has no maxConnectErrors');
  if (!Array.isArray(entries)) bad('it has no "entries" list');
  if (ended !== undefined && (!isRecord(ended) || !isTime(ended['t']) || (ended['reason'] !== 'entries' && ended['reason'] !== 'bytes'))) bad('its "ended" mark is malformed');
  return {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    startedAt,
    input: { maxConnectErrors: input['maxConnectErrors'] as number },
    redacted: redacted === true,
    entries: entries.map(readEntry),
    ...(ended ? { ended: ended as unknown as NonNullable<ChatRecording['ended']> } : {}),
  };
}
