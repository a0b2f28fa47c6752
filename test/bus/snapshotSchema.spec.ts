import { describe, expect, it } from 'vitest';
import {
  checkTimerPart,
  formatSnapshotPath,
  joinSnapshotPath,
  parseSnapshot,
  PTimer,
  PTimerSnapshotError,
  RegisterSnapshotError,
  restoreParts,
  snapshotDeviceName,
  snapshotInteger,
  snapshotObject,
  snapshotPart,
  snapshotSame,
  snapshotTuple,
  snapshotVersion,
  VirtualClock,
} from '../../index';
import { thrown } from '../support/errors';

/** A device snapshot's shape, small: a name, a version, a pair of numbers, two opaque timer parts. */
const SCHEMA = snapshotObject(
  {
    device: snapshotDeviceName('dut'),
    version: snapshotVersion(3),
    clockHz: snapshotSame(1000, "the clock input's rate now"),
    upper: snapshotTuple([snapshotInteger(0, 0xffff), snapshotInteger(0, 0xffff)], 'timer 1, timer 2'),
    nested: snapshotObject({ a: snapshotInteger(0, 1) }, 'an object { a }'),
    timers: snapshotTuple([snapshotPart(), snapshotPart()], 'two timer snapshots'),
  },
  'an object made by Dut.snapshot()',
);
const GOOD = { device: 'dut', version: 3, clockHz: 1000, upper: [1, 2], nested: { a: 1 }, timers: [{}, {}] };

const refusal = (input: unknown): { field: string; value: unknown; rule: string } => {
  const e = thrown(() => parseSnapshot(SCHEMA, input));
  expect(e).toBeInstanceOf(RegisterSnapshotError);
  const { field, value, rule, message } = e as RegisterSnapshotError;
  expect(message).toMatch(/^snapshot field '.*': .* is invalid: .+$/);
  return { field, value, rule };
};

describe('parseSnapshot (#14)', () => {
  it('returns a snapshot that fits its schema', () => {
    expect(parseSnapshot(SCHEMA, GOOD)).toEqual(GOOD);
  });

  it.each<readonly [string, unknown, string, unknown, string]>([
    ['not an object', 7, '(root)', 7, 'must be an object made by Dut.snapshot()'],
    ['another device name', { ...GOOD, device: 'other' }, 'device', 'other', 'must be "dut", the name of the device restoring it'],
    ['no device name', { ...GOOD, device: 5 }, 'device', 5, 'must be a string'],
    ['another version', { ...GOOD, version: 2 }, 'version', 2, 'must be 3'],
    ['a missing field', { ...GOOD, clockHz: undefined }, 'clockHz', undefined, 'is missing'],
    ['another clock rate', { ...GOOD, clockHz: 999 }, 'clockHz', 999, "must equal the clock input's rate now (1000): set it first"],
    ['a bad array entry', { ...GOOD, upper: [1, 0x1_0000] }, 'upper[1]', 0x1_0000, 'must be an integer in [0, 65535]'],
    ['a non-integer entry', { ...GOOD, upper: [1.5, 2] }, 'upper[0]', 1.5, 'must be an integer in [0, 65535]'],
    ['NaN', { ...GOOD, upper: [Number.NaN, 2] }, 'upper[0]', Number.NaN, 'must be an integer in [0, 65535]'],
    ['an array too short', { ...GOOD, timers: [{}] }, 'timers', [{}], 'must be an array of 2 entries (two timer snapshots)'],
    ['an array too long', { ...GOOD, upper: [1, 2, 3] }, 'upper', [1, 2, 3], 'must be an array of 2 entries (timer 1, timer 2)'],
    ['a nested object of the wrong type', { ...GOOD, nested: [] }, 'nested', [], 'must be an object { a }'],
    ['a nested bad field', { ...GOOD, nested: { a: 2 } }, 'nested.a', 2, 'must be an integer in [0, 1]'],
    ['an extra field', { ...GOOD, extra: true }, 'extra', true, 'is not a field of this snapshot (a snapshot has exactly the fields its device writes)'],
    ['a nested extra field', { ...GOOD, nested: { a: 1, b: 0 } }, 'nested.b', 0, 'is not a field of this snapshot (a snapshot has exactly the fields its device writes)'],
  ])('refuses %s, naming the full path, the value and the rule', (_what, input, field, value, rule) => {
    expect(refusal(input)).toEqual({ field, value, rule });
  });

  it('refuses an own __proto__ key (as JSON.parse makes one) at its path, not as the prototype', () => {
    const input = JSON.parse(JSON.stringify(GOOD).replace(/}$/, ',"__proto__":{"device":"dut"}}')) as unknown;
    expect(refusal(input).field).toBe('__proto__');
    const nested = JSON.parse(JSON.stringify({ ...GOOD, nested: { a: 1 } }).replace('{"a":1}', '{"a":1,"__proto__":{"a":0}}')) as unknown;
    expect(refusal(nested).field).toBe('nested.__proto__');
  });

  it('reports the first problem in the order of the schema', () => {
    expect(refusal({ ...GOOD, version: 9, upper: 'x', extra: 1 }).field).toBe('version');
  });
});

