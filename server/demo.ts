/**
 * `npm run demo [-- --port N --host H --allow-origin O ... --trust-proxy --engine-io 3]`: builds
 * what changed of the example sites and the drop-in script (demo-build.ts), then the reference
 * server with the four demo areas, the agent console and the example sites, printing every
 * address it serves.
 *
 * @module
 */
import { pathToFileURL } from 'node:url';
import { buildWhatChanged } from './demo-build';
import type { DemoArgs } from './demo-server';
import { parseDemoArgs, runDemoUntilStopped } from './demo-server';

export { demoMounts, describeArea, parseDemoArgs, startDemo } from './demo-server';
export type { DemoArgs } from './demo-server';

async function main(): Promise<void> {
  let args: DemoArgs;
  try {
    args = parseDemoArgs(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  // Only what changed since the last start (never the type declarations); errors still show.
  try {
    await buildWhatChanged();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  await runDemoUntilStopped(args);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
