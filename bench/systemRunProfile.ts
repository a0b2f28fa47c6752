/**
 * The child process of the whole-system profile (bench/systemRun.ts): runs
 * the default scenario for `argv[2]` virtual ns, traced and digested
 * (`traced`), with only the streamed digest (`streamed`: keepTrace off, as
 * `ptimer-rx run`), or with nothing recorded (`untraced`: keepTrace and
 * digest off), under the parent's `node --cpu-prof`, and prints one JSON
 * line with the clock events and the digest.
 */
import { buildSystem, DEFAULT_SCENARIO, parseScenario } from '../system';

const virtualNs = Number(process.argv[2]);
const mode = process.argv[3];
if (mode !== 'traced' && mode !== 'streamed' && mode !== 'untraced') throw new Error(`mode ${mode}: must be traced, streamed or untraced`);
const options = mode === 'traced' ? {} : mode === 'streamed' ? { keepTrace: false } : { keepTrace: false, digest: false };
const { system } = buildSystem(parseScenario(DEFAULT_SCENARIO), options);
const result = system.run(virtualNs);
process.stdout.write(`${JSON.stringify({ events: result.events, digest: mode === 'untraced' ? undefined : system.digest() })}\n`);
