/**
 * The entry of `dist/CentionChatAPI.js`: the drop-in browser script that defines the global
 * `_CentionChat()`, with socket.io-client, xstate and rxjs inside.
 *
 * @module
 */
import { _CentionChat } from './facade';

(globalThis as { _CentionChat?: typeof _CentionChat })._CentionChat = _CentionChat;
