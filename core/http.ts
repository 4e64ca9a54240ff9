/**
 * The HTTP actors: the `canchat` check and attachment uploads (docs/protocol.md §7), filling the
 * chat machine's `canChat` and `upload` slots. Every request carries credentials.
 *
 * @module
 */
import { fromCallback } from 'xstate';
import type { EventObject } from 'xstate';
import type { CanChatInput, ChatFault, CheckEvent, UploadEvent, UploadInput } from '../machines';
import { fault } from '../machines';
import type { Clock } from './clock';
import { readCanChat, readUploadResult } from './protocol';
import type { Endpoints } from './protocol';

/** What the HTTP actors need. */
export interface HttpConfig {
  readonly endpoints: Endpoints;
  readonly fetch: typeof globalThis.fetch;
  readonly clock: Clock;
  /** How long a `canchat` request may take. */
  readonly timeout: number;
  /** The kept session secret of an area, so `canchat` can say `resumable` without cookies. */
  readonly secretFor: (area: number) => string | undefined;
  /** Makes an XMLHttpRequest for uploads with progress; `undefined` uses `fetch`. */
  readonly xhr: (() => XMLHttpRequest) | undefined;
}

/** The `error` string of an `{error}` body, if the body is one. */
export async function errorOf(response: Response): Promise<string | undefined> {
  try {
    const body: unknown = await response.json();
    if (typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string') return (body as { error: string }).error;
  } catch {
    // Not JSON: the status says enough.
  }
  return undefined;
}

/** Reads an `{error}` body, if the body is one. */
async function errorText(response: Response): Promise<string> {
  return (await errorOf(response)) ?? `HTTP ${response.status}`;
}

/** The `canChat` actor: one `GET …/canchat` per check. */
export function createCanChat(config: HttpConfig) {
  return fromCallback<EventObject, CanChatInput>(({ input, sendBack }) => {
    const { area, requestId } = input;
    const aborter = new AbortController();
    const fail = (reason: ChatFault) => {
      if (!aborter.signal.aborted) sendBack({ type: 'check.failed', requestId, fault: reason } satisfies CheckEvent);
    };
    const timer = config.clock.setTimeout(() => {
      fail(fault('timeout', `The chat server did not answer the availability check within ${config.timeout} ms.`));
      aborter.abort();
    }, config.timeout);
    const secret = config.secretFor(area);
    const url = config.endpoints.api('canchat', secret ? { area, secret } : { area });
    config
      .fetch(url, { credentials: 'include', signal: aborter.signal, headers: { Accept: 'application/json' } })
      .then(async (response) => {
        if (!response.ok) return fail(fault('http-error', `The availability check failed: ${await errorText(response)}`));
        const result = readCanChat(await response.json());
        config.clock.clearTimeout(timer);
        if (!aborter.signal.aborted) sendBack({ type: 'check.done', requestId, area, result } satisfies CheckEvent);
      })
      .catch((error: unknown) => fail(fault('http-error', `The availability check failed: ${error instanceof Error ? error.message : String(error)}`)))
      .finally(() => config.clock.clearTimeout(timer));
    return () => {
      config.clock.clearTimeout(timer);
      aborter.abort();
    };
  });
}

/**
 * Why the socket could not connect, as far as one HTTP request to `canchat` can tell: the server
 * is down or `baseURL` is wrong, the workspace does not exist (404), the server refuses this
 * page's origin (403, or CORS in a browser), or it answers HTTP and only the socket.io
 * connection fails (another Engine.IO version). Each reason names its likely fix.
 */
export async function diagnoseConnectError(config: Pick<HttpConfig, 'endpoints' | 'fetch' | 'clock' | 'timeout'>, socketError: string): Promise<string> {
  const { endpoints, clock } = config;
  const url = endpoints.api('canchat', { area: 0 });
  const pageOrigin = (globalThis as { location?: { origin?: string } }).location?.origin;
  const refused = `the chat server refused this page's origin${pageOrigin ? ` ${pageOrigin}` : ''}: ask for it to be allowed (Cention support; --allow-origin on the reference server)`;
  const aborter = new AbortController();
  const timer = clock.setTimeout(() => aborter.abort(), config.timeout);
  const probe = (init: RequestInit) => config.fetch(url, { credentials: 'include', signal: aborter.signal, ...init });
  try {
    const { status, ok } = await probe({});
    if (status === 404) return `the chat server has no workspace at ${endpoints.baseURL} (HTTP 404): check the workspace in baseURL`;
    if (status === 403) return `${refused} (HTTP 403)`;
    if (!ok) return `${socketError}; the chat server answers canchat with HTTP ${status}`;
    return `${socketError}; the chat server answers HTTP at ${endpoints.baseURL} but not socket.io: it may speak another Engine.IO version (Cention's servers speak 3, the default transport; an Engine.IO 4 server needs the io of cention-chat/socket.io-v4)`;
  } catch {
    // A browser hides a CORS refusal from the page; a request the server may not answer to it still reaches it.
    const reached = await probe({ mode: 'no-cors' }).then(
      () => true,
      () => false,
    );
    return reached && !aborter.signal.aborted ? `${refused} (CORS)` : `nothing answers at ${endpoints.origin} (${socketError}): the chat server is down, or baseURL (${endpoints.baseURL}) is wrong`;
  } finally {
    clock.clearTimeout(timer);
  }
}

/** Reads a failed upload's status and error as a fault. */
function uploadFault(status: number, error: string): ChatFault {
  if (status === 413) return fault('file-too-large', 'The file is larger than the chat accepts.');
  if (/attachment/i.test(error)) return fault('attachments-disabled', 'This chat does not accept attachments.');
  if (error === 'chat closed') return fault('chat-closed', 'The chat has ended.');
  return fault('upload-failed', `The upload failed: ${error || `HTTP ${status}`}`);
}

let uploadCount = 0;

/** The name a file goes by: a `File`'s own, or `attachment` for a bare `Blob` or an empty name. */
export function fileNameOf(file: Blob): string {
  // Tolerant of what is not a Blob at all: callers check that with a typed error of their own.
  const name = (file as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' && name !== '' ? name : 'attachment';
}

/** The upload actor: one multipart POST per attachment, with progress where the platform tells it. */
export function createUpload(config: HttpConfig) {
  return fromCallback<EventObject, UploadInput>(({ input, sendBack }) => {
    const { uploadId, session, area } = input;
    const file = input.file as Blob;
    let finished = false;
    const report = (event: UploadEvent) => {
      if (finished) return;
      if (event.type !== 'upload.progress') finished = true;
      sendBack(event);
    };
    // The fields that name the chat go before the file: a server may refuse to read a file it cannot yet tell is wanted.
    const form = new FormData();
    form.append('session', String(session.sessionId));
    form.append('area', String(area));
    form.append('sessionSecret', session.sessionSecret);
    form.append('random', `${config.clock.now()}-${++uploadCount}`);
    form.append('uploadfile', file, fileNameOf(file));
    const settle = (status: number, body: unknown, error: string) => {
      const result = status >= 200 && status < 300 ? readUploadResult(body) : undefined;
      if (result) report({ type: 'upload.done', uploadId, result });
      else report({ type: 'upload.failed', uploadId, fault: status >= 200 && status < 300 ? fault('upload-failed', 'The server answered the upload with something unreadable.') : uploadFault(status, error) });
    };

    if (config.xhr) {
      const request = config.xhr();
      request.open('POST', config.endpoints.upload);
      request.withCredentials = true;
      request.responseType = 'text';
      // The browser counts the whole multipart body; the customer thinks in bytes of the file.
      request.upload.onprogress = (progress) => {
        const loaded = progress.lengthComputable && progress.total > 0 ? Math.round((file.size * progress.loaded) / progress.total) : Math.min(progress.loaded, file.size);
        report({ type: 'upload.progress', uploadId, loaded });
      };
      request.onload = () => {
        let body: unknown;
        try {
          body = JSON.parse(request.responseText);
        } catch {
          body = undefined;
        }
        const error = typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string' ? (body as { error: string }).error : '';
        settle(request.status, body, error);
      };
      request.onerror = () => report({ type: 'upload.failed', uploadId, fault: fault('upload-failed', 'The upload failed: network error.') });
      request.send(form);
      return () => {
        finished = true;
        request.abort();
      };
    }

    const aborter = new AbortController();
    config
      .fetch(config.endpoints.upload, { method: 'POST', body: form, credentials: 'include', signal: aborter.signal })
      .then(async (response) => {
        if (response.ok) settle(response.status, await response.json().catch(() => undefined), '');
        else settle(response.status, undefined, await errorText(response));
      })
      .catch((error: unknown) => {
        if (!aborter.signal.aborted) report({ type: 'upload.failed', uploadId, fault: fault('upload-failed', `The upload failed: ${error instanceof Error ? error.message : String(error)}`) });
      });
    return () => {
      finished = true;
      aborter.abort();
    };
  });
}
