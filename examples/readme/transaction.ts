// The README's transaction example (test/readme/readmeExamples.spec.ts): the intermediate zero
// is never evaluated, so the timer neither triggers nor reloads from it.
import assert from 'node:assert/strict';
import { PTimer, VirtualClock } from 'ptimer-rx';

const clock = new VirtualClock();
let triggers = 0;
const timer = new PTimer(clock, { onTrigger: () => { triggers++; } });
timer.transaction((t) => t.setPeriod(10));
// #region readme
timer.transaction((t) => {
  t.setLimit(0, true);   // an intermediate zero...
  t.setLimit(5, true);   // ...is never seen: only the final state is evaluated
  t.run(false);
});                      // a trigger this causes is delivered here, once, before transaction() returns
// #endregion readme

assert.equal(triggers, 0, 'no trigger from the zero');
assert.equal(timer.getCount(), 5n);
assert.equal(timer.getLimit(), 5n);
// A transaction that does cause one delivers it at commit, before transaction() returns.
timer.transaction((t) => t.setCount(0));
assert.equal(triggers, 1);
