import { NEVER } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { MinimalTimer } from '../../../devices/minimal-timer/MinimalTimer';
import { conflicts, FootprintBuilder, type Footprint } from '../../../explore/dpor/Footprint';
import { systemFootprints } from '../../../explore/dpor/systemFootprints';
import { exploreSchedules, type ExplorerRun, type Reduction } from '../../../explore/exploreSchedules';
import { waitForIrq, waitUntil } from '../../../operators/driverCommands';
import { defineRegisterMap, reg32, registerInfoOf } from '../../../src/bus';
import type { Device } from '../../../src/bus/Device';
import { guestRead, guestWrite } from '../../../src/bus/GuestAccess';
import { labelOf } from '../../../src/clock/WorkTag';
import { System } from '../../../system/System';

/** mulberry32: a small seeded generator, so each system is the same on every run. */
const random = (seed: number) => () => {
  let t = (seed += 0x6d2b79f5);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

/** The explored instant: the timers' first expiry (LOAD 4, 100 ns per tick). */
const T = 400;
const TIMER = 0x1000;
const INTC = 0x8000;
const FIFO = 0x9000;

/** A queue device for the tests: POP reads and removes the head (a read with effects, marked in the map); PEEK reads it. */
const FIFO_REGISTERS = defineRegisterMap({ POP: reg32(0x0, {}, { access: 'ro', readEffects: true }), PEEK: reg32(0x4, {}, { access: 'ro' }) });
const fifo = (): Device => {
  let head = 10;
  return {
    name: 'fifo',
    registers: registerInfoOf(FIFO_REGISTERS),
    events$: NEVER,
    read: (offset: number) => (offset === 0 ? head++ : head),
    write: () => undefined,
    reset: () => void (head = 10),
    snapshot: () => ({ device: 'fifo', version: 1, head }) as never,
    restore: () => undefined,
  } as unknown as Device;
};

type Access = readonly ['r' | 'w', number, number];

/** A random small system: 1-2 minimal timers expiring at T (sync or bottom-half), maybe an interrupt controller, the queue and a handler of t0's interrupt, and 2-3 guests each making 1-2 accesses at T. */
const randomSystem = (seed: number) => {
  const rnd = random(seed);
  const pick = <X>(xs: readonly X[]): X => xs[Math.floor(rnd() * xs.length)]!;
  const timers = 1 + Math.floor(rnd() * 2);
  const delivery = rnd() < 0.3 ? ('bottom-half' as const) : ('sync' as const);
  const withIntc = rnd() < 0.5;
  const withFifo = rnd() < 0.4;
  const registers: [number, 'r' | 'w' | 'rw'][] = [];
  for (let t = 0; t < timers; t++) registers.push([TIMER * (t + 1) + 0x4, 'r'], [TIMER * (t + 1) + 0xc, 'rw'], [TIMER * (t + 1) + 0x0, 'rw'], [TIMER * (t + 1) + 0x8, 'w']);
  if (withIntc) registers.push([INTC + 0x0, 'r'], [INTC + 0x8, 'r'], [INTC + 0x4, 'w']);
  if (withFifo) registers.push([FIFO, 'r'], [FIFO + 4, 'r'], [FIFO + 4, 'r']);
  const guests: Access[][] = [];
  const count = 2 + Math.floor(rnd() * 2);
  for (let g = 0; g < count; g++) {
    const accesses: Access[] = [];
    for (let a = 0, n = 1 + Math.floor(rnd() * (count === 3 ? 1.5 : 2)); a < n; a++) {
      const [address, kinds] = pick(registers);
      const kind = kinds === 'rw' ? pick(['r', 'w'] as const) : kinds;
      accesses.push([kind, address, address % 0x10 === 0xc ? 1 : address % 0x10 === 0x8 && address < INTC ? pick([0, 1, 3]) : pick([0, 3, 7])]);
    }
    guests.push(accesses);
  }
  // An interrupt handler woken by t0's line (work one step brings on), which acknowledges it.
  const withIsr = rnd() < 0.5;
  const describe = `${timers} timer(s) ${delivery}${withIntc ? ' + intc' : ''}${withFifo ? ' + fifo' : ''}${withIsr ? ' + isr' : ''}; guests ${guests.map((g) => g.map(([k, a, v]) => `${k}${a.toString(16)}${k === 'w' ? `=${v}` : ''}`).join(' ')).join(' | ')}`;

  /** A fresh run; `seen` gets each complete run's outcome (what every guest read, and every device's final state). */
  const build = (seen: string[] | undefined, learn: boolean, steps?: { label: string; print: Footprint }[][]) => (): ExplorerRun => {
    const system = new System();
    for (let t = 0; t < timers; t++) system.addDevice(new MinimalTimer(system.clock, { name: `t${t}`, periodNs: 100, delivery }), { base: TIMER * (t + 1) });
    if (withIntc) system.addInterruptController('intc', Array.from({ length: timers }, (_, t) => `t${t}.irq`), { base: INTC });
    if (withFifo) system.addDevice(fifo(), { base: FIFO });
    system.addGuest('setup', function* () {
      for (let t = 0; t < timers; t++) {
        yield guestWrite(TIMER * (t + 1), 4);
        yield guestWrite(TIMER * (t + 1) + 8, 0b11);
      }
      if (withIntc) yield guestWrite(INTC + 4, 0b11);
    });
    const reads: number[][] = [...guests.map(() => []), []];
    if (withIsr) {
      system.addGuest('isr', function* () {
        yield waitForIrq(system.line('t0.irq'));
        reads[guests.length]!.push((yield guestRead(TIMER + 0xc)) ?? -1, system.clock.now());
        yield guestWrite(TIMER + 0xc, 1);
      });
    }
    guests.forEach((accesses, g) =>
      system.addGuest(`g${g}`, function* () {
        yield waitUntil(T);
        for (const [kind, address, value] of accesses) {
          if (kind === 'r') reads[g]!.push((yield guestRead(address)) ?? -1);
          else yield guestWrite(address, value);
        }
      }),
    );
    const controllers = withIntc ? [{ name: 'intc', inputs: Array.from({ length: timers }, (_, t) => `t${t}.irq`) }] : [];
    const recorder = learn ? systemFootprints(system, controllers) : undefined;
    // The classes of the unreduced runs are counted from the same footprints, seen from outside the explorer.
    const watcher = steps === undefined ? undefined : systemFootprints(system, controllers);
    const run: { label: string; print: Footprint }[] = [];
    if (watcher !== undefined) {
      system.clock.observe({
        before: () => void watcher.take(),
        after: (tag, time) => {
          if (time < T) return;
          const b = new FootprintBuilder();
          b.merge(watcher.take());
          if (tag.kind === 'expiry' || tag.kind === 'bottom-half') b.write(tag.owner.slice(0, tag.owner.indexOf('.')));
          run.push({ label: labelOf(tag), print: b.take() });
        },
      });
    }
    return {
      clock: system.clock,
      run: () => {
        system.run(T + 100);
        const state = system.deviceNames.map((d) => JSON.stringify(system.device(d).snapshot()));
        seen?.push(`${JSON.stringify(reads)} ${state.join(' ')}`);
        steps?.push(run);
      },
      check: () => undefined,
      ...(recorder === undefined ? {} : { takeFootprint: recorder.take }),
    };
  };
  return { build, describe };
};

/** A run's Mazurkiewicz class: its steps (label and occurrence) and the order of every conflicting pair of different labels. */
const classOf = (run: readonly { label: string; print: Footprint }[]): string => {
  const ids = run.map((s, i) => `${s.label}/${run.slice(0, i).filter((o) => o.label === s.label).length}`);
  const pairs: string[] = [];
  for (let j = 0; j < run.length; j++) for (let i = 0; i < j; i++) if (run[i]!.label !== run[j]!.label && conflicts(run[i]!.print, run[j]!.print)) pairs.push(`${ids[i]}<${ids[j]}`);
  return [...ids].sort().join(',') + ' | ' + pairs.sort().join(',');
};

const explore = (system: ReturnType<typeof randomSystem>, reduce: Reduction, steps?: { label: string; print: Footprint }[][]) => {
  const seen: string[] = [];
  const result = exploreSchedules(system.build(seen, reduce === 'dpor', steps), { reduce, from: T, maxSchedules: 100_000 });
  return { result, outcomes: new Set(seen) };
};

const SEEDS = Array.from({ length: 40 }, (_, i) => 1 + i * 7919);

describe("exploreSchedules, reduce: 'dpor', against the unreduced search on random small systems (#18)", () => {
  it.each(SEEDS)('seed %i: the same outcomes, one schedule per Mazurkiewicz class, never more than the sleep sets', (seed) => {
    const system = randomSystem(seed);
    const steps: { label: string; print: Footprint }[][] = [];
    const full = explore(system, false, steps);
    const sleep = explore(system, true);
    const dpor = explore(system, 'dpor');
    expect(full.result.exhausted && sleep.result.exhausted && dpor.result.exhausted, system.describe).toBe(true);
    // Sound: every final state and every value a guest read in some order is reached.
    expect([...dpor.outcomes].sort(), system.describe).toEqual([...full.outcomes].sort());
    // Exact: one complete schedule per class of orders that differ only by commuting steps.
    const classes = new Set(steps.map(classOf));
    expect(dpor.result.schedules, system.describe).toBe(classes.size);
    expect(dpor.result.schedules, system.describe).toBeLessThanOrEqual(sleep.result.schedules);
  });
});
