// A consumer of the packed package, as an ES module: the public API, typed, with no path into dist/.
import { PTimer, VirtualClock, type PTimerTrigger, type PTimerSnapshot } from 'ptimer-rx';

const clock = new VirtualClock();
const seen: number[] = [];
const timer = new PTimer(clock, { timing: 'exact', onTrigger: (t: PTimerTrigger) => void seen.push(t.time) });
timer.transaction((t) => {
  t.setPeriodFromClock(24_000_000);
  t.setLimit(1, true);
  t.run(false);
});
clock.advanceTo(200);
const snap: PTimerSnapshot = timer.snapshot();
const expected = [41, 83, 125, 166];
if (seen.join() !== expected.join() || snap.timing !== 'exact') {
  throw new Error(`ESM consumer: expiries ${seen.join()} (expected ${expected.join()}), timing ${snap.timing}`);
}
console.log('esm consumer ok');
