import { expect } from 'vitest';
import type { Device, DeviceProbe } from '../../src/bus/Device';
import type { VirtualClock } from '../../src/clock/VirtualClock';
import type { ValueForecast } from '../../src/shared/ValueForecast';

/** A forecast of a value that holds (until the next sample): what a sample used to mean before forecasts. */
export const held = (value: bigint): ValueForecast => ({ until: Infinity, valueAt: () => value, nextChange: () => undefined });

/**
 * A down-counter's forecast made at `from`: `value` then one less every `period` ns (never below 0),
 * up to `until` (its expiry), like a timer's count without the policy details.
 */
export const countdown = (from: number, value: bigint, period: number, until = Infinity): ValueForecast => ({
  until,
  valueAt: (t) => {
    const v = value - BigInt(Math.floor((t - from) / period));
    return v < 0n ? 0n : v;
  },
  nextChange: (after) => {
    const next = from + (Math.floor((after - from) / period) + 1) * period;
    return next < until ? next : undefined;
  },
});

/** A probe as a device exposes it, found by name (the test fails when it is missing or has no forecast). */
export const probeNamed = (device: Device, name: string): DeviceProbe & { forecast(): ValueForecast } => {
  const probe = device.probes?.find((p) => p.name === name);
  expect(probe, `probe ${name}`).toBeDefined();
  expect(probe!.forecast, `forecast of ${name}`).toBeTypeOf('function');
  return probe as DeviceProbe & { forecast(): ValueForecast };
};

/** A probe to check with {@link expectForecastsHold}, and what a guest would read of it now (default: the probe's own read). */
export interface ForecastCheck {
  readonly probe: DeviceProbe & { forecast(): ValueForecast };
  readonly truth?: () => bigint;
}

/**
 * Steps `clock` ns by ns from now to `to` and checks probes' forecasts as a waveform uses
 * them (the recorder takes one after each piece of work, and draws the span up to the next
 * from it): at each instant without work, the forecast taken after the last work reads what
 * the truth reads then; at an instant with work, the forecast taken after it does; and where
 * the value changes between two pieces of work, the kept forecast's `nextChange` does not
 * pass that instant.
 * @param clock - the device's clock (advanced to `to`)
 * @param checks - the probes, each with its truth
 * @param to - the last instant checked (ns)
 * @param instants - the instants to check, rising, up to `to` (default: every ns after now); `nextChange` is checked between adjacent ones
 * @returns how many times each probe's value changed between instants checked, by probe name, so a test can say the span was not idle
 */
export const expectForecastsHold = (clock: VirtualClock, checks: readonly ForecastCheck[], to: number, instants?: readonly number[]): Record<string, number> => {
  const state = checks.map(({ probe, truth = () => probe.read() }) => ({ probe, truth, kept: probe.forecast(), last: truth(), changes: 0 }));
  for (const s of state) expect(`${s.probe.name} at ${clock.now()}: ${s.kept.valueAt(clock.now())}`).toBe(`${s.probe.name} at ${clock.now()}: ${s.last}`);
  const times = instants ?? Array.from({ length: Math.max(0, to - clock.now()) }, (_, i) => clock.now() + 1 + i);
  let previous = clock.now();
  for (const t of times) {
    if (t <= previous || t > to) throw new Error(`expectForecastsHold: instants must rise from ${previous} to ${to}, not ${t}`);
    const executed = clock.executedCount;
    clock.advanceTo(t);
    // Work since the last instant checked: the forecast taken now stands for the one taken after it.
    const worked = clock.executedCount !== executed;
    const adjacent = t === previous + 1;
    previous = t;
    for (const s of state) {
      const now = s.truth();
      if (!worked && adjacent && now !== s.last) {
        const next = s.kept.nextChange(t - 1);
        if (next === undefined || next > t) expect.fail(`${s.probe.name}: nextChange(${t - 1}) = ${next} passes the change at ${t}`);
      }
      if (worked) s.kept = s.probe.forecast();
      else if (t > s.kept.until) expect.fail(`${s.probe.name}: a forecast kept past its end (${s.kept.until}) at ${t} with no work`);
      const shown = s.kept.valueAt(t);
      // expect only on a difference: the loop runs once per ns
      if (shown !== now) expect(`${s.probe.name} at ${t}: ${shown}`).toBe(`${s.probe.name} at ${t}: ${now}`);
      if (now !== s.last) s.changes++;
      s.last = now;
    }
  }
  return Object.fromEntries(state.map((s) => [s.probe.name, s.changes]));
};
