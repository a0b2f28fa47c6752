// The register sequences real drivers issue to this watchdog, with what the guest must read at
// the tick boundaries that matter (and 1 ns either side). The sequences are written from what
// the drivers do (which registers, in which order), not from their code:
// - Linux drivers/watchdog/sp805_wdt.c (binds to this block by its AMBA id 0x1bb824): start,
//   ping, get-timeleft, stop, restart; it requests no interrupt.
// - Zephyr drivers/watchdog/wdt_cmsdk_apb.c: init, install_timeout, setup, feed, the NMI
//   handler, disable.
// - The bare-metal CMSDK feeder: unlock, INTCLR, lock.
// WDOGCLK is 25 MHz (40 ns per tick).
import { describe, expect, it } from 'vitest';
import { guestRead, guestWrite, runDriver, waitForIrq, waitUntil, type AccessResult } from '../../../index';
import {
  HZ,
  INTEN,
  makeRig,
  RESEN,
  TICK,
  UNLOCK,
  WDOGCONTROL,
  WDOGINTCLR,
  WDOGLOAD,
  WDOGLOCK,
  WDOGMIS,
  WDOGRIS,
  WDOGVALUE,
  type Rig,
} from './rig';

describe('Linux sp805_wdt on the CMSDK watchdog', () => {
  const RATE = HZ;
  const TIMEOUT_S = 60;
  // The driver halves the timeout: the counter runs twice (interrupt, then reset).
  const LOAD_VAL = (RATE / 2) * TIMEOUT_S - 1; // 749 999 999
  const T0 = 1_000_000; // the driver starts the watchdog 1 ms after boot

  /** wdt_config(): unlock, LOAD, INTCLR, [CONTROL = INTEN | RESEN when starting], lock, read LOCK to flush. */
  const config = ({ r, w }: Rig, ping: boolean): number => {
    w(WDOGLOCK, UNLOCK);
    w(WDOGLOAD, LOAD_VAL);
    w(WDOGINTCLR, 1);
    if (!ping) w(WDOGCONTROL, INTEN | RESEN);
    w(WDOGLOCK, 1);
    return r(WDOGLOCK);
  };
  /** wdt_timeleft(): VALUE, plus a whole round more while RIS is clear, in seconds. */
  const timeleft = ({ r }: Rig): number => {
    let load = r(WDOGVALUE);
    if ((r(WDOGRIS) & 1) === 0) load += LOAD_VAL + 1;
    return Math.floor(load / RATE);
  };
  const started = (): Rig => {
    const rig = makeRig();
    // probe: not already running (CONTROL has neither enable bit)
    expect(rig.r(WDOGCONTROL) & (INTEN | RESEN)).toBe(0);
    rig.clock.advanceTo(T0);
    expect(config(rig, false)).toBe(1); // the flush read: locked
    return rig;
  };
  const E1 = T0 + LOAD_VAL * TICK; // first expiry (interrupt), 29.99999996 s after start
  const E2 = E1 + (LOAD_VAL + 1) * TICK; // second expiry (reset), 59.99999996 s after start

  it('start: the counter runs from the load value, locked; timeleft counts both rounds', () => {
    const rig = started();
    expect([rig.r(WDOGLOAD), rig.r(WDOGVALUE), rig.r(WDOGCONTROL), rig.r(WDOGRIS)]).toEqual([LOAD_VAL, LOAD_VAL, 3, 0]);
    expect(timeleft(rig)).toBe(59); // (2 * 749 999 999 + 1) / 25e6 = 59.99...
    rig.clock.advanceTo(E1 - 1); // just before the interrupt: VALUE 1, RIS clear
    expect([rig.r(WDOGVALUE), rig.r(WDOGRIS), timeleft(rig)]).toEqual([1, 0, 30]);
    rig.clock.advanceTo(E1); // the interrupt: VALUE 0 with RIS set, so timeleft reads 0 for one tick
    expect([rig.r(WDOGVALUE), rig.r(WDOGRIS), timeleft(rig), rig.device.irq.level]).toEqual([0, 1, 0, true]);
    rig.clock.advanceTo(E1 + TICK + 1); // reloaded, second round
    expect([rig.r(WDOGVALUE), timeleft(rig)]).toEqual([LOAD_VAL, 29]);
  });

  it('no ping: WDOGRES rises at the second expiry, 2 * LOAD + 1 ticks after start, not 1 ns earlier', () => {
    const rig = started();
    rig.clock.advanceTo(E2 - 1);
    expect([rig.r(WDOGVALUE), rig.device.wdogres.level]).toEqual([1, false]);
    rig.clock.advanceTo(E2);
    expect(rig.device.wdogres.level).toBe(true);
    expect(E2 - T0).toBe((2 * LOAD_VAL + 1) * TICK);
  });

  it('ping every timeout/2 (30 s): the interrupt comes and goes, the reset never', () => {
    const rig = started();
    const irqEdges: boolean[] = [];
    rig.device.irq.level$.subscribe((level) => irqEdges.push(level));
    for (let n = 1; n <= 5; n++) {
      rig.clock.advanceTo(T0 + n * 30_000_000_000); // 40 ns after the interrupt of each round
      expect([rig.r(WDOGRIS), rig.r(WDOGVALUE)]).toEqual([1, 0]);
      expect(config(rig, true)).toBe(1); // ping: reload, clear, relock
      expect([rig.r(WDOGRIS), rig.r(WDOGVALUE), rig.device.irq.level]).toEqual([0, LOAD_VAL, false]);
    }
    expect(rig.device.wdogres.level).toBe(false);
    expect(irqEdges).toEqual([false, true, false, true, false, true, false, true, false, true, false]);
  });

  it('stop: unlock, CONTROL = 0, lock: the counter freezes and the watchdog never fires', () => {
    const rig = started();
    rig.clock.advanceTo(T0 + 10 * TICK + 1);
    rig.w(WDOGLOCK, UNLOCK);
    rig.w(WDOGCONTROL, 0);
    rig.w(WDOGLOCK, 1);
    expect(rig.r(WDOGLOCK)).toBe(1);
    rig.clock.advanceTo(E2 * 2);
    expect([rig.r(WDOGVALUE), rig.r(WDOGRIS), rig.device.wdogres.level]).toEqual([LOAD_VAL - 10, 0, false]);
  });

  it('A6: restart (LOAD = 0, then INTEN | RESEN) is reported unimplemented and does not reset', () => {
    const rig = started();
    rig.events.length = 0;
    rig.w(WDOGLOCK, UNLOCK);
    rig.w(WDOGCONTROL, 0);
    rig.w(WDOGLOAD, 0);
    rig.w(WDOGCONTROL, INTEN | RESEN);
    expect(rig.r(WDOGLOCK)).toBe(0); // the restart path leaves the lock open
    expect(rig.events).toEqual([expect.objectContaining({ kind: 'unimplemented', feature: 'WDOGLOAD=0', time: T0 })]);
    rig.clock.advanceBy(1_000 * TICK);
    expect([rig.r(WDOGVALUE), rig.device.irq.level, rig.device.wdogres.level]).toEqual([0, false, false]);
  });
});

