// The register sequences of Linux's drivers/watchdog/imx2_wdt.c (watchdog core driver, restart
// handler, pre-timeout), replayed with what the guest must read and when the lines move.
// Written from what the driver does (which registers, in which order, with which values,
// reference devices-2.md §6), not from its code. The driver accesses the block through a
// 16-bit regmap; its read-modify-writes are written out here as a read, then a write.
// ckil 32.768 kHz: a WT step is 0.5 s.
import { describe, expect, it } from 'vitest';
import { guestRead, guestWrite, runDriver, waitForIrq, waitUntil, type DriverCommand } from '../../../index';
import {
  makeRig,
  PDE,
  POR,
  SFTW,
  SRS,
  STEP,
  TOUT,
  WCR,
  WDA,
  WDE,
  WDT,
  WDZST,
  WICR,
  WIE,
  WMCR,
  WRSR,
  WSR,
  WTIS,
  type Rig,
} from './rig';

const SECOND = 2 * STEP;
/** WCR.WT for a timeout of `seconds`: the driver's (2·timeout - 1). */
const wtFor = (seconds: number): number => (2 * seconds - 1) << 8;

/** probe(): the reset cause from WRSR, whether the watchdog already runs (WCR.WDE), then WMCR = 0. */
const probe = (rig: Rig): { cardReset: boolean; running: boolean } => {
  const wrsr = rig.r(WRSR);
  const running = (rig.r(WCR) & WDE) !== 0;
  rig.w(WMCR, 0);
  return { cardReset: (wrsr & TOUT) !== 0, running };
};

/** ping(): the service sequence. */
const ping = (rig: Rig): void => {
  rig.w(WSR, 0x5555);
  rig.w(WSR, 0xaaaa);
};

/**
 * imx2_wdt_setup() and the first ping: read WCR; set WDZST; clear WT, WRE (bit 3; set it with
 * `fsl,ext-reset-output`) and WDE; put WT; write; set WDE; write again; ping.
 * @returns the two values written to WCR
 */
const start = (rig: Rig, timeout: number, extReset = false): [number, number] => {
  let val = rig.r(WCR);
  val |= WDZST;
  val &= ~0xff00;
  val = extReset ? val | WDT : val & ~WDT;
  val &= ~WDE;
  val |= wtFor(timeout);
  rig.w(WCR, val);
  const first = val;
  val |= WDE;
  rig.w(WCR, val);
  ping(rig);
  return [first, val];
};

/** set_timeout(): a read-modify-write of WT only (regmap skips an unchanged value). */
const setTimeout = (rig: Rig, timeout: number): void => {
  const old = rig.r(WCR);
  const val = (old & ~0xff00) | wtFor(timeout);
  if (val !== old) rig.w(WCR, val);
};

/** set_pretimeout(): WICR's WIE and WICT updated to WIE | 2·seconds. */
const setPretimeout = (rig: Rig, seconds: number): void => {
  const old = rig.r(WICR);
  rig.w(WICR, (old & ~(WIE | 0xff)) | WIE | (seconds << 1));
};

/** The interrupt handler: WICR read-modify-written with WTIS set (write 1 to clear). */
const isr = (rig: Rig): void => {
  rig.w(WICR, rig.r(WICR) | WTIS);
};

/** The restart handler: WCR = WDE | WDA (internal reset) or WDE | SRS (WDOG_B), three times (ERR004346). */
const restart = (rig: Rig, extReset = false): void => {
  const val = extReset ? WDE | SRS : WDE | WDA;
  for (let k = 0; k < 3; k++) rig.w(WCR, val);
};

/** Times at which `line` rose. */
const rises = (rig: Rig, line: 'wdog_int' | 'wdog_rst' | 'wdog_b'): number[] => {
  const seen: number[] = [];
  rig.device.lines[line].watch((level) => level && seen.push(rig.clock.now()));
  return seen;
};

const T0 = 3 * SECOND; // the driver probes 3 s after power-on

describe('Linux imx2_wdt: probe', () => {
  it('after a power-on: WRSR POR, not running; WMCR = 0 stops the power-down counter, so WDOG_B never comes', () => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    expect(probe(rig)).toEqual({ cardReset: false, running: false });
    expect([rig.r(WRSR), rig.r(WMCR)]).toEqual([POR, 0]);
    rig.clock.advanceTo(100 * SECOND);
    expect(rig.lines()).toEqual([false, false, false]);
  });

  it('after the watchdog bit: WRSR TOUT, which the driver reports as a card reset (bootstatus)', () => {
    const rig = makeRig();
    probe(rig);
    start(rig, 1);
    rig.clock.advanceTo(2 * SECOND);
    expect(rig.lines()[1]).toBe(true); // wdog_rst: the SoC resets
    rig.device.reset();
    expect(probe(rig)).toEqual({ cardReset: true, running: false });
    expect(rig.r(WRSR)).toBe(TOUT);
  });

  it('without the probe: the power-down counter asserts WDOG_B 16 s after power-on', () => {
    const rig = makeRig();
    const b = rises(rig, 'wdog_b');
    rig.clock.advanceTo(20 * SECOND);
    expect(b).toEqual([16 * SECOND]);
  });
});

