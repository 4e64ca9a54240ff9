/**
 * Tokens the server signs with a secret of its own and later checks, so it can tell what it
 * issued from what someone made up without remembering each one: the `CentionChatSession`
 * browser key, the agent console's download links and its upload tickets.
 *
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Length of a signature in base64url characters (16 bytes of HMAC-SHA256). */
export const SIGNATURE_LENGTH = 22;

/** Signs short values for one purpose at a time, with a secret made when the server starts. */
export class Signer {
  constructor(private readonly secret: Buffer = randomBytes(32)) {}

  /** The signature of `value` for `purpose`: base64url, {@link SIGNATURE_LENGTH} characters. */
  sign(purpose: string, value: string): string {
    return createHmac('sha256', this.secret).update(`${purpose}\u0000${value}`).digest().subarray(0, 16).toString('base64url');
  }

  /** Whether `signature` is the signature of `value` for `purpose`, compared in constant time. */
  verify(purpose: string, value: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(purpose, value));
    const sent = Buffer.from(signature);
    return sent.length === expected.length && timingSafeEqual(sent, expected);
  }
}

/** How long an agent console's upload ticket is good for. */
export const UPLOAD_TICKET_MS = 5 * 60_000;

/**
 * What the agent console gets instead of a chat's session secret: a token per file for its
 * download links, and a short-lived ticket to upload to one chat. Neither resumes the chat,
 * reads its history or opens its other files.
 */
export class ConsoleGrants {
  constructor(
    private readonly signer: Signer,
    private readonly now: () => number,
  ) {}

  /** The `t` of a download link to one file. */
  downloadToken(fileId: number): string {
    return this.signer.sign('download', String(fileId));
  }

  /** Whether `token` is the download token of this file. */
  allowsDownload(fileId: number, token: string): boolean {
    return this.signer.verify('download', String(fileId), token);
  }

  /** A ticket to upload one file to a chat within {@link UPLOAD_TICKET_MS} (the form's `agentTicket` field). */
  uploadTicket(sessionId: number): string {
    const value = `${sessionId}.${this.now() + UPLOAD_TICKET_MS}`;
    return `${value}.${this.signer.sign('upload', value)}`;
  }

  /** The chat an upload ticket names, when the server signed it and it has not run out. */
  sessionOfTicket(ticket: string): number | undefined {
    const match = /^(\d{1,15})\.(\d{1,15})\.([\w-]+)$/.exec(ticket);
    if (!match) return undefined;
    const [, sessionId = '', expires = '', signature = ''] = match;
    if (!this.signer.verify('upload', `${sessionId}.${expires}`, signature) || Number(expires) < this.now()) return undefined;
    return Number(sessionId);
  }
}
