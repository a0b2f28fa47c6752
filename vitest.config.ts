import { availableParallelism } from 'node:os';
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
    // Property tests run thousands of sequences; give them room without hiding hangs. A deep run
    // (PTIMER_DEEP=1, test/support/depth.ts) runs them several times longer.
    testTimeout: process.env.PTIMER_DEEP === '1' ? 1_800_000 : 120_000,
    // The architecture checks read and parse every source file in a beforeAll: seconds on a quiet
    // machine, more than vitest's default 10 s on a loaded one.
    hookTimeout: 60_000,
    // vitest's default is one worker fewer than the cores: a single worker on a 2-core machine,
    // while the main process, which only schedules files and collects results, stays idle.
    maxWorkers: availableParallelism(),
    // Threads start faster than processes, and without isolation a worker evaluates the module
    // graph (every device, the catalogue, the explorer) once rather than once per file. The files
    // share no mutable module state: the library's module-level maps are caches of pure results
    // (register maps per layout, interned policies, device profiles), and no test mocks a module
    // or stubs a global beyond its own `afterEach`.
    pool: 'threads',
    isolate: false,
  },
});
