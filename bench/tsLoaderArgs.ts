/**
 * The Node flags that load the TypeScript sources as the package is built
 * (see bench/tsLoader.mjs), for the benchmarks' child processes: what they
 * measure is the code users run, not tsx's build of it.
 */
export const TS_LOADER_ARGS: readonly string[] = ['--import', new URL('./tsLoader.mjs', import.meta.url).href];
