import { defineConfig } from 'tsup';

// Step 2 of `npm run build` (step 1, the types, is tsup.types.config.ts): the JavaScript.
export default defineConfig([
  {
    // ESM: the library and ptimer-rx/testing, sharing chunks (one copy of each class).
    entry: { index: 'index.ts', testing: 'testing/index.ts' },
    tsconfig: 'tsconfig.build.json',
    format: ['esm'],
    sourcemap: true,
    target: 'es2022',
    // Peer dependencies: the user's copies must be the ones that run.
    external: ['rxjs', 'rxjs-marbles', 'vitest', 'fast-check', 'zod', 'tinypool'],
    treeshake: true,
  },
  {
    // CommonJS: the library only; ptimer-rx/testing is ESM-only (it needs vitest, which cannot be required).
    entry: { index: 'index.ts' },
    tsconfig: 'tsconfig.build.json',
    format: ['cjs'],
    // import.meta.url in the CJS build too (it locates the explorer's worker, dist/exploreWorker.js)
    shims: true,
    sourcemap: true,
    target: 'es2022',
    external: ['rxjs', 'rxjs-marbles', 'vitest', 'fast-check', 'zod', 'tinypool'],
    treeshake: true,
  },
  {
    // The `ptimer-rx` command (package.json "bin"), and the explorer's worker thread: ESM files for Node.
    entry: { cli: 'cli/main.ts', exploreWorker: 'explore/exploreWorker.ts' },
    tsconfig: 'tsconfig.build.json',
    format: ['esm'],
    // Each command's `await import()` becomes its own chunk, so `ptimer-rx --help` loads no model
    // (tsup's default for ESM, stated because start-up depends on it; test/cli/main.spec.ts checks it).
    splitting: true,
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    external: ['rxjs', 'commander', 'zod', 'fast-check', 'tinypool'],
  },
]);
