import type { EngineIOMode } from '../../server';

/**
 * The reference server's two wire modes: Engine.IO 3 and 4 (`'both'`), and Engine.IO 3 only,
 * like Cention's own servers (`3`). Suites that hold for both run once per mode.
 */
export const ENGINE_IO_MODES: readonly EngineIOMode[] = ['both', 3];

/** How a test names a server mode. */
export function describeMode(mode: EngineIOMode): string {
  return mode === 3 ? 'an Engine.IO-3-only server' : 'an Engine.IO 3 and 4 server';
}

/**
 * The mode of this run of a project that runs once per mode (vitest.config.ts sets
 * `CENTION_TEST_ENGINE_IO=3` for the second run of the server suite).
 */
export const PROJECT_ENGINE_IO: EngineIOMode = process.env['CENTION_TEST_ENGINE_IO'] === '3' ? 3 : 'both';

/** The Engine.IO revisions (`?EIO=`) a server of this project's mode takes. */
export const PROJECT_EIO_REVISIONS: readonly string[] = PROJECT_ENGINE_IO === 3 ? ['3'] : ['4', '3'];
