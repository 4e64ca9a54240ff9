/**
 * The recorder: turns on the input log of one chat and keeps it as a {@link ChatRecording},
 * redacted and bounded.
 *
 * @module
 */
import type { ChatEvent } from '../../machines';
import { requireInput } from '../errors';
import { createInputLog } from './input-log';
import type { InputEntry, InputLogHook } from './input-log';
import { RECORDING_FORMAT, RECORDING_VERSION } from './recording';
import type { ChatRecording, RecordingEnd } from './recording';
import { createPseudonyms, redactEvent } from './redact';

/** Options of {@link createRecorder}. */
export interface RecorderOptions {
  /**
   * Keep what the customer and the agents wrote, and their names, as they are. Default `false`:
   * each is replaced by a stand-in of the same length (see `createPseudonyms`). Session secrets
   * are replaced either way.
   */
  readonly keepTexts?: boolean;
  /** The most entries a recording keeps (default 10,000). */
  readonly maxEntries?: number;
  /** The most bytes of JSON the entries may take (default 1,000,000, about 1 MB). */
  readonly maxBytes?: number;
}

/**
 * Records one chat: pass it as the `record` option of `createCentionChat()` (or of
 * `createChatEngine()`), and take {@link ChatRecorder.recording} whenever the chat is to be
 * looked at, e.g. as a file the customer sends to support.
 *
 * A recording is bounded: when the next entry would pass `maxEntries` or `maxBytes`, the
 * recording stops there and says so (`ended`). It keeps the beginning, because a replay needs
 * every input from the start to reach the states that followed: a recording that had dropped
 * its oldest entries could not be replayed at all.
 */
export interface ChatRecorder extends InputLogHook {
  /** The recording so far (a copy: later entries do not change it). */
  recording(): ChatRecording;
  /** How many entries it holds and their size as JSON. */
  readonly size: { readonly entries: number; readonly bytes: number };
}

/**
 * Makes a recorder for one chat.
 *
 * @example
 * ```ts
 * import { createCentionChat } from 'cention-chat';
 * import { createRecorder } from 'cention-chat/replay';
 *
 * // Record when the customer came from a support link (…/contact#record).
 * const recorder = location.hash === '#record' ? createRecorder() : undefined;
 * const chat = createCentionChat({ baseURL, area: 1, ...(recorder ? { record: recorder } : {}) });
 * saveButton.onclick = () => download(JSON.stringify(recorder!.recording()), 'chat-recording.json');
 * ```
 */
export function createRecorder(options: RecorderOptions = {}): ChatRecorder {
  const maxEntries = options.maxEntries ?? 10_000;
  const maxBytes = options.maxBytes ?? 1_000_000;
  requireInput(Number.isSafeInteger(maxEntries) && maxEntries > 0, `maxEntries must be a positive whole number, got ${String(maxEntries)}.`);
  requireInput(Number.isSafeInteger(maxBytes) && maxBytes > 0, `maxBytes must be a positive whole number, got ${String(maxBytes)}.`);
  const keepTexts = options.keepTexts === true;
  const redaction = { standIn: createPseudonyms(), keepTexts };
  const entries: InputEntry[] = [];
  let bytes = 0;
  let startedAt = 0;
  let maxConnectErrors = 3;
  let ended: { t: number; reason: RecordingEnd } | undefined;

  const write = (entry: InputEntry) => {
    if (ended) return;
    // JSON now: what is kept is plain data that later changes of the page's objects cannot touch.
    const kept: InputEntry = 'fire' in entry ? entry : { t: entry.t, event: JSON.parse(JSON.stringify(redactEvent(entry.event, redaction))) as ChatEvent };
    const size = JSON.stringify(kept).length + 1;
    if (entries.length + 1 > maxEntries || bytes + size > maxBytes) {
      ended = { t: entry.t, reason: entries.length + 1 > maxEntries ? 'entries' : 'bytes' };
      return;
    }
    entries.push(kept);
    bytes += size;
  };
  const log = createInputLog({
    entry: write,
    started: (snapshot, t) => {
      startedAt = t;
      maxConnectErrors = snapshot.context.connectErrors.max;
    },
  });

  return {
    clock: log.clock,
    inspect: log.inspect,
    get size() {
      return { entries: entries.length, bytes };
    },
    recording: () => ({
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      startedAt,
      input: { maxConnectErrors },
      redacted: !keepTexts,
      entries: entries.slice(),
      ...(ended ? { ended: { ...ended } } : {}),
    }),
  };
}
