// The catalogue checks (test/support/deviceHarness.ts) on the Cortex-A9 private timer and
// watchdog: the G1 read sweep around the private timer's event, the watchdog's event (timer
// mode) and the watchdog's reset (watchdog mode); snapshot continuation; fuzz with PERIPHCLK
// changes; and the snapshot format's validation.
import { describe, expect, it } from 'vitest';
import { CORTEX_A9_TIMER_WATCHDOG_REGISTERS, CortexA9TimerWatchdog, WDOG_DISABLE_KEY_1 } from '../../../devices/arm-mptimer';
import {
  ClockInput,
  guestRead,
  guestWrite,
  RegisterSnapshotError,
  VirtualClock,
  type AccessSize,
  type Device,
  type GuestAccess,
  type TriggerDelivery,
} from '../../../index';
import { continuationDigests, fuzzDevice, sweepRace, type RaceProbe } from '../../support/deviceHarness';
import {
  AUTO_RELOAD,
  CONTROL,
  COUNTER,
  ENABLE,
  HZ,
  IRQ_ENABLE,
  ISR,
  KEY1,
  KEY2,
  LOAD,
  makeRig,
  prescaler,
  WCONTROL,
  WCOUNTER,
  WD_MODE,
  WDISABLE,
  WISR,
  WLOAD,
  WRESET,
} from './rig';

// 100 MHz, PRESCALER 0 (10 ns ticks), count 4: the first event 40 ns after the start.
const P = 10;
const E = 4 * P;

/** A probe of one block: `start` programs it; the guest reads `counter`, then `status` (bit 0). */
const probe =
  (load: number, control: number, controlValue: number, counter: number, status: number) =>
  (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
    const rig = makeRig({ clock, delivery });
    return {
      expiry: E,
      start: () => {
        rig.w(load, 4);
        rig.w(control, controlValue);
      },
      readPair: () => [rig.r(counter), (rig.r(status) & 1) === 1],
      // The counter never reads 0 before the event (1 until then, also when read before the
      // expiry's step at E); it reads 0 from E (for one tick in auto-reload, for good in
      // watchdog mode) and LOAD..1 after that.
      showsExpiry: (value, at) => value === 0 || at > E,
    };
  };

