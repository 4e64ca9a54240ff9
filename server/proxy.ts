/**
 * What the server believes about the browser behind a request: whether it came over https
 * and from which address. From the connection itself, or, when the server is told to trust
 * the proxy in front of it, from that proxy's `X-Forwarded-Proto` and `X-Forwarded-For`.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** The first value of a header that proxies append to (the proxy the browser talked to writes first). */
function firstForwarded(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  const first = (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();
  return first === '' ? undefined : first;
}

/** Whether the browser reached the server over https: a TLS connection, or a trusted proxy's `X-Forwarded-Proto: https`. */
export function reachedOverHttps(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as Partial<TLSSocket>).encrypted === true) return true;
  return trustProxy && firstForwarded(req, 'x-forwarded-proto')?.toLowerCase() === 'https';
}

/** The browser's address: the connection's, or a trusted proxy's first `X-Forwarded-For`. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  return (trustProxy ? firstForwarded(req, 'x-forwarded-for') : undefined) ?? req.socket.remoteAddress ?? 'unknown address';
}
