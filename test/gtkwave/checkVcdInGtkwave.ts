// Opens the VCD files the CLI writes in GTKWave (Debian's package, under Xvfb) and
// fails on any warning GTKWave prints while loading them (#15 item 2). Not a vitest
// spec: it needs a display server and an X program, which CI may not have.
//
//   apt-get install gtkwave xvfb          # Debian/Ubuntu: GTKWave 3.3 and xvfb-run
//   npx tsx test/gtkwave/checkVcdInGtkwave.ts
//
// Exit status: 0 when every file loads cleanly (or when gtkwave or xvfb-run is not
// installed: it says so and skips), 1 when GTKWave warned or a signal is missing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../cli/runCli';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What GTKWave prints on stderr for a file it loads without complaint; anything else is a warning. */
const QUIET = [/^$/, /^GTKWave Analyzer v[\d.]+ \(w\)\d{4}-\d{4} BSI$/, /^\[\d+\] (start|end) time\.$/, /^GTKWAVE \| Executing Tcl script '.*'$/];

/** Lists every signal GTKWave loaded (its full hierarchical name), then quits. */
const LIST_SIGNALS = `set n [ gtkwave::getNumFacs ]
for {set i 0} {$i < $n} {incr i} { puts "fac [ gtkwave::getFacName $i ]" }
gtkwave::/File/Quit
`;

const onPath = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/** Runs the CLI in this process; fails on a non-zero exit. */
const cli = async (args: readonly string[]): Promise<void> => {
  let stderr = '';
  const code = await runCli(args, { stdout: () => undefined, stderr: { write: (text) => ((stderr += text), true) } });
  if (code !== 0) throw new Error(`ptimer-rx ${args.join(' ')} exited ${code}: ${stderr}`);
};

/** A VCD to open, and hierarchical names it must show (GTKWave appends `[msb:0]` to vectors). */
interface Check {
  readonly file: string;
  readonly expect: readonly string[];
}

const main = async (): Promise<number> => {
  const missing = ['gtkwave', 'xvfb-run'].filter((c) => !onPath(c));
  if (missing.length > 0) {
    console.log(`skipped: ${missing.join(' and ')} not installed (apt-get install gtkwave xvfb)`);
    return 0;
  }
  const dir = mkdtempSync(join(tmpdir(), 'ptimer-rx-gtkwave-'));
  const script = join(dir, 'list.tcl');
  writeFileSync(script, LIST_SIGNALS);
  await cli(['race', '--out', join(dir, 'race')]);
  await cli(['run', join(ROOT, 'examples/scenarios/cortex-m.json'), '--until', '2ms', '--vcd', join(dir, 'cortex-m.vcd')]);
  // A small cap, so the file has unknown (bx) spans as well as ticks.
  await cli(['run', join(ROOT, 'examples/scenarios/default.json'), '--until', '1ms', '--max-changes', '100', '--vcd', join(dir, 'default.vcd')]);
  await cli(['explore', '--device', 'cmsdk-apb-timer', '--expiries', '1', '--mode', 'bh', '--workers', '1', '--vcd', join(dir, 'counterexample.vcd')]);
  const checks: Check[] = [
    { file: join(dir, 'race', 'race-bottom-half.vcd'), expect: ['ptimer_rx.dut.timer1.value[31:0]', 'ptimer_rx.dut.timer1.expiry', 'ptimer_rx.dut.timint1'] },
    { file: join(dir, 'race', 'race-sync.vcd'), expect: ['ptimer_rx.dut.timer1.value[31:0]', 'ptimer_rx.guest.dut.read'] },
    { file: join(dir, 'cortex-m.vcd'), expect: ['ptimer_rx.systick.current[23:0]', 'ptimer_rx.timer0.value[31:0]', 'ptimer_rx.wdog.value[31:0]'] },
    { file: join(dir, 'default.vcd'), expect: ['ptimer_rx.sp804.timer1.value[31:0]', 'ptimer_rx.pit.cnt64[63:0]', 'ptimer_rx.twd.timer.counter[31:0]'] },
    { file: join(dir, 'counterexample.vcd'), expect: ['ptimer_rx.dut.value[31:0]', 'ptimer_rx.explore.violation'] },
  ];
  let failed = 0;
  for (const { file, expect } of checks) {
    const r = spawnSync('xvfb-run', ['-a', 'gtkwave', '-S', script, file], { encoding: 'utf8', timeout: 120_000 });
    const warnings = (r.stderr ?? '').split('\n').filter((line) => !QUIET.some((q) => q.test(line.trim())));
    const facs = (r.stdout ?? '').split('\n').filter((l) => l.startsWith('fac ')).map((l) => l.slice(4));
    const absent = expect.filter((name) => !facs.includes(name));
    // Every signal sits in a device (and timer) scope under the top one: no flat column of `counter`.
    const flat = facs.filter((name) => name.split('.').length < 3);
    const problems = [
      ...(r.status === 0 ? [] : [`gtkwave exited ${r.status ?? r.signal}`]),
      ...warnings.map((w) => `warning: ${w}`),
      ...absent.map((name) => `missing signal ${name}`),
      ...flat.map((name) => `signal outside a device scope: ${name}`),
    ];
    console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${file}: ${facs.length} signals`);
    for (const p of problems) console.log(`     ${p}`);
    if (problems.length > 0) failed++;
  }
  return failed === 0 ? 0 : 1;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
