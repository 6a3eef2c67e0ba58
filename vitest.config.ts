import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // rebuilds the engine first when assembly/ changed since it was built
    globalSetup: ['test/setup/fresh-engine.ts'],
    testTimeout: 120_000,
    pool: 'forks',
    // the memory test calls gc() between measurements
    execArgv: ['--expose-gc'],
  },
});
