/**
 * What the bench scripts that run by hand share: their numeric options, the client measured (the
 * built package, or the sources with `--source`), and the message a flood is made of.
 *
 * @module
 */
import type { createCentionChat as Create } from '../../core';
import { encodePayload } from '../../core/protocol';

/** `--name N` from the command line, else `fallback`. */
export function numberArg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
}

/** `createCentionChat` of the built package by default (what a site runs; `npm run build` first), of the sources with `--source`. */
export async function clientUnderTest(): Promise<typeof Create> {
  const module = process.argv.includes('--source') ? await import('../../core') : (await import('./built')).built;
  return module.createCentionChat;
}

/** The `chat message` payload of flooded message `id`: one agent message, sockwrap-encoded, as the reference server writes it. */
export function floodPayload(id: number): string {
  return encodePayload({ agent: 'Bea', client: 'Ada', chat: [{ id, sender: 'AGENT', sent: 1_767_600_000, sentHuman: '10:00', text: `Flood message number ${id}`, umid: '' }] }) as string;
}
