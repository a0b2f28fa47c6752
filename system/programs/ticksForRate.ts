import { divisorOf, minTicksOf } from '../catalogue/CatalogueChannel';
import type { TimerChannel } from '../catalogue/DeviceType';
import { isPositive, requireOption } from './requireOption';

const range = (channel: TimerChannel): string => `from ${minTicksOf(channel)} to ${channel.maxTicks}`;

/** `n` cycles of the channel's clock, or `n` counter steps of `divisor` cycles each. */
const inSteps = (channel: TimerChannel): string => (divisorOf(channel) === 1 ? 'cycles' : `steps of ${divisorOf(channel)} cycles`);

/**
 * The `ticks` that make a channel expire `hz` times per second: round(clockHz / divisor / hz),
 * the counter stepping once every `divisor` cycles of the channel's clock (1 for most channels).
 * @param channel - the channel (its `minTicks` and `maxTicks` bound the result)
 * @param clockHz - the frequency of the channel's clock
 * @param hz - expiries per second wanted
 * @param what - where `hz` was given, for the error
 * @returns the ticks
 * @throws SystemConfigError for a rate that is not positive, a stopped clock, or ticks outside the channel's range
 */
export const ticksForRate = (channel: TimerChannel, clockHz: number, hz: number, what: string): number => {
  requireOption(isPositive(clockHz), clockHz, `the ${channel.clock} clock must run (a positive frequency in Hz)`, what);
  requireOption(isPositive(hz), hz, 'must be a positive number of Hz', what);
  const divisor = divisorOf(channel);
  const ticks = Math.round(clockHz / divisor / hz);
  requireOption(
    ticks >= minTicksOf(channel) && ticks <= channel.maxTicks,
    hz,
    `gives round(${clockHz}${divisor === 1 ? '' : ` / ${divisor}`} / ${hz}) = ${ticks} ${inSteps(channel)} of ${channel.clock} per expiry; channel ${channel.name} takes ${range(channel)}`,
    what,
  );
  return ticks;
};

/**
 * The `ticks` that a span of `ns` lasts on a channel's clock: round(ns * clockHz / divisor / 1e9).
 * @param channel - the channel (its `minTicks` and `maxTicks` bound the result)
 * @param clockHz - the frequency of the channel's clock
 * @param ns - the span, whole ns
 * @param what - where `ns` was given, for the error
 * @returns the ticks
 * @throws SystemConfigError for a span or clock that is not positive, or ticks outside the channel's range
 */
export const ticksForDuration = (channel: TimerChannel, clockHz: number, ns: number, what: string): number => {
  requireOption(isPositive(clockHz), clockHz, `the ${channel.clock} clock must run (a positive frequency in Hz)`, what);
  requireOption(isPositive(ns) && Number.isSafeInteger(ns), ns, 'must be a positive whole number of ns', what);
  const divisor = divisorOf(channel);
  const ticks = Math.round((ns * clockHz) / divisor / 1e9);
  requireOption(
    ticks >= minTicksOf(channel) && ticks <= channel.maxTicks,
    ns,
    `gives round(${ns} ns × ${clockHz} Hz${divisor === 1 ? '' : ` / ${divisor}`}) = ${ticks} ${inSteps(channel)} of ${channel.clock}; channel ${channel.name} takes ${range(channel)}`,
    what,
  );
  return ticks;
};
