/**
 * The runtime an engine gets: loaded with `import()` when first needed, so the runtime (xstate,
 * the statechart, socket.io-client) is a lazy chunk of a site's bundle, fetched once per page.
 * The drop-in scripts, one file each, put `core/runtime` itself here (tsup.config.ts).
 *
 * @module
 */
import { lazyRuntime } from './lazy-runtime';
import type { StartRuntime } from '../runtime/types';

let loaded: StartRuntime | undefined;

/** Starts a runtime that loads the real one on first need. */
export const startRuntime: StartRuntime = /* @__PURE__ */ lazyRuntime(() => loaded ?? import('../runtime').then((module) => (loaded = module.startRuntime)));
