import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Builds dist/ first: tests run the CLI as users do, compiled.
    globalSetup: ['test/helpers/build-dist.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/tflite/schema/generated/**'],
      // The CLI and the sweep's workers run in child processes, which v8 coverage of the test process does not see.
      reporter: ['text-summary'],
    },
  },
});
