import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exploreRace } from '../../explore/exploreRace';
import { exploreScenario } from '../../explore/exploreScenario';
import { loadScenarioFile } from '../../cli/commands/run';
import type { SweepCell } from '../../cli/commands/sweep';
import { hasRedisServer, startRedis, startWorker, type TestRedis } from '../explore/queue/redisServer';
import { runCaptured } from './runCaptured';

const CORTEX_M = resolve(__dirname, '../../examples/scenarios/cortex-m.json');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ptimer-rx-sweep-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small matrix: the race on two devices and the Cortex-M scenario (two seeds), in both modes. */
const MATRIX = { devices: ['sp804', 'cmsdk-apb-timer'], scenarios: [CORTEX_M], seeds: [1, 2], modes: ['sync', 'bottom-half'], expiries: 2, max: 40 };

const summaryOf = (out: string): { on: string; cells: SweepCell[] } => JSON.parse(readFileSync(`${out}.json`, 'utf8')) as { on: string; cells: SweepCell[] };
/** The cells without their times (which depend on the machine). */
const untimed = (cells: readonly SweepCell[]): Omit<SweepCell, 'millis'>[] => cells.map(({ millis: _, ...c }) => c);

describe('ptimer-rx sweep', () => {
  let local: { on: string; cells: SweepCell[] };

  it('runs every cell of the matrix file, each as the explorer alone finds it, and writes the Markdown and JSON summary', async () => {
    const matrix = join(dir, 'matrix.json');
    writeFileSync(matrix, JSON.stringify(MATRIX));
    const out = join(dir, 'local');
    const r = await runCaptured(['sweep', '--matrix', matrix, '--workers', '1', '--out', out]);
    expect(r.stderr).toBe('');
    local = summaryOf(out);
    // Exit code 0: no sync cell breaks an invariant (SysTick's first reload from 0, at 40 ns, flags
    // nothing, and the observers no longer take that for a G1 break); bottom-half ones do, as expected.
    expect(local.cells.filter((c) => c.delivery === 'sync' && c.verdict === 'violation')).toEqual([]);
    expect(local.cells.filter((c) => c.delivery === 'bottom-half' && c.verdict === 'violation').length).toBeGreaterThan(0);
    expect(r.code).toBe(0);
    expect(local.cells.map((c) => `${c.kind} ${c.target} ${c.delivery} ${c.seed ?? '-'}`)).toEqual([
      'race sp804 sync -',
      'race sp804 bottom-half -',
      'race cmsdk-apb-timer sync -',
      'race cmsdk-apb-timer bottom-half -',
      'scenario examples/scenarios/cortex-m.json sync 1',
      'scenario examples/scenarios/cortex-m.json bottom-half 1',
      'scenario examples/scenarios/cortex-m.json sync 2',
      'scenario examples/scenarios/cortex-m.json bottom-half 2',
    ]);
    const { scenario } = loadScenarioFile(CORTEX_M);
    for (const c of local.cells) {
      const e =
        c.kind === 'race'
          ? exploreRace({ device: c.target, delivery: c.delivery, expiries: 2, maxSchedules: 40 })
          : exploreScenario({ ...scenario, seed: c.seed! }, { delivery: c.delivery, maxSchedules: 40 });
      expect(c).toMatchObject({ schedules: e.schedules, pruned: e.pruned, space: e.exhausted ? 'exhausted' : 'bounded' });
      expect(c.verdict).toBe(e.violation !== undefined ? 'violation' : e.exhausted ? 'pass' : 'bounded');
      expect(c.violation?.index).toBe(e.violation?.index);
    }
    // The race's bottom-half cells break G1; its sync cells cover the whole space.
    expect(local.cells[1]!.verdict).toBe('violation');
    expect(local.cells[0]).toMatchObject({ verdict: 'pass', space: 'exhausted', schedules: 36 });
    const md = readFileSync(`${out}.md`, 'utf8');
    expect(md).toContain('| kind | target | delivery | seed | verdict | schedules | pruned | space | time (ms) | first violation |');
    expect(md).toMatch(/\| race \| sp804 \| sync \|  \| pass \| 36 \| 0 \| exhausted \| \d+ \|  \|/);
    expect(md.split('\n').filter((l) => l.startsWith('| race') || l.startsWith('| scenario'))).toHaveLength(8);
  });

  it('options override the file; a bad field is one line naming the file and the field path, or the option', async () => {
    const matrix = join(dir, 'bad.json');
    writeFileSync(matrix, JSON.stringify({ devices: ['sp804'], modes: ['sync', 'sometimes'] }));
    const bad = await runCaptured(['sweep', '--matrix', matrix, '--out', join(dir, 'bad')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`ptimer-rx: ${matrix}: modes[1]: "sometimes" is invalid: must be one of: "sync", "bottom-half" (run with --help for usage)\n`);
    writeFileSync(matrix, JSON.stringify({ devices: ['sp804'], seed: 3 }));
    const unknown = await runCaptured(['sweep', '--matrix', matrix, '--out', join(dir, 'bad')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(new RegExp(`^ptimer-rx: ${matrix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: seed: .* is invalid: `));
    const seeds = await runCaptured(['sweep', '--seeds', '1,x', '--out', join(dir, 'bad')]);
    expect(seeds.stderr).toBe('ptimer-rx: --seeds[1]: "x" is invalid: must be a number (run with --help for usage)\n');
    const device = await runCaptured(['sweep', '--devices', 'nope', '--modes', 'sync', '--out', join(dir, 'bad')]);
    expect(device.code).toBe(2);
    expect(device.stderr).toMatch(/^ptimer-rx: --devices: "nope" is invalid: is not a catalogue device type/);
  });

  describe.skipIf(!hasRedisServer())('on the queue (redis-server)', () => {
    let redis: TestRedis;
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(async () => {
      await redis?.stop();
    });

    it('the same cells as on threads, from two worker processes', async () => {
      const matrix = join(dir, 'matrix.json');
      const a = startWorker(redis.url);
      const b = startWorker(redis.url);
      try {
        const out = join(dir, 'queue');
        const r = await runCaptured(['sweep', '--matrix', matrix, '--queue', redis.url, '--workers', '2', '--out', out]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0); // as on threads
        const queued = summaryOf(out);
        expect(queued.on).toBe(`the queue ${redis.url} (2 part(s) out at once)`);
        expect(untimed(queued.cells)).toEqual(untimed(local.cells));
        expect(`${a.output()}${b.output()}`).toMatch(/part \S+ finished/);
        expect(await redis.keysOnceSettled()).toEqual([]);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    });
  });
});
