/**
 * The drop-in script's runtime and uploads: until a chat needs them, a chat that has not begun
 * (`lazy-runtime.ts`); then `CentionChatAPI.engine.js`, loaded with a `<script>` from the folder
 * `CentionChatAPI.js` itself came from, as the seed's pages serve socket.js and sockwrap.js beside
 * it. A classic script, not `import()`: it needs no CORS where the chat folder is on another
 * origin, and it takes the page's nonce for a Content-Security-Policy. The build puts this module
 * where the ES module entries have `default-runtime.ts` and `uploads-loader.ts` (tsup.config.ts).
 *
 * @module
 */
import { lazyRuntime } from '../engine/lazy-runtime';
import { ENGINE_FILE, engineHook } from './engine-hook';
import type { DropInEngine } from './engine-hook';

/** The `<script>` this file runs from: a page knows it only while the script runs, so it is read at load. */
const script = (globalThis as { document?: Document }).document?.currentScript as HTMLScriptElement | null | undefined;

let engine: Promise<DropInEngine> | undefined;

/** A Trusted Types policy, as far as the engine's address needs one. */
interface ScriptURLPolicy {
  createScriptURL(url: string): string;
}
let policy: ScriptURLPolicy | undefined;

/**
 * The engine's address as a script's `src` takes it. A page that enforces Trusted Types takes only
 * a `TrustedScriptURL`, made by a policy its CSP names: ours is `cention-chat`. Where the page names
 * others only, or none, a plain string is all there is (and what a page that does not enforce them takes).
 */
function scriptURL(url: string): string {
  try {
    policy ??= (globalThis as { trustedTypes?: { createPolicy(name: string, rules: ScriptURLPolicy): ScriptURLPolicy } }).trustedTypes?.createPolicy('cention-chat', { createScriptURL: (allowed) => allowed });
  } catch {
    // Not a name the page's CSP allows.
  }
  return policy ? policy.createScriptURL(url) : url;
}

/** Loads the engine once per page; after a failure, the next command tries again. */
export function loadEngine(): Promise<DropInEngine> {
  return (engine ??= new Promise<DropInEngine>((resolve, reject) => {
    const hook = engineHook();
    const { document } = globalThis as { document?: Document };
    if (!hook || !document) throw new Error(`${ENGINE_FILE} can only be loaded by CentionChatAPI.js, in a page.`);
    if (!script?.src) throw new Error(`${ENGINE_FILE} cannot be found: load CentionChatAPI.js with <script src>, from the folder that holds both.`);
    const element = document.createElement('script');
    element.src = scriptURL(new URL(`${ENGINE_FILE}?v=${hook.build}`, script.src).href);
    element.async = true;
    if (script.nonce) element.nonce = script.nonce;
    hook.ready = resolve;
    // The engine hands itself over while it runs, before its load event.
    element.onload = () => reject(new Error(`${element.src} did not start: it must come from the same build as CentionChatAPI.js.`));
    element.onerror = () => reject(new Error(`${element.src} could not be loaded: serve it from the folder of CentionChatAPI.js, and let the page's Content-Security-Policy allow it.`));
    document.head.append(element);
  }).catch((error: unknown) => {
    engine = undefined;
    // A page that listens to no connect_error still shows the deployment's mistake.
    console.error(`CentionChat: ${(error as Error).message}`);
    throw error;
  }));
}

/** The runtime the drop-in's engines start with (see `core/engine/default-runtime.ts`). */
export const startRuntime = /* @__PURE__ */ lazyRuntime(() => loadEngine().then((loaded) => loaded.startRuntime));

/** The uploads, with the engine (see `core/engine/uploads-loader.ts`). */
export const loadUploads = loadEngine;
