// The README's System example (test/readme/readmeExamples.spec.ts checks what it prints: one
// progress line per hundredth of the run that a step reached, the time rising, then the totals).
import assert from 'node:assert/strict';
// #region readme
import { ClockInput, CmsdkApbTimer, System, guestWrite } from 'ptimer-rx';

const system = new System();
const pclk = new ClockInput('pclk', 25_000_000);
system.addDevice(new CmsdkApbTimer(system.clock, { pclk, name: 'timer0' }), { base: 0x4000_0000 });
system.addGuest('driver', function* () {
  yield guestWrite(0x4000_0008, 24_999);   // RELOAD: 1 ms rounds
  yield guestWrite(0x4000_0000, 0b1001);   // CTRL: EN | IRQEN
});
system.run(10_000_000, { onProgress: (p) => console.log(p.time) }); // 10 ms; stop() ends a run early
console.log(system.trace.events.length, system.digest());
// #endregion readme

assert.equal(system.clock.now(), 10_000_000);
