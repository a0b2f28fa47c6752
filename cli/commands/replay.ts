import { parseRecordingFile } from '../../system/RecordingFile';
import { buildSystem, parseScenario, ScenarioError } from '../../system/scenario';
import { canonicalTraceEvent } from '../../src/trace/canonicalTraceEvent';
import { CliError } from '../CliError';
import { readTextFile } from './run';
import { describeValue } from '../../src/shared/describeValue';

/**
 * An error in the scenario a recording carries, placed in the file: its
 * header is line 1, the scenario its `scenario` field.
 */
const recordedScenarioError = (file: string, error: unknown): unknown => {
  if (error instanceof ScenarioError) {
    const field = error.path === '(root)' ? 'scenario' : `scenario.${error.path}`;
    return new CliError(`${file}: recording line 1, ${field}: ${describeValue(error.value)} is invalid: ${error.rule}`);
  }
  return error instanceof Error && !(error instanceof CliError) ? new CliError(`${file}: recording line 1, scenario: ${error.message}`) : error;
};

/**
 * `ptimer-rx replay trace.jsonl`: rebuilds the recorded system's devices,
 * replays the recorded guest inputs (not the guest programs) and checks the
 * trace digest.
 * @returns 0 when the digests match, 1 when they differ (the first differing event is printed)
 */
export const replayCommand = (file: string, print: (line: string) => void): number => {
  const text = readTextFile(file);
  let parsed;
  try {
    parsed = parseRecordingFile(text);
  } catch (error) {
    throw new CliError(`${file}: ${error instanceof Error ? error.message : describeValue(error)}`);
  }
  const { header, recording, trace } = parsed;
  let built;
  try {
    built = buildSystem(parseScenario(header.scenario), { guests: false });
  } catch (error) {
    throw recordedScenarioError(file, error);
  }
  const { system } = built;
  // The work is bounded by what the file holds: a replay that makes more events than the recording
  // has already differs from it, so it stops there rather than run to a header's `until` that the
  // recorded inputs do not account for.
  let events = 0;
  const stopWatching = system.watchTrace(() => {
    if (++events > header.events) system.stop();
  });
  let stoppedAt: number | undefined;
  try {
    system.replay(recording);
    const result = system.run(header.until);
    if (result.reason === 'stopped') stoppedAt = result.time;
  } catch (error) {
    throw error instanceof Error && !(error instanceof CliError) ? new CliError(`${file}: ${error.message}`) : error;
  } finally {
    stopWatching();
  }
  const digest = system.digest();
  print(`ptimer-rx replay: ${recording.steps.length} guest steps, ${system.trace.events.length} events, digest ${digest}`);
  if (stoppedAt !== undefined) {
    print(`stopped at ${stoppedAt} ns of the header's ${header.until} ns: the replay had made more events than the recording's ${header.events}`);
  }
  if (digest === header.digest && trace.digest() === header.digest) {
    print(`digest matches the recording (${header.digest})`);
    return 0;
  }
  const a = trace.events;
  const b = system.trace.events;
  let i = 0;
  const same = (x: unknown, y: unknown): boolean => JSON.stringify(x) === JSON.stringify(y);
  while (i < a.length && i < b.length && same(canonicalTraceEvent(a[i], i + 1, 'event'), b[i])) i++;
  print(`digest differs: recorded ${header.digest}, replayed ${digest}`);
  print(`first difference at event ${i + 1}: recorded ${JSON.stringify(a[i] ?? null)}, replayed ${JSON.stringify(b[i] ?? null)}`);
  return 1;
};