describe('Linux imx2_wdt: start, ping, timeout', () => {
  it('start(60 s) writes WCR 0x7731 then 0x7735, pings; unfed, wdog_rst rises 60 s after the ping, WDOG_B stays released', () => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    probe(rig);
    const rst = rises(rig, 'wdog_rst');
    expect(start(rig, 60)).toEqual([0x7731, 0x7735]);
    expect([rig.r(WCR), rig.r(WSR)]).toEqual([0x7735, 0xaaaa]);
    // WDZST is stored (low-power suspend is not modelled): each write of it is reported.
    expect(rig.events.filter((e) => e.kind === 'unimplemented').map((e) => e.kind === 'unimplemented' && e.feature)).toEqual(['WCR.WDZST', 'WCR.WDZST']);
    rig.clock.advanceTo(T0 + 60 * SECOND - 1);
    expect(rst).toEqual([]);
    rig.clock.advanceTo(T0 + 200 * SECOND);
    expect(rst).toEqual([T0 + 60 * SECOND]);
    expect(rig.lines()[2]).toBe(false);
    expect(rig.events.filter((e) => e.kind === 'guest-error')).toEqual([]);
  });

  it('with fsl,ext-reset-output: WCR 0x7739 then 0x773D; the timeout asserts WDOG_B too', () => {
    const rig = makeRig();
    probe(rig);
    expect(start(rig, 60, true)).toEqual([0x7739, 0x773d]);
    rig.clock.advanceTo(60 * SECOND);
    expect(rig.lines()).toEqual([false, true, true]);
  });

  it('a daemon pinging every 20 s (the core: timeout / 3) keeps it from biting; stopped, it bites one timeout after the last ping', () => {
    const rig = makeRig();
    probe(rig);
    start(rig, 60);
    const pings: number[] = [];
    runDriver(
      function* (): Generator<DriverCommand, void, number | undefined> {
        for (let k = 1; k <= 15; k++) {
          yield waitUntil(k * 20 * SECOND);
          yield guestWrite(WSR, 0x5555, 2);
          yield guestWrite(WSR, 0xaaaa, 2);
          pings.push(rig.clock.now());
        }
      },
      { device: rig.device, scheduler: rig.clock },
    ).subscribe();
    const rst = rises(rig, 'wdog_rst');
    rig.clock.advanceTo(300 * SECOND);
    expect(pings).toHaveLength(15);
    expect(rst).toEqual([]);
    rig.clock.advanceTo(400 * SECOND);
    expect(rst).toEqual([300 * SECOND + 60 * SECOND]);
  });

  it('the watchdog cannot be stopped: a WCR write without WDE leaves it enabled', () => {
    const rig = makeRig();
    probe(rig);
    start(rig, 2);
    rig.w(WCR, rig.r(WCR) & ~WDE);
    expect(rig.r(WCR) & WDE).toBe(WDE);
    rig.clock.advanceTo(2 * SECOND);
    expect(rig.lines()[1]).toBe(true);
  });
});

describe('Linux imx2_wdt: set_timeout and suspend', () => {
  it('set_timeout(10) rewrites WT only (0x1335); the ping that follows it (WDIOC_SETTIMEOUT) starts the 10 s (QEMU: the write disables the watchdog)', () => {
    const rig = makeRig();
    probe(rig);
    start(rig, 60);
    rig.clock.advanceTo(30 * SECOND);
    setTimeout(rig, 10);
    expect(rig.r(WCR)).toBe(0x1335);
    expect(rig.device.counter.mode).toBe('oneshot'); // still counting the 60 s
    ping(rig);
    const rst = rises(rig, 'wdog_rst');
    rig.clock.advanceTo(100 * SECOND);
    expect(rst).toEqual([40 * SECOND]);
  });

  it('set_timeout without a ping (a kernel-internal call): the old timeout stands until the next service', () => {
    const rig = makeRig();
    probe(rig);
    start(rig, 60);
    rig.clock.advanceTo(30 * SECOND);
    setTimeout(rig, 10); // WT 19 is loaded only at the next service
    rig.clock.advanceTo(59 * SECOND);
    expect(rig.lines()[1]).toBe(false);
    rig.clock.advanceTo(60 * SECOND);
    expect(rig.lines()[1]).toBe(true);
  });

  it('suspend: WT = 0xFF (128 s) and a ping; resume: the timeout back and a ping', () => {
    const rig = makeRig();
    probe(rig);
    start(rig, 60);
    rig.clock.advanceTo(10 * SECOND);
    setTimeout(rig, 128);
    ping(rig);
    expect(rig.r(WCR) >>> 8).toBe(0xff);
    rig.clock.advanceTo(137 * SECOND); // asleep: no daemon pings
    expect(rig.lines()[1]).toBe(false);
    setTimeout(rig, 60);
    ping(rig);
    rig.clock.advanceTo(196 * SECOND);
    expect(rig.lines()[1]).toBe(false);
    rig.clock.advanceTo(197 * SECOND);
    expect(rig.lines()[1]).toBe(true);
  });
});

