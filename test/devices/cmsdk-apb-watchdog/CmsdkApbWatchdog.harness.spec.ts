// The catalogue checks (test/support/deviceHarness.ts) on the CMSDK APB watchdog: the G1 read
// sweep around the interrupt and around the reset request, snapshot continuation, fuzz; and the
// snapshot format's validation.
import { describe, expect, it } from 'vitest';
import { CMSDK_APB_WATCHDOG_REGISTERS, CmsdkApbWatchdog, WDOG_UNLOCK_KEY } from '../../../devices/cmsdk-apb-watchdog';
import {
  ClockInput,
  guestRead,
  guestWrite,
  PTimerSnapshotError,
  RegisterSnapshotError,
  VirtualClock,
  type AccessSize,
  type Device,
  type GuestAccess,
  type TriggerDelivery,
} from '../../../index';
import { continuationDigests, fuzzDevice, sweepRace, type RaceProbe } from '../../support/deviceHarness';
import {
  HZ,
  INTEN,
  makeRig,
  RESEN,
  TICK,
  UNLOCK,
  WDOGCONTROL,
  WDOGINTCLR,
  WDOGITCR,
  WDOGITOP,
  WDOGLOAD,
  WDOGLOCK,
  WDOGMIS,
  WDOGRIS,
  WDOGVALUE,
} from './rig';

// 100 MHz WDOGCLK (10 ns per tick), LOAD 4: the first expiry 40 ns after the start.
const P = 10;
const LOAD = 4;
const E1 = LOAD * P;

const started = (clock: VirtualClock, delivery: TriggerDelivery) => {
  const rig = makeRig({ clock, hz: 100_000_000, delivery });
  const start = (): void => {
    rig.w(WDOGLOAD, LOAD);
    rig.w(WDOGCONTROL, INTEN | RESEN);
  };
  return { rig, start };
};

/** The guest reads VALUE, then RIS, around the first expiry. */
const interruptProbe = (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
  const { rig, start } = started(clock, delivery);
  return {
    expiry: E1,
    start,
    readPair: () => [rig.r(WDOGVALUE), rig.r(WDOGRIS) === 1],
    // VALUE never reads 0 before the expiry (hardware-like reads: 1 until then, also when read
    // before the expiry's step at E1); it reads 0 from the expiry for one tick, then LOAD..1.
    showsExpiry: (counter, at) => counter === 0 || at > E1,
  };
};

/**
 * The guest reads VALUE, and the system samples WDOGRES, around the expiry that requests the
 * reset. sweepRace places its reads before or after the arming done in `start()`; a periodic
 * re-arm at the first expiry would come after both placements (FIFO), so `start()` loads the
 * state "interrupt pending, count just reloaded by a WDOGLOAD write" (a snapshot taken at 0 ns
 * with WDOGRIS set): the next expiry, LOAD ticks later, is the reset request, armed in start().
 */
const resetProbe = (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
  const { rig } = started(clock, delivery);
  const origin = started(new VirtualClock(), 'sync');
  origin.start();
  const pending = JSON.parse(JSON.stringify(origin.rig.device.snapshot())) as { registers: { registers: Record<string, number> } };
  pending.registers.registers.WDOGRIS = 1;
  return {
    expiry: E1,
    start: () => rig.device.restore(pending),
    readPair: () => [rig.r(WDOGVALUE), rig.device.wdogres.level],
    // In [E - 3P, E + 3P] VALUE reads 3, 2, 1 before the expiry and 0 from it on (halted, A1).
    showsExpiry: (counter) => counter === 0,
  };
};

