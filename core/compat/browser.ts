/**
 * The entry of `dist/CentionChatAPI.js`: the drop-in browser script that defines the global
 * `_CentionChat()`. Like the original it uses the page's `socket.js` (socket.io-client 1.x or
 * 2.x) and carries no socket.io of its own (the build swaps the default transport for
 * `core/transport/page-io.ts`); xstate is inside, RxJS is not (the 5.1.0 face has no streams).
 * The build puts the seed's `var FOR_THIRD_PARTY_USE = true;` on top.
 *
 * @module
 */
import { NO_SOCKET_JS, pageIo } from '../transport/page-io';
import { _CentionChat } from './facade';

(globalThis as { _CentionChat?: typeof _CentionChat })._CentionChat = _CentionChat;
// Said once, at load: without socket.js no chat can connect (canChat, plain HTTP, still works).
if (!pageIo()) console.error(`CentionChat: ${NO_SOCKET_JS}`);
