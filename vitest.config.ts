import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: files that spawn onnxruntime sessions and sharp pools contend, so cap parallelism.
    maxWorkers: 2,
    pool: 'forks',
  },
});
