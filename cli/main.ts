// `npm start`: the built-in default simulation. A timer-backed device (a down-counter
// and an interrupt-status bit set by the trigger callback) runs on a VirtualClock while a
// guest polls both registers around each expiry; every read is printed, and a read that
// sees the reloaded counter with the status still clear (the bottom-half race) is flagged.
import { PTimer, VirtualClock, policyName, type PTimerPolicy } from '../index';

const PERIOD_NS = 1_000; // 1 MHz input clock
const LIMIT = 4;
const EXPIRIES = 3;
const POLICY: readonly PTimerPolicy[] = ['WRAP_AFTER_ONE_PERIOD', 'NO_COUNTER_ROUND_DOWN', 'TRIGGER_ONLY_ON_DECREMENT'];

const clock = new VirtualClock();
let intStatus = 0;
const lines: string[] = [];
const timer = new PTimer(clock, {
  name: 'timer0',
  policy: POLICY,
  onTrigger: ({ time }) => {
    intStatus = 1;
    lines.push(`${String(time).padStart(8)} ns  expiry      counter reloads, INTSTATUS <- 1 (same step, G1)`);
  },
});

timer.transaction((t) => {
  t.setPeriod(PERIOD_NS);
  t.setLimit(LIMIT, true);
  t.run(false);
});

let inconsistent = 0;
let previous = timer.getCount();
const span = (LIMIT + 1) * PERIOD_NS; // W: the counter rests at 0 for one period
const end = LIMIT * PERIOD_NS + (EXPIRIES - 1) * span;
for (let at = 0; at <= end; at += PERIOD_NS / 2) {
  clock.advanceTo(at);
  const count = timer.getCount();
  const status = intStatus;
  // The counter shows an expiry since the last read (it reached 0, or wrapped from a
  // non-zero value) yet the status is clear: the stale read of the seed. Under W the
  // later 0 -> limit reload is silent by design, so it is not evidence of an expiry.
  const expired = previous !== 0n && (count === 0n || count > previous);
  const bad = expired && status === 0;
  if (bad) inconsistent++;
  lines.push(`${String(at).padStart(8)} ns  guest read  VALUE=${count} INTSTATUS=${status}${bad ? '  <- inconsistent' : ''}`);
  if (status === 1) intStatus = 0; // the guest's handler clears it (W1C)
  previous = count;
}

console.log(`ptimer-rx default simulation: period ${PERIOD_NS} ns, limit ${LIMIT}, policy ${policyName(POLICY)}`);
console.log(lines.join('\n'));
console.log(`\n${EXPIRIES} expiries, ${lines.length - EXPIRIES} guest reads, ${inconsistent} inconsistent observations (synchronous delivery)`);
process.exitCode = inconsistent === 0 ? 0 : 1;
