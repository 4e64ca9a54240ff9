import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('docs/testing.md', () => {
  it('shows the widget and its test exactly as they run here', () => {
    const blocks = [...read('docs/testing.md').matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map(([, code]) => code);
    expect(blocks).toContain(read('test/kit/chat-widget.ts'));
    expect(blocks).toContain(read('test/kit/chat-widget.test.ts'));
  });
});
