// Device snapshots are restored exactly or refused (#14), on every catalogue device.
//
// Real snapshots of each device in several reachable states (idle, running periodic,
// one-shot, interrupt pending, mid-countdown, clock stopped; driven by guest writes and
// clock advances) are mutated field by field: every node of every snapshot gets a few
// mutations drawn by fast-check (numbers to other numbers, negative, huge, NaN,
// fractional; strings to other strings and bigint decimal strings; booleans flipped;
// fields removed, extra fields and own `__proto__` keys added, arrays shortened and
// lengthened, wrong types), plus a property run over random (state, node, mutation).
// Each mutant is restored into a fresh device built the same way at the same time:
// - refused: a RegisterSnapshotError whose path is the mutated field (or lies inside it, or
//   is the list the mutated element is in: a timer's policy refused as a whole), or whose
//   rule names the mutated field (a cross-field rule the mutation broke); inside
//   a timer part, exactly the field the timer itself refuses. The device is unchanged
//   (same snapshot, same work on the clock), and the real snapshot then restores.
// - accepted: the device's own snapshot equals the mutant (a timer part as the timer
//   itself restores it), and running on (clock advances, guest reads and writes) throws
//   no TypeError.
// And the other way round, so that the rules refuse no state a device can reach: random
// guest activity (register writes, driver starts and acknowledges, clock advances, clock
// rate changes) is snapshotted every few steps, and every snapshot restores exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PTimer, RegisterSnapshotError, VirtualClock } from '../../index';
import { DEVICE_TYPES } from '../../system/catalogue/catalogue';
import { ticksAtLeast, type CatalogueDeviceType } from '../../system/catalogue/CatalogueChannel';
import { build, json, perform, statesOf, timingOf, type Json, type Rig, type State } from '../support/catalogueStates';
import { runs, seedFor } from '../support/depth';

const SEED = seedFor(0x5eed_0014);
/**
 * Mutations drawn for every node of every state's snapshot: one in a normal run (the sweep is most
 * of this file's time; the property below draws more at random), four in a deep one (PTIMER_DEEP=1).
 */
const PER_NODE = runs(1, 4);
/** Random (state, node, mutation) triples per device type, on top of the sweep. */
const PROPERTY_RUNS = runs(120, 1_000);
/** Random guest runs per device type whose every snapshot must restore (the rules refuse no reachable state). */
const GUEST_RUNS = runs(80, 600);

type Key = string | number;

/** toEqual, through a cheap text comparison first (vitest's deep equality is slow in a loop of thousands). */
const expectEqual = (actual: unknown, expected: unknown, message: string): void => {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) expect(actual, message).toEqual(expected);
};

// ---- mutations ---------------------------------------------------------------------

interface Node {
  readonly path: readonly Key[];
  readonly value: unknown;
}

const nodesOf = (value: unknown, path: readonly Key[] = []): Node[] => {
  const out: Node[] = path.length === 0 ? [] : [{ path, value }];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...nodesOf(v, [...path, i])));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out.push(...nodesOf(v, [...path, k]));
  return out;
};

const pathText = (path: readonly Key[]): string => {
  let text = '';
  for (const key of path) text += typeof key === 'number' ? `[${key}]` : text === '' ? key : `.${key}`;
  return text === '' ? '(root)' : text;
};

/** A mutation: what it does to the snapshot and the path of the field it changes. */
interface Mutation {
  readonly label: string;
  readonly path: readonly Key[];
  readonly apply: (snapshot: Json) => Json;
}

const parentOf = (root: Json, path: readonly Key[]): Record<Key, unknown> => {
  let v = root as Record<Key, unknown>;
  for (const key of path.slice(0, -1)) v = v[key] as Record<Key, unknown>;
  return v;
};

const setAt = (path: readonly Key[], value: unknown) => (snapshot: Json): Json => {
  const copy = structuredClone(snapshot);
  parentOf(copy, path)[path[path.length - 1]!] = value;
  return copy;
};

