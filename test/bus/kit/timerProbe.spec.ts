import { describe, expect, it } from 'vitest';
import { DeviceConfigError, PTimer, VirtualClock, cycleCounterProbe, timerProbe, type DeviceProbe } from '../../../index';

/** read() at every ns from `from` to `to` (advancing the clock), and the forecast taken at `from` over the same span. */
const compare = (clock: VirtualClock, probe: DeviceProbe, from: number, to: number): { read: bigint[]; forecast: bigint[]; changes: number[]; nextChanges: number[] } => {
  clock.advanceTo(from);
  const f = probe.forecast!();
  const read: bigint[] = [];
  const forecast: bigint[] = [];
  const changes: number[] = [];
  for (let t = from; t <= to; t++) {
    clock.advanceTo(t);
    const v = probe.read();
    if (read.length > 0 && v !== read.at(-1)) changes.push(t);
    read.push(v);
    forecast.push(f.valueAt(t));
  }
  const nextChanges: number[] = [];
  for (let t = f.nextChange(from); t !== undefined && t <= to; t = f.nextChange(t)) nextChanges.push(t);
  return { read, forecast, changes, nextChanges };
};

const running = (clock: VirtualClock, limit: number, period: number): PTimer => {
  const timer = new PTimer(clock, { policy: ['WRAP_AFTER_ONE_PERIOD', 'NO_COUNTER_ROUND_DOWN'] });
  timer.transaction((t) => {
    t.setPeriod(period);
    t.setLimit(limit, true);
    t.run(false);
  });
  return timer;
};

