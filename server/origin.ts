/**
 * The origin allow-list (docs/protocol.md §3) and the CORS headers of allowed origins.
 *
 * A request without an `Origin` header (a navigation, a same-origin GET, a Node client) is
 * allowed, and so is one whose `Origin` is the server's own (its `Host`). Any other origin must
 * be on the list; a refused one gets 403 and no `Access-Control-*` header.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The web origins allowed to talk to the server, or `'*'` for every origin. */
export type AllowedOrigins = readonly string[] | '*';

function normalise(origin: string): string {
  if (origin === 'null') return origin;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new TypeError(`allowed origin must look like https://shop.example.com, got ${JSON.stringify(origin)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`allowed origin must be http or https, got ${JSON.stringify(origin)}`);
  return url.origin;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Decides which origins may use the server and writes their CORS headers. */
export class OriginPolicy {
  private readonly allowed: ReadonlySet<string> | '*';

  constructor(allowed: AllowedOrigins) {
    this.allowed = allowed === '*' ? '*' : new Set(allowed.map(normalise));
  }

  /** Whether a cross-origin `Origin` is on the list. */
  listed(origin: string): boolean {
    return this.allowed === '*' || this.allowed.has(origin);
  }

  /** Whether a request may proceed: no `Origin`, its own origin, or a listed one. */
  allowsRequest(req: IncomingMessage): boolean {
    const origin = header(req, 'origin');
    if (origin === undefined) return true;
    const host = header(req, 'host');
    if (host !== undefined && (origin === `http://${host}` || origin === `https://${host}`)) return true;
    return this.listed(origin);
  }

  /** Adds the CORS headers of an allowed cross-origin request to `res`. */
  applyCors(req: IncomingMessage, res: ServerResponse): void {
    const origin = header(req, 'origin');
    res.setHeader('Vary', 'Origin');
    if (origin === undefined || !this.listed(origin)) return;
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
  }

  /** Answers a CORS preflight (`OPTIONS`) of an allowed request. */
  answerPreflight(req: IncomingMessage, res: ServerResponse): void {
    this.applyCors(req, res);
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    const asked = header(req, 'access-control-request-headers');
    if (asked !== undefined) res.setHeader('Access-Control-Allow-Headers', asked);
    res.setHeader('Access-Control-Max-Age', '600');
    res.writeHead(204);
    res.end();
  }
}
