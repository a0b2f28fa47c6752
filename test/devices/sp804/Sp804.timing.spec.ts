// Exact and QEMU timing on the SP804 (#14) at a TIMCLK that is not a whole number of ns per
// cycle: 24 MHz, 41⅔ ns a tick. (Every timer's k-th interrupt: test/devices/catalogue.timing.spec.ts.)
import { describe, expect, it } from 'vitest';
import { Sp804 } from '../../../devices/sp804';
import { ClockInput, VirtualClock, type PTimerTiming } from '../../../index';

const LOAD = 0x00;
const VALUE = 0x04;
const CONTROL = 0x08;
const ENABLE_PERIODIC_32 = (1 << 7) | (1 << 6) | (1 << 1);

const loaded = (timing?: PTimerTiming) => {
  const clock = new VirtualClock({ start: 1_000 });
  const sp804 = new Sp804(clock, { timclk: new ClockInput('timclk', 24_000_000), ...(timing === undefined ? {} : { timing }) });
  sp804.write(CONTROL, 4, ENABLE_PERIODIC_32);
  sp804.write(LOAD, 4, 1_000); // the count restarts from 1000 at this instant (ambiguity 1)
  return { clock, value: () => sp804.read(VALUE, 4) };
};

describe('Sp804 timing (#14)', () => {
  it('exact (the default): Value shows the loaded 1000 at the load instant and for the whole first tick', () => {
    const { clock, value } = loaded();
    expect(value()).toBe(1_000);
    clock.advanceTo(1_041); // 41 ns into the 41⅔ ns tick
    expect(value()).toBe(1_000);
    clock.advanceTo(1_042);
    expect(value()).toBe(999);
  });

  it("timing 'qemu': at the load instant Value reads one less (QEMU floors the countdown: 999), then 1000", () => {
    const { clock, value } = loaded('qemu');
    expect(value()).toBe(999);
    clock.advanceTo(1_001);
    expect(value()).toBe(1_000);
  });
});
