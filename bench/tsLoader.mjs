// `node --import ./bench/tsLoader.mjs …`: the benchmarks run the TypeScript sources compiled as the package
// is built (esbuild, no `keepNames`), not through tsx. tsx compiles with `keepNames`: every named function,
// each closure made in a hot loop included, is wrapped in a call that defines its `name` property, and the
// explorer ran about 2x slower from the sources than from dist/ (the system run about 10 %). Worker threads
// inherit the flag; the marker tells the explorer's worker shim that .ts files load already.
import { register } from 'node:module';

register('./tsLoaderHooks.mjs', import.meta.url);
globalThis[Symbol.for('ptimer-rx.tsLoader')] = true;