describe('CmsdkApbWatchdog against the catalogue checks', () => {
  describe.each([
    ['the interrupt (VALUE, then WDOGRIS)', interruptProbe],
    ['the reset request (VALUE, then WDOGRES)', resetProbe],
  ])('G1 read sweep around %s', (_name, probe) => {
    it('sync delivery: no read sees the counter and the status disagree', () => {
      const r = sweepRace(probe, 'sync', 3 * P);
      expect(r.reads).toBe(2 * (6 * P + 1));
      expect(r.where).toEqual([]);
    });

    it('legacy bottom half: the stale read is at the expiry instant, read after the expiry step', () => {
      expect(sweepRace(probe, 'bottom-half', 3 * P).where).toEqual(['E+0 after']);
    });
  });

  describe('a snapshot mid-run continues in a fresh system with the same digest', () => {
    // 25 MHz, LOAD 100 (4 µs rounds); locked and unlocked writes, a refused feed, a LOAD change
    // that drops RESEN, a halt at 13.1 µs, test mode, then RESEN and a feed that restarts it.
    const at = (t: number, access: GuestAccess) => ({ at: t, access });
    const script = [
      at(0, guestWrite(WDOGLOCK, UNLOCK)),
      at(0, guestWrite(WDOGLOAD, 100)),
      at(0, guestWrite(WDOGCONTROL, INTEN | RESEN)),
      at(0, guestWrite(WDOGLOCK, 1)),
      at(4_500, guestWrite(WDOGINTCLR, 1)), // locked: refused
      at(5_000, guestWrite(WDOGLOCK, UNLOCK)),
      at(5_000, guestWrite(WDOGINTCLR, 1)),
      at(5_000, guestWrite(WDOGLOCK, 1)),
      at(7_000, guestWrite(WDOGLOAD, 0)), // locked: refused
      at(8_500, guestWrite(WDOGLOCK, UNLOCK)),
      at(8_500, guestWrite(WDOGLOAD, 57)),
      at(8_500, guestWrite(WDOGCONTROL, INTEN)), // interrupt at 10 780, reset request (masked) at 13 100
      at(15_000, guestWrite(WDOGITCR, 1)),
      at(15_000, guestWrite(WDOGITOP, 0b11)),
      at(15_500, guestWrite(WDOGITCR, 0)),
      at(16_000, guestWrite(WDOGCONTROL, INTEN | RESEN)), // WDOGRES rises
      at(21_000, guestWrite(WDOGINTCLR, 1)), // restarts the halted counter (A3)
      at(22_000, guestWrite(WDOGLOAD, 0)), // unimplemented event
      at(23_000, guestWrite(WDOGLOAD, 30)),
      ...Array.from({ length: 90 }, (_, i) => at(150 + 333 * i, guestRead([WDOGVALUE, WDOGRIS, WDOGMIS][i % 3]!))),
    ].sort((a, b) => a.at - b.at);
    const make = (line: 'irq' | 'wdogres') => (clock: VirtualClock) => {
      const device = new CmsdkApbWatchdog(clock, { wdogclk: new ClockInput('wdogclk', HZ) });
      return { device, irq: device[line] };
    };
    it.each([
      [6_000, 'irq'],
      [6_000, 'wdogres'],
      [14_000, 'irq'], // halted, reset request latched but masked
      [14_000, 'wdogres'],
      [18_000, 'wdogres'], // WDOGRES high
    ] as const)('snapshot at %i ns, tracing %s', (snapshotAt, line) => {
      const { original, restored } = continuationDigests(make(line), script, snapshotAt, 30_000);
      expect(restored).toBe(original);
    });
  });

  describe('fuzz: nothing throws, both outputs always match the state, runs are deterministic', () => {
    const regs = CMSDK_APB_WATCHDOG_REGISTERS.registers;
    const rig = (shape: (device: CmsdkApbWatchdog) => Device, primed: boolean) => (clock: VirtualClock) => {
      const wdogclk = new ClockInput('wdogclk', HZ);
      const device = new CmsdkApbWatchdog(clock, { wdogclk });
      if (primed) {
        // Runs are short (fast-check draws few steps): start them with the watchdog already
        // running, 8 ticks (320 ns) per round, so that most runs see interrupts and resets.
        device.write(WDOGLOAD, 4, 8);
        device.write(WDOGCONTROL, 4, INTEN | RESEN);
      }
      const expected = () => {
        const s = device.snapshot();
        const v = s.registers.registers;
        const test = (v.WDOGITCR! & 1) === 1;
        return {
          wdogint: test ? (v.WDOGITOP! & 2) === 2 : (v.WDOGRIS! & 1) === 1 && (v.WDOGCONTROL! & INTEN) === INTEN,
          wdogres: test ? (v.WDOGITOP! & 1) === 1 : s.resetRequest && (v.WDOGCONTROL! & RESEN) === RESEN,
        };
      };
      return {
        device: shape(device),
        irq: device.irq,
        clocks: [wdogclk],
        irqFromRegisters: () => {
          const { wdogint, wdogres } = expected();
          // The harness checks one line; WDOGRES is checked here, at the same points.
          if (device.wdogres.level !== wdogres) {
            throw new Error(`at ${clock.now()} ns: WDOGRES ${device.wdogres.level} but the state says ${wdogres}`);
          }
          return wdogint;
        },
      };
    };
    const options = {
      offsets: [...regs.map((r) => r.offset), 0x018, 0x418],
      region: 0x1000,
      maxAdvance: 2_000,
      hzChoices: [0, 3, 1_000_000, 25_000_000, 100_000_000, 2_000_000_000],
      runs: 300,
    };

    it('raw accesses (any offset, size and value) and WDOGCLK changes', () => {
      fuzzDevice(rig(withUnlockKey, false), options);
    });

    it('a running watchdog, accesses shaped into working ones (interrupts, reset requests, halts, lock, test mode), WDOGCLK changes', () => {
      fuzzDevice(rig(shaped, true), options);
    });
  });

  describe('snapshot and restore', () => {
    const halted = () => {
      const rig = makeRig();
      rig.w(WDOGLOAD, 10);
      rig.w(WDOGCONTROL, INTEN);
      rig.clock.advanceTo(10 * TICK + 11 * TICK); // second expiry: request latched (masked), halted
      return rig;
    };

    it('is plain versioned JSON data with the request and the halt', () => {
      const { device } = halted();
      const s = JSON.parse(JSON.stringify(device.snapshot())) as Record<string, unknown>;
      expect(s).toMatchObject({ device: 'cmsdk-apb-watchdog', version: 2, variant: 'cmsdk', resetRequest: true, halted: true, wdogclkHz: HZ });
    });

    it('restores the request and the halt: RESEN then raises WDOGRES, INTCLR restarts the counter', () => {
      const a = halted();
      const b = makeRig({ clock: new VirtualClock({ start: a.clock.now() }) });
      b.device.restore(JSON.parse(JSON.stringify(a.device.snapshot())));
      expect([b.r(WDOGVALUE), b.r(WDOGRIS), b.device.irq.level, b.device.wdogres.level]).toEqual([0, 1, true, false]);
      b.w(WDOGCONTROL, INTEN | RESEN);
      expect(b.device.wdogres.level).toBe(true);
      b.w(WDOGINTCLR, 1);
      b.clock.advanceBy(TICK + 1);
      expect(b.r(WDOGVALUE)).toBe(9);
    });

    const corrupt = (edit: (s: Record<string, unknown>) => void): Record<string, unknown> => {
      const s = JSON.parse(JSON.stringify(halted().device.snapshot())) as Record<string, unknown>;
      edit(s);
      return s;
    };
    type Case = readonly [name: string, snapshot: () => unknown, error: typeof RegisterSnapshotError | typeof PTimerSnapshotError, names: string];
    const registers = (s: Record<string, unknown>): Record<string, number> => (s.registers as { registers: Record<string, number> }).registers;
    it.each<Case>([
      ['not an object', () => 42, RegisterSnapshotError, "'(root)'"],
      ['another version', () => corrupt((s) => (s.version = 1)), RegisterSnapshotError, "'version'"],
      ['a snapshot without its variant (#16)', () => corrupt((s) => delete s.variant), RegisterSnapshotError, "'variant'"],
      ['a flag that is not a boolean', () => corrupt((s) => (s.halted = 1)), RegisterSnapshotError, "'halted'"],
      ['another WDOGCLK rate', () => corrupt((s) => (s.wdogclkHz = 1)), RegisterSnapshotError, "'wdogclkHz'"],
      [
        'a WDOGLOCK holding the key instead of the status',
        () => corrupt((s) => (registers(s).WDOGLOCK = WDOG_UNLOCK_KEY)),
        RegisterSnapshotError,
        'WDOGLOCK',
      ],
      ['a reserved bit set', () => corrupt((s) => (registers(s).WDOGRIS = 2)), RegisterSnapshotError, 'WDOGRIS'],
      // The counter's own refusal, at its full path (#14).
      ['a broken counter', () => corrupt((s) => ((s.timer as Record<string, unknown>).limit = 'x')), RegisterSnapshotError, "'timer.limit'"],
    ])('refuses %s, naming it, and changes nothing', (_name, snapshot, error, names) => {
      const rig = halted();
      const other = makeRig({ clock: new VirtualClock({ start: rig.clock.now() }) });
      other.w(WDOGLOAD, 77);
      other.w(WDOGLOCK, 1);
      const before = JSON.stringify(other.device.snapshot());
      expect(() => other.device.restore(snapshot())).toThrow(error);
      expect(() => other.device.restore(snapshot())).toThrow(names);
      expect(JSON.stringify(other.device.snapshot())).toBe(before);
    });
  });
});