describe('Zephyr wdt_cmsdk_apb', () => {
  const DEFAULT_RELOAD = 0x0e4e_1c00; // the driver's default reload value: 240 000 000 ticks = 9.6 s at 25 MHz
  const RELOAD = 1_000; // what install_timeout writes in these tests: 40 µs

  /** init + install_timeout + setup: unlock (the driver never relocks), LOAD, LOAD, CONTROL = RESEN | INTEN. */
  const boot = ({ w, r }: Rig): void => {
    w(WDOGLOCK, UNLOCK);
    w(WDOGLOAD, DEFAULT_RELOAD);
    expect(r(WDOGVALUE)).toBe(DEFAULT_RELOAD);
    w(WDOGLOAD, RELOAD);
    w(WDOGCONTROL, RESEN | INTEN);
  };

  it('a thread that feeds (INTCLR, then LOAD) before each timeout keeps the interrupt and the reset away', () => {
    const rig = makeRig();
    boot(rig);
    for (let n = 1; n <= 10; n++) {
      rig.clock.advanceBy(RELOAD * TICK - 1); // 1 ns before the timeout
      expect([rig.r(WDOGVALUE), rig.r(WDOGRIS)]).toEqual([1, 0]);
      rig.w(WDOGINTCLR, 1);
      rig.w(WDOGLOAD, RELOAD);
      expect(rig.r(WDOGVALUE)).toBe(RELOAD);
    }
    expect([rig.device.irq.level, rig.device.wdogres.level]).toEqual([false, false]);
  });

  /** The NMI handler as a driver: wait for WDOGINT, check MIS, run the user callback (`feed` or nothing). */
  const nmiDriver = (rig: Rig, feed: boolean, interrupts: number): AccessResult[] => {
    const results: AccessResult[] = [];
    runDriver(
      function* () {
        for (let n = 0; n < interrupts; n++) {
          yield waitForIrq(rig.device.irq);
          const mis = yield guestRead(WDOGMIS);
          if (mis === 1 && feed) {
            yield guestWrite(WDOGINTCLR, 1);
            yield guestWrite(WDOGLOAD, RELOAD);
          }
          if (!feed) return;
        }
      },
      { device: rig.device, scheduler: rig.clock },
    ).subscribe((result) => results.push(result));
    return results;
  };

  it('the NMI handler reads MIS = 1 at each timeout, and a callback that feeds keeps the system alive', () => {
    const rig = makeRig();
    boot(rig);
    const results = nmiDriver(rig, true, 10);
    rig.clock.advanceTo(10.5 * RELOAD * TICK);
    // Each timeout at k * RELOAD ticks: the handler runs at that instant, after the expiry's step.
    const at = (k: number): number => k * RELOAD * TICK;
    expect(results).toHaveLength(30);
    expect(results.slice(0, 6).map(({ time, kind, offset, value }) => [time, kind, offset, value])).toEqual([
      [at(1), 'read', WDOGMIS, 1],
      [at(1), 'write', WDOGINTCLR, 1],
      [at(1), 'write', WDOGLOAD, RELOAD],
      [at(2), 'read', WDOGMIS, 1],
      [at(2), 'write', WDOGINTCLR, 1],
      [at(2), 'write', WDOGLOAD, RELOAD],
    ]);
    expect(results.filter((x) => x.kind === 'read').map((x) => x.time)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(at));
    expect(rig.device.irq.level).toBe(false);
    expect(rig.device.wdogres.level).toBe(false);
  });

  it('a handler with no callback leaves the interrupt pending: WDOGRES rises RELOAD + 1 ticks later', () => {
    const rig = makeRig();
    boot(rig);
    nmiDriver(rig, false, 1);
    const reset = RELOAD * TICK + (RELOAD + 1) * TICK;
    rig.clock.advanceTo(reset - 1);
    expect([rig.r(WDOGMIS), rig.device.wdogres.level]).toEqual([1, false]);
    rig.clock.advanceTo(reset);
    expect(rig.device.wdogres.level).toBe(true);
  });

  it('disable writes ~(RESEN | INTEN): the reserved bits are ignored silently, the counter stops', () => {
    const rig = makeRig();
    boot(rig);
    rig.clock.advanceTo(10 * TICK + 1);
    rig.events.length = 0;
    rig.w(WDOGCONTROL, ~(RESEN | INTEN) >>> 0);
    expect([rig.r(WDOGCONTROL), rig.r(WDOGVALUE), rig.events]).toEqual([0, RELOAD - 10, []]);
    rig.clock.advanceBy(10 * RELOAD * TICK);
    expect([rig.r(WDOGVALUE), rig.r(WDOGRIS), rig.device.wdogres.level]).toEqual([RELOAD - 10, 0, false]);
  });
});

