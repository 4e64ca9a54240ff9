/**
 * Record a chat and replay it: every input of the chat machine, with its time, in one JSON
 * document ({@link ChatRecording}), and the same machine fed that document on a virtual clock,
 * with no network ({@link replayChat}). `cention-chat/devtools` opens such a file and steps
 * through it.
 *
 * Nothing here runs unless asked: a chat records only when handed a recorder as its `record`
 * option, and a site that never imports this entry never bundles it.
 *
 * @example
 * ```ts
 * import { createCentionChat } from 'cention-chat';
 * import { createRecorder, replayChat } from 'cention-chat/replay';
 *
 * const recorder = createRecorder(); // texts and names redacted; { keepTexts: true } keeps them
 * const chat = createCentionChat({ baseURL, area: 1, record: recorder });
 * // …later, the file a customer sends to support:
 * const file = JSON.stringify(recorder.recording());
 * for (const step of replayChat(file)) console.log(step.event?.type, step.snapshot.value);
 * ```
 *
 * @module replay
 */
export { createRecorder } from './recorder';
export type { ChatRecorder, RecorderOptions } from './recorder';
export { readRecording, RECORDING_FORMAT, RECORDING_VERSION } from './recording';
export type { ChatRecording, RecordingEnd } from './recording';
export { createReplica, replayChat } from './replay';
export type { Replica, ReplicaOptions, ReplayStep } from './replay';
export { createInputLog, isTimerFiring } from './input-log';
export type { InputEntry, InputEvent, InputLogHook, InputLogSink, Inspector, TimerFiring } from './input-log';
export { createPseudonyms, redactEvent } from './redact';
export type { Redaction } from './redact';
