import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What a user gets with no clone: the tarball `npm pack` makes, installed into an empty folder
// (from npm's cache when it has everything, as it does after `npm ci`), then its command run.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

describe('npx cention-chat-server from the packed package, in an empty folder', () => {
  const folder = mkdtempSync(join(tmpdir(), 'cention-chat-installed-'));
  beforeAll(async () => {
    const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', folder], { cwd: ROOT });
    const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'a-site', private: true }));
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(folder, filename)], { cwd: folder });
  }, 240_000);
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('runs through npx and says how to call it when called wrong', async () => {
    const called = run('npx', ['--no-install', 'cention-chat-server', '--port', 'eighty'], { cwd: folder });
    await expect(called).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('usage: npx cention-chat-server [--port N') });
  });

  it('serves the chat API, the agent console and the vanilla site on the built drop-in, and stops on SIGTERM', async () => {
    // What `npx cention-chat-server` runs; started directly, so that the signal reaches the server and not npx.
    const bin = join(folder, 'node_modules', '.bin', 'cention-chat-server');
    const server = spawn(bin, ['--port', '0', '--host', '127.0.0.1'], { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
    let output = '';
    server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const banner = await new Promise<string>((resolve, reject) => {
      server.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ctrl+C')) resolve(output);
      });
      void exited.then((code) => reject(new Error(`cention-chat-server exited with ${code}: ${output}`)));
    });
    try {
      const baseURL = /baseURL\s+(\S+)/.exec(banner)?.[1] ?? '';
      const origin = new URL(baseURL).origin;
      const canChat = (await (await fetch(`${baseURL}/socket/external.api/canchat?area=1`)).json()) as { chatOpen?: boolean };
      expect(canChat.chatOpen).toBe(true);
      expect(banner).toMatch(/agent console\s+http/);
      expect(banner).toContain(`${origin}/vanilla/`);
      expect((await fetch(`${origin}/vanilla/`)).status).toBe(200);
      expect((await fetch(`${origin}/dist/CentionChatAPI.js`)).status).toBe(200);
      expect((await fetch(`${origin}/vendor/socket.io-client-2/socket.io.js`)).status).toBe(200);
    } finally {
      server.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
