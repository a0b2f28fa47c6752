// Exact and QEMU timing on the CMSDK dual timer (#14) at a TIMCLK that is not a whole number of
// ns per cycle: 24 MHz, 41⅔ ns a tick. (Every timer's k-th interrupt: test/devices/catalogue.timing.spec.ts.)
import { describe, expect, it } from 'vitest';
import { CmsdkApbDualTimer } from '../../../devices/cmsdk-apb-dualtimer';
import { ClockInput, VirtualClock, type PTimerTiming } from '../../../index';

const LOAD = 0x00;
const VALUE = 0x04;
const CONTROL = 0x08;
const ENABLE_PERIODIC_32 = 0x80 | 0x40 | 0x02;

const loaded = (timing?: PTimerTiming) => {
  const clock = new VirtualClock({ start: 1_000 });
  const dual = new CmsdkApbDualTimer(clock, { timclk: new ClockInput('TIMCLK', 24_000_000), ...(timing === undefined ? {} : { timing }) });
  dual.write(CONTROL, 4, ENABLE_PERIODIC_32);
  dual.write(LOAD, 4, 1_000); // the count restarts from 1000 at this instant
  return { clock, value: () => dual.read(VALUE, 4) };
};

describe('CmsdkApbDualTimer timing (#14)', () => {
  it('exact (the default): TimerXValue shows the loaded 1000 at the load instant and for the whole first tick', () => {
    const { clock, value } = loaded();
    expect(value()).toBe(1_000);
    clock.advanceTo(1_041); // 41 ns into the 41⅔ ns tick
    expect(value()).toBe(1_000);
    clock.advanceTo(1_042);
    expect(value()).toBe(999);
  });

  it("timing 'qemu': at the load instant TimerXValue reads one less (QEMU floors the countdown: 999), then 1000", () => {
    const { clock, value } = loaded('qemu');
    expect(value()).toBe(999);
    clock.advanceTo(1_001);
    expect(value()).toBe(1_000);
  });
});