describe('timerProbe (device kit)', () => {
  it('a down-counter: reads the count, and its forecast is what read() gives at every ns up to the expiry', () => {
    const clock = new VirtualClock();
    const timer = running(clock, 9, 7);
    const probe = timerProbe(timer, { name: 'value', width: 32 });
    const seen = compare(clock, probe, 3, Number(timer.deadline) - 1);
    expect(seen.forecast).toEqual(seen.read);
    expect(seen.nextChanges).toEqual(seen.changes);
    expect(seen.changes.length).toBeGreaterThan(5);
  });

  it('an up-counter over [0, limit]: limit - count, with the limit read as state when sampled', () => {
    const clock = new VirtualClock();
    const timer = running(clock, 9, 5);
    let load = 9;
    const probe = timerProbe(timer, { name: 'up', width: 8, state: () => [load] as const, value: (count, [l]) => BigInt(l) - count });
    expect(probe.read()).toBe(0n);
    const seen = compare(clock, probe, 0, 40);
    expect(seen.forecast).toEqual(seen.read);
    expect(seen.read.slice(0, 12)).toEqual([0n, 0n, 0n, 0n, 0n, 0n, 1n, 1n, 1n, 1n, 1n, 2n]);
    // A forecast keeps the state of its moment: changing the device state afterwards does not change it.
    const before = probe.forecast!();
    load = 100;
    expect(before.valueAt(45)).toBe(BigInt(9) - timer.forecast().valueAt(45));
    const after = probe.forecast!();
    expect(after).not.toBe(before);
    expect(after.valueAt(45)).toBe(100n - timer.forecast().valueAt(45));
  });

  it('is the same forecast while neither the timer nor the state changed, so a recorder keeps one sample', () => {
    const clock = new VirtualClock();
    const timer = running(clock, 9, 5);
    const probe = timerProbe(timer, { name: 'value', width: 32, state: () => ['same'] as const, value: (c) => c });
    const f = probe.forecast!();
    clock.advanceTo(20);
    expect(probe.forecast!()).toBe(f);
    timer.transaction((t) => t.setCount(3));
    expect(probe.forecast!()).not.toBe(f);
  });

  it('takes the value modulo 2^width, as a register holds it (an up-counter below zero wraps)', () => {
    const clock = new VirtualClock();
    const timer = running(clock, 9, 5);
    const probe = timerProbe(timer, { name: 'wrap', width: 16, value: (count) => -count - 1n });
    expect(probe.read()).toBe(0xffffn - 9n);
    expect(probe.forecast!().valueAt(0)).toBe(0xfff6n);
  });

  it('nextChange steps over count changes that leave the value the same (a coarse mapping), at most 64 of them', () => {
    const clock = new VirtualClock();
    const timer = running(clock, 1000, 1);
    const coarse = timerProbe(timer, { name: 'coarse', width: 32, value: (count) => count / 10n });
    const f = coarse.forecast!();
    const first = f.nextChange(0)!;
    expect(f.valueAt(first)).not.toBe(f.valueAt(0));
    expect(f.valueAt(first - 1)).toBe(f.valueAt(0));
    // a constant value: nextChange gives up after 64 count changes (the value there is the same)
    const constant = timerProbe(timer, { name: 'zero', width: 8, value: () => 0 }).forecast!();
    const at = constant.nextChange(0)!;
    expect(constant.valueAt(at)).toBe(0n);
    const count = timer.forecast();
    let sixtyFourth = 0;
    for (let i = 0; i < 64; i++) sixtyFourth = count.nextChange(sixtyFourth)!;
    expect(at).toBe(sixtyFourth);
  });

  it('coarse: nextChange finds a change thousands of counts away (a prescaled value), and undefined when none comes', () => {
    const clock = new VirtualClock();
    const timer = running(clock, 100_000, 3);
    // A value that steps once per 1000 counts: the count divided by a prescaler, as a guest reads it.
    const probe = timerProbe(timer, { name: 'prescaled', width: 32, coarse: true, value: (count) => count / 1000n });
    const f = probe.forecast!();
    const changes: number[] = [];
    for (let t = f.nextChange(0); t !== undefined && changes.length < 5; t = f.nextChange(t)) changes.push(t);
    expect(changes.length).toBe(5);
    for (const at of changes) {
      // the first instant of each new value: different from the instant before
      expect(f.valueAt(at)).not.toBe(f.valueAt(at - 1));
      expect(f.valueAt(at)).toBe(f.valueAt(at - 1) - 1n);
    }
    // Each change is what read() gives then, and the same for the step-through default (the 64th count change).
    clock.advanceTo(changes[2]!);
    expect(probe.read()).toBe(f.valueAt(changes[2]!));
    const stepping = timerProbe(timer, { name: 'stepping', width: 32, value: (count) => count / 1000n }).forecast!();
    expect(stepping.valueAt(stepping.nextChange(changes[2]!)!)).toBe(f.valueAt(changes[2]!));
    // A constant value never changes before the expiry.
    const constant = timerProbe(timer, { name: 'zero', width: 8, coarse: true, value: () => 0 }).forecast!();
    expect(constant.nextChange(changes[2]!)).toBeUndefined();
  });

  it('refuses a bad name, width or mapping, naming the rule', () => {
    const timer = new PTimer(new VirtualClock());
    expect(() => timerProbe(timer, { name: 'v', width: 8, coarse: 1 as never })).toThrow('timerProbe(coarse): 1 is invalid: must be a boolean when present');
    expect(() => timerProbe(timer, { name: '', width: 8 })).toThrow(DeviceConfigError);
    expect(() => timerProbe(timer, { name: 'v', width: 65 })).toThrow('timerProbe(width): 65 is invalid: must be a whole number of bits from 1 to 64');
    expect(() => timerProbe(timer, { name: 'v', width: 8, value: 3 as never })).toThrow('timerProbe(value): 3 is invalid: must be a function when present');
  });
});

