import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'index.ts', testing: 'testing/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // Peer dependencies: the user's copies must be the ones that run.
  external: ['rxjs', 'rxjs-marbles', 'vitest'],
  treeshake: true,
});