describe('bare-metal CMSDK feeder (unlock, INTCLR, lock)', () => {
  const LOAD = 500;
  const start = (rig: Rig): void => {
    rig.w(WDOGLOCK, UNLOCK);
    rig.w(WDOGLOAD, LOAD);
    rig.w(WDOGCONTROL, INTEN | RESEN);
    rig.w(WDOGLOCK, 0); // any value but the key locks
  };

  it('feeding after the interrupt but before the second timeout clears it and restarts a full round', () => {
    const rig = makeRig();
    start(rig);
    rig.clock.advanceTo(LOAD * TICK + 100 * TICK); // interrupt pending for 100 ticks
    expect([rig.r(WDOGRIS), rig.device.irq.level]).toEqual([1, true]);
    rig.w(WDOGLOCK, UNLOCK);
    rig.w(WDOGINTCLR, 1);
    rig.w(WDOGLOCK, 0);
    const fed = rig.clock.now();
    expect([rig.r(WDOGRIS), rig.r(WDOGVALUE), rig.device.irq.level]).toEqual([0, LOAD, false]);
    rig.clock.advanceTo(fed + LOAD * TICK - 1);
    expect(rig.r(WDOGRIS)).toBe(0);
    rig.clock.advanceTo(fed + LOAD * TICK);
    expect([rig.r(WDOGRIS), rig.device.wdogres.level]).toEqual([1, false]);
  });

  it('a feed that forgets to unlock is a locked guest error, and the reset comes on time', () => {
    const rig = makeRig();
    start(rig);
    rig.clock.advanceTo(LOAD * TICK + 100 * TICK);
    rig.w(WDOGINTCLR, 1); // still locked
    expect(rig.events).toEqual([
      expect.objectContaining({ kind: 'expiry', time: LOAD * TICK }), // the timeout that set WDOGRIS (#13: devices record their expiries)
      expect.objectContaining({ kind: 'guest-error', reason: 'locked', offset: WDOGINTCLR }),
    ]);
    expect(rig.r(WDOGRIS)).toBe(1);
    const reset = LOAD * TICK + (LOAD + 1) * TICK;
    rig.clock.advanceTo(reset - 1);
    expect(rig.device.wdogres.level).toBe(false);
    rig.clock.advanceTo(reset);
    expect(rig.device.wdogres.level).toBe(true);
  });

  it('a driver-style polling feeder keeps it alive over many rounds (runDriver, waitUntil)', () => {
    const rig = makeRig();
    start(rig);
    const results: AccessResult[] = [];
    runDriver(
      function* () {
        for (let n = 1; n <= 20; n++) {
          yield waitUntil(n * (LOAD - 1) * TICK); // feed every LOAD - 1 ticks
          yield guestWrite(WDOGLOCK, UNLOCK);
          yield guestWrite(WDOGINTCLR, 1);
          yield guestWrite(WDOGLOCK, 0);
        }
      },
      { device: rig.device, scheduler: rig.clock },
    ).subscribe((result) => results.push(result));
    rig.clock.advanceTo(20 * LOAD * TICK);
    expect(results.filter((x) => x.error !== undefined)).toEqual([]);
    expect(results).toHaveLength(60);
    expect([rig.device.irq.level, rig.device.wdogres.level, rig.r(WDOGRIS)]).toEqual([false, false, 0]);
  });
});

