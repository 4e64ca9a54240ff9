// The typed client's default transport as a site's bundler gets it: the socket.io-client-v2 dependency.
import { defaultIo } from '../../core/transport/socket-io';

(globalThis as Record<string, unknown>)['io'] = defaultIo;
