import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SweepCell } from '../../cli/commands/sweep';
import { runCaptured } from './runCaptured';

// `sweep --check`: a predicate module judges the scenario cells besides the built-in invariants, so a sweep's
// exit-1 path (a sync cell that breaks an invariant) is reachable with the shipped scenarios, whose sync
// delivery breaks none.
const DEFAULT = resolve(__dirname, '../../examples/scenarios/default.json');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ptimer-rx-sweep-check-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ptimer-rx sweep --check', () => {
  it('a predicate broken under sync delivery: that cell is a violation in the table and the summary, and the exit code is 1', async () => {
    const module = join(dir, 'late.mjs');
    writeFileSync(module, "export default ({ time }) => (time >= 200000 ? 'no work at 200 us, please' : undefined);\n");
    const out = join(dir, 'late');
    const r = await runCaptured(['sweep', '--scenarios', DEFAULT, '--modes', 'sync,bh', '--max', '3', '--workers', '1', '--check', module, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const { cells } = JSON.parse(readFileSync(`${out}.json`, 'utf8')) as { cells: SweepCell[] };
    const target = relative(process.cwd(), DEFAULT);
    expect(cells.map(({ millis: _, ...c }) => c)).toEqual(
      (['sync', 'bottom-half'] as const).map((delivery) => ({
        kind: 'scenario',
        target,
        delivery,
        seed: 1,
        verdict: 'violation',
        schedules: 1,
        pruned: 0,
        space: 'bounded',
        violation: { index: 1, message: 'no work at 200 us, please' },
      })),
    );
    expect(r.stdout).toMatch(new RegExp(`^scenario {2}${target} {2}sync {2}1 {2}violation {2}1 {2}0 {2}bounded {2}\\d+ {2}schedule 1: no work at 200 us, please$`, 'm'));
    expect(readFileSync(`${out}.md`, 'utf8')).toMatch(new RegExp(`^\\| scenario \\| ${target} \\| sync \\| 1 \\| violation \\| 1 \\| 0 \\| bounded \\| \\d+ \\| schedule 1: no work at 200 us, please \\|$`, 'm'));
  });

  it('bad input is one line: --check with no scenario cell, a module that cannot load', async () => {
    const none = await runCaptured(['sweep', '--devices', 'sp804', '--check', join(dir, 'late.mjs'), '--out', join(dir, 'none')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('ptimer-rx: --check: its predicates judge scenario cells: give --scenarios (or a matrix with scenarios) (run with --help for usage)\n');
    const missing = join(dir, 'missing.mjs');
    const gone = await runCaptured(['sweep', '--scenarios', DEFAULT, '--check', missing, '--out', join(dir, 'gone')]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(new RegExp(`^ptimer-rx: --check ${missing.replace(/[.]/g, '\\.')}: cannot load: .*\\n$`));
    expect(gone.stdout).toBe('');
  });
});
