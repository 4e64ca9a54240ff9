import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoMounts, parseDemoArgs, startDemo } from '../../server/demo';
import { PROJECT_ENGINE_IO } from '../support/engine-io';
import { ManualClock } from '../support/manual-clock';
import { CLIENT_KINDS, TestClient } from './support/clients';
import { onCleanup, registration } from './support/harness';
import { http } from './support/http';

describe('the demo command line', () => {
  it('defaults to localhost:8080 and reads --port, --host, repeated --allow-origin and --trust-proxy', () => {
    expect(parseDemoArgs([])).toEqual({ port: 8080, host: 'localhost', allowOrigins: [], trustProxy: false, engineIO: 'both' });
    expect(parseDemoArgs(['--port', '3000', '--host=0.0.0.0', '--allow-origin', 'https://a.example', '--trust-proxy', '--allow-origin=https://b.example', '--engine-io', '3'])).toEqual({
      port: 3000,
      host: '0.0.0.0',
      allowOrigins: ['https://a.example', 'https://b.example'],
      trustProxy: true,
      engineIO: 3,
    });
    expect(parseDemoArgs(['--engine-io=both']).engineIO).toBe('both');
  });

  it.each([
    [['--port', 'eighty'], '--port must be 0..65535'],
    [['--port', '70000'], '--port must be 0..65535'],
    [['--host'], '--host needs a value'],
    [['--verbose'], 'unknown argument "--verbose"'],
    [['--trust-proxy=no'], 'unknown argument "--trust-proxy=no"'],
    [['--engine-io', '4'], '--engine-io must be 3 or both'],
  ])('refuses %j with the usage', (argv, message) => {
    expect(() => parseDemoArgs(argv)).toThrow(message);
    expect(() => parseDemoArgs(argv)).toThrow('usage: npm run demo');
  });

  it('mounts each example site that has an index.html (or a built dist/) and the built library', () => {
    const root = mkdtempSync(join(tmpdir(), 'demo-mounts-'));
    onCleanup(() => rmSync(root, { recursive: true, force: true }));
    for (const [path, file] of [['examples/vanilla', 'index.html'], ['examples/vue/dist', 'index.html'], ['examples/notes', 'README.md'], ['examples/console', 'index.html'], ['dist', 'index.js']] as const) {
      mkdirSync(join(root, path), { recursive: true });
      writeFileSync(join(root, path, file), '');
    }
    mkdirSync(join(root, 'examples/vue/src'), { recursive: true });

    expect(demoMounts(root).sort((a, b) => a.urlPath.localeCompare(b.urlPath))).toEqual([
      { urlPath: '/dist/', dir: join(root, 'dist') },
      { urlPath: '/vanilla/', dir: join(root, 'examples/vanilla') },
      { urlPath: '/vue/', dir: join(root, 'examples/vue/dist') },
    ]);
  });
});

describe.each(CLIENT_KINDS)('the demo server (socket.io-client %s)', (kind) => {
  async function demo() {
    const clock = new ManualClock();
    const { server, banner } = await startDemo({ port: 0, host: '127.0.0.1', allowOrigins: ['https://shop.example'], trustProxy: false, engineIO: PROJECT_ENGINE_IO }, { clock, logger: () => {} });
    onCleanup(() => server.close());
    const connect = async () => {
      const client = await TestClient.connect(kind, server);
      onCleanup(() => {
        client.close();
      });
      return client;
    };
    return { server, banner, clock, connect };
  }

  it('prints every address it serves and what each area does', async () => {
    const { server, banner } = await demo();

    expect(banner).toContain(`baseURL        ${server.baseURL}`);
    expect(banner).toMatch(new RegExp(`agent console  ${server.url}/console/#key=[\\w-]{16}`));
    expect(banner).toContain(`path ${server.socketPath} (${PROJECT_ENGINE_IO === 3 ? 'Engine.IO 3 only, like Cention 5.x' : 'Engine.IO 3 and 4'})`);
    expect(banner).toContain('1 Support  open always, simulated agents Alice and Bob, attachments on (10 MB)');
    expect(banner).toContain('2 Sales    always closed (chatOpen: false; register → chat closed)');
    expect(banner).toContain('3 Billing  open always, no agents (agent unavailable)');
    expect(banner).toContain('4 Busy     open always, agents Dana and Eve online but busy: take chats in the agent console, queue limit 2, attachments on (10 MB)');
    expect(banner).toContain('https://shop.example');
  });

  it('gives only addresses that answer: the console with its key, the sites, the drop-in script, the HTTP API', async () => {
    const { server, banner } = await demo();
    const pageLines = banner.split('\n').filter((line) => /^ {2}(agent console|example sites|drop-in script|HTTP API) | {17}http/.test(line));
    const addresses = pageLines.flatMap((line) => line.match(/https?:\/\/\S+/g) ?? []);
    expect(addresses).toContain(server.consoleURL);
    expect(addresses.some((address) => address.endsWith('/dist/'))).toBe(false);
    for (const address of addresses) expect((await http(address)).status, address).toBe(200);
    const index = await http(`${server.url}/`);
    expect(index.text).not.toContain('href="/console/');
    for (const [, href = ''] of index.text.matchAll(/href="(\/[^"]*)"/g)) expect((await http(`${server.url}${href}`)).status, href).toBe(200);
  });

  it('answers each area as documented', async () => {
    const { server, clock, connect } = await demo();
    const canChat = async (area: number) => (await http(`${server.baseURL}/socket/external.api/canchat?area=${area}`)).json();

    expect(await canChat(1)).toMatchObject({ chatOpen: true, agentsAvailable: 2, feature: { 'chat.attachment': true, 'chat.max-attachment-size': 10 * 1024 * 1024 }, error: '' });
    expect(await canChat(2)).toMatchObject({ chatOpen: false, error: '' });
    expect(await canChat(3)).toMatchObject({ chatOpen: true, agentsAvailable: 0, error: '' });
    expect(await canChat(4)).toMatchObject({ chatOpen: true, agentsAvailable: 2, error: '' });

    const support = await connect();
    await support.request('register', registration(1));
    clock.advance(1500);
    expect(await support.next<{ agent: string }>('chat message', (e) => e.agent !== '')).toMatchObject({ agent: 'Alice' });
    expect(await (await connect()).request('register', registration(2))).toEqual({ error: 'chat closed' });
    expect(await (await connect()).request('register', registration(3))).toEqual({ error: 'agent unavailable' });
    await (await connect()).request('register', registration(4));
    await (await connect()).request('register', registration(4));
    expect(await (await connect()).request('register', registration(4))).toEqual({ error: 'queue full' });
  });

  it('serves the agent console behind its key, and refuses origins it does not list', async () => {
    const { server } = await demo();

    expect((await http(`${server.url}/console/`)).status).toBe(200);
    expect((await http(`${server.url}/console/config.json`)).json()).toMatchObject({ keyRequired: true });
    expect((await http(`${server.baseURL}/socket/external.api/canchat?area=1`, { headers: { origin: 'https://shop.example' } })).status).toBe(200);
    expect((await http(`${server.baseURL}/socket/external.api/canchat?area=1`, { headers: { origin: 'https://evil.example' } })).status).toBe(403);
  });
});
