#!/usr/bin/env node
/**
 * `npx cention-chat-server [--port N --host H --allow-origin O ... --trust-proxy --engine-io 3]`:
 * the demo server from the installed package, with no clone: the chat server, its demo areas,
 * the agent console and the vanilla example site on the built drop-in script.
 *
 * @module
 */
import { parseDemoArgs, runDemoUntilStopped } from './demo-server';

async function main(): Promise<void> {
  let args;
  try {
    args = parseDemoArgs(process.argv.slice(2));
  } catch (error) {
    const why = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    if (!why.startsWith('usage')) console.error(why);
    console.error('usage: npx cention-chat-server [--port N --host H --allow-origin https://site.example ... --trust-proxy --engine-io 3|both]');
    process.exit(2);
  }
  await runDemoUntilStopped(args);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
