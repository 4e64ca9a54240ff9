/**
 * The demo server: its command line, the example sites it mounts and the banner it prints.
 * `npm run demo` (demo.ts) builds what changed first; `npx cention-chat-server` (cli.ts) runs it
 * from the installed package, whose sites are already built.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveArea } from './areas';
import type { AreaConfig, ChatServer, EngineIOMode, ServerOptions, StaticMount } from './index';
import { DEMO_AREAS, startServer } from './index';

/** The demo's command line. */
export interface DemoArgs {
  readonly port: number;
  readonly host: string;
  /** Origins allowed besides the demo's own. */
  readonly allowOrigins: readonly string[];
  /** Believe a TLS-ending proxy's `X-Forwarded-Proto` (`--trust-proxy`). */
  readonly trustProxy: boolean;
  /** `--engine-io 3`: Engine.IO 3 only, like Cention's own servers; default both 3 and 4. */
  readonly engineIO: EngineIOMode;
}

const USAGE = 'usage: npm run demo [-- --port N --host H --allow-origin https://site.example ... --trust-proxy --engine-io 3|both]';

/** Reads `--port N --host H --allow-origin O` (repeatable) `--trust-proxy --engine-io 3|both`; throws a `TypeError` with the usage on anything else. */
export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  let port = 8080;
  let host = 'localhost';
  const allowOrigins: string[] = [];
  let trustProxy = false;
  let engineIO: EngineIOMode = 'both';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag = '', inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined || next === '') throw new TypeError(`${flag} needs a value\n${USAGE}`);
      return next;
    };
    if (flag === '--port') {
      const text = value();
      port = Number(text);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`--port must be 0..65535, got ${JSON.stringify(text)}\n${USAGE}`);
    } else if (flag === '--host') {
      host = value();
    } else if (flag === '--allow-origin') {
      allowOrigins.push(value());
    } else if (flag === '--trust-proxy' && inline === undefined) {
      trustProxy = true;
    } else if (flag === '--engine-io') {
      const text = value();
      if (text !== '3' && text !== 'both') throw new TypeError(`--engine-io must be 3 or both, got ${JSON.stringify(text)}\n${USAGE}`);
      engineIO = text === '3' ? 3 : 'both';
    } else if (flag === '--help' || flag === '-h') {
      throw new TypeError(USAGE);
    } else {
      throw new TypeError(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
    }
  }
  return { port, host, allowOrigins, trustProxy, engineIO };
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The example sites, the built library and socket.io-client 2 (the vanilla site's socket.js), as far as they exist. */
export function demoMounts(root = ROOT): StaticMount[] {
  const mounts: StaticMount[] = [];
  const examples = join(root, 'examples');
  if (existsSync(examples)) {
    for (const entry of readdirSync(examples, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === 'console') continue;
      const site = join(examples, entry.name);
      const built = join(site, 'dist');
      if (existsSync(join(built, 'index.html'))) mounts.push({ urlPath: `/${entry.name}/`, dir: built });
      else if (existsSync(join(site, 'index.html'))) mounts.push({ urlPath: `/${entry.name}/`, dir: site });
    }
  }
  if (existsSync(join(root, 'dist'))) mounts.push({ urlPath: '/dist/', dir: join(root, 'dist') });
  // The vanilla site's socket.js, as the seed's pages load one before CentionChatAPI.js; where
  // npm put it (an installed package finds it hoisted beside itself).
  const socketJs = socketIoClientV2Dist(root);
  if (socketJs !== undefined && existsSync(socketJs)) mounts.push({ urlPath: '/vendor/socket.io-client-2/', dir: socketJs });
  return mounts;
}

function socketIoClientV2Dist(root: string): string | undefined {
  try {
    return join(dirname(createRequire(join(root, 'package.json')).resolve('socket.io-client-v2/package.json')), 'dist');
  } catch {
    return undefined;
  }
}

function sizeMB(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

function list(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}

/** One line saying what an area does, for the printout. */
export function describeArea(config: AreaConfig): string {
  const area = resolveArea(config);
  const { hours, agents, features } = area;
  if (hours === 'never') return 'always closed (chatOpen: false; register → chat closed)';
  const open = hours === 'always' ? 'open always' : `open ${hours.map((span) => `${span.days.join(',')} ${span.open}-${span.close}`).join('; ')} (${area.timeZone})`;
  const who = {
    simulated: `simulated agents ${list(agents.names)}`,
    busy: `agents ${list(agents.names)} online but busy: take chats in the agent console`,
    manual: 'agents are the people with the agent console open',
    none: 'no agents (agent unavailable)',
  }[agents.mode];
  const queue = config.queueLimit === undefined ? '' : `, queue limit ${area.queueLimit}`;
  const files = features['chat.attachment'] ? `, attachments on (${sizeMB(features['chat.max-attachment-size'])})` : '';
  return `${open}, ${who}${queue}${files}`;
}

/** Starts the demo server. `overrides` are for tests (a clock, a logger...). */
export async function startDemo(args: DemoArgs, overrides: ServerOptions = {}): Promise<{ readonly server: ChatServer; readonly banner: string }> {
  const ownOrigins = (port: number): string[] => [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
  const consoleKey = randomBytes(12).toString('base64url');
  // With port 0 the own origins are known only after listening; same-origin requests are allowed anyway.
  const server = await startServer({
    port: args.port,
    host: args.host,
    areas: DEMO_AREAS,
    allowedOrigins: [...(args.port === 0 ? [] : ownOrigins(args.port)), ...args.allowOrigins],
    static: demoMounts(),
    agentConsole: { key: consoleKey },
    trustProxy: args.trustProxy,
    engineIO: args.engineIO,
    ...overrides,
  });
  const areas = overrides.areas ?? DEMO_AREAS;
  const width = Math.max(...areas.map((a) => `${a.id} ${a.name}`.length));
  const mounts = demoMounts();
  const sites = mounts.filter((mount) => mount.urlPath !== '/dist/' && !mount.urlPath.startsWith('/vendor/')).map((mount) => `${server.url}${mount.urlPath}`);
  const dropIn = mounts.some((mount) => mount.urlPath === '/dist/' && existsSync(join(mount.dir, 'CentionChatAPI.js')));
  const banner = [
    'Cention chat reference server',
    '',
    `  baseURL        ${server.baseURL}`,
    `  agent console  ${server.consoleURL ?? '(off)'}`,
    `  socket.io      ${server.url}, path ${server.socketPath} (${server.engineIO === 3 ? 'Engine.IO 3 only, like Cention 5.x' : 'Engine.IO 3 and 4'})`,
    `  HTTP API       ${server.baseURL}/socket/external.api/canchat?area=1 (also savehistory, printhistory; POST createerrand, chatrating)`,
    `  upload         ${server.baseURL}/Cention/web/chat/client/uploadAttachment`,
    ...(sites.length > 0 ? [`  example sites  ${sites.join('\n                 ')}`] : []),
    ...(dropIn ? [`  drop-in script ${server.url}/dist/CentionChatAPI.js`] : []),
    '',
    '  Areas',
    ...areas.map((area) => `    ${`${area.id} ${area.name}`.padEnd(width)}  ${describeArea(area)}`),
    '',
    `  Allowed origins: ${[...ownOrigins(server.port), ...args.allowOrigins].join(', ')}, and same-origin requests`,
    '  Ctrl+C stops the server.',
  ].join('\n');
  return { server, banner };
}

/**
 * Starts the demo, prints every address it serves, and closes the server on SIGINT or SIGTERM:
 * what `npm run demo` and `npx cention-chat-server` do once their arguments are read.
 */
export async function runDemoUntilStopped(args: DemoArgs): Promise<void> {
  const { server, banner } = await startDemo(args);
  console.log(banner);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
