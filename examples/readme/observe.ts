// The README's clock-observer example (test/readme/readmeExamples.spec.ts): a minimal timer
// device expiring every 300 µs, watched for 1 ms.
import assert from 'node:assert/strict';
import { MinimalTimer, VirtualClock } from 'ptimer-rx';

const clock = new VirtualClock();
const device = new MinimalTimer(clock, { name: 'dev', periodNs: 100_000 });
device.write(0x0, 4, 3); // LOAD 3
device.write(0x8, 4, 1); // CTRL: EN
// #region readme
const seen: string[] = [];
const stop = clock.observe({
  after: (tag, time) => seen.push(`${tag.kind} ${tag.owner} @${time}`), // after each piece of work
  trigger: (note) => seen.push(`${note.kind} ${note.timer}`),           // a device's trigger emitted / delivered
});
clock.advanceTo(1_000_000);
stop();
// #endregion readme

// Each expiry step: the device's trigger emitted and delivered (synchronously, inside the step),
// then the step itself, observed after it ran.
const round = (at: number): string[] => ['emitted dev.timer', 'delivered dev.timer', `expiry dev.timer @${at}`];
assert.deepEqual(seen, [...round(300_000), ...round(600_000), ...round(900_000)]);
const before = seen.length;
clock.advanceTo(2_000_000);
assert.equal(seen.length, before, 'stop() ended the observation');
