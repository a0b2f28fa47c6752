// Run a scenario file through the API (what `ptimer-rx run` does), record it, and replay
// the recorded guest inputs to the same trace digest. Run: npx tsx examples/runScenario.ts
import { readFileSync } from 'node:fs';
import { buildSystem, parseScenario } from 'ptimer-rx';

const json: unknown = JSON.parse(readFileSync(new URL('./scenarios/default.json', import.meta.url), 'utf8'));
const scenario = parseScenario(json);

// Recording the guest inputs is opt-in: a long run makes millions of accesses.
const { system } = buildSystem(scenario, { recordInputs: true });
const result = system.run(1_000_000); // 1 ms of virtual time
console.log(`ran ${result.events} clock events to ${result.time} ns; ${system.trace.events.length} trace events, digest ${system.digest()}`);

// A replay rebuilds the devices only and feeds them the recorded accesses, each at its
// place within its instant.
const { system: replay } = buildSystem(scenario, { guests: false });
replay.replay(system.recording);
replay.run(result.time);
console.log(`replay digest ${replay.digest()}`);
if (replay.digest() !== system.digest()) throw new Error('replay diverged');
