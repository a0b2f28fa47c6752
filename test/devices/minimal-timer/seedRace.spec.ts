// The race of seed-ptimer-design-flaw.txt (LP #1777777), step by step, on the minimal
// device: with bottom-half delivery the guest reads the reloaded counter and then a stale
// interrupt status; with synchronous delivery it cannot.
//
// 1 frame = NS_PER_FRAME ns = 1 timer tick. 'ms' in marbles would mean frames: don't use it.
import { describe, expect, it } from 'vitest';
import { MINIMAL_TIMER_REGISTERS, MinimalTimer } from '../../../devices';
import { guestRead, guestWrite, VirtualClock } from '../../../index';
import { devicePipeline, marbles, NS_PER_FRAME, nsScheduler, type Context } from '../../../testing';

const LOAD = guestWrite(0x0, 4);
const START = guestWrite(0x8, 0b11); // EN | IRQEN
const VALUE = guestRead(0x4);
const STATUS = guestRead(0xc);

/**
 * The device already running (LOAD 4 written and EN|IRQEN set at frame 0, before the guest
 * starts: expiries at frames 4, 8, …) and a guest that polls VALUE then INTSTATUS. Starting
 * it first matters: same-frame work runs in the order it was queued (G4), so the expiry,
 * armed before the guest queued its reads, runs first at frame 4, as in the seed's sequence.
 */
const race = (m: Context, delivery: 'sync' | 'bottom-half', guest: string) => {
  m.scheduler.maxFrames = 6; // the diagrams end before the second expiry (frame 8)
  const ns = nsScheduler(m);
  const device = new MinimalTimer(ns, { periodNs: NS_PER_FRAME, delivery });
  for (const a of [LOAD, START]) device.write(a.offset, a.size, a.value);
  const accesses$ = m.cold(guest, { v: VALUE, s: STATUS });
  return devicePipeline(ns, { device, accesses$, registers: MINIMAL_TIMER_REGISTERS, irq: device.irq, timers: [device.timer] });
};

const LABELS = {
  t: 'expiry', //           the timer rolled over (counter reloaded)
  i: 'irq=1', //            the device's callback set INTSTATUS and raised the line
  v: 'VALUE=4', //          the guest sees the reloaded counter…
  s: 'INTSTATUS=0', //      …and an interrupt status that says nothing happened
  p: 'INTSTATUS=1',
};

describe('the seed race (LP #1777777) on the minimal device', () => {
  it('bottom half: tick, rollover, the guest reads the reloaded counter, then a stale status, then the bottom half runs', marbles((m) => {
    const guest =                 '----(vs)';
    const expected =              '----(tvsi)';
    //                                 ^ frame 4, the first expiry: the rollover (counter reloaded), the guest's
    //                                   reads (reloaded VALUE, stale INTSTATUS), and only then the bottom half
    m.expect(race(m, 'bottom-half', guest)).toBeObservable(expected, LABELS);
  }));

  it('G1: synchronous delivery: the same reads see the interrupt pending with the reloaded counter', marbles((m) => {
    const guest =                 '----(vs)';
    const expected =              '----(itvp)';
    //                                 ^ frame 4: reload and IRQ in one step, so both reads agree. The device
    //                                   subscribed to the trigger before the pipeline's label did, so its IRQ
    //                                   shows first; both are inside the expiry step, before any read.
    m.expect(race(m, 'sync', guest)).toBeObservable(expected, LABELS);
  }));
});

/**
 * A guest read of VALUE then INTSTATUS at every ns in [E - 3P, E + 3P] around the first expiry
 * E, queued both before the device arms that expiry (so at E it runs first and sees the overdue
 * counter, 0) and after (so at E it runs after the expiry's work). The legacy counter reads at
 * least 1 from E on until the next expiry, so a non-zero VALUE at or after E shows the reload;
 * the read is inconsistent if INTSTATUS is then 0.
 */
const sweep = (delivery: 'sync' | 'bottom-half', period: number): number => {
  const load = 4;
  const expiry = load * period;
  let inconsistent = 0;
  for (let at = expiry - 3 * period; at <= expiry + 3 * period; at++) {
    for (const placement of ['before', 'after'] as const) {
      const clock = new VirtualClock();
      let device: MinimalTimer | undefined;
      let seen: readonly [number, number] | undefined;
      const readPair = (): void => {
        seen = [device!.read(0x4, 4), device!.read(0xc, 4)];
      };
      if (placement === 'before') clock.schedule(readPair, at);
      device = new MinimalTimer(clock, { periodNs: period, delivery });
      device.write(0x0, 4, load);
      device.write(0x8, 4, 0b11);
      if (placement === 'after') clock.schedule(readPair, at);
      clock.advanceTo(expiry + 4 * period);
      const [value, status] = seen!;
      if (at >= expiry && value !== 0 && status === 0) inconsistent++;
    }
  }
  return inconsistent;
};

describe('G1: sweeping a guest read over every instant around the expiry', () => {
  it('synchronous delivery: no placement sees the reloaded counter without the interrupt pending', () => {
    expect(sweep('sync', 10)).toBe(0);
  });

  it('bottom-half delivery: exactly the read at the expiry instant, after the expiry, sees the stale status', () => {
    expect(sweep('bottom-half', 10)).toBe(1);
  });
});
