/**
 * The `CentionChatSession` cookie (PROTOCOL.md §3): a random key per browser, set on the
 * socket.io handshake and on `canchat`, by which the server finds a browser's sessions.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { randomBytes } from 'node:crypto';
import { SESSION_COOKIE } from '../core/protocol';

const KEY = /^[A-Za-z0-9_-]{16,64}$/;

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** A request's browser key and whether the server just made it up. */
export interface BrowserKey {
  readonly key: string;
  readonly fresh: boolean;
}

/** Reads and issues browser keys; remembers the key issued to a request so its socket finds it. */
export class BrowserKeys {
  private readonly issued = new WeakMap<IncomingMessage, string>();

  constructor(private readonly cookiePath: string) {}

  /** The key a request carries, or a new one (the same for the same request). */
  keyOf(req: IncomingMessage): BrowserKey {
    const sent = cookieValue(req, SESSION_COOKIE);
    if (sent !== undefined && KEY.test(sent)) return { key: sent, fresh: false };
    let key = this.issued.get(req);
    if (key === undefined) {
      key = randomBytes(18).toString('base64url');
      this.issued.set(req, key);
    }
    return { key, fresh: true };
  }

  /** The `Set-Cookie` value for a key: `SameSite=None; Secure` on https, else `SameSite=Lax`. */
  setCookie(req: IncomingMessage, key: string): string {
    const https = (req.socket as Partial<TLSSocket>).encrypted === true;
    return `${SESSION_COOKIE}=${key}; Path=${this.cookiePath}; HttpOnly; ${https ? 'SameSite=None; Secure' : 'SameSite=Lax'}`;
  }
}
