/**
 * The headers of every page the server serves (the example sites and whatever else is mounted,
 * the agent console, the index page, the printable history): a strict Content-Security-Policy
 * and its companions, so that a page is safe by default. Scripts and styles come only from the
 * server's own files (a page it writes itself may add ones marked with a per-response nonce);
 * no inline script, style or style attribute runs, nothing loads from elsewhere, no other site
 * may frame the page, and no address (with its query) leaves in a `Referer`.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';

/** A fresh nonce for one response's own `<script>` and `<style>` elements. */
export function pageNonce(): string {
  return randomBytes(16).toString('base64');
}

/** The Content-Security-Policy of a page; with `nonce`, elements carrying it may run as well. */
export function contentSecurityPolicy(nonce?: string): string {
  const own = nonce === undefined ? "'self'" : `'self' 'nonce-${nonce}'`;
  return [
    "default-src 'none'",
    `script-src ${own}`,
    `style-src ${own}`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // 'self' covers the page's own ws: and wss: too (socket.io upgrades to a WebSocket).
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The headers every page carries, with the policy of {@link contentSecurityPolicy}. */
export function pageSecurityHeaders(nonce?: string): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(nonce),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}
