import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../../cli/CliError';
import { replayCommand } from '../../cli/commands/replay';
import { canonicalTraceEvent } from '../../src/trace/canonicalTraceEvent';
import { thrown } from '../support/errors';
import { runCaptured as cli } from './runCaptured';

// `ptimer-rx replay` reads its recording as it replays: here with small reads, so that lines and
// characters are split across them, and the output compared with a default-sized read's.
const DEFAULT = resolve(__dirname, '../../examples/scenarios/default.json');
const dir = mkdtempSync(join(tmpdir(), 'ptimer-rx-replay-'));

/** The command's report lines and exit code (its error, if it throws). */
const replay = (file: string, chunkBytes?: number): { code: number; lines: string[] } => {
  const lines: string[] = [];
  const code = replayCommand(file, (line) => lines.push(line), chunkBytes);
  return { code, lines };
};

const write = (name: string, lines: readonly string[]): string => {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
};

describe('ptimer-rx replay, streamed', () => {
  let recorded: string;
  let lines: string[];
  let digest: string;
  beforeAll(async () => {
    recorded = join(dir, 'run.jsonl');
    const run = await cli(['run', DEFAULT, '--until', '300us', '--trace', recorded]);
    expect(run.code).toBe(0);
    digest = /digest ([0-9a-f]{16})/.exec(run.stdout)![1]!;
    lines = readFileSync(recorded, 'utf8').trimEnd().split('\n');
  });
  const stepLines = (): number => lines.filter((l) => l.startsWith('{"step"')).length;

  it.each([3, 17, 1 << 16])('a recorded run replays with its digest, read %i bytes at a time', (chunk) => {
    const r = replay(recorded, chunk);
    expect(r.code).toBe(0);
    const events = lines.length - 1 - stepLines();
    expect(r.lines).toEqual([`ptimer-rx replay: ${stepLines()} guest steps, ${events} events, digest ${digest}`, `digest matches the recording (${digest})`]);
  });

  it('a tampered event: the first difference names it, with the recorded and the replayed event', () => {
    const bad = [...lines];
    const i = bad.findIndex((l) => l.includes('"kind":"read"'));
    const original = bad[i]!;
    bad[i] = original.replace(/"value":(\d+)/, (_m, v: string) => `"value":${Number(v) + 1}`);
    const event = i - stepLines();
    const r = replay(write('tampered.jsonl', bad), 5);
    expect(r.code).toBe(1);
    // the replay is the run's (same digest); the recorded events are not the header's
    expect(r.lines.slice(1)).toEqual([
      `digest differs: recorded ${digest}, replayed ${digest}`,
      `first difference at event ${event}: recorded ${JSON.stringify(canonicalTraceEvent(JSON.parse(bad[i]!), 1, 'line'))}, replayed ${original}`,
    ]);
  });

  it('a recording with its last events cut (the header adjusted) differs at the first event it lacks', () => {
    const header = JSON.parse(lines[0]!) as { events: number };
    const cut = [JSON.stringify({ ...header, events: header.events - 2 }), ...lines.slice(1, -2)];
    const r = replay(write('cut.jsonl', cut), 7);
    expect(r.code).toBe(1);
    expect(r.lines).toContain(`stopped at ${/stopped at (\d+)/.exec(r.lines.join('\n'))![1]} ns of the header's ${JSON.parse(lines[0]!).until} ns: the replay had made more events than the recording's ${header.events - 2}`);
    expect(r.lines.at(-1)).toBe(`first difference at event ${header.events - 1}: recorded null, replayed ${lines.at(-2)}`);
  });

  it('a recording with events the replay does not make differs at the first of them', () => {
    const header = JSON.parse(lines[0]!) as { events: number };
    const extra = lines.at(-1)!;
    const longer = [JSON.stringify({ ...header, events: header.events + 1 }), ...lines.slice(1), extra];
    const r = replay(write('longer.jsonl', longer), 7);
    expect(r.code).toBe(1);
    expect(r.lines.at(-1)).toBe(`first difference at event ${header.events + 1}: recorded ${extra}, replayed null`);
  });

  it('a bad line is reported as a whole read reports it, before the scenario, a step out of order or the replay', () => {
    const header = JSON.parse(lines[0]!) as { scenario: { devices: { type: string }[] } };
    header.scenario.devices[0]!.type = 'pdp11-clock';
    const badEvent = [JSON.stringify(header), ...lines.slice(1, -1), 'nope'];
    const file = write('both.jsonl', badEvent);
    const error = thrown(() => replay(file, 11));
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toBe(`${file}: recording line ${lines.length}: "nope" is invalid: must be JSON (Unexpected token 'o', "nope" is not valid JSON)`);

    // a step out of time order, and a bad event line after it: the line first, then (fixed) the order
    const s = lines.findIndex((l) => l.startsWith('{"step"'));
    const late = s + stepLines() - 1;
    const disordered = [...lines];
    disordered[late] = disordered[late]!.replace(/^\{"step":\[\d+,/, '{"step":[0,');
    const both = write('order.jsonl', [...disordered.slice(0, -1), 'nope']);
    expect((thrown(() => replay(both, 11)) as Error).message).toMatch(/recording line \d+: "nope" is invalid: must be JSON/);
    const order = write('order2.jsonl', disordered);
    expect((thrown(() => replay(order, 11)) as Error).message).toBe(
      `${order}: replay(steps[${late - s}].time): 0 is invalid: must be a whole ns, not before ${JSON.parse(lines[late - 1]!).step[0]} (steps in time order, none before now)`,
    );
  });

  it('a file that cannot be read', () => {
    expect((thrown(() => replay(join(dir, 'none.jsonl'))) as Error).message).toMatch(/^cannot read .*none\.jsonl: ENOENT/);
    expect((thrown(() => replay(dir)) as Error).message).toMatch(/^cannot read .*: EISDIR/);
  });
});