const removeAt = (path: readonly Key[]) => (snapshot: Json): Json => {
  const copy = structuredClone(snapshot);
  const parent = parentOf(copy, path);
  const key = path[path.length - 1]!;
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete parent[key];
  return copy;
};

/** An own `key` property, even `__proto__` (as JSON.parse makes one). */
const addKey = (path: readonly Key[], key: string, value: unknown) => (snapshot: Json): Json => {
  const copy = structuredClone(snapshot);
  const target = partAt(copy, path);
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
};

const WRONG_TYPES: readonly unknown[] = [null, 'x', 0, true, [], {}];
const NUMBERS: readonly number[] = [-1, -0, 0.5, 2 ** 16, 2 ** 32 - 1, 2 ** 32, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, Number.NaN, Infinity, -Infinity];
const STRINGS: readonly string[] = [
  '',
  'x',
  '-1',
  '01',
  ' 1',
  '1e3',
  '0x10',
  '1.5',
  '18446744073709551615',
  '18446744073709551616',
  '340282366920938463463374607431768211456',
  'stopped',
  'periodic',
  'oneshot',
  'dut2',
  'WRAP_AFTER_ONE_PERIOD',
];

/** The mutations fast-check draws for one node. */
const mutationArb = (node: Node): fc.Arbitrary<Mutation> => {
  const { path, value } = node;
  const last = path[path.length - 1];
  const inArray = typeof last === 'number';
  const replace = (label: string, arb: fc.Arbitrary<unknown>): fc.Arbitrary<Mutation> =>
    arb.map((v) => ({ label: `${label} ${JSON.stringify(v) ?? String(v)}`, path, apply: setAt(path, v) }));
  const options: fc.WeightedArbitrary<Mutation>[] = [
    { arbitrary: replace('wrong type', fc.constantFrom(...WRONG_TYPES)), weight: 1 },
    // Removing an array's entry shortens the array: the field changed is the array.
    { arbitrary: fc.constant({ label: 'removed', path: inArray ? path.slice(0, -1) : path, apply: removeAt(path) }), weight: 1 },
  ];
  const add = (weight: number, ...arbs: fc.Arbitrary<Mutation>[]): void => {
    for (const arbitrary of arbs) options.push({ arbitrary, weight });
  };
  if (typeof value === 'number') {
    add(1, replace('number', fc.constantFrom(...NUMBERS, value + 1, value - 1, value + 0.5, -value, value * 2 + 1)), replace('integer', fc.integer()), replace('double', fc.double()));
    // Plausible values (one bit of a register flipped): these reach the cross-field rules.
    add(6, replace('bit flipped', fc.integer({ min: 0, max: 31 }).map((k) => (value ^ 2 ** k) >>> 0)));
  } else if (typeof value === 'string') {
    add(1, replace('string', fc.constantFrom(...STRINGS, `${value}0`, value.slice(1))), replace('decimal', fc.bigInt({ min: 0n, max: 1n << 70n }).map(String)), replace('any string', fc.string({ maxLength: 6 })));
    if (/^(0|[1-9][0-9]*)$/.test(value)) {
      const n = BigInt(value);
      add(4, replace('count nudged', fc.constantFrom(String(n + 1n), String(n > 0n ? n - 1n : 2n), '0', '1', String(n * 2n + 3n))));
    }
    if (['stopped', 'periodic', 'oneshot'].includes(value)) add(6, replace('other mode', fc.constantFrom(...['stopped', 'periodic', 'oneshot'].filter((m) => m !== value))));
  } else if (typeof value === 'boolean') {
    add(4, fc.constant({ label: 'flipped', path, apply: setAt(path, !value) }));
  } else if (Array.isArray(value)) {
    add(
      1,
      fc.constant({ label: 'shortened', path, apply: setAt(path, value.slice(0, -1)) }),
      fc.constant({ label: 'lengthened', path, apply: setAt(path, [...value, value[value.length - 1]]) }),
      fc.constant({ label: 'emptied', path, apply: setAt(path, []) }),
    );
  } else if (typeof value === 'object' && value !== null) {
    add(
      1,
      fc.constantFrom('extra', '__proto__', 'version2').map((key) => ({ label: `extra key ${key}`, path: [...path, key], apply: addKey(path, key, 1) })),
      fc.constant({ label: 'emptied', path, apply: setAt(path, {}) }),
    );
  }
  return fc.oneof(...options);
};