describe('Linux imx2_wdt: pre-timeout', () => {
  it('set_pretimeout(10) with a 60 s timeout: WICR 0x8014; the interrupt 50 s after each ping; the ISR clears WTIS', () => {
    const rig = makeRig();
    probe(rig);
    setPretimeout(rig, 10);
    expect(rig.r(WICR)).toBe(0x8014);
    start(rig, 60);
    const handled: number[] = [];
    runDriver(
      function* (): Generator<DriverCommand, void, number | undefined> {
        for (let k = 0; k < 2; k++) {
          yield waitForIrq(rig.device.irq);
          const wicr = (yield guestRead(WICR, 2)) ?? 0;
          yield guestWrite(WICR, wicr | WTIS, 2); // the ISR
          handled.push(rig.clock.now());
          // The pretimeout governor (here: the daemon pinging late) services it.
          yield guestWrite(WSR, 0x5555, 2);
          yield guestWrite(WSR, 0xaaaa, 2);
        }
      },
      { device: rig.device, scheduler: rig.clock },
    ).subscribe();
    rig.clock.advanceTo(120 * SECOND);
    expect(handled).toEqual([50 * SECOND, 100 * SECOND]);
    expect([rig.r(WICR), rig.lines()]).toEqual([0x8014, [false, false, false]]);
    rig.clock.advanceTo(200 * SECOND);
    expect(rig.lines()).toEqual([true, true, false]); // unhandled now: the interrupt at 150 s, the reset at 160 s
  });

  it('WICR is write-once: a second set_pretimeout leaves the first value; the ISR write is no guest error', () => {
    const rig = makeRig();
    probe(rig);
    setPretimeout(rig, 10);
    setPretimeout(rig, 4);
    expect(rig.r(WICR)).toBe(0x8014);
    start(rig, 60);
    rig.clock.advanceTo(50 * SECOND);
    expect(rig.lines()[0]).toBe(true);
    isr(rig);
    expect(rig.lines()[0]).toBe(false);
    expect(rig.events.filter((e) => e.kind === 'guest-error')).toEqual([]);
  });
});

describe('Linux imx2_wdt: restart', () => {
  it('WCR = WDE | WDA three times: the software reset at the first write; after it WRSR reads SFTW', () => {
    const rig = makeRig();
    probe(rig);
    start(rig, 60);
    rig.clock.advanceTo(5 * SECOND);
    const rst = rises(rig, 'wdog_rst');
    restart(rig);
    expect(rst).toEqual([5 * SECOND]);
    expect(rig.lines()).toEqual([false, true, false]);
    rig.clock.advanceTo(5 * SECOND + STEP); // the driver waits 500 ms for it
    rig.device.reset();
    expect(rig.r(WRSR)).toBe(SFTW);
    expect(probe(rig)).toEqual({ cardReset: false, running: false });
  });

  it('before the watchdog was started it works the same (QEMU: only its "WT 0 with WDE" path resets)', () => {
    const rig = makeRig();
    probe(rig);
    restart(rig);
    expect(rig.lines()).toEqual([false, true, false]);
    expect(rig.r(WCR)).toBe(WDE | WDA | SRS);
  });

  it('with fsl,ext-reset-output: WCR = WDE | SRS asserts WDOG_B, no software reset', () => {
    const rig = makeRig();
    probe(rig);
    start(rig, 60, true);
    restart(rig, true);
    expect(rig.lines()).toEqual([false, false, true]);
    rig.device.reset(); // the PMIC power-cycles the SoC: to the WDOG, a reset it did not request
    expect([rig.r(WRSR), rig.r(WMCR)]).toEqual([POR, PDE]);
  });
});
