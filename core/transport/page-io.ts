/**
 * The drop-in script's transport, as the original's: the page's `socket.js` (socket.io-client
 * 1.x or 2.x, which defines a global `io`). `dist/CentionChatAPI.js` carries no socket.io of its
 * own; the build puts this module where the typed client has `./socket-io` (tsup.config.ts).
 *
 * @module
 */
import type { IoFactory } from './link';

/** What the page is told, once at load and by `connect_error`, when it has no socket.js. */
export const NO_SOCKET_JS =
  'socket.js is missing: CentionChatAPI.js needs socket.io-client 1.x or 2.x (socket.js, a global io) loaded before it; or load CentionChatAPI.standalone.js, which has it inside.';

/** The page's `io`, when its socket.js is loaded. */
export function pageIo(): IoFactory | undefined {
  const io = (globalThis as { io?: unknown }).io;
  return typeof io === 'function' ? (io as IoFactory) : undefined;
}

/** The page's `io`, looked up when a chat connects (so a socket.js loaded late still counts). */
export const defaultIo: IoFactory = (uri, options) => {
  const io = pageIo();
  if (!io) throw new Error(NO_SOCKET_JS);
  return io(uri, options);
};
