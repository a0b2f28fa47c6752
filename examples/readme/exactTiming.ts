// The README's exact-timing example (test/readme/readmeExamples.spec.ts), and the QEMU-timing
// instants its comment compares it with.
import assert from 'node:assert/strict';
import { PTimer, VirtualClock, type PTimerTiming } from 'ptimer-rx';

const clock = new VirtualClock();
const seen: number[] = [];
// #region readme
const timer = new PTimer(clock, { timing: 'exact', onTrigger: ({ time }) => seen.push(time) });
timer.transaction((t) => {
  t.setPeriodFromClock(24_000_000); // exactly 125/3 ns
  t.setLimit(1, true);
  t.run(false);
});
clock.advanceTo(500); // seen: 41, 83, 125, 166, 208, 250, ... (QEMU timing: 41, 82, 123, ...)
// #endregion readme

assert.deepEqual(seen.slice(0, 6), [41, 83, 125, 166, 208, 250]);
timer.transaction((t) => t.stop());

const instants = (timing: PTimerTiming): number[] => {
  const c = new VirtualClock();
  const at: number[] = [];
  const t = new PTimer(c, { timing, onTrigger: ({ time }) => at.push(time) });
  t.transaction((x) => { x.setPeriodFromClock(24_000_000); x.setLimit(1, true); x.run(false); });
  c.advanceTo(130);
  return at;
};
assert.deepEqual(instants('qemu'), [41, 82, 123]);
assert.deepEqual(instants('exact'), [41, 83, 125]);
