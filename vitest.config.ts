import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.spec.ts'],
    environment: 'node',
    // Property tests run thousands of sequences; give them room without hiding hangs.
    testTimeout: 120_000,
  },
});
