/**
 * Plain HTTP to the chat server (docs/protocol.md §7): one request with a deadline on the
 * injected clock, and the `canchat` check on it. No xstate, no socket: the engine asks
 * `canchat` with it before the runtime is loaded, and the runtime's `canChat` actor with it after.
 * Every request carries credentials.
 *
 * @module
 */
import type { Clock } from './clock';
import { ChatError } from './errors';
import { readCanChat } from './protocol/replies';
import type { CanChatResult, Endpoints } from './protocol';

/** What the HTTP requests need. */
export interface HttpConfig {
  readonly endpoints: Endpoints;
  readonly fetch: typeof globalThis.fetch;
  readonly clock: Clock;
  /** How long a request may take (ms); uploads have no deadline. */
  readonly timeout: number;
  /** The kept session secret of an area, so `canchat` can say `resumable` without cookies. */
  readonly secretFor: (area: number) => string | undefined;
  /** Makes an XMLHttpRequest for uploads with progress; `undefined` uses `fetch`. */
  readonly xhr: (() => XMLHttpRequest) | undefined;
}

/** What an error says, whatever was thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The `error` string of an `{error}` body, if the body is one. */
export async function errorOf(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.json()) as { error?: unknown } | null;
    if (typeof body?.error === 'string') return body.error;
  } catch {
    // Not JSON: the status says enough.
  }
  return undefined;
}

/**
 * One request, read by `read` before the deadline (`http.timeout` on the clock). Rejects with a
 * `ChatError`: the one `read` threw, `timeout`, or `http-error` naming `what` (e.g. "The
 * availability check") when no answer came. Aborting `stop` abandons it.
 */
export async function request<T>(http: HttpConfig, url: string, init: RequestInit, what: string, read: (response: Response) => Promise<T>, stop?: AbortSignal): Promise<T> {
  const aborter = new AbortController();
  let late = false;
  const abort = () => aborter.abort();
  stop?.addEventListener('abort', abort);
  const timer = http.clock.setTimeout(() => {
    late = true;
    abort();
  }, http.timeout);
  try {
    return await read(await http.fetch(url, { credentials: 'include', ...init, signal: aborter.signal }));
  } catch (error) {
    if (error instanceof ChatError) throw error;
    throw late ? new ChatError('timeout', `${what} failed: the chat server did not answer within ${http.timeout} ms.`) : new ChatError('http-error', `${what} failed: ${messageOf(error)}`, { cause: error });
  } finally {
    http.clock.clearTimeout(timer);
    stop?.removeEventListener('abort', abort);
  }
}

/** `GET …/canchat` for an area: whether a chat can start there, its features, whether a kept chat can be resumed. */
export function askCanChat(http: HttpConfig, area: number, stop?: AbortSignal): Promise<CanChatResult> {
  const secret = http.secretFor(area);
  const what = 'The availability check';
  return request(http, http.endpoints.api('canchat', secret ? { area, secret } : { area }), { headers: { Accept: 'application/json' } }, what, async (response) => {
    if (!response.ok) throw new ChatError('http-error', `${what} failed: ${(await errorOf(response)) ?? `HTTP ${response.status}`}`);
    return readCanChat(await response.json());
  }, stop);
}

/** The name a file goes by: a `File`'s own, or `attachment` for a bare `Blob` or an empty name. */
export function fileNameOf(file: Blob): string {
  // Tolerant of what is not a Blob at all: callers check that with a typed error of their own.
  const name = (file as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' && name !== '' ? name : 'attachment';
}
