/**
 * socket.io-client 4 (Engine.IO 4) as an `io` factory, for a server that speaks Engine.IO 4 only.
 * Cention's own servers speak Engine.IO 3 only, which the default transport (socket.io-client 2)
 * covers; a site that never imports this entry never downloads socket.io-client 4.
 *
 * @example
 * ```ts
 * import { createCentionChat } from 'cention-chat';
 * import { io } from 'cention-chat/socket.io-v4';
 *
 * const chat = createCentionChat({ baseURL: 'https://chat.example.com/s/demo', area: 1, io });
 * ```
 *
 * @module cention-chat/socket.io-v4
 */
import { io as ioV4 } from 'socket.io-client';
import type { IoFactory } from './link';

/** socket.io-client 4's `io`, as the `io` option of `createCentionChat` and `_CentionChat` takes it. */
export const io: IoFactory = (uri, options) => ioV4(uri, options) as unknown as ReturnType<IoFactory>;
