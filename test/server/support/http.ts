/**
 * Plain HTTP for the conformance suite: node:http, so a test controls every header (`Origin`
 * too) and can stream a request body that never ends.
 */
import { request } from 'node:http';
import { request as requestHttps } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  json<T = unknown>(): T;
}

export interface HttpOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A body to send whole, or a stream to pipe. */
  readonly body?: Buffer | string | Readable;
  /** For an `https:` URL: the certificate to trust (the test's self-signed one). */
  readonly ca?: string;
  /** The local address to send from, e.g. `127.0.0.2`: another client as the server sees it. */
  readonly localAddress?: string;
}

/** Sends one request and resolves with the whole response (the request may still be failing). */
export function http(url: string, { method = 'GET', headers = {}, body, ca, localAddress }: HttpOptions = {}): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const options = { method, headers: { connection: 'close', ...headers }, ...(localAddress === undefined ? {} : { localAddress }) };
    const onResponse = (res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T });
      });
    };
    const req = url.startsWith('https:') ? requestHttps(url, { ...options, ...(ca === undefined ? {} : { ca }) }, onResponse) : request(url, options, onResponse);
    // A refused upload is cut off while we still send: that write error is expected, the reply counts.
    req.on('error', reject);
    if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) req.end(body);
    else body.pipe(req);
  });
}

/** One part of a multipart form: a field, or a file. */
export type Part = { readonly name: string; readonly value: string } | { readonly name: string; readonly filename: string; readonly type: string; readonly data: Buffer };

/** A `multipart/form-data` body, in the order given. */
export function multipart(parts: readonly Part[]): { readonly body: Buffer; readonly contentType: string } {
  const boundary = `----cention-test-${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('value' in part) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`));
    } else {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.type}\r\n\r\n`), part.data, Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