// TI StellarisWare driverlib (watchdog.c) on the Luminary variant (#16), typical use: unlock,
// reload set, reset enable (read-modify-write), enable (read-modify-write: the counter starts
// from WDTLOAD), lock; the interrupt handler feeds by unlock, interrupt clear, relock. WDOGCLK is
// the LM3S reset system clock, 12.5 MHz (80 ns). Register names: the datasheet's WDTLOAD, WDTCTL,
// WDTICR, WDTLOCK are WDOGLOAD, WDOGCONTROL, WDOGINTCLR, WDOGLOCK here.
describe('StellarisWare driverlib on the Luminary watchdog', () => {
  const LM_HZ = 12_500_000;
  const LM_TICK = 80;
  const RELOAD = 1_250; // 100 µs
  const lm = (): Rig => makeRig({ hz: LM_HZ, variant: 'luminary' });

  /** WatchdogUnlock (if locked), WatchdogReloadSet, WatchdogResetEnable, WatchdogEnable, WatchdogLock. */
  const setUp = ({ r, w }: Rig): void => {
    if (r(WDOGLOCK) === 1) w(WDOGLOCK, UNLOCK);
    w(WDOGLOAD, RELOAD);
    w(WDOGCONTROL, r(WDOGCONTROL) | RESEN);
    w(WDOGCONTROL, r(WDOGCONTROL) | INTEN);
    w(WDOGLOCK, 1);
  };

  /** The interrupt handler: wait for the interrupt, then unlock, WatchdogIntClear, lock (or, `feed` false, return). */
  const isr = (rig: Rig, feed: boolean, interrupts: number, unlock = true): AccessResult[] => {
    const results: AccessResult[] = [];
    runDriver(
      function* () {
        for (let n = 0; n < interrupts; n++) {
          yield waitForIrq(rig.device.irq);
          if (!feed) return;
          if (unlock) yield guestWrite(WDOGLOCK, UNLOCK);
          yield guestWrite(WDOGINTCLR, 1);
          if (unlock) yield guestWrite(WDOGLOCK, 1);
        }
      },
      { device: rig.device, scheduler: rig.clock },
    ).subscribe((result) => results.push(result));
    return results;
  };

  it('set-up: the counter starts from the reload value at the enable, locked, with no guest error', () => {
    const rig = lm();
    setUp(rig);
    expect([rig.r(WDOGLOCK), rig.r(WDOGCONTROL), rig.r(WDOGVALUE), rig.events]).toEqual([1, INTEN | RESEN, RELOAD, []]);
    rig.clock.advanceTo(RELOAD * LM_TICK - 1);
    expect([rig.r(WDOGVALUE), rig.r(WDOGRIS)]).toEqual([1, 0]);
    rig.clock.advanceTo(RELOAD * LM_TICK);
    expect([rig.r(WDOGRIS), rig.device.irq.level]).toEqual([1, true]);
  });

  it('the handler feeds at each interrupt: every RELOAD ticks, never a reset', () => {
    const rig = lm();
    setUp(rig);
    const results = isr(rig, true, 10);
    rig.clock.advanceTo(10.5 * RELOAD * LM_TICK);
    const clears = results.filter((x) => x.kind === 'write' && x.offset === WDOGINTCLR);
    expect(clears.map((x) => x.time)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((k) => k * RELOAD * LM_TICK));
    expect(results.filter((x) => x.error !== undefined)).toEqual([]);
    expect([rig.device.irq.level, rig.device.wdogres.level, rig.r(WDOGLOCK)]).toEqual([false, false, 1]);
  });

  it('a handler that does not feed: the system reset 2 * RELOAD + 1 ticks after the enable, not 1 ns earlier', () => {
    const rig = lm();
    setUp(rig);
    isr(rig, false, 1);
    const reset = (2 * RELOAD + 1) * LM_TICK;
    rig.clock.advanceTo(reset - 1);
    expect(rig.device.wdogres.level).toBe(false);
    rig.clock.advanceTo(reset);
    expect(rig.device.wdogres.level).toBe(true);
  });

  it('L3: a handler that clears without unlocking is refused (locked): the reset comes on time', () => {
    const rig = lm();
    setUp(rig);
    const results = isr(rig, true, 1, false);
    rig.clock.advanceTo((2 * RELOAD + 1) * LM_TICK);
    expect(results).toEqual([expect.objectContaining({ kind: 'write', offset: WDOGINTCLR, error: 'locked' })]);
    expect(rig.device.wdogres.level).toBe(true);
  });

  it('L1: WatchdogResetDisable after the enable (read-modify-write clearing RESEN) is ignored and reported', () => {
    const rig = lm();
    setUp(rig);
    rig.w(WDOGLOCK, UNLOCK);
    rig.w(WDOGCONTROL, rig.r(WDOGCONTROL) & ~RESEN);
    expect(rig.events).toEqual([expect.objectContaining({ kind: 'guest-error', reason: 'locked', offset: WDOGCONTROL })]);
    expect(rig.r(WDOGCONTROL)).toBe(INTEN | RESEN);
    rig.clock.advanceTo((2 * RELOAD + 1) * LM_TICK);
    expect(rig.device.wdogres.level).toBe(true);
  });
});
