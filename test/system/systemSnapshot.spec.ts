// System snapshots are restored exactly or refused (#14): the refusal names the full path, the
// value and the rule, and leaves the system as it was, ready for a retry.
import { describe, expect, it } from 'vitest';
import { describeValue } from '../../src/shared/describeValue';
import type { TraceEvent } from '../../src/trace';
import {
  buildSystem,
  DEFAULT_SCENARIO,
  GUEST_SNAPSHOT_SCHEMA,
  parseScenario,
  SYSTEM_SNAPSHOT_SCHEMA,
  System,
  SystemSnapshotError,
  type Scenario,
  type SystemSnapshot,
} from '../../system';
import { thrown } from '../support/errors';
import { fakeDevice } from '../support/fakeDevice';
import { digestAfter } from './programs/rig';

const AT = 1_234_567; // between instants; dual-poll and axi-clocksource wake at 1.25 ms after dual.timer1's expiry
const END = 3_000_000;

// Taken when the file loads: the it.each tables below are built from it.
const scenario: Scenario = parseScenario(DEFAULT_SCENARIO);
const { good, originalEvents } = ((): { good: SystemSnapshot; originalEvents: readonly TraceEvent[] } => {
  const { system } = buildSystem(scenario);
  system.run(AT);
  const snapshot = JSON.parse(JSON.stringify(system.snapshot())) as SystemSnapshot;
  system.run(END);
  return { good: snapshot, originalEvents: system.trace.events };
})();

const build = (start = AT): System => buildSystem(scenario, { start }).system;

/**
 * A device expiry in `good.pending` with no other work at its instant or 1 ns later: moved 1 ns on,
 * it still passes every check made before the restore begins (it stays in run order), and only its
 * device, re-creating its work, finds it elsewhere. Searched for, not assumed: a device or guest
 * added to the default scenario may land on any given instant.
 */
const LONE_EXPIRY = good.pending.findIndex(
  (e, i) => e.tag.kind === 'expiry' && good.pending.every((o, j) => j === i || (o.time !== e.time && o.time !== e.time + 1)),
);
if (LONE_EXPIRY < 0) throw new Error(`no device expiry is alone at its instant in the default scenario's work at ${AT} ns: pick another AT`);

/** `good` changed by `edit` (a deep copy). */
const tampered = (edit: (s: Record<string, any>) => void): SystemSnapshot => {
  const s = structuredClone(good) as unknown as Record<string, any>;
  edit(s);
  return s as unknown as SystemSnapshot;
};

/** The SystemSnapshotError restoring `snapshot` into a fresh system throws, with the message in the one grammar. */
const refusal = (snapshot: unknown, system = build()): SystemSnapshotError => {
  const error = thrown(() => system.restore(snapshot as SystemSnapshot));
  expect(error).toBeInstanceOf(SystemSnapshotError);
  const e = error as SystemSnapshotError;
  expect(e.message).toBe(`${e.path}: ${describeValue(e.value)} is invalid: ${e.rule}`);
  return e;
};

