/**
 * The built package (`dist/`), as a site runs it: `npm run bench` builds it first. Loaded by
 * address so that `npm run typecheck`, which runs before the build on a fresh checkout, reads
 * the sources' types instead of needing `dist/`.
 */
import type * as Core from '../../core';
import type * as SocketIoV4 from '../../core/transport/socket-io-v4';

const dist = (file: string): string => new URL(`../../dist/${file}`, import.meta.url).href;

/** `cention-chat` from dist/index.js. */
export const built = (await import(dist('index.js'))) as typeof Core;
/** `cention-chat/socket.io-v4` from dist/socket.io-v4.js. */
export const builtSocketIoV4 = (await import(dist('socket.io-v4.js'))) as typeof SocketIoV4;
