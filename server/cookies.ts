/**
 * The `CentionChatSession` cookie (docs/protocol.md §3): a random key per browser, set on the
 * socket.io handshake and on `canchat`, by which the server finds a browser's sessions.
 *
 * A key is 24 random base64url characters followed by the server's signature of them, so the
 * server accepts only keys it issued: a cookie someone planted in a browser with a value of
 * their own choosing names nothing, and the browser gets a fresh key instead.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { SESSION_COOKIE } from '../core/protocol';
import { reachedOverHttps } from './proxy';
import type { Signer } from './tokens';
import { SIGNATURE_LENGTH } from './tokens';

/** Random characters of a key, before its signature. */
const RANDOM_LENGTH = 24;
const KEY = new RegExp(`^[A-Za-z0-9_-]{${RANDOM_LENGTH + SIGNATURE_LENGTH}}$`);
const PURPOSE = 'browser key';

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

  constructor(
    private readonly signer: Signer,
    private readonly cookiePath: string,
    /** Believe `X-Forwarded-Proto` (only behind a proxy that sets it; a browser could send it too). */
    private readonly trustProxy: boolean,
  ) {}

  /** The key a request carries when this server issued it, or a new one (the same for the same request). */
  keyOf(req: IncomingMessage): BrowserKey {
    const sent = cookieValue(req, SESSION_COOKIE);
    if (sent !== undefined && this.issuedHere(sent)) return { key: sent, fresh: false };
    let key = this.issued.get(req);
    if (key === undefined) {
      const random = randomBytes((RANDOM_LENGTH * 3) / 4).toString('base64url');
      key = random + this.signer.sign(PURPOSE, random);
      this.issued.set(req, key);
    }
    return { key, fresh: true };
  }

  /** Whether a cookie value is a key this server issued. */
  private issuedHere(value: string): boolean {
    return KEY.test(value) && this.signer.verify(PURPOSE, value.slice(0, RANDOM_LENGTH), value.slice(RANDOM_LENGTH));
  }

  /**
   * The `Set-Cookie` value for a key: `SameSite=None; Secure` on https, so a chat embedded in
   * another site still gets it; `SameSite=Lax` on plain http, where browsers refuse `Secure`.
   */
  setCookie(req: IncomingMessage, key: string): string {
    const https = reachedOverHttps(req, this.trustProxy);
    return `${SESSION_COOKIE}=${key}; Path=${this.cookiePath}; HttpOnly; ${https ? 'SameSite=None; Secure' : 'SameSite=Lax'}`;
  }
}
