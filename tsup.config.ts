import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // rxjs is a peer dependency: the user's copy must be the one that runs.
  external: ['rxjs'],
  treeshake: true,
});