describe('cycleCounterProbe (device kit)', () => {
  it('a 24 MHz cycle counter: the forecast equals read() at every ns, each change at ⌈k·125/3⌉ ns', () => {
    const clock = new VirtualClock();
    const origin = { count: 48n, time: 0, hz: 24_000_000 };
    const probe = cycleCounterProbe(clock, { name: 'cnt64', width: 64, origin: () => origin });
    const seen = compare(clock, probe, 0, 500);
    expect(seen.forecast).toEqual(seen.read);
    expect(seen.nextChanges).toEqual(seen.changes);
    expect(seen.changes.slice(0, 4)).toEqual([42, 84, 125, 167]);
    expect(probe.forecast!().until).toBe(Infinity);
  });

  it('wraps at 2^width, is the same forecast while the origin is unchanged, and holds at 0 Hz', () => {
    const clock = new VirtualClock();
    let origin = { count: 0xffn, time: 0, hz: 1_000_000_000 };
    const probe = cycleCounterProbe(clock, { name: 'c', width: 8, origin: () => origin });
    const f = probe.forecast!();
    expect(f.valueAt(1)).toBe(0n);
    expect(probe.forecast!()).toBe(f);
    origin = { count: 7n, time: 0, hz: 0 };
    const stopped = probe.forecast!();
    expect(stopped).not.toBe(f);
    expect(stopped.valueAt(1_000_000)).toBe(7n);
    expect(stopped.nextChange(0)).toBeUndefined();
  });

  it("edge 'after', a cycle given as a ratio, and a mapping: a prescaler counting down from 5 and reloading 3, stepping after each 25 ns edge", () => {
    const clock = new VirtualClock({ start: 100 });
    let origin: { count: bigint; time: number; hz: number; cycle?: { num: bigint; den: bigint } } = { count: 0n, time: 100, hz: 40_000_000 };
    let start = 5;
    const scaler = cycleCounterProbe(clock, {
      name: 'scaler',
      width: 16,
      edge: 'after',
      origin: () => origin,
      state: () => [start, 3] as const,
      value: (ended, [from, reload]) => {
        const left = BigInt(from) - ended;
        return left >= 0n ? left : ((left % BigInt(reload + 1)) + BigInt(reload + 1)) % BigInt(reload + 1);
      },
    });
    const seen = compare(clock, scaler, 100, 400);
    expect(seen.forecast).toEqual(seen.read);
    expect(seen.nextChanges).toEqual(seen.changes);
    // A read at an edge (125 ns) still sees the value before it; the values go 5 4 3 2 1 0, then 3 2 1 0 3 …
    expect(seen.changes.slice(0, 3)).toEqual([126, 151, 176]);
    expect(seen.read.filter((_, i) => (i + 100) % 25 === 1).slice(0, 10)).toEqual([5n, 4n, 3n, 2n, 1n, 0n, 3n, 2n, 1n, 0n]);
    // The state is part of the forecast: a new start is a new forecast.
    const before = scaler.forecast!();
    start = 9;
    expect(scaler.forecast!()).not.toBe(before);
    // QEMU's 32.32 fixed-point cycle at 48 MHz (20.83 ns, floored): the same ratio the device would use.
    origin = { count: 0n, time: 400, hz: 48_000_000, cycle: { num: (1_000_000_000n << 32n) / 48_000_000n, den: 1n << 32n } };
    const qemu = compare(clock, scaler, 400, 600);
    expect(qemu.forecast).toEqual(qemu.read);
    expect(qemu.nextChanges).toEqual(qemu.changes);
    expect(qemu.changes.slice(0, 3)).toEqual([421, 442, 463]);
  });

  it('refuses a bad name, width or origin, and an instant before the forecast was made', () => {
    expect(() => cycleCounterProbe(new VirtualClock(), { name: 'c', width: 8, edge: 'before' as never, origin: () => ({ count: 0n, time: 0, hz: 1 }) })).toThrow(
      'cycleCounterProbe(edge): "before" is invalid: must be \'on\' or \'after\' when present',
    );
    expect(() => cycleCounterProbe(new VirtualClock(), { name: 'c', width: 8, value: 2 as never, origin: () => ({ count: 0n, time: 0, hz: 1 }) })).toThrow(DeviceConfigError);
    const zeroCycle = cycleCounterProbe(new VirtualClock(), { name: 'c', width: 8, origin: () => ({ count: 0n, time: 0, hz: 1, cycle: { num: 0n, den: 1n } }) });
    expect(() => zeroCycle.read()).toThrow('cycleCounterProbe(origin().cycle)');
    expect(() => zeroCycle.forecast!()).toThrow(DeviceConfigError);
    const clock = new VirtualClock({ start: 10 });
    expect(() => cycleCounterProbe(clock, { name: 'c', width: 0, origin: () => ({ count: 0n, time: 0, hz: 1 }) })).toThrow(DeviceConfigError);
    expect(() => cycleCounterProbe(clock, { name: 'c', width: 8, origin: 1 as never })).toThrow('cycleCounterProbe(origin): 1 is invalid: must be a function');
    const f = cycleCounterProbe(clock, { name: 'c', width: 8, origin: () => ({ count: 0n, time: 0, hz: 1 }) }).forecast!();
    expect(() => f.valueAt(9)).toThrow("forecast.valueAt(time): 9 is invalid: must be a whole ns from 10 (when the forecast of 'c' was made) on");
  });
});