describe('System.restore: a refused restore changes nothing and can be retried (#14)', () => {
  // Each of these passes every check made before the restore begins and is found only while the
  // state is re-created: the devices restored before the one that refuses, the guests already
  // started, the work queued, all must be undone.
  const LATE = [
    ['the last device refuses its part', (s: Record<string, any>) => (s.devices.intc.registers.STATUS = -1), 'devices.intc.registers.STATUS'],
    ['a mid device refuses its part', (s: Record<string, any>) => (s.devices.axi.registers.registers.TCSR0 = 'x'), 'devices.axi.registers.registers.TCSR0'],
    ['a device expiry listed at another time', (s: Record<string, any>) => (s.pending[LONE_EXPIRY].time += 1), `pending[${LONE_EXPIRY}].time`],
    ['a program refuses its position', (s: Record<string, any>) => (s.guests['timer0-tick'].position.ticks = -1), 'guests.timer0-tick.position.ticks'],
    ['a position that waits elsewhere than its wake', (s: Record<string, any>) => (s.guests['wdog-feed'].position.next += 5), 'guests.wdog-feed.position'],
    ['a device part the device ignores', (s: Record<string, any>) => (s.devices.twd.colour = 'red'), 'devices.twd.colour'],
  ] as const;

  it.each(LATE)('%s: refused at its path, the system unchanged; a retry runs like the original', (_, edit, path) => {
    const system = build();
    const before = system.snapshot();
    // A fresh system's only work: the counters that run from reset, the SLAVIO's (free-running
    // from 0, wrapping at 2^22 steps: 2.1 s) and the i.MX2 WDOG's power-down counter (16 s).
    const work = system.clock.pendingEvents();
    expect(work.map((e) => e.tag)).toEqual([
      ...['system', 'cpu0', 'cpu1'].map((counter) => ({ kind: 'expiry', owner: `slavio.${counter}` })),
      { kind: 'expiry', owner: 'imxwdog.powerdown' },
    ]);
    expect(refusal(tampered(edit), system).path).toBe(path);
    expect(system.snapshot()).toEqual(before);
    expect(system.clock.pendingEvents()).toEqual(work);
    expect(system.trace.events).toEqual([]);
    system.restore(good);
    expect(system.snapshot()).toEqual(good);
    system.run(END);
    expect(system.digest()).toBe(digestAfter(originalEvents, AT));
  });

  it('refuses the same bad snapshot again, then takes the good one', () => {
    const system = build();
    const bad = tampered((s) => (s.guests['timer0-tick'].position.ticks = -1));
    refusal(bad, system);
    refusal(bad, system);
    system.restore(good);
    system.run(END);
    expect(system.digest()).toBe(digestAfter(originalEvents, AT));
  });

  it('a device that throws anything refuses its part; if it cannot take back its own state, the system says so', () => {
    const system = new System({ start: 100 });
    system.addDevice(fakeDevice(system.clock, 'dev'), { base: 0 });
    const snapshot = system.snapshot();
    const e = refusal({ ...snapshot, devices: { dev: { device: 'dev', version: 1, data: 'x', irq: false } } }, system);
    expect(e).toMatchObject({ path: 'devices.dev', rule: 'device "dev" refuses it: dev: malformed snapshot' });
    expect((e.cause as Error).name).toBe('TypeError');
    system.restore(snapshot);
    expect(system.snapshot()).toEqual(snapshot);

    const stubborn = new System({ start: 100 });
    const broken = stubborn.addDevice(fakeDevice(stubborn.clock, 'dev'), { base: 0 });
    broken.restore = () => {
      throw new TypeError('cannot restore at all');
    };
    const partly = refusal(snapshot, stubborn);
    expect(partly).toMatchObject({ path: '(system)', value: 'partly restored' });
    expect((partly.cause as AggregateError).errors.map((x: Error) => x.message)).toEqual([
      'devices.dev: {"device":"dev","version":1,"data":0,"irq":false} is invalid: device "dev" refuses it: cannot restore at all',
      'cannot restore at all',
    ]);
  });

  it('a snapshot taken before the first run restores to a system whose guests start at its first run', () => {
    const original = build(0);
    const snapshot = original.snapshot();
    expect(Object.values(snapshot.guests).every((g) => g.state === 'not-started')).toBe(true);
    original.run(END);
    const restored = build(0);
    restored.restore(snapshot);
    expect(restored.snapshot()).toEqual(snapshot);
    restored.run(END);
    expect(restored.digest()).toBe(original.digest());
  });
});

