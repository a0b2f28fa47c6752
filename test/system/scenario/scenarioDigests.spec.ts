// The example scenarios' trace digests, pinned (#19): making a run faster (streamed digest,
// lean guest driver, no per-access results) must not change a single byte of its trace, in any
// of the ways a system can record it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TraceDigest } from '../../../src/trace';
import { buildSystem, parseScenario, type BuildOptions } from '../../../system';

/** A scenario file; `default-bh` is the default scenario under legacy bottom-half delivery. */
const scenarioFile = (name: string): unknown => {
  const json = JSON.parse(readFileSync(new URL(`../../../examples/scenarios/${name.replace(/-bh$/, '')}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
  if (name.endsWith('-bh')) json['delivery'] = 'bottom-half';
  return json;
};

/** Digest and event count after `ns` of virtual time, the trace recorded as `options` say. */
const digestOf = (name: string, ns: number, options: BuildOptions): string => {
  const { system } = buildSystem(parseScenario(scenarioFile(name)), options);
  system.run(ns);
  const digest = `${system.digest()}/${system.traceLength}`;
  system.dispose();
  return digest;
};

// Measured before the changes of #19 (commit 95ea8cc), with `ptimer-rx run --until 10ms` as well (default-bh: at bfd6d40).
const PINNED = [
  ['default', 10_000_000, '4cd57ce63656d49d/5101'],
  ['default', 100_000_000, 'b40314cf9865a1cf/49176'],
  ['default-bh', 10_000_000, 'd7b6d3a4c99d7d9d/5101'],
  ['cortex-m', 10_000_000, 'a416c6841f3682ea/335'],
  ['cortex-m', 100_000_000, 'c1164bdce57cbdb5/3260'],
] as const;

describe('example scenario digests', () => {
  it.each(PINNED)('%s to %d ns: kept trace, streamed digest and a TraceDigest sink agree on %s', (name, ns, expected) => {
    expect(digestOf(name, ns, {})).toBe(expected);
    expect(digestOf(name, ns, { keepTrace: false })).toBe(expected);
    const sink = new TraceDigest();
    digestOf(name, ns, { keepTrace: false, traceSinks: [sink], recordInputs: true, sampleProbes: true });
    expect(`${sink.digest()}/${sink.count}`).toBe(expected);
  });
});
