/**
 * The machine's HTTP actors: the `canchat` check and attachment uploads (docs/protocol.md §7),
 * filling its `canChat` and `upload` slots; and why a socket could not connect, as one
 * `canchat` request can tell.
 *
 * @module
 */
import type { EventObject } from 'xstate';
import type { CanChatInput, ChatFault, CheckEvent, UploadEvent, UploadInput } from '../../machines';
import { fault } from '../../machines';
import { callbackLogic } from '../callback-logic';
import { faultOf } from '../errors';
import type { ChatError } from '../errors';
import { askCanChat, errorOf, fileNameOf, messageOf, request } from '../http';
import type { HttpConfig } from '../http';
import { readUploadResult } from '../protocol';

/** The `canChat` actor: one `GET …/canchat` per check. */
export function createCanChat(http: HttpConfig) {
  return callbackLogic<EventObject, CanChatInput>(({ input, sendBack }) => {
    const { area, requestId } = input;
    const stop = new AbortController();
    askCanChat(http, area, stop.signal).then(
      (result) => stop.signal.aborted || sendBack({ type: 'check.done', requestId, area, result } satisfies CheckEvent),
      (error: unknown) => stop.signal.aborted || sendBack({ type: 'check.failed', requestId, fault: faultOf(error) } satisfies CheckEvent),
    );
    return () => stop.abort();
  });
}

/**
 * Why the socket could not connect, as far as one HTTP request to `canchat` can tell: the server
 * is down or `baseURL` is wrong, the workspace does not exist (404), the server refuses this
 * page's origin (403, or CORS in a browser), or it answers HTTP and only the socket.io
 * connection fails (another Engine.IO version). Each reason names its likely fix.
 */
export async function diagnoseConnectError(http: HttpConfig, socketError: string): Promise<string> {
  const { endpoints } = http;
  const url = endpoints.api('canchat', { area: 0 });
  const pageOrigin = (globalThis as { location?: { origin?: string } }).location?.origin;
  const refused = `the chat server refused this page's origin${pageOrigin ? ` ${pageOrigin}` : ''}: ask for it to be allowed (Cention support; --allow-origin on the reference server)`;
  const probe = (init: RequestInit) => request(http, url, init, 'The probe', async (response) => response);
  try {
    const { status, ok } = await probe({});
    if (status === 404) return `the chat server has no workspace at ${endpoints.baseURL} (HTTP 404): check the workspace in baseURL`;
    if (status === 403) return `${refused} (HTTP 403)`;
    if (!ok) return `${socketError}; the chat server answers canchat with HTTP ${status}`;
    return `${socketError}; the chat server answers HTTP at ${endpoints.baseURL} but not socket.io: it may speak another Engine.IO version (Cention's servers speak 3, the default transport; an Engine.IO 4 server needs the io of cention-chat/socket.io-v4)`;
  } catch (error) {
    // A browser hides a CORS refusal from the page; a request the server may not answer to it still reaches it.
    const reached = (error as ChatError).code !== 'timeout' && (await probe({ mode: 'no-cors' }).then(() => true, () => false));
    return reached ? `${refused} (CORS)` : `nothing answers at ${endpoints.origin} (${socketError}): the chat server is down, or baseURL (${endpoints.baseURL}) is wrong`;
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

/** The upload actor: one multipart POST per attachment, with progress where the platform tells it. */
export function createUpload(http: HttpConfig) {
  return callbackLogic<EventObject, UploadInput>(({ input, sendBack }) => {
    const { uploadId, session, area } = input;
    const file = input.file as Blob;
    let finished = false;
    const report = (event: UploadEvent) => {
      if (finished) return;
      if (event.type !== 'upload.progress') finished = true;
      sendBack(event);
    };
    const failed = (why: string) => report({ type: 'upload.failed', uploadId, fault: fault('upload-failed', `The upload failed: ${why}`) });
    // The fields that name the chat go before the file: a server may refuse to read a file it cannot yet tell is wanted.
    const form = new FormData();
    form.append('session', String(session.sessionId));
    form.append('area', String(area));
    form.append('sessionSecret', session.sessionSecret);
    form.append('random', `${http.clock.now()}-${++uploadCount}`);
    form.append('uploadfile', file, fileNameOf(file));
    const settle = (status: number, body: unknown, error: string) => {
      const ok = status >= 200 && status < 300;
      const result = ok ? readUploadResult(body) : undefined;
      if (result) report({ type: 'upload.done', uploadId, result });
      else if (ok) failed('the server answered with something unreadable.');
      else report({ type: 'upload.failed', uploadId, fault: uploadFault(status, error) });
    };

    if (http.xhr) {
      const xhr = http.xhr();
      xhr.open('POST', http.endpoints.upload);
      xhr.withCredentials = true;
      xhr.responseType = 'text';
      // The browser counts the whole multipart body; the customer thinks in bytes of the file.
      xhr.upload.onprogress = (progress) => {
        const loaded = progress.lengthComputable && progress.total > 0 ? Math.round((file.size * progress.loaded) / progress.total) : Math.min(progress.loaded, file.size);
        report({ type: 'upload.progress', uploadId, loaded });
      };
      xhr.onload = () => {
        let body: { error?: unknown } | undefined;
        try {
          body = JSON.parse(xhr.responseText) as typeof body;
        } catch {
          body = undefined;
        }
        settle(xhr.status, body, typeof body?.error === 'string' ? body.error : '');
      };
      xhr.onerror = () => failed('network error.');
      xhr.send(form);
      return () => {
        finished = true;
        xhr.abort();
      };
    }

    const aborter = new AbortController();
    http
      .fetch(http.endpoints.upload, { method: 'POST', body: form, credentials: 'include', signal: aborter.signal })
      .then(async (response) => settle(response.status, response.ok ? await response.json().catch(() => undefined) : undefined, response.ok ? '' : ((await errorOf(response)) ?? `HTTP ${response.status}`)))
      .catch((error: unknown) => aborter.signal.aborted || failed(messageOf(error)));
    return () => {
      finished = true;
      aborter.abort();
    };
  });
}
