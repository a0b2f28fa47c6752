import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // The examples import the package by name, as users do; in tests that is the source.
    alias: [
      { find: /^ptimer-rx\/testing$/, replacement: here('./testing/index.ts') },
      { find: /^ptimer-rx$/, replacement: here('./index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.spec.ts', 'examples/**/*.spec.ts'],
    environment: 'node',
    // Property tests run thousands of sequences; give them room without hiding hangs.
    testTimeout: 120_000,
  },
});
