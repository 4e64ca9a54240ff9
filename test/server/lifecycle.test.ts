import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { AREAS, onCleanup, register, startHarness } from './support/harness';

describe('close()', () => {
  it('frees the listener, every timer on its clock, the upload folder and every socket', async () => {
    const { server, clock, connect } = await startHarness();
    const customer = await connect('v4');
    const { sessionId } = await register(customer, AREAS.support.id); // a pending agent join and an expiry
    const waiting = await register(await connect('v2'), AREAS.busy.id);
    server.faults.set({ delayMs: 5000 });
    server.agent.join(waiting.sessionId, 'Dana'); // a delayed event
    await server.agent.attach(waiting.sessionId, { name: 'a.txt', data: 'a' });
    const agentConsole = io(`${server.url}/agent`, { path: server.socketPath, forceNew: true, reconnection: false, auth: { key: server.consoleKey } });
    onCleanup(() => {
      agentConsole.close();
    });
    await new Promise((resolve) => agentConsole.once('connect', () => resolve(undefined)));
    expect(clock.pending).toBeGreaterThanOrEqual(4);
    const pendingWait = server.waitFor('session-ended');

    await server.close();

    expect(server.listening).toBe(false);
    expect(clock.pending).toBe(0);
    expect(existsSync(server.uploadDir)).toBe(false);
    await customer.next('disconnect');
    await expect(pendingWait).rejects.toThrow('the server was closed');
    expect(agentConsole.connected).toBe(false);
    expect(server.session(sessionId)?.state).toBe('queued');
    await server.close(); // a second close is harmless
  });

  it('leaves nothing that keeps the process alive', async () => {
    const fixture = fileURLToPath(new URL('./support/close-and-exit.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.stderr.on('data', (data: Buffer) => (output += data.toString()));
    onCleanup(() => {
      child.kill('SIGKILL');
    });

    // If a handle were left open the child would never exit and the test would time out.
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(output).toContain('closed; listening=false');
    expect(code).toBe(0);
  });
});
