/**
 * The one file that imports socket.io-client: the default `io` factory.
 *
 * @module
 */
import { io } from 'socket.io-client';
import type { IoFactory } from './link';

/** socket.io-client 4, the default transport. Inject another factory (e.g. socket.io-client 2) for EIO 3 servers. */
export const defaultIo: IoFactory = (uri, options) => io(uri, options) as unknown as ReturnType<IoFactory>;
