// Exact and QEMU timing on the CMSDK watchdog (#14) at a WDOGCLK that is not a whole number of
// ns per cycle: 24 MHz, 41⅔ ns. A feed reloads the count at the feed's instant, so a fed
// watchdog starts each round afresh in either timing; the timings differ in how long a
// count lasts. Left unfed, WDOGINT rises after WDOGLOAD cycles and WDOGRES WDOGLOAD + 1
// cycles later (the count rests at 0 for one, A1).
import { describe, expect, it } from 'vitest';
import type { PTimerTiming } from '../../../index';
import { INTEN, makeRig, RESEN, UNLOCK, WDOGCONTROL, WDOGLOAD, WDOGLOCK } from './rig';

/** Expiry instants of an unfed watchdog with WDOGLOAD = 24 000 000 (1 s), started at 0. */
const expiries = (timing?: PTimerTiming): number[] => {
  const rig = makeRig({ hz: 24_000_000, ...(timing === undefined ? {} : { timing }) });
  rig.w(WDOGLOCK, UNLOCK);
  rig.w(WDOGLOAD, 24_000_000);
  rig.w(WDOGCONTROL, INTEN | RESEN);
  rig.clock.advanceTo(3_000_000_000);
  expect(rig.device.lines.wdogres.level).toBe(true);
  return rig.events.filter((e) => e.kind === 'expiry').map((e) => e.time);
};

describe('CmsdkApbWatchdog timing (#14)', () => {
  it('exact (the default): WDOGINT after exactly 1 s, WDOGRES at ⌊48 000 001·125/3⌋ = 2 000 000 041 ns', () => {
    // 24 000 000 cycles of 125/3 ns = 10^9 ns; then 24 000 001 more: 48 000 001·125/3 = 2 000 000 041⅔.
    expect(expiries()).toEqual([1_000_000_000, 2_000_000_041]);
  });

  it("timing 'qemu': each count floored, both 1 ns early", () => {
    // QEMU's cycle is 41 + 2 863 311 530·2^-32 ns: 24 000 000 of them are 984 000 000 +
    // ⌊15 999 999.996⌋ = 999 999 999 ns; the next 24 000 001 are 984 000 041 + ⌊16 000 000.663⌋
    // = 1 000 000 041 ns, from 999 999 999: 2 000 000 040.
    expect(expiries('qemu')).toEqual([999_999_999, 2_000_000_040]);
  });
});
