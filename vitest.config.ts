import { defineConfig } from 'vitest/config';

// One project per layer of the test pyramid; `npm test` runs them all.
export default defineConfig({
  test: {
    // Every test waits on events, never on wall-clock sleeps; a hung wait fails within this bound.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'protocol', include: ['test/protocol/**/*.test.ts'] } },
      { extends: true, test: { name: 'machines', include: ['test/machines/**/*.test.ts'] } },
      { extends: true, test: { name: 'server', include: ['test/server/**/*.test.ts'] } },
      // The server's socket conformance once more against a server that, like Cention's, speaks
      // Engine.IO 3 only. Not the files about HTTP, the console, https cookies, shutdown, limits
      // and what only the server may write, which speak socket.io-client 4 on purpose (their
      // rules do not depend on the transport), nor engine-io.test.ts, which starts both modes itself.
      {
        extends: true,
        test: {
          name: 'server-eio3',
          include: ['test/server/**/*.test.ts'],
          exclude: ['test/server/{agent-console,bad-input,engine-io,https,lifecycle,origin,limits,security,errands,page-security,flood,rate-limit,demo-build,demo}.test.ts'],
          env: { CENTION_TEST_ENGINE_IO: '3' },
        },
      },
      { extends: true, test: { name: 'core', include: ['test/core/**/*.test.ts'] } },
      { extends: true, test: { name: 'property', include: ['test/property/**/*.test.ts'], testTimeout: 300_000 } },
      // A site's own test written with the kit (docs/testing.md), against the built package as a user installs it.
      { extends: true, test: { name: 'kit', include: ['test/kit/**/*.test.ts'] } },
      { extends: true, test: { name: 'adapters', include: ['test/adapters/**/*.test.ts'], environment: 'happy-dom' } },
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 300_000, fileParallelism: false } },
    ],
  },
});