describe('CortexA9TimerWatchdog against the catalogue checks', () => {
  describe.each([
    ['the private timer event (COUNTER, then ISR)', probe(LOAD, CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE, COUNTER, ISR)],
    ['the watchdog event in timer mode (WCOUNTER, then WISR)', probe(WLOAD, WCONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE, WCOUNTER, WISR)],
    ['the watchdog reset in watchdog mode (WCOUNTER, then WRESET)', probe(WLOAD, WCONTROL, ENABLE | WD_MODE, WCOUNTER, WRESET)],
  ])('G1 read sweep around %s', (_name, make) => {
    it('sync delivery: no read sees the counter and the status disagree', () => {
      const r = sweepRace(make, 'sync', 3 * P);
      expect(r.reads).toBe(2 * (6 * P + 1));
      expect(r.where).toEqual([]);
    });

    it('legacy bottom half: the stale read is at the expiry instant, read after the expiry step', () => {
      expect(sweepRace(make, 'bottom-half', 3 * P).where).toEqual(['E+0 after']);
    });
  });

  describe('a snapshot mid-run continues in a fresh system with the same digest', () => {
    // 100 MHz. The timer: Linux-like periodic ticks with acknowledges, a PRESCALER change and a
    // COUNTER write. The watchdog: timer mode, then watchdog mode with keepalives, a disable
    // sequence spanning a snapshot, watchdog mode again, a timeout, the reset flag cleared.
    const at = (t: number, access: GuestAccess) => ({ at: t, access });
    const acks = Array.from({ length: 12 }, (_, i) => at(95 + 230 * i, guestWrite(ISR, 1)));
    const script = [
      at(0, guestWrite(LOAD, 7)),
      at(0, guestWrite(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE | prescaler(2))),
      at(0, guestWrite(WLOAD, 50)),
      at(0, guestWrite(WCONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE)),
      at(400, guestWrite(WISR, 1)),
      at(700, guestWrite(WCONTROL, ENABLE | IRQ_ENABLE | WD_MODE | prescaler(1))),
      at(1_000, guestWrite(WLOAD, 20)),
      at(1_300, guestWrite(WDISABLE, KEY1)),
      at(1_320, guestWrite(WDISABLE, KEY2)),
      at(1_500, guestWrite(WCONTROL, ENABLE | WD_MODE)),
      at(1_800, guestWrite(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE | prescaler(0))),
      at(2_000, guestWrite(COUNTER, 3)),
      at(2_600, guestWrite(WRESET, 1)),
      at(2_700, guestWrite(WCOUNTER, 5)), // locked: a guest error
      ...acks,
      ...Array.from({ length: 90 }, (_, i) => at(7 + 31 * i, guestRead([COUNTER, ISR, WCOUNTER, WISR, WRESET][i % 5]!))),
    ].sort((a, b) => a.at - b.at);
    const make = (line: 'timerIrq' | 'watchdogIrq' | 'wdresetreq') => (clock: VirtualClock) => {
      const device = new CortexA9TimerWatchdog(clock, { periphclk: new ClockInput('periphclk', HZ) });
      return { device, irq: device[line] };
    };
    it.each([
      [350, 'timerIrq'],
      [350, 'watchdogIrq'],
      [1_000, 'wdresetreq'], // watchdog mode, a keepalive at this very instant
      [1_310, 'wdresetreq'], // between the two keys
      [1_310, 'watchdogIrq'],
      [2_200, 'wdresetreq'], // WDRESETREQ high
      [2_200, 'timerIrq'],
    ] as const)('snapshot at %i ns, tracing %s', (snapshotAt, line) => {
      const { original, restored } = continuationDigests(make(line), script, snapshotAt, 4_000);
      expect(restored).toBe(original);
    });
  });

  it('random accesses, instants and PERIPHCLK changes: nothing throws, all three outputs match the state, runs are deterministic', () => {
    const regs = CORTEX_A9_TIMER_WATCHDOG_REGISTERS.registers;
    fuzzDevice(
      (clock) => {
        const periphclk = new ClockInput('periphclk', HZ);
        const device = new CortexA9TimerWatchdog(clock, { periphclk });
        const expected = () => {
          const s = device.snapshot();
          const v = s.registers.registers;
          return {
            ppi29: (v.ISR! & 1) === 1 && (v.CONTROL! & IRQ_ENABLE) === IRQ_ENABLE,
            ppi30: (v.WISR! & 1) === 1 && (v.WCONTROL! & IRQ_ENABLE) === IRQ_ENABLE,
            wdresetreq: s.resetRequest,
          };
        };
        return {
          device: withDisableKeys(device),
          irq: device.timerIrq,
          clocks: [periphclk],
          irqFromRegisters: () => {
            const { ppi29, ppi30, wdresetreq } = expected();
            // The harness checks one line; the other two are checked here, at the same points.
            if (device.watchdogIrq.level !== ppi30) {
              throw new Error(`at ${clock.now()} ns: PPI 30 ${device.watchdogIrq.level} but the state says ${ppi30}`);
            }
            if (device.wdresetreq.level !== wdresetreq) {
              throw new Error(`at ${clock.now()} ns: WDRESETREQ ${device.wdresetreq.level} but the state says ${wdresetreq}`);
            }
            return ppi29;
          },
        };
      },
      {
        offsets: [...regs.map((r) => r.offset), 0x10, 0x38, 0xfc],
        region: 0x100,
        maxAdvance: 2_000,
        hzChoices: [0, 3, 1_000_000, 100_000_000, 333_333_333, 2_000_000_000],
        runs: 300,
      },
    );
  });

  describe('snapshot and restore', () => {
    /** Watchdog timed out (WDRESETREQ high), the timer running, a disable sequence half done. */
    const busy = () => {
      const rig = makeRig();
      rig.w(LOAD, 10);
      rig.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE | prescaler(3));
      rig.w(WLOAD, 5);
      rig.w(WCONTROL, ENABLE | WD_MODE);
      rig.at(777);
      rig.w(WDISABLE, KEY1);
      return rig;
    };

    it('is plain versioned JSON data with WDRESETREQ and the clock rate', () => {
      const { device } = busy();
      const s = JSON.parse(JSON.stringify(device.snapshot())) as Record<string, unknown>;
      expect(s).toMatchObject({ device: 'arm-mptimer', version: 1, resetRequest: true, periphclkHz: HZ });
      expect((s.registers as { registers: Record<string, number> }).registers.WDISABLE).toBe(WDOG_DISABLE_KEY_1);
    });

    it('restores everything: the counts, WDRESETREQ, the half-done disable sequence', () => {
      const a = busy();
      const b = makeRig({ clock: new VirtualClock({ start: a.clock.now() }) });
      b.device.restore(JSON.parse(JSON.stringify(a.device.snapshot())));
      expect([b.r(COUNTER), b.r(WCOUNTER), b.r(WRESET), b.device.wdresetreq.level]).toEqual([a.r(COUNTER), 0, 1, true]);
      expect(b.device.timerIrq.level).toBe(a.device.timerIrq.level);
      b.w(WDISABLE, KEY2);
      expect(b.r(WCONTROL)).toBe(ENABLE);
      for (const rig of [a, b]) rig.at(2_000);
      expect(b.r(COUNTER)).toBe(a.r(COUNTER));
      expect(b.r(ISR)).toBe(a.r(ISR));
    });

    const corrupt = (edit: (s: Record<string, unknown>) => void): Record<string, unknown> => {
      const s = JSON.parse(JSON.stringify(busy().device.snapshot())) as Record<string, unknown>;
      edit(s);
      return s;
    };
    const registers = (s: Record<string, unknown>) => (s.registers as { registers: Record<string, number> }).registers;
    it.each([
      ['not an object', (): unknown => 42, RegisterSnapshotError, "'(root)'"],
      ['another version', () => corrupt((s) => (s.version = 2)), RegisterSnapshotError, "'version'"],
      ['a WDRESETREQ that is not a boolean', () => corrupt((s) => (s.resetRequest = 1)), RegisterSnapshotError, "'resetRequest'"],
      ['another PERIPHCLK rate', () => corrupt((s) => (s.periphclkHz = 1)), RegisterSnapshotError, "'periphclkHz'"],
      ['a WDISABLE holding a value but the first key', () => corrupt((s) => (registers(s).WDISABLE = KEY2)), RegisterSnapshotError, 'WDISABLE'],
      ['a reserved bit set', () => corrupt((s) => (registers(s).WISR = 2)), RegisterSnapshotError, 'WISR'],
      // A counter's own refusal, at its full path (#14).
      ['a broken timer counter', () => corrupt((s) => ((s.timer as Record<string, unknown>).limit = 'x')), RegisterSnapshotError, "'timer.limit'"],
      ['a broken watchdog counter', () => corrupt((s) => ((s.watchdog as Record<string, unknown>).delta = -1)), RegisterSnapshotError, "'watchdog.delta'"],
    ] as const)('refuses %s, naming it, and changes nothing', (_name, snapshot, error, names) => {
      const rig = busy();
      const other = makeRig({ clock: new VirtualClock({ start: rig.clock.now() }) });
      other.w(LOAD, 77);
      other.w(CONTROL, ENABLE);
      other.w(WLOAD, 99);
      const before = JSON.stringify(other.device.snapshot());
      expect(() => other.device.restore(snapshot())).toThrow(error);
      expect(() => other.device.restore(snapshot())).toThrow(names);
      expect(JSON.stringify(other.device.snapshot())).toBe(before);
      expect(other.device.wdresetreq.level).toBe(false);
    });
  });
});

/**
 * A view of the device for the fuzz whose 32-bit WDISABLE writes carry the disable keys for
 * two values in three: random values would never draw them, and the watchdog would stay in
 * watchdog mode for most of each run once entered (fuzzDevice has no value dictionary).
 */
const withDisableKeys = (device: CortexA9TimerWatchdog): Device => ({
  name: device.name,
  events$: device.events$,
  read: (offset: number, size: AccessSize) => device.read(offset, size),
  write: (offset: number, size: AccessSize, value: number) =>
    device.write(offset, size, offset === WDISABLE && size === 4 ? ([KEY1, KEY2, value] as const)[value % 3]! : value),
  reset: () => device.reset(),
  snapshot: () => device.snapshot(),
  restore: (snapshot: unknown) => device.restore(snapshot),
});