describe('snapshot paths', () => {
  it('formats keys and indices, (root) for the empty path', () => {
    expect(formatSnapshotPath([])).toBe('(root)');
    expect(formatSnapshotPath(['timers', 1, 'delta'])).toBe('timers[1].delta');
    expect(formatSnapshotPath(['registers', 'registers', 'CTRL'])).toBe('registers.registers.CTRL');
  });

  it('joins a part with a path inside it; (root) inside is the part itself', () => {
    expect(joinSnapshotPath('timers[1]', 'nextEvent')).toBe('timers[1].nextEvent');
    expect(joinSnapshotPath('timers[1]', '(root)')).toBe('timers[1]');
    expect(joinSnapshotPath('loads', '[2]')).toBe('loads[2]');
  });
});

describe('timer parts (#14)', () => {
  const timerOn = (clock: VirtualClock) => new PTimer(clock, { name: 't', policy: ['WRAP_AFTER_ONE_PERIOD'] });
  const running = () => {
    const clock = new VirtualClock();
    const t = timerOn(clock);
    t.transaction((tx) => {
      tx.setPeriod(10);
      tx.setLimit(5, true);
      tx.run(false);
    });
    clock.advanceTo(12);
    return { clock, t, snap: t.snapshot() as unknown as Record<string, unknown> };
  };

  it("delegates to the timer's own rules: its refusal comes out at <where>.<its field>, with the timer's error as cause", () => {
    const { clock, t, snap } = running();
    const direct = thrown(() => t.restoreState({ ...snap, delta: 'x' })) as PTimerSnapshotError;
    expect(direct).toBeInstanceOf(PTimerSnapshotError);
    const e = thrown(() => checkTimerPart(t, { ...snap, delta: 'x' }, 'timers[1]', clock.now())) as RegisterSnapshotError;
    expect(e).toBeInstanceOf(RegisterSnapshotError);
    expect([e.field, e.value, e.rule]).toEqual(['timers[1].delta', 'x', direct.rule]);
    expect(e.cause).toBeInstanceOf(PTimerSnapshotError);
    expect((thrown(() => checkTimerPart(t, null, 'timer', clock.now())) as RegisterSnapshotError).field).toBe('timer');
  });

  it("applies restoreState's rules for this timer (time, policy, timing, rate clamp) before anything is loaded", () => {
    const { clock, t, snap } = running();
    const fieldOf = (part: unknown, now = clock.now()) => (thrown(() => checkTimerPart(t, part, 'timer', now)) as RegisterSnapshotError).field;
    expect(fieldOf(snap, clock.now() + 1)).toBe('timer.time');
    expect(fieldOf({ ...snap, policy: [] })).toBe('timer.policy');
    expect(fieldOf({ ...snap, rateClamp: true })).toBe('timer.rateClamp');
    // A well-formed snapshot of an exact timer, into this QEMU-timing one.
    const exact = new PTimer(clock, { name: 'e', policy: ['WRAP_AFTER_ONE_PERIOD'], timing: 'exact' });
    expect(fieldOf(exact.snapshot())).toBe('timer.timing');
    const view = checkTimerPart(t, snap, 'timer', clock.now());
    expect(view).toEqual({ where: 'timer', mode: 'periodic', limit: 5n, delta: 5n, timing: 'qemu', period: 10n, periodFrac: 0n, periodNum: 10n, periodDen: 1n });
  });

  it('reads an exact timer part as its exact period (and its fixed-point floor)', () => {
    const clock = new VirtualClock();
    const t = new PTimer(clock, { name: 'e', timing: 'exact' });
    t.transaction((tx) => {
      tx.setPeriodFromClock(24_000_000); // 125/3 ns
      tx.setLimit(7, true);
      tx.run(true);
    });
    clock.advanceTo(100);
    const view = checkTimerPart(t, t.snapshot(), 'timers[0]', clock.now());
    expect(view).toMatchObject({ where: 'timers[0]', mode: 'oneshot', limit: 7n, timing: 'exact', periodNum: 125n, periodDen: 3n, period: 41n });
  });

  it('restoreParts re-throws a part refusal at its full path and puts back the parts loaded before it', () => {
    const { clock, t, snap } = running();
    const other = timerOn(clock);
    const before = [t.snapshot(), other.snapshot()];
    const e = thrown(() =>
      restoreParts([
        [other, snap, 'timers[0]'],
        [t, { ...snap, nextEvent: '1' }, 'timers[1]'],
      ]),
    ) as RegisterSnapshotError;
    expect(e).toBeInstanceOf(RegisterSnapshotError);
    expect(e.field).toBe('timers[1].nextEvent');
    expect([t.snapshot(), other.snapshot()]).toEqual(before);
  });
});
