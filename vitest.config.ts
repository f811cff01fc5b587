import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    // Two cores: integration files each start databases and servers.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for a state (a row rendered, a report answered); its 1 s default failed on a loaded CI
    // machine while the same state arrived a little later. A poll that passes ends as soon as it does.
    expect: { poll: { timeout: 10_000 } },
    // CI also writes a JSON report that .ci/run counts passed and failed tests from.
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
  },
});
