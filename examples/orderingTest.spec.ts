// Write an ordering test with marbles: the seed's race on the minimal timer, in both
// delivery modes. Runs with the suite (vitest includes examples/*.spec.ts); the region is the
// README's ordering test, checked against it by test/readme/readmeExamples.spec.ts.
// #region readme
import { describe, it } from 'vitest';
import { guestRead, MINIMAL_TIMER_REGISTERS, MinimalTimer, type TriggerDelivery } from 'ptimer-rx';
import { devicePipeline, marbles, NS_PER_FRAME, nsScheduler, type Context } from 'ptimer-rx/testing';

// 1 frame = NS_PER_FRAME ns. LOAD 4 with EN: the timer expires at frame 4; the guest reads
// VALUE then INTSTATUS at frame 4, queued after the expiry.
const race = (m: Context, delivery: TriggerDelivery) => {
  const ns = nsScheduler(m);
  const device = new MinimalTimer(ns, { periodNs: NS_PER_FRAME, delivery });
  device.write(0x0, 4, 4); // LOAD
  device.write(0x8, 4, 0b11); // CTRL: EN | IRQEN
  const accesses$ = m.cold('----(vs)', { v: guestRead(0x4), s: guestRead(0xc) });
  return devicePipeline(ns, { device, accesses$, registers: MINIMAL_TIMER_REGISTERS, irq: device.irq, timers: [device.timer] });
};

describe('the seed race, as a marble test', () => {
  it('bottom half: the guest reads the reloaded counter, then a stale status', marbles((m) => {
    m.scheduler.maxFrames = 6;
    m.expect(race(m, 'bottom-half')).toBeObservable('----(tvsi)', {
      t: 'expiry',
      v: 'VALUE=4',
      s: 'INTSTATUS=0',
      i: 'irq=1',
    });
  }));

  it('G1: with synchronous delivery both reads agree', marbles((m) => {
    m.scheduler.maxFrames = 6;
    m.expect(race(m, 'sync')).toBeObservable('----(itvp)', {
      i: 'irq=1',
      t: 'expiry',
      v: 'VALUE=4',
      p: 'INTSTATUS=1',
    });
  }));
});
// #endregion readme
