/**
 * Reads the JSON body of a `POST` (`createerrand`, `chatrating`) with a size bound: the
 * declared length is checked before a byte is read, and a body that grows past the bound stops
 * being collected at once.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { invalidInput } from '../core/protocol';

/** A body read whole and parsed, or why not with the status to answer. */
export type JsonBody = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly status: 400 | 413 | 415; readonly error: string };

/** The error of a body that is not `application/json`. */
export const NOT_JSON = 'use Content-Type: application/json';

/** Reads `req`'s body as JSON, refusing another content type (415), more than `maxBytes` (413) or bad JSON (400). */
export function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<JsonBody> {
  if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return Promise.resolve({ ok: false, status: 415, error: NOT_JSON });
  const tooLarge = { ok: false, status: 413, error: 'body too large' } as const;
  if (Number(req.headers['content-length']) > maxBytes) return Promise.resolve(tooLarge);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        stop();
        resolve(tooLarge);
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = (): void => {
      stop();
      try {
        resolve({ ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      } catch {
        resolve({ ok: false, status: 400, error: invalidInput('body') });
      }
    };
    const onAborted = (): void => {
      stop();
      resolve({ ok: false, status: 400, error: invalidInput('body') });
    };
    const stop = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAborted);
      req.off('aborted', onAborted);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAborted);
    req.on('aborted', onAborted);
  });
}
