/**
 * The entry of `dist/CentionChatAPI.standalone.js`: the drop-in script for a page without
 * socket.js. The same `_CentionChat()` with socket.io-client 2 (Engine.IO 3) inside, which
 * speaks to Cention's servers and to the reference server alike.
 *
 * @module
 */
import { _CentionChat } from './facade';

(globalThis as { _CentionChat?: typeof _CentionChat })._CentionChat = _CentionChat;
