/**
 * Small HTTP helpers shared by the routes: replies, secrets compared in constant time and
 * `Content-Disposition` for downloads.
 *
 * @module
 */
import type { ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';

/** Headers every reply of the server carries. */
const BASE_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' } as const;

/** Sends a JSON reply. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, JSON.stringify(body), { 'Content-Type': 'application/json; charset=utf-8', ...headers });
}

/** Sends a reply with a string body. */
export function send(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { ...BASE_HEADERS, 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

/** Whether a secret someone sent equals the real one, compared in constant time. */
export function secretsMatch(sent: string | undefined | null, real: string): boolean {
  if (typeof sent !== 'string' || sent === '') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(real);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `Content-Disposition: attachment` with an ASCII fallback name and the exact UTF-8 name. */
export function attachmentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const exact = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

/** A query parameter as one string (the first when repeated), or `undefined`. */
export function param(url: URL, name: string): string | undefined {
  return url.searchParams.get(name) ?? undefined;
}
