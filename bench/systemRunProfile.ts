/**
 * The child process of the whole-system profile (bench/systemRun.ts): runs
 * the default scenario for `argv[2]` virtual ns, traced and digested
 * (`traced`) or with nothing recorded (`untraced`: keepTrace and digest off),
 * under the parent's `node --cpu-prof`, and prints one JSON line with the
 * clock events and the digest.
 */
import { buildSystem, DEFAULT_SCENARIO, parseScenario } from '../system';

const virtualNs = Number(process.argv[2]);
const traced = process.argv[3] === 'traced';
const { system } = buildSystem(parseScenario(DEFAULT_SCENARIO), traced ? {} : { keepTrace: false, digest: false });
const result = system.run(virtualNs);
process.stdout.write(`${JSON.stringify({ events: result.events, digest: traced ? system.digest() : undefined })}\n`);
