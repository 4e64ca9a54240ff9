/**
 * The entry of `dist/CentionChatAPI.engine.js`: the chat's engine (xstate, the statechart, the
 * socket link, tab sharing, uploads) for the drop-in script, which loads it from its own folder
 * when a chat first needs it (`engine-script.ts`). Most visitors of a page never chat, and so
 * never download it. What it shares with the script it takes from the script (see
 * `engine-hook.ts`); it hands its runtime back through the same hook.
 *
 * @module
 */
import { uploads } from '../engine/uploads';
import { startRuntime } from '../runtime';
import { engineHook } from './engine-hook';

engineHook()?.ready?.({ startRuntime, uploads });
