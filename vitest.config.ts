import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Each file builds its own warehouse; two workers match the 2-core machines.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
