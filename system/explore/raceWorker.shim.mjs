// Runs raceWorker.ts in a worker thread when ptimer-rx runs from its TypeScript sources
// (tests, `npm run cli`): worker threads do not inherit tsx's loader, so register it here.
// The built package loads dist/raceWorker.js instead.
import { register } from 'tsx/esm/api';

register();
const worker = await import('./raceWorker.ts');
export default worker.default;
