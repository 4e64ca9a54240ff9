/**
 * The globals that `dist/CentionChatAPI.js` and `dist/CentionChatAPI.standalone.js` define on a
 * page, for a page written in TypeScript: the build makes `dist/CentionChatAPI.d.ts` of this
 * file alone (it has no code), and `/// <reference types="cention-chat/CentionChatAPI.js" />`
 * brings it in. The project's own type check leaves it out, so that its globals stay the page's.
 *
 * @module
 */
import type { _CentionChat as CentionChatFactory, CentionChatAPI as CentionChatObject } from './facade';

// Named apart from the globals, so that the bundled declaration cannot read them as themselves.
type Factory = typeof CentionChatFactory;
type ChatObject = CentionChatObject;

declare global {
  /** The seed's switch, on top of the script: `true` on a third-party site (the default). */
  var FOR_THIRD_PARTY_USE: boolean;
  /** Returns a new `CentionChat` object (the Cention Chat API 5.1.0). */
  var _CentionChat: Factory;
  /** The `CentionChat` object that `_CentionChat()` returns. */
  type CentionChatAPI = ChatObject;
}

export {};
