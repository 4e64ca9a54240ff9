import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { initialContext } from '../../machines/chat/chat.context';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * XState's `assign` copies the context with `Object.assign({}, context, update)`. V8 turns an
 * object of 20 properties or more built that way into a dictionary (in Node 20 from a check
 * until the chat starts; in Chromium still after 300 sends), and each `assign` of a dictionary context cost a
 * send in Chromium a tenth of its CPU time (docs/benchmarks.md, "Where a send's time goes").
 */
describe('the shape of the machine context', () => {
  it('has fewer than 20 fields', () => {
    expect(Object.keys(initialContext(undefined)).length).toBeLessThan(20);
  });

  it('stays an object with fast properties through a whole chat, as V8 itself says', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', 'test/machines/context-shape.child.ts'], { cwd: ROOT });
    const result = JSON.parse(stdout) as { control: boolean; fields: number; phase: string; events: number; slow: string[]; errors: string[] };
    // The probe can say no: an object of 20 fields copied as XState copies a context is a dictionary.
    expect(result.control).toBe(false);
    expect(result.errors).toEqual([]);
    expect(result.phase).toBe('finished');
    expect(result.events).toBeGreaterThan(20);
    expect(result.slow).toEqual([]);
  });
});
