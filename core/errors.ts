import type { ChatErrorCode as MachineErrorCode, ChatFault } from '../machines';

export type { ChatFault };

/**
 * Every way a command can fail: the machine's codes (see `cention-chat/machines`), and the one
 * that only the plain HTTP commands beside the machine can meet:
 *
 * - `already-rated`: `rate()` on a chat the customer has rated before (once per chat).
 */
export type ChatErrorCode = MachineErrorCode | 'already-rated';

/**
 * The one error type of this library. `code` says what went wrong in a way code can branch on;
 * `message` says it to people.
 *
 * @example
 * ```ts
 * try {
 *   await chat.start({ name: 'Ada', email: 'ada@example.com', message: 'Hi' });
 * } catch (error) {
 *   if (error instanceof ChatError && error.code === 'area-closed') showOpeningHours();
 * }
 * ```
 */
export class ChatError extends Error {
  // Declared, and set in the constructor: a field with a value is lowered to a helper call in
  // the ES2020 builds (the drop-in script, a site's bundle), where this class is the last that has one.
  declare readonly name: 'ChatError';
  declare readonly code: ChatErrorCode;

  constructor(code: ChatErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    (this as { name: string }).name = 'ChatError';
    (this as { code: ChatErrorCode }).code = code;
  }

  /** Makes a `ChatError` of a fault the machine reported. */
  static from(fault: ChatFault): ChatError {
    return new ChatError(fault.code, fault.message);
  }
}

/** A value as the caller wrote it, for an error message: a string in quotes (`"1"`), anything else as it reads (`1`, `undefined`). */
export function quoted(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Throws `invalid-input` with a message that names the argument, unless `ok`. */
export function requireInput(ok: boolean, message: string): asserts ok {
  if (!ok) throw new ChatError('invalid-input', message);
}

/** A `ChatError` (or anything thrown) as the fault a machine keeps and tells. */
export function faultOf(error: unknown): ChatFault {
  return error instanceof ChatError ? { code: error.code as ChatFault['code'], message: error.message } : { code: 'http-error', message: error instanceof Error ? error.message : String(error) };
}