// ---- the oracle --------------------------------------------------------------------

/** Where the timer parts sit: an object carrying a timer snapshot's version, policy and rate clamp. */
const isTimerPart = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && 'policy' in value && 'rateClamp' in value && 'nextEvent' in value;

const timerPartOf = (snapshot: Json, path: readonly Key[]): readonly Key[] | undefined => {
  for (let n = path.length; n >= 1; n--) {
    let v: unknown = snapshot;
    for (const key of path.slice(0, n)) v = (v as Record<Key, unknown>)?.[key];
    if (isTimerPart(v)) return path.slice(0, n);
  }
  return undefined;
};

/** What a timer says of a timer part on its own (restored on a scratch clock at the same time). */
const timerVerdict = (part: unknown, time: number): { readonly field: string } | { readonly snapshot: unknown } => {
  try {
    return { snapshot: PTimer.restore(new VirtualClock({ start: time }), part).snapshot() };
  } catch (error) {
    return { field: (error as { field: string }).field };
  }
};

/** The rule names `path` as a whole field (not as a prefix of another name). */
const names = (rule: string, path: string): boolean => new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_])`).test(rule);

const inside = (field: string, path: string): boolean => field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`);

/**
 * The refused field is the array the mutated entry sits in: a rule on the array as a whole
 * (a timer's policy must be exactly the device timer's flags, so a flag changed into another
 * valid flag is refused at `timer.policy`, not at `timer.policy[1]`).
 */
const arrayOf = (field: string, path: string): boolean => path.startsWith(`${field}[`) && !path.slice(field.length).includes('.');

/** Guest reads of every register, clock advances, acknowledges and restarts: none may throw a TypeError. */
const runOn = (type: CatalogueDeviceType, rig: Rig): void => {
  const { ticks, periodNs } = timingOf(type);
  try {
    for (let k = 0; k < 3; k++) {
      rig.clock.advanceBy(periodNs);
      for (const r of rig.device.registers ?? []) rig.device.read(r.offset, r.size);
    }
    type.channels.forEach((ch, i) => {
      perform(rig.device, ch.acknowledge);
      perform(rig.device, ch.start(ticks[i]!));
    });
    rig.clock.advanceBy(2 * periodNs);
    for (const r of rig.device.registers ?? []) rig.device.read(r.offset, r.size);
  } catch (error) {
    if (error instanceof TypeError) throw error;
  }
};

let mutants = 0;

