// The i.MX2+ WDOG at register level (i.MX6 reference manual, "Watchdog Timer (WDOG)"): a
// datasheet walk-through of the enable, the service sequence, the write-once bits, the
// pre-timeout interrupt, the timeout, the software controls, the reset status, the power-down
// counter, ckil changes and reset. Each ambiguity the device header decides (X1-X11) has its
// test here (X10 is in the guest-error spec, X12 in the harness spec). ckil at 32.768 kHz: a
// WT step (16384 cycles) is 500 000 000 ns exactly.
import { describe, expect, it } from 'vitest';
import { IMX2_WDT_POLICY, IMX2_WDT_REGISTERS, Imx2Wdt } from '../../../devices/imx2-wdt';
import { ClockInput, DeviceConfigError, VirtualClock } from '../../../index';
import { handlerVsGuest } from '../../support/handlerVsGuest';
import {
  CYCLE,
  makeRig,
  PDE,
  POR,
  POWER_DOWN,
  SFTW,
  SRE,
  SRS,
  STEP,
  TOUT,
  WCR,
  WDA,
  WDBG,
  WDE,
  WDT,
  WDW,
  WDZST,
  WICR,
  WIE,
  WMCR,
  WRSR,
  WSR,
  wt,
  WTIS,
  type Rig,
} from './rig';

/** WCR with WT `n` and WDE, nothing asserted (WDA and SRS 1). */
const enable = (n: number): number => wt(n) | WDA | SRS | WDE;
/** The instants a line rose, in order. */
const rises = (rig: Rig, line: 'wdog_int' | 'wdog_rst' | 'wdog_b'): number[] => {
  const seen: number[] = [];
  rig.device.lines[line].watch((level) => {
    if (level) seen.push(rig.clock.now());
  });
  return seen;
};
/** A rig with the power-down counter off (WMCR = 0, as Linux's probe does). */
const quiet = (options: Parameters<typeof makeRig>[0] = {}): Rig => {
  const rig = makeRig(options);
  rig.w(WMCR, 0);
  return rig;
};

