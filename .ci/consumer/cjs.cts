// A consumer of the packed package, as CommonJS (require), typed.
import ptimer = require('ptimer-rx');

const clock = new ptimer.VirtualClock();
let count = 0;
const timer = new ptimer.PTimer(clock, { onTrigger: () => void count++ });
timer.transaction((t) => {
  t.setPeriod(1_000);
  t.setLimit(10, true);
  t.run(false);
});
clock.advanceTo(100_000);
if (count !== 10) throw new Error(`CJS consumer: ${count} expiries, expected 10`);
console.log('cjs consumer ok');
