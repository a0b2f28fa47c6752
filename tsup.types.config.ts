import { defineConfig } from 'tsup';

// Step 1 of `npm run build` (which first deletes dist/): the library's .d.ts files, alone, into an empty dist/. They are
// bundled before any JavaScript is in dist/, because the bundler resolves the package root
// (which TypeScript's declarations sometimes name) through package.json to dist/index.js.
export default defineConfig([
  {
    entry: { index: 'index.ts', testing: 'testing/index.ts', queue: 'explore/queue/index.ts' },
    // The library's sources only: the examples import the package by name.
    tsconfig: 'tsconfig.build.json',
    format: ['esm'],
    dts: { only: true },
    external: ['rxjs', 'rxjs-marbles', 'vitest', 'fast-check', 'zod', 'bullmq', 'ioredis'],
  },
  {
    // CommonJS types for the library only: ptimer-rx/testing is ESM-only.
    entry: { index: 'index.ts' },
    tsconfig: 'tsconfig.build.json',
    format: ['cjs'],
    dts: { only: true },
    external: ['rxjs', 'rxjs-marbles', 'vitest', 'fast-check', 'zod'],
  },
]);