describe('Imx2Wdt', () => {
  it('uses the policy O+D: only counting down to 0 fires, and the counters read like hardware counters', () => {
    expect([...IMX2_WDT_POLICY].sort()).toEqual(['NO_COUNTER_ROUND_DOWN', 'TRIGGER_ONLY_ON_DECREMENT']);
  });

  it('reads its reset values (WCR 0x0030, WSR 0, WRSR POR, WICR 0x0004, WMCR 0x0001); every line low; only the power-down counter runs', () => {
    const rig = makeRig();
    expect([WCR, WSR, WRSR, WICR, WMCR].map(rig.r)).toEqual([0x0030, 0, POR, 0x0004, PDE]);
    expect(rig.lines()).toEqual([false, false, false]);
    expect([rig.device.counter.mode, rig.device.pretimeout.mode, rig.device.powerDown.mode]).toEqual(['stopped', 'stopped', 'oneshot']);
    expect(rig.device.registers.map((r) => [r.name, r.offset, r.size])).toEqual([
      ['WCR', 0, 2],
      ['WSR', 2, 2],
      ['WRSR', 4, 2],
      ['WICR', 6, 2],
      ['WMCR', 8, 2],
    ]);
    expect(IMX2_WDT_REGISTERS.registers.map((r) => r.reset)).toEqual([0x0030, 0, POR, 0x0004, PDE]);
  });

  it('checks its options: each bad one is a DeviceConfigError naming the field', () => {
    const clock = new VirtualClock();
    const ckil = new ClockInput('ckil', 32_768);
    const bad: [Record<string, unknown>, string][] = [
      [{ ckil: 32_768 }, 'Imx2Wdt(options.ckil)'],
      [{ ckil, name: '' }, 'Imx2Wdt(options.name)'],
      [{ ckil, delivery: 'later' }, 'Imx2Wdt(options.delivery)'],
      [{ ckil, timing: 'fast' }, 'Imx2Wdt(options.timing)'],
      [{ ckil, prescale: 1 }, 'Imx2Wdt(options.prescale)'],
    ];
    for (const [options, where] of bad) {
      const make = () => new Imx2Wdt(clock, options as never);
      expect(make).toThrow(DeviceConfigError);
      expect(make).toThrow(where);
    }
    expect(new Imx2Wdt(clock, { ckil, name: 'wdog1' }).irq.name).toBe('wdog1.wdog_int');
  });

  describe('X1: counting', () => {
    it('WDE rising loads (WT + 1)·16384 cycles: WT 3 times out 2 s later, not a ns before', () => {
      const rig = quiet();
      const rst = rises(rig, 'wdog_rst');
      rig.clock.advanceTo(1_000);
      rig.w(WCR, enable(3));
      expect(rig.device.probes.find((p) => p.name === 'counter')!.read()).toBe(4n * 16_384n);
      rig.clock.advanceTo(1_000 + STEP / 2 + 1); // a quarter of the way: 8192 cycles gone
      expect(rig.device.probes.find((p) => p.name === 'counter')!.read()).toBe(4n * 16_384n - 8_192n);
      rig.clock.advanceTo(1_000 + 4 * STEP - 1);
      expect(rst).toEqual([]);
      rig.clock.advanceTo(1_000 + 4 * STEP);
      expect(rst).toEqual([1_000 + 4 * STEP]);
    });

    it('WT 0 is a 0.5 s timeout (QEMU: a reset at once); WT 255 is 128 s', () => {
      for (const [n, at] of [
        [0, STEP],
        [255, 256 * STEP],
      ] as const) {
        const rig = quiet();
        const rst = rises(rig, 'wdog_rst');
        rig.w(WCR, enable(n));
        expect(rig.lines()[1]).toBe(false);
        rig.clock.advanceTo(300 * STEP);
        expect(rst).toEqual([at]);
      }
    });
  });

  describe('X2: WT written while counting', () => {
    it('takes effect at the next service, not at the write (QEMU: every WCR write reloads)', () => {
      const rig = quiet();
      const rst = rises(rig, 'wdog_rst');
      rig.w(WCR, enable(9)); // 5 s
      rig.clock.advanceTo(2 * STEP);
      rig.w(WCR, enable(1)); // 1 s from now would be 3 * STEP: no
      rig.clock.advanceTo(9 * STEP);
      expect(rst).toEqual([]);
      rig.service(); // now WT 1: 1 s
      rig.clock.advanceTo(11 * STEP - 1);
      expect(rst).toEqual([]);
      rig.clock.advanceTo(11 * STEP);
      expect(rst).toEqual([11 * STEP]);
    });
  });

  describe('X3: write-once bits', () => {
    it('WDE cannot be cleared: a WCR write of 0 after the enable leaves it counting, WT and WDA taken', () => {
      const rig = quiet();
      const rst = rises(rig, 'wdog_rst');
      rig.w(WCR, enable(3));
      rig.w(WCR, wt(5) | SRS); // WDE 0, WDA 0: WDA takes (WDOG_B asserted), WDE stays
      expect(rig.r(WCR)).toBe(wt(5) | SRS | WDE);
      expect(rig.lines()).toEqual([false, false, true]);
      rig.clock.advanceTo(4 * STEP);
      expect(rst).toEqual([4 * STEP]);
      expect(rig.events.filter((e) => e.kind === 'guest-error')).toEqual([]);
    });

    it('WDE and WDT written 0 while 0 stay writable: a later write sets them', () => {
      const rig = quiet();
      rig.w(WCR, wt(1) | WDA | SRS);
      expect(rig.r(WCR) & (WDE | WDT)).toBe(0);
      rig.w(WCR, wt(1) | WDA | SRS | WDT);
      rig.w(WCR, wt(1) | WDA | SRS | WDE);
      expect(rig.r(WCR) & (WDE | WDT)).toBe(WDE | WDT); // WDT stayed 1 through the write of 0
      expect(rig.device.counter.mode).toBe('oneshot');
    });

    it('WDZST, WDBG and WDW lock at the first WCR write, whatever it writes; a write of 1 is an `unimplemented` event', () => {
      const rig = quiet();
      rig.w(WCR, WDZST | WDA | SRS); // Linux's first write sets WDZST
      expect(rig.events.map((e) => (e.kind === 'unimplemented' ? e.feature : e.kind))).toEqual(['WCR.WDZST']);
      rig.w(WCR, WDBG | WDW | WDA | SRS); // locked: WDZST stays 1, WDBG and WDW stay 0
      expect(rig.r(WCR) & (WDZST | WDBG | WDW)).toBe(WDZST);
      rig.w(WCR, WDA | SRS | SRE);
      expect(rig.r(WCR) & (WDZST | SRE)).toBe(WDZST | SRE); // SRE is not write-once
      expect(rig.events.filter((e) => e.kind === 'guest-error')).toEqual([]);
    });

    it('WIE and WICT lock at the first WICR write; WTIS still clears; locked writes are no guest error', () => {
      const rig = quiet();
      rig.w(WICR, 0x0004); // the reset value: WIE 0 locked
      rig.w(WICR, WIE | 1);
      expect(rig.r(WICR)).toBe(0x0004);
      rig.w(WCR, enable(9));
      rig.clock.advanceTo(20 * STEP);
      expect(rig.r(WICR) & WTIS).toBe(0); // WIE is 0: no pre-timeout ever
      expect(rig.events.filter((e) => e.kind === 'guest-error')).toEqual([]);
    });

    it('WMCR.PDE clears on a write of 0 and never sets again', () => {
      const rig = makeRig();
      rig.w(WMCR, 0);
      rig.w(WMCR, PDE);
      expect(rig.r(WMCR)).toBe(0);
      expect(rig.device.powerDown.mode).toBe('stopped');
    });

    it('every lock clears at reset', () => {
      const rig = quiet();
      rig.w(WCR, enable(1) | WDT | WDZST);
      rig.w(WICR, 0x0004);
      rig.device.reset();
      rig.w(WCR, WDA | SRS | WDBG);
      rig.w(WICR, WIE | 2);
      rig.w(WMCR, 0);
      expect([rig.r(WCR), rig.r(WICR), rig.r(WMCR)]).toEqual([WDA | SRS | WDBG, WIE | 2, 0]);
    });
  });

  describe('X4: the service sequence', () => {
    it('0x5555 then 0xAAAA reloads the count; WSR reads the last value written', () => {
      const rig = quiet();
      const rst = rises(rig, 'wdog_rst');
      rig.w(WCR, enable(1)); // 1 s
      rig.clock.advanceTo(STEP);
      rig.w(WSR, 0x5555);
      expect(rig.r(WSR)).toBe(0x5555);
      rig.w(WSR, 0xaaaa);
      expect(rig.r(WSR)).toBe(0xaaaa);
      rig.clock.advanceTo(3 * STEP - 1);
      expect(rst).toEqual([]);
      rig.clock.advanceTo(3 * STEP);
      expect(rst).toEqual([3 * STEP]);
    });

    it('other accesses between the two writes keep the sequence; another WSR value, or 0xAAAA alone, breaks it', () => {
      const serviced = (writes: (rig: Rig) => void): boolean => {
        const rig = quiet();
        rig.w(WCR, enable(1));
        rig.clock.advanceTo(STEP);
        writes(rig);
        rig.clock.advanceTo(2 * STEP);
        return !rig.lines()[1];
      };
      expect(serviced((r) => (r.w(WSR, 0x5555), r.r(WCR), r.w(WICR, 0), r.r(WSR), r.w(WSR, 0xaaaa)))).toBe(true);
      expect(serviced((r) => (r.w(WSR, 0x5555), r.w(WSR, 0x5555), r.w(WSR, 0xaaaa)))).toBe(true);
      expect(serviced((r) => (r.w(WSR, 0x5555), r.w(WSR, 0x1234), r.w(WSR, 0xaaaa)))).toBe(false);
      expect(serviced((r) => r.w(WSR, 0xaaaa))).toBe(false);
      expect(serviced((r) => (r.w(WSR, 0xaaaa), r.w(WSR, 0x5555)))).toBe(false);
    });

    it('does nothing while WDE is 0: a later enable still loads WT from then', () => {
      const rig = quiet();
      const rst = rises(rig, 'wdog_rst');
      rig.w(WCR, wt(1) | WDA | SRS);
      rig.service();
      expect(rig.device.counter.mode).toBe('stopped');
      rig.clock.advanceTo(10 * STEP);
      rig.w(WCR, enable(1));
      rig.clock.advanceTo(20 * STEP);
      expect(rst).toEqual([12 * STEP]);
    });
  });

  describe('X5: the pre-timeout interrupt', () => {
    it('WICT half-seconds before the timeout, on every countdown; WTIS is write-1-to-clear', () => {
      const rig = quiet();
      const int = rises(rig, 'wdog_int');
      rig.w(WICR, WIE | 4); // 2 s before
      rig.w(WCR, enable(9)); // 5 s: the interrupt at 3 s
      rig.clock.advanceTo(3 * STEP - 1);
      expect(rig.r(WICR) & WTIS).toBe(0);
      rig.clock.advanceTo(6 * STEP);
      expect([rig.r(WICR), rig.lines()]).toEqual([WIE | WTIS | 4, [true, false, false]]);
      rig.w(WICR, WIE | WTIS | 4); // the acknowledge (Linux's ISR: read-modify-write)
      expect([rig.r(WICR), rig.lines()]).toEqual([WIE | 4, [false, false, false]]);
      rig.clock.advanceTo(8 * STEP);
      rig.service(); // at 4 s: the next interrupt at 4 + 3 s
      rig.clock.advanceTo(30 * STEP);
      expect(int).toEqual([6 * STEP, 14 * STEP]);
      expect(rig.lines()[1]).toBe(true); // unserviced: the timeout at 9 s
    });

    it('a service does not clear WTIS: the line stays high until the acknowledge', () => {
      const rig = quiet();
      rig.w(WICR, WIE | 1);
      rig.w(WCR, enable(3));
      rig.clock.advanceTo(3 * STEP);
      rig.service();
      expect(rig.lines()[0]).toBe(true);
      rig.w(WICR, WTIS); // WIE and WICT locked: only WTIS is taken
      expect([rig.r(WICR), rig.lines()[0]]).toEqual([WIE | 1, false]);
    });

    it('WICT 0: WTIS at the timeout instant, set before the reset request', () => {
      const rig = quiet();
      const order: string[] = [];
      for (const line of ['wdog_int', 'wdog_rst'] as const) rig.device.lines[line].watch((level) => level && order.push(`${rig.clock.now()} ${line}`));
      rig.w(WICR, WIE | 0);
      rig.w(WCR, enable(1));
      rig.clock.advanceTo(5 * STEP);
      expect(order).toEqual([`${2 * STEP} wdog_int`, `${2 * STEP} wdog_rst`]);
    });

    it('WICT = WT comes one step after the load; WICT > WT never comes; WIE 0 never sets WTIS', () => {
      const first = (wicr: number, n: number): number[] => {
        const rig = quiet();
        const int = rises(rig, 'wdog_int');
        rig.w(WICR, wicr);
        rig.w(WCR, enable(n));
        rig.clock.advanceTo(300 * STEP);
        expect(rig.lines()[1]).toBe(true);
        return int;
      };
      expect(first(WIE | 7, 7)).toEqual([STEP]);
      expect(first(WIE | 8, 7)).toEqual([]);
      expect(first(WIE | 255, 254)).toEqual([]);
      expect(first(0x0004, 9)).toEqual([]);
    });

    it('WIE set mid-countdown arms the point for this countdown if it is still ahead, from the counter reading then', () => {
      const rig = quiet();
      const int = rises(rig, 'wdog_int');
      rig.w(WCR, enable(9)); // timeout at 5 s
      rig.clock.advanceTo(STEP);
      // The point at 3 s is ahead. At this cycle edge the counter reads 147 457 (the hardware
      // counter's value before the edge's decrement): 147 457 - 4·16384 cycles from now, one late.
      expect(rig.device.probes.find((p) => p.name === 'counter')!.read()).toBe(147_457n);
      rig.w(WICR, WIE | 4);
      rig.clock.advanceTo(20 * STEP);
      expect(int).toEqual([STEP + Math.floor(81_921 * CYCLE)]);
      expect(int[0]! - 6 * STEP).toBe(Math.floor(CYCLE));
      const late = quiet();
      const lateInt = rises(late, 'wdog_int');
      late.w(WCR, enable(9));
      late.clock.advanceTo(7 * STEP);
      late.w(WICR, WIE | 4); // the point (3 s) has passed
      late.clock.advanceTo(20 * STEP);
      expect(lateInt).toEqual([]);
    });

    it('G3: a handler on wdog_int that acknowledges and services in the expiry step leaves what a guest right after leaves', () => {
      const make = () => quiet();
      const { inListener, byGuest } = handlerVsGuest(
        make,
        'wdog_int',
        (rig) => {
          rig.w(WICR, WIE | 2);
          rig.w(WCR, enable(4));
        },
        (rig) => {
          rig.w(WICR, WIE | WTIS | 2);
          rig.service();
        },
        { rounds: 3, times: [1, 2, 3, 4, 5, 8, 10, 12, 14].map((k) => k * STEP) },
      );
      expect(inListener.handled).toBe(3);
      expect(inListener.log).toEqual(byGuest.log);
      expect(inListener.states).toEqual(byGuest.states);
    });
  });

  describe('X6: the timeout', () => {
    it('raises wdog_rst (and WDOG_B with WDT), stops the counter; services are ignored until reset', () => {
      for (const wdt of [0, WDT]) {
        const rig = quiet();
        rig.w(WCR, enable(1) | wdt);
        rig.clock.advanceTo(2 * STEP);
        expect(rig.lines()).toEqual([false, true, wdt !== 0]);
        expect([rig.device.counter.mode, rig.device.counter.getCount()]).toEqual(['stopped', 0n]);
        rig.service();
        rig.clock.advanceTo(10 * STEP);
        expect(rig.device.counter.mode).toBe('stopped');
        expect(rig.events.filter((e) => e.kind === 'expiry')).toHaveLength(1);
        expect(rig.r(WRSR)).toBe(POR); // until the reset that follows
      }
    });

    it('WDT set after the timeout does not assert WDOG_B (it is latched at the timeout)', () => {
      const rig = quiet();
      rig.w(WCR, enable(0));
      rig.clock.advanceTo(STEP);
      rig.w(WCR, enable(0) | WDT);
      expect(rig.lines()).toEqual([false, true, false]);
    });
  });

  describe('X7: software controls', () => {
    it('SRS written 0 raises wdog_rst at once, whatever WDA is; SRS reads 1; the counter goes on', () => {
      const rig = quiet();
      const rst = rises(rig, 'wdog_rst');
      rig.w(WCR, enable(3));
      rig.clock.advanceTo(STEP);
      rig.w(WCR, wt(3) | WDA | WDE); // SRS 0 (QEMU: needs WDA 0 too)
      expect([rig.r(WCR), rig.lines()]).toEqual([enable(3), [false, true, false]]);
      expect(rst).toEqual([STEP]);
      rig.clock.advanceTo(4 * STEP);
      expect(rig.device.counter.mode).toBe('stopped'); // the timeout still came, at 2 s
      expect(rig.events.filter((e) => e.kind === 'expiry').map((e) => e.time)).toEqual([4 * STEP]);
    });

    it('WDA is a level: WDOG_B is asserted while it is 0 and released when it is written 1', () => {
      const rig = quiet();
      rig.w(WCR, SRS);
      expect(rig.lines()).toEqual([false, false, true]);
      rig.w(WCR, SRS | WDA);
      expect(rig.lines()).toEqual([false, false, false]);
    });
  });

  describe('X8: WRSR and reset()', () => {
    it('after the reset that follows, WRSR holds TOUT, SFTW, both, or POR when the WDOG requested none', () => {
      const after = (run: (rig: Rig) => void): number => {
        const rig = quiet();
        run(rig);
        rig.device.reset();
        expect(rig.lines()).toEqual([false, false, false]);
        return rig.r(WRSR);
      };
      expect(after((r) => (r.w(WCR, enable(0)), r.clock.advanceTo(STEP)))).toBe(TOUT);
      expect(after((r) => r.w(WCR, WDA))).toBe(SFTW);
      expect(after((r) => (r.w(WCR, enable(0) & ~SRS), r.clock.advanceTo(STEP)))).toBe(SFTW | TOUT);
      expect(after(() => undefined)).toBe(POR);
      expect(after((r) => r.w(WCR, SRS))).toBe(POR); // WDOG_B (WDA 0) is not a reset request
    });

    it('reset: registers to reset values, the counter disabled, the power-down counter running again from the reset', () => {
      const rig = makeRig();
      rig.w(WMCR, 0);
      rig.w(WICR, WIE | 1);
      rig.w(WCR, enable(1) | WDT);
      rig.clock.advanceTo(3 * STEP);
      rig.device.reset();
      expect([WCR, WSR, WICR, WMCR].map(rig.r)).toEqual([0x0030, 0, 0x0004, PDE]);
      expect([rig.device.counter.mode, rig.device.pretimeout.mode, rig.device.powerDown.mode]).toEqual(['stopped', 'stopped', 'oneshot']);
      const b = rises(rig, 'wdog_b');
      rig.clock.advanceTo(3 * STEP + POWER_DOWN);
      expect(b).toEqual([3 * STEP + POWER_DOWN]);
    });
  });

  describe('X9: the power-down counter', () => {
    it('asserts WDOG_B 16 s after a power-on, whatever WDE is, and holds it until reset', () => {
      const rig = makeRig();
      const b = rises(rig, 'wdog_b');
      rig.clock.advanceTo(POWER_DOWN - 1);
      expect(b).toEqual([]);
      rig.clock.advanceTo(POWER_DOWN);
      expect(b).toEqual([POWER_DOWN]);
      rig.w(WMCR, 0); // too late: WDOG_B stays asserted
      rig.w(WCR, SRS | WDA);
      expect(rig.lines()).toEqual([false, false, true]);
      rig.device.reset();
      expect(rig.lines()).toEqual([false, false, false]);
    });

    it('PDE written 0 within the 16 s stops it for good', () => {
      const rig = makeRig();
      rig.clock.advanceTo(POWER_DOWN - 1);
      rig.w(WMCR, 0);
      rig.clock.advanceTo(10 * POWER_DOWN);
      expect(rig.lines()).toEqual([false, false, false]);
      expect(rig.device.probes.find((p) => p.name === 'powerdown')!.read()).toBe(1n);
    });
  });

  describe('X11: ckil changes', () => {
    it('0 Hz freezes the counters at their reading; they resume from it with fresh cycles, the pre-timeout keeping its distance to the timeout', () => {
      const rig = quiet();
      const int = rises(rig, 'wdog_int');
      const rst = rises(rig, 'wdog_rst');
      rig.w(WICR, WIE | 2);
      rig.w(WCR, enable(5)); // interrupt at 2 s, timeout at 3 s
      rig.clock.advanceTo(STEP);
      rig.ckil.setHz(0); // at a cycle edge: 81 920 and 49 152 cycles left, read (and frozen) as 81 921 and 49 153
      rig.clock.advanceTo(11 * STEP);
      expect(int).toEqual([]);
      expect(rig.device.probes.map((p) => p.read())).toEqual([81_921n, 49_153n, 524_288n]); // the power-down counter: off since 0
      rig.ckil.setHz(32_768); // 5 s stopped
      rig.clock.advanceTo(30 * STEP);
      expect(int).toEqual([11 * STEP + Math.floor(49_153 * CYCLE)]);
      expect(rst).toEqual([11 * STEP + Math.floor(81_921 * CYCLE)]);
      expect(rst[0]! - int[0]!).toBe(2 * STEP); // still WICT (2) steps apart
    });

    it('a rate change re-times the count from its reading: at 65 536 Hz the rest lasts half as long', () => {
      const rig = quiet();
      const rst = rises(rig, 'wdog_rst');
      rig.w(WCR, enable(3)); // 2 s
      rig.clock.advanceTo(STEP + 10_000); // 49 152 cycles and two thirds of one left: reads 49 152
      rig.ckil.setHz(65_536);
      rig.clock.advanceTo(10 * STEP);
      expect(rst).toEqual([STEP + 10_000 + Math.floor((49_152 * 1e9) / 65_536)]); // 1.75 s + 10 µs
    });
  });

  describe('Snapshots', () => {
    it('carry the registers, the three counters, ckilHz, the reset causes, the WDOG_B latch and the locks; a fresh device restores them exactly', () => {
      const rig = makeRig();
      rig.w(WICR, WIE | 1);
      rig.w(WCR, enable(3) | WDZST);
      rig.w(WSR, 0x5555);
      rig.clock.advanceTo(3 * STEP + 7);
      const snapshot = JSON.parse(JSON.stringify(rig.device.snapshot())) as Record<string, unknown>;
      expect(Object.keys(snapshot)).toEqual([
        'device',
        'version',
        'registers',
        'counter',
        'pretimeout',
        'powerDown',
        'ckilHz',
        'resetCause',
        'wdogB',
        'wcrWritten',
        'wicrWritten',
      ]);
      expect(snapshot).toMatchObject({ ckilHz: 32_768, resetCause: 0, wdogB: false, wcrWritten: true, wicrWritten: true });
      const fresh = makeRig({ clock: new VirtualClock({ start: 3 * STEP + 7 }) });
      fresh.device.restore(snapshot);
      expect(JSON.parse(JSON.stringify(fresh.device.snapshot()))).toEqual(snapshot);
      expect(fresh.lines()).toEqual([true, false, false]);
      fresh.w(WSR, 0xaaaa); // the half-done service completes in the restored device
      fresh.w(WICR, WIE | WTIS | 1);
      fresh.clock.advanceTo(3 * STEP + 7 + 3 * STEP - 1); // the next pre-timeout point: 3 steps after the service
      expect(fresh.lines()).toEqual([false, false, false]);
      fresh.clock.advanceTo(3 * STEP + 7 + 3 * STEP);
      expect(fresh.lines()).toEqual([true, false, false]);
    });

    it('refuses another ckil rate at ckilHz and another instance at device, changing nothing', () => {
      const rig = makeRig();
      const snapshot = JSON.parse(JSON.stringify(rig.device.snapshot())) as Record<string, unknown>;
      const other = makeRig({ hz: 32_000 });
      expect(() => other.device.restore(snapshot)).toThrow(/snapshot field 'ckilHz'/);
      const named = new Imx2Wdt(new VirtualClock(), { ckil: new ClockInput('ckil', 32_768), name: 'wdog2' });
      expect(() => named.restore(snapshot)).toThrow(/snapshot field 'device'/);
      expect(named.snapshot().registers.registers).toEqual(rig.device.snapshot().registers.registers);
    });
  });

  describe('Timing', () => {
    const timeout = (hz: number, timing: 'exact' | 'qemu'): number[] => {
      const rig = quiet({ hz, timing });
      const rst = rises(rig, 'wdog_rst');
      rig.w(WCR, enable(2)); // 3 steps: 49152 cycles
      rig.clock.advanceTo(10 * STEP);
      return rst;
    };

    it('at 32.768 kHz both timings agree: 1.5 s exactly', () => {
      expect(timeout(32_768, 'exact')).toEqual([3 * STEP]);
      expect(timeout(32_768, 'qemu')).toEqual([3 * STEP]);
    });

    it("at 30 kHz (33 333⅓ ns a cycle) exact timing ends at 1.6384 s; 'qemu' floors QEMU's short 64.32 period a ns early", () => {
      expect(timeout(30_000, 'exact')).toEqual([1_638_400_000]);
      expect(timeout(30_000, 'qemu')).toEqual([1_638_399_999]);
    });
  });
});
