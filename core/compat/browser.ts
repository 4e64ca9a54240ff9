/**
 * The entry of `dist/CentionChatAPI.js`: the drop-in browser script that defines the global
 * `_CentionChat()`, with socket.io-client and xstate inside (the 5.1.0 face has no streams, so no
 * RxJS). The build puts the seed's `var FOR_THIRD_PARTY_USE = true;` on top.
 *
 * @module
 */
import { _CentionChat } from './facade';

(globalThis as { _CentionChat?: typeof _CentionChat })._CentionChat = _CentionChat;