/** The registers the shaped fuzz maps every access onto (the ID registers are left out). */
const FUNCTIONAL = [WDOGLOAD, WDOGVALUE, WDOGCONTROL, WDOGINTCLR, WDOGRIS, WDOGMIS, WDOGLOCK, WDOGITCR, WDOGITOP];

/**
 * A view of the device for the fuzz that turns random accesses into well-formed ones, so that
 * runs of 60 steps reach the states that matter: every access becomes a 32-bit access to a
 * working register (picked by the offset drawn), WDOGLOAD values are cut below 64 ticks,
 * WDOGLOCK writes of odd values carry the key, and WDOGITCR enters test mode 1 time in 4. Raw
 * accesses almost never get there (a 32-bit write of a small WDOGLOAD and one of INTEN are each
 * about 1 step in 700, and most WDOGLOCK writes lock the device for the rest of the run).
 */
const shaped = (device: CmsdkApbWatchdog): Device => {
  const register = (offset: number): number => FUNCTIONAL[offset % FUNCTIONAL.length]!;
  const shape = (at: number, value: number): number => {
    if (at === WDOGLOAD) return value % 64;
    if (at === WDOGLOCK) return value % 2 === 0 ? value : WDOG_UNLOCK_KEY;
    if (at === WDOGITCR) return value % 4 === 0 ? 1 : 0;
    return value % 2 ** 32;
  };
  return {
    ...withUnlockKey(device),
    read: (offset: number) => device.read(register(offset), 4),
    write: (offset: number, _size: AccessSize, value: number) => device.write(register(offset), 4, shape(register(offset), value)),
  };
};

/**
 * A view of the device for the fuzz whose 32-bit writes to WDOGLOCK of a multiple of 3 carry
 * the unlock key instead: random values would almost never draw it, and the device would stay
 * locked for most of each run (fuzzDevice has no value dictionary).
 */
const withUnlockKey = (device: CmsdkApbWatchdog): Device => ({
  name: device.name,
  events$: device.events$,
  read: (offset: number, size: AccessSize) => device.read(offset, size),
  write: (offset: number, size: AccessSize, value: number) =>
    device.write(offset, size, offset === WDOGLOCK && size === 4 && value % 3 === 0 ? WDOG_UNLOCK_KEY : value),
  reset: () => device.reset(),
  snapshot: () => device.snapshot(),
  restore: (snapshot: unknown) => device.restore(snapshot),
});
