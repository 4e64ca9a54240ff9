/**
 * What can go wrong, as plain data the machine can keep in its context and show to an
 * inspector. Core turns a {@link ChatFault} into a `ChatError` for users.
 *
 * @module
 */

/**
 * Every way a chat command or the link can fail.
 *
 * - `invalid-input`: an argument breaks a rule (empty message, bad area, bad option).
 * - `invalid-state`: the command makes no sense now (e.g. `start()` during a chat).
 * - `no-session`: there is no chat to act on (nothing started, or the server forgot it).
 * - `session-lost`: the server no longer knows the chat after a reconnect.
 * - `chat-closed`: the chat has ended.
 * - `area-closed`: the area is outside its opening hours.
 * - `unknown-area`: the server has no such area.
 * - `queue-full`: the area's queue is at its limit.
 * - `agent-unavailable`: no agent can take a chat in the area.
 * - `connect-failed`: the socket could not connect (network, or origin not allowed).
 * - `timeout`: the server did not answer in time.
 * - `server-error`: the server answered with an error this library does not know.
 * - `http-error`: an HTTP request failed (network or status).
 * - `attachments-disabled`: the area does not accept attachments.
 * - `file-too-large`: the file is larger than the area allows.
 * - `upload-failed`: the upload did not complete.
 * - `upload-aborted`: the upload was cancelled.
 * - `no-browser`: the command needs a browser (`window`) and runs outside one.
 */
export type ChatErrorCode =
  | 'invalid-input'
  | 'invalid-state'
  | 'no-session'
  | 'session-lost'
  | 'chat-closed'
  | 'area-closed'
  | 'unknown-area'
  | 'queue-full'
  | 'agent-unavailable'
  | 'connect-failed'
  | 'timeout'
  | 'server-error'
  | 'http-error'
  | 'attachments-disabled'
  | 'file-too-large'
  | 'upload-failed'
  | 'upload-aborted'
  | 'no-browser';

/** A failure as data: a code to branch on and a sentence for people. */
export interface ChatFault {
  readonly code: ChatErrorCode;
  readonly message: string;
}

/** Makes a {@link ChatFault}. */
export function fault(code: ChatErrorCode, message: string): ChatFault {
  return { code, message };
}

/**
 * Reads an `{error}` string of a server reply (docs/protocol.md §4) as a fault. `context` says what
 * the reply answered, because `"chat closed"` means "outside opening hours" to `register` and
 * "the chat has ended" to everything else.
 */
export function faultFromWire(error: string, context: 'register' | 'resume' | 'session'): ChatFault {
  if (error === 'timeout') return fault('timeout', 'The chat server did not answer in time.');
  if (error === 'offline') return fault('connect-failed', 'The connection to the chat server is down.');
  if (error === 'unknown area') return fault('unknown-area', 'The chat server has no such area.');
  if (error === 'queue full') return fault('queue-full', 'The queue is full; try again later.');
  if (error === 'agent unavailable') return fault('agent-unavailable', 'No agent is available to chat.');
  if (error === 'no session') return fault(context === 'resume' ? 'no-session' : 'session-lost', 'The chat server does not know this chat.');
  if (error === 'chat closed') {
    return context === 'register' ? fault('area-closed', 'The chat is closed at this time.') : fault('chat-closed', 'The chat has ended.');
  }
  if (error.startsWith('invalid input')) return fault('invalid-input', `The server refused the input (${error}).`);
  return fault('server-error', `The chat server answered: ${error}`);
}

/** Reply errors that mean "no answer", not "no": the same request goes again later. */
export const TRANSIENT: ReadonlySet<string> = new Set(['offline', 'timeout']);
