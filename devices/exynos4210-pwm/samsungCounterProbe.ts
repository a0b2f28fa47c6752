/**
 * The probe of a Samsung down-counter (TCNTOn of the Exynos4210 PWM timers, CURTICCNT of the
 * RTC's tick counter), with a forecast. Not part of the public API (the folder's index does not
 * export it); devices/exynos4210-rtc uses it.
 */
import type { DeviceProbe } from '../../src/bus/Device';
import { timerProbe } from '../../src/bus/kit/timerProbe';
import type { PTimer } from '../../src/ptimer';
import type { SamsungCounter } from './SamsungCounter';

/**
 * A probe whose value is what {@link SamsungCounter.count} reads, at every instant of its
 * forecast: the ptimer's count, except in the tick at 0 after an expiry whose reload value
 * changed, where the ptimer reads a higher count (the PTimer fault the SP804 header notes, #14)
 * and the counter shows 0. That count is taken as state when the probe is sampled and shows 0:
 * the ptimer reads it for the rest of that tick only, and below it until its next reload, which
 * ends the forecast.
 * @param name - the probe's local name
 * @param timer - the counter's ptimer
 * @param counter - the counter on it
 * @returns the probe (32 bits)
 */
export const samsungCounterProbe = (name: string, timer: PTimer, counter: SamsungCounter): DeviceProbe =>
  timerProbe(timer, {
    name,
    width: 32,
    state: () => {
      const raw = timer.getCount();
      return [counter.count() === 0 && raw !== 0n ? raw : undefined] as const;
    },
    value: (count, [shownAsZero]) => (count === shownAsZero ? 0n : count),
  });