const check = (type: CatalogueDeviceType, state: State, mutation: Mutation): void => {
  mutants++;
  const mutant = mutation.apply(state.snapshot);
  const where = pathText(mutation.path);
  const part = timerPartOf(state.snapshot, mutation.path);
  const verdict = part === undefined ? undefined : timerVerdict(partAt(mutant, part), state.time);
  const rig = build(type, state.time, state.hz);
  const before = rig.device.snapshot();
  const work = rig.clock.pendingEvents();
  let error: unknown;
  try {
    rig.device.restore(mutant);
  } catch (e) {
    error = e;
  }
  const context = `${type.type} / ${state.name} / ${where}: ${mutation.label}`;
  if (error !== undefined) {
    if (!(error instanceof RegisterSnapshotError)) expect.fail(`${context}: threw ${String(error)}, not a RegisterSnapshotError`);
    const { field, rule } = error;
    if (verdict !== undefined && 'field' in verdict) {
      const want = `${pathText(part!)}${verdict.field === '(root)' ? '' : `.${verdict.field}`}`;
      if (field !== want) expect(field, `${context}: the timer's own refusal, at its path (${rule})`).toBe(want);
    } else if (!inside(field, where) && !arrayOf(field, where) && !names(rule, where)) {
      expect.fail(`${context}: refused at ${field} (${rule}), which neither is the mutated field nor names it`);
    }
    expectEqual(rig.device.snapshot(), before, `${context}: unchanged`);
    expectEqual(rig.clock.pendingEvents(), work, `${context}: no work re-armed`);
    rig.device.restore(state.snapshot); // the real one still restores
    expectEqual(rig.device.snapshot(), state.snapshot, `${context}: then restores`);
    return;
  }
  if (verdict !== undefined && 'field' in verdict) expect.fail(`${context}: accepted a timer part the timer refuses at ${verdict.field}`);
  const expected = verdict !== undefined && 'snapshot' in verdict ? withPart(mutant, part!, verdict.snapshot) : mutant;
  expectEqual(rig.device.snapshot(), expected, `${context}: accepted, so restored exactly`);
  runOn(type, rig);
};

const partAt = (snapshot: Json, path: readonly Key[]): unknown => {
  let v: unknown = snapshot;
  for (const key of path) v = (v as Record<Key, unknown>)?.[key];
  return v;
};

const withPart = (snapshot: Json, path: readonly Key[], value: unknown): Json => setAt(path, value)(snapshot);

// ---- reachable states ----------------------------------------------------------------

/**
 * One step of a random guest: a write to a register, a driver's start or acknowledge of a
 * channel (the catalogue recipes), a clock advance, or (devices that follow their inputs) a
 * clock rate change.
 */
type Step =
  | { readonly kind: 'write'; readonly register: number; readonly value: number }
  | { readonly kind: 'channel'; readonly start: boolean; readonly channel: number; readonly ticks: number }
  | { readonly kind: 'advance'; readonly ns: number }
  | { readonly kind: 'rate'; readonly input: number; readonly factor: 0 | 1 | 2 };

/** Register values a guest writes: any 32-bit value, small counts, single bits and their complements (enables, modes, keys). */
const VALUES = fc.oneof(
  fc.nat({ max: 0xffff_ffff }),
  fc.nat({ max: 40 }),
  fc.nat({ max: 31 }).map((k) => 2 ** k),
  fc.nat({ max: 0xff }).map((b) => b | 0x80 | 0x01),
  fc.constantFrom(0x1acce551, 0x1234_5678, 0x8765_4321, 0xffff_ffff),
);

const stepsFor = (type: CatalogueDeviceType, registers: number, periodNs: number): fc.Arbitrary<readonly Step[]> => {
  const steps: fc.Arbitrary<Step>[] = [
    fc.record({ kind: fc.constant('write' as const), register: fc.nat({ max: registers - 1 }), value: VALUES }),
    fc.record({ kind: fc.constant('advance' as const), ns: fc.nat({ max: 3 * periodNs }) }),
  ];
  // A type with no channel (a counter with no interrupt) is driven by its registers only.
  if (type.channels.length > 0) {
    steps.push(fc.record({ kind: fc.constant('channel' as const), start: fc.boolean(), channel: fc.nat({ max: type.channels.length - 1 }), ticks: fc.integer({ min: 2, max: 12 }) }));
  }
  // The minimal timer's period is fixed at creation: it does not follow its clock input.
  if (type.type !== 'minimal-timer') {
    steps.push(fc.record({ kind: fc.constant('rate' as const), input: fc.nat({ max: type.clocks.length - 1 }), factor: fc.constantFrom(0 as const, 1 as const, 2 as const) }));
  }
  return fc.array(fc.oneof({ arbitrary: steps[0]!, weight: 4 }, { arbitrary: steps[1]!, weight: 3 }, ...steps.slice(2).map((arbitrary) => ({ arbitrary, weight: 1 }))), {
    minLength: 4,
    maxLength: 40,
  });
};

