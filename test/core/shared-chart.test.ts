import { describe, expect, it } from 'vitest';
import { createCentionChat } from '../../core';
import type { IoFactory } from '../../core';

// Each client once had a copy of the whole chart (`chatMachine.provide()` per client, about 72
// KiB of heap each); one chart now serves them all, with each client's I/O bound to its actor.
describe('many clients on one page', () => {
  const offline: IoFactory = () => {
    throw new Error('no socket in this test');
  };

  it('share one chart, each running its own I/O', async () => {
    const a = createCentionChat({ baseURL: 'https://chat.example.com/s/a', area: 1, storage: null, io: offline });
    const b = createCentionChat({ baseURL: 'https://chat.example.com/s/b', area: 2, storage: null, io: offline });
    // Each start loads the runtime, reaches its own client's io factory, and fails on its own.
    const [started, other] = await Promise.allSettled([a.start({ name: 'Ada', message: 'Hi' }), b.start({ name: 'Bo', message: 'Hi' })]);
    expect(a.actor?.logic).toBeDefined();
    expect(a.actor?.logic).toBe(b.actor?.logic);
    expect(started.status).toBe('rejected');
    expect(other.status).toBe('rejected');
    expect(String((started as PromiseRejectedResult).reason)).toMatch(/no socket in this test/);
    a.stop();
    b.stop();
  });

  it('still get a chart of their own when they set their own delays', async () => {
    const a = createCentionChat({ baseURL: 'https://chat.example.com/s/a', area: 1, storage: null, io: offline });
    const b = createCentionChat({ baseURL: 'https://chat.example.com/s/a', area: 1, storage: null, io: offline, delays: { closeGrace: 5 } });
    await Promise.allSettled([a.start({ name: 'Ada', message: 'Hi' }), b.start({ name: 'Bo', message: 'Hi' })]);
    expect(a.actor?.logic).toBeDefined();
    expect(b.actor?.logic).toBeDefined();
    expect(a.actor?.logic).not.toBe(b.actor?.logic);
    a.stop();
    b.stop();
  });
});
