/**
 * The whole-system benchmark: the default scenario (all ten catalogue device
 * types, their guests and the interrupt controller) for 10 virtual seconds,
 * timed end to end (build, run, and the trace it records), several times.
 */
import { buildSystem, DEFAULT_SCENARIO, parseScenario } from '../system';
import { median } from './measure';

/** What one configuration of {@link measureSystemRun} gave. */
export interface SystemRunResult {
  /** Virtual time simulated per run (ns). */
  readonly virtualNs: number;
  /** Clock events per run (the same every run: the simulation is deterministic). */
  readonly events: number;
  /** Trace events recorded per run. */
  readonly traceEvents: number;
  /** The trace digest (equal in every run, checked). */
  readonly digest: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly reps: number;
}

/** Default: 10 s of virtual time. */
export const SYSTEM_RUN_NS = 10_000_000_000;

/**
 * Runs the default scenario to `virtualNs` `reps` times after one untimed warm-up.
 * @throws Error when two runs give different digests (a determinism bug)
 */
export const measureSystemRun = (reps: number, virtualNs = SYSTEM_RUN_NS): SystemRunResult => {
  const scenario = parseScenario(DEFAULT_SCENARIO);
  const once = (): { ms: number; events: number; traceEvents: number; digest: string } => {
    const t0 = performance.now();
    const { system } = buildSystem(scenario);
    const result = system.run(virtualNs);
    const digest = system.digest();
    return { ms: performance.now() - t0, events: result.events, traceEvents: system.trace.events.length, digest };
  };
  const first = once();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const r = once();
    if (r.digest !== first.digest) throw new Error(`system run ${i + 1} gave digest ${r.digest}, the warm-up ${first.digest}`);
    times.push(r.ms);
  }
  return {
    virtualNs,
    events: first.events,
    traceEvents: first.traceEvents,
    digest: first.digest,
    medianMs: median(times),
    minMs: Math.min(...times),
    reps,
  };
};

/** The RESULTS.md section for a {@link SystemRunResult}. */
export const renderSystemRun = (r: SystemRunResult): string[] => {
  const sec = r.medianMs / 1000;
  const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
  return [
    '## Whole system: the default scenario',
    '',
    `The default scenario (examples/scenarios/default.json: one of each catalogue device type, ` +
      `their guest programs and an interrupt controller) built and run for ${r.virtualNs / 1e9} virtual seconds, ` +
      `recording the full trace; ${r.reps} timed runs after a warm-up, every run's digest checked equal (${r.digest}).`,
    '',
    '| Virtual time | Clock events | Trace events | Wall time median (min) | Events/s | Virtual/wall |',
    '|--:|--:|--:|--:|--:|--:|',
    `| ${r.virtualNs / 1e9} s | ${fmt(r.events)} | ${fmt(r.traceEvents)} | ${r.medianMs.toFixed(0)} ms (${r.minMs.toFixed(0)} ms) | ${fmt(r.events / sec)} | ${(r.virtualNs / 1e9 / sec).toFixed(1)}× |`,
    '',
  ];
};
