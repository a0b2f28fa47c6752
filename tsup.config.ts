import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

const rxjsManifest = (): string => createRequire(import.meta.url).resolve('rxjs/package.json');

/**
 * rxjs's ES module build (its package.json names it under the `es2015` condition). Under Node, `rxjs`
 * resolves to its CommonJS build: about 220 files, loaded whole before a command's first line (a large part
 * of its start-up), and which a bundler cannot shake. Bundled from this build, the CLI carries only the part
 * of rxjs it uses, in its own chunks (16 KB).
 */
const rxjsEsm = (): string => {
  const manifest = rxjsManifest();
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: { '.': { es2015: string } } };
  return join(dirname(manifest), exports['.'].es2015);
};

/** rxjs's licence (Apache-2.0) goes with the copy of rxjs the CLI's chunks carry, as that licence asks. */
const rxjsLicence: Plugin = {
  name: 'rxjs-licence',
  setup(build) {
    build.onEnd(() => {
      const outDir = build.initialOptions.outdir ?? 'dist';
      mkdirSync(outDir, { recursive: true });
      copyFileSync(join(dirname(rxjsManifest()), 'LICENSE.txt'), join(outDir, 'rxjs.LICENSE.txt'));
    });
  },
};

// Step 2 of `npm run build` (step 1, the types, is tsup.types.config.ts): the JavaScript.
export default defineConfig([
  {
    // ESM: the library, ptimer-rx/testing and ptimer-rx/queue (Node only; BullMQ and ioredis stay dependencies,
    // external as all of them are), sharing chunks (one copy of each class).
    entry: { index: 'index.ts', testing: 'testing/index.ts', queue: 'explore/queue/index.ts' },
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
    // rxjs is bundled (see rxjsEsm; the library's entries above keep it a peer dependency): a command
    // starts about a fifth faster. The CLI's models were their own copies already; what is new is that a
    // --check predicate's `system` holds the CLI's rxjs objects (rxjs's functions take them; `instanceof
    // Observable` with the user's rxjs is false). zod stays external: bundled, every one of its locales
    // comes along (more than the whole CLI), which costs more than loading it.
    noExternal: ['rxjs'],
    esbuildOptions: (options) => {
      options.alias = { ...options.alias, rxjs: rxjsEsm() };
    },
    esbuildPlugins: [rxjsLicence],
    external: ['commander', 'zod', 'fast-check', 'tinypool'],
  },
]);
