// The README's first example, run by test/readme/readmeExamples.spec.ts; the region is the
// README's text, byte for byte, and the checks after it hold what its comments claim.
import assert from 'node:assert/strict';
// #region readme
import { PTimer, VirtualClock } from 'ptimer-rx';

const clock = new VirtualClock();                 // virtual time, 1 unit = 1 ns
let irqPending = false;
const timer = new PTimer(clock, {
  policy: ['WRAP_AFTER_ONE_PERIOD', 'NO_COUNTER_ROUND_DOWN'], // hardware-like counting
  onTrigger: () => { irqPending = true; },         // runs at the expiry instant, same step as the reload
});
timer.transaction((t) => { t.setPeriod(1_000); t.setLimit(10, true); t.run(false); });
clock.advanceTo(10_000);                           // first expiry: 10 periods of 1 µs
console.log(timer.getCount(), irqPending);         // 0n true (W: rests at 0 for one period)
// #endregion readme

assert.equal(timer.getCount(), 0n);
assert.equal(irqPending, true);
clock.advanceTo(10_999);
assert.equal(timer.getCount(), 0n, 'W: the counter rests at 0 for one period');
clock.advanceTo(11_500);
assert.equal(timer.getCount(), 10n, 'then counts down from the limit again');
