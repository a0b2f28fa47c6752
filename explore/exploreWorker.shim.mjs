// Runs exploreWorker.ts in a worker thread when ptimer-rx runs from its TypeScript sources
// (tests, `npm run cli`): worker threads do not inherit tsx's loader, so register it here,
// unless the thread loads .ts files already (the benchmarks' loader, bench/tsLoader.mjs, which
// threads inherit). The built package loads dist/exploreWorker.js instead.
import { register } from 'tsx/esm/api';

if (globalThis[Symbol.for('ptimer-rx.tsLoader')] !== true) register();
const worker = await import('./exploreWorker.ts');
export default worker.default;