/** Runs random guest steps; after every few, the device's snapshot must restore exactly into a fresh device. */
const guestRun = (type: CatalogueDeviceType, steps: readonly Step[]): void => {
  const rig = build(type, 0);
  const registers = rig.device.registers ?? [];
  const hz: Record<string, number> = Object.fromEntries(type.clocks.map((c) => [c.name, c.hz]));
  steps.forEach((step, k) => {
    try {
      if (step.kind === 'write') {
        const r = registers[step.register % registers.length]!;
        rig.device.write(r.offset, r.size, r.size === 4 ? step.value >>> 0 : step.value % 2 ** (8 * r.size));
      } else if (step.kind === 'channel') {
        const ch = type.channels[step.channel]!;
        perform(rig.device, step.start ? ch.start(ticksAtLeast(ch, step.ticks)) : ch.acknowledge);
      } else if (step.kind === 'advance') {
        rig.clock.advanceBy(step.ns);
      } else {
        const c = type.clocks[step.input]!;
        hz[c.name] = c.hz * step.factor;
        rig.inputs[c.name]!.setHz(hz[c.name]!);
      }
    } catch (error) {
      // A guest that makes a timer fire at every ns ends the run (RunawayError); nothing else may throw.
      if (error instanceof TypeError) throw error;
      return;
    }
    if (k % 4 !== 3 && k !== steps.length - 1) return;
    const snapshot = json(rig.device.snapshot());
    const fresh = build(type, rig.clock.now(), hz);
    try {
      fresh.device.restore(snapshot);
    } catch (error) {
      expect.fail(`${type.type}: a reachable state after ${k + 1} steps was refused: ${String(error)}\n${JSON.stringify(steps.slice(0, k + 1))}`);
    }
    expectEqual(fresh.device.snapshot(), snapshot, `${type.type}: restored exactly after ${k + 1} steps`);
  });
};

// ---- the tests ---------------------------------------------------------------------

describe.each(DEVICE_TYPES.map((t) => [t.type, t] as const))('%s: snapshots are restored exactly or refused (#14)', (_name, type) => {
  const states = statesOf(type);

  it('every real snapshot restores into a fresh device at its time, exactly', () => {
    for (const state of states) {
      const rig = build(type, state.time, state.hz);
      rig.device.restore(state.snapshot);
      expect(json(rig.device.snapshot()), state.name).toEqual(state.snapshot);
    }
  });

  it('every field of every state, mutated: refused naming the field (device unchanged), or restored exactly', () => {
    const before = mutants;
    states.forEach((state, s) => {
      nodesOf(state.snapshot).forEach((node, n) => {
        for (const mutation of fc.sample(mutationArb(node), { seed: SEED + s * 7919 + n, numRuns: PER_NODE })) check(type, state, mutation);
      });
    });
    expect(mutants - before).toBeGreaterThan(100);
  });

  it('random guest activity (writes, clock advances, clock rate changes): every state it reaches restores exactly', () => {
    const registers = build(type, 0).device.registers?.length ?? 1;
    fc.assert(
      fc.property(stepsFor(type, registers, timingOf(type).periodNs), (steps) => guestRun(type, steps)),
      { seed: SEED, numRuns: GUEST_RUNS },
    );
  });

  it('property: random (state, field, mutation)', () => {
    const cases = states.flatMap((state) => nodesOf(state.snapshot).map((node) => ({ state, node })));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: cases.length - 1 }).chain((i) => mutationArb(cases[i]!.node).map((m) => ({ i, m }))),
        ({ i, m }) => check(type, cases[i]!.state, m),
      ),
      { seed: SEED, numRuns: PROPERTY_RUNS },
    );
  });
});

describe('the fuzz itself', () => {
  it(`made at least 3 000 mutants`, () => {
    expect(mutants).toBeGreaterThanOrEqual(3_000);
  });
});
