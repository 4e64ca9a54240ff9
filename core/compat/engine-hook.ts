/**
 * How `dist/CentionChatAPI.js` and the engine it loads when a chat first needs it,
 * `CentionChatAPI.engine.js` from the same folder, find each other on the page: one object under
 * a registered symbol (no name a page can see or clash with). The build
 * (`tsup.config.ts`, `finishDropIn`) puts it there when the script loads, with what the two files
 * share (so that there is one `ChatError` class, one transcript class, one store of kept chats) and
 * the build both came from; the engine refuses to run with another build's script.
 *
 * @module
 */
import type { uploads } from '../engine/uploads';
import type { StartRuntime } from '../runtime/types';

/** The key of the registered symbol the hook is kept under (the build writes it into both files). */
export const ENGINE_HOOK_KEY = 'cention-chat.drop-in';
const ENGINE_HOOK: unique symbol = Symbol.for(ENGINE_HOOK_KEY) as never;

/** The engine's file, beside `CentionChatAPI.js` (the build names its output after it). */
export const ENGINE_FILE = 'CentionChatAPI.engine.js';

/** What the engine hands to the script that loaded it. */
export interface DropInEngine {
  readonly startRuntime: StartRuntime;
  readonly uploads: typeof uploads;
}

/** The hook: the build and what the two files share, set at load; `ready`, set while the engine loads. */
export interface EngineHook {
  /** A hash of the build both files came from: the engine's address carries it (`?v=`), and the engine checks it. */
  readonly build: string;
  /** The exports of the modules both files use, as the script has them, in the order the build lists them. */
  readonly shared: readonly unknown[];
  ready?: (engine: DropInEngine) => void;
}

/** The page's hook, when the drop-in script has set it. */
export const engineHook = (): EngineHook | undefined => (globalThis as { [ENGINE_HOOK]?: EngineHook })[ENGINE_HOOK];