describe('System.restore: refusals name the full path, the value and the rule (#14)', () => {
  /** Pending events in `good`: the default scenario's count (it grows with the catalogue). */
  const N = good.pending.length;
  it.each([
    ['not an object', 'x', '(root)', 'must be an object'],
    ['another format', { ...good, format: 'x' }, 'format', 'must be "ptimer-rx-system"'],
    ['another version', { ...good, version: 3 }, 'version', 'must be 2'],
    ['a fractional time', { ...good, time: AT + 0.5 }, 'time', 'must be a whole, non-negative number that a safe integer holds'],
    ['an unknown key', { ...good, extra: 1 }, 'extra', 'unknown key; known keys here: format, version, time, devices, guests, pending'],
    ['a device snapshot that is no object', tampered((s) => (s.devices.dual = 7)), 'devices.dual', 'must be an object'],
    ['a guest state with an unknown key', tampered((s) => (s.guests['setup-and-ids'].position = {})), 'guests.setup-and-ids.position', 'unknown key; known keys here (with state "done"): state'],
    ['a guest without a position', tampered((s) => delete s.guests['twd-tick'].position), 'guests.twd-tick.position', "is required: the program's position, as its position() reported it"],
    ['a position that is no JSON', tampered((s) => (s.guests['twd-tick'].position.ticks = Number.NaN)), 'guests.twd-tick.position.ticks', 'must be JSON data'],
    ['an unknown work kind', tampered((s) => (s.pending[2].tag.kind = 'irq')), 'pending[2].tag.kind', 'must be one of: "expiry", "bottom-half", "guest", "tick", "placer", "work"'],
    ['a negative wake rank', tampered((s) => (s.guests['dual-poll'].wake.rank = -1)), 'guests.dual-poll.wake.rank', 'must be a whole, non-negative number that a safe integer holds'],
  ])('%s', (_, snapshot, path, rule) => {
    const e = refusal(snapshot);
    expect(e.path).toBe(path);
    expect(e.rule).toContain(rule);
  });

  it("a device state that drives a level input against the controller's PENDING names the line and both parts", () => {
    // The fed watchdog has INTEN set and RIS clear at AT: setting RIS raises wdog.wdogint once restored, while
    // the controller's PENDING, which follows that line, says it is low.
    const k = scenario.interruptController!.inputs.indexOf('wdog.wdogint');
    const e = refusal(tampered((s) => (s.devices.wdog.registers.registers.WDOGRIS = 1)));
    expect(e.path).toBe('devices.intc.registers.PENDING');
    expect(e.rule).toBe(
      `bit ${k} is input ${k}, the level of line wdog.wdogint, which devices.wdog drives high once restored: the two snapshots disagree (one of them is not a state the system can be in)`,
    );
  });

  it('an own __proto__ key among the devices or guests is refused, not dropped', () => {
    const withProto = (record: 'devices' | 'guests'): unknown => JSON.parse(JSON.stringify(good).replace(`"${record}":{`, `"${record}":{"__proto__":{"device":"x","version":1,"state":"done"},`));
    expect(refusal(withProto('devices'))).toMatchObject({ path: 'devices.__proto__', rule: expect.stringContaining('must not be a name plain objects reserve') as unknown });
    expect(refusal(withProto('guests'))).toMatchObject({ path: 'guests.__proto__' });
  });

  it.each([
    ['a device the system lacks', tampered((s) => (s.devices.extra = { device: 'extra', version: 1 })), 'devices.extra', /is not a device of this system; its devices: timer0, minimal/],
    ['a device left out', tampered((s) => delete s.devices.pit), 'devices.pit', /is required: every device of the system has a snapshot/],
    ["another device's snapshot", tampered((s) => ([s.devices.timer0, s.devices.minimal] = [s.devices.minimal, s.devices.timer0])), 'devices.timer0.device', /must be "timer0", what device "timer0" reports/],
    ['a guest the system lacks', tampered((s) => (s.guests.ghost = { state: 'done' })), 'guests.ghost', /is not a guest of this system/],
    ['a guest left out', tampered((s) => delete s.guests['pit-tick']), 'guests.pit-tick', /is required: every guest of the system has a state/],
    ['one guest not started among started ones', tampered((s) => (s.guests['pit-tick'] = { state: 'not-started' })), 'guests.pit-tick.state', /exactly when every guest is/],
    ['a wake rank on another event', tampered((s) => (s.guests['dual-poll'].wake.rank = 0)), 'guests.dual-poll.wake.rank', /own step \(pending\[0\] is "ptimer 'dual.timer1' expiry"\)/],
    ['a wake rank past the list', tampered((s) => (s.guests['dual-poll'].wake.rank = 99)), 'guests.dual-poll.wake.rank', new RegExp(`there are ${N} pending events`)],
    ['a wake time off its step', tampered((s) => (s.guests['dual-poll'].wake.time += 1)), 'guests.dual-poll.wake.time', /must be the time of its step pending\[2\] \(1250000 ns\)/],
    ['a wake after off its place', tampered((s) => (s.guests['dual-poll'].wake.after = 0)), 'guests.dual-poll.wake.after', /device events listed before its step pending\[2\] at 1250000 ns \(1\)/],
    ['a step of a guest without a wake', tampered((s) => delete s.guests['dual-poll'].wake), 'guests.dual-poll.wake', /is required: the guest has a pending step \(pending\[2\]/],
    ['a step of a done guest', tampered((s) => (s.guests['dual-poll'] = { state: 'done' })), 'guests.dual-poll.state', /must be "waiting": the guest has a pending step/],
    ['a second step of a guest', tampered((s) => s.pending.push({ ...s.pending[2], time: 5e12 })), `pending[${N}]`, /is a second pending step of guest "dual-poll" \(its wake is pending\[2\]\)/],
    ['a step of an unknown guest', tampered((s) => (s.pending[1].tag.owner = 'ghost')), 'pending[1].label', /the label of its tag/],
    ['a label that is not its tag', tampered((s) => (s.pending[0].label = 'x')), 'pending[0].label', /must be "ptimer 'dual.timer1' expiry", the label of its tag/],
    ['events out of run order', tampered((s) => s.pending.push({ ...s.pending[0] })), `pending[${N}].time`, new RegExp(`must not be before pending\\[${N - 1}\\]'s time .*listed in run order`)],
    ['an event due at the snapshot', tampered((s) => (s.pending[0].time = AT)), 'pending[0].time', /must be after the snapshot's time \(1234567 ns\)/],
    ['a placer anchor', tampered((s) => (s.pending[0] = { time: 1_250_000, tag: { kind: 'placer', owner: 'system' }, label: "placer 'system'" })), 'pending[0].tag.kind', /never stay pending/],
    ['a bottom half no device re-creates', tampered((s) => s.pending.push({ time: 5e12, tag: { kind: 'bottom-half', owner: 'axi.timer0' }, label: "bottom-half 'axi.timer0'" })), `pending[${N}]`, /no device re-created it/],
    ['an expiry the devices arm, left out', tampered((s) => s.pending.pop()), 'devices.sp804', /queues ptimer 'sp804.timer2' expiry at 4294967295000 ns, which pending does not list/],
  ])('%s', (_, snapshot, path, rule) => {
    const e = refusal(snapshot);
    expect(e.path).toBe(path);
    expect(e.rule).toMatch(rule);
  });

  it("prefixes a device's refusal with devices.<name>, keeping its error as the cause", () => {
    const e = refusal(tampered((s) => (s.devices.timer0.registers.registers.CTRL = 2 ** 40)));
    expect(e).toMatchObject({ path: 'devices.timer0.registers.registers.CTRL', value: 2 ** 40 });
    expect(e.rule).toMatch(/^device "timer0" refuses it: /);
    expect((e.cause as Error).name).toBe('RegisterSnapshotError');
  });

  it("prefixes a program's refusal of its position with guests.<name>", () => {
    expect(refusal(tampered((s) => (s.guests['avalon-poll'].position.extra = 1)))).toMatchObject({
      path: 'guests.avalon-poll.position.extra',
      rule: 'unknown key; pollingReader reports next, polls, pending, lastCounter, lastStatus',
    });
  });

  it('the schemas are public and say the same', () => {
    expect(SYSTEM_SNAPSHOT_SCHEMA.safeParse(good).success).toBe(true);
    expect(GUEST_SNAPSHOT_SCHEMA.safeParse(good.guests['dual-poll']).success).toBe(true);
    expect(GUEST_SNAPSHOT_SCHEMA.safeParse({ state: 'waiting' }).success).toBe(false);
  });
});
