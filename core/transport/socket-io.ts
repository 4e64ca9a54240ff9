/**
 * The default `io` factory of the typed client: socket.io-client 2 (Engine.IO 3), which speaks
 * to Cention's own servers (Engine.IO 3 only) and to the reference server alike. socket.io-client
 * 4 is `cention-chat/socket.io-v4`, for a site that asks for it. Only `core/transport/` imports
 * socket.io-client.
 *
 * @module
 */
// socket.io-client 2 has no types: its declaration travels with this file into every project that compiles it (the example sites' too).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./socket-io-client-v2.d.ts" />
import ioV2 from 'socket.io-client-v2';
import type { IoFactory } from './link';

/** socket.io-client 2 (Engine.IO 3), the default transport. */
export const defaultIo: IoFactory = (uri, options) => ioV2(uri, options);
