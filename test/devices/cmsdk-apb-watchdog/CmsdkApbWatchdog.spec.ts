// The CMSDK APB watchdog at register level (ARM DDI 0479, "APB watchdog"): a datasheet
// walk-through of the counter, the interrupt, the reset request, integration test mode,
// WDOGCLK changes and reset. Each ambiguity the device header decides (A1-A10) has its test here
// (A7 and A8 are in the guest-error spec). 25 MHz WDOGCLK: 1 tick = 40 ns.
import { describe, expect, it } from 'vitest';
import { CMSDK_APB_WATCHDOG_POLICY, CMSDK_APB_WATCHDOG_REGISTERS, CmsdkApbWatchdog } from '../../../devices/cmsdk-apb-watchdog';
import { ClockInput, DeviceConfigError, VirtualClock } from '../../../index';
import {
  INTEN,
  makeRig,
  RESEN,
  type Rig,
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
import { handlerVsGuest } from '../../support/handlerVsGuest';

/** LOAD = 1000 from t = 0: the first expiry is 1000 ticks later, the next ones 1001 ticks apart (A4). */
const LOAD = 1000;
const E1 = LOAD * TICK; // 40 000 ns
const E2 = E1 + (LOAD + 1) * TICK; // 80 040 ns

describe('CmsdkApbWatchdog', () => {
  it('uses the policy W+O+R+D, as QEMU does for this device', () => {
    expect([...CMSDK_APB_WATCHDOG_POLICY].sort()).toEqual(
      ['NO_COUNTER_ROUND_DOWN', 'NO_IMMEDIATE_RELOAD', 'TRIGGER_ONLY_ON_DECREMENT', 'WRAP_AFTER_ONE_PERIOD'].sort(),
    );
  });

  it('reads its reset values: LOAD and VALUE 0xFFFFFFFF, everything else 0, the counter stopped', () => {
    const { clock, r, device } = makeRig();
    expect([r(WDOGLOAD), r(WDOGVALUE), r(WDOGCONTROL), r(WDOGRIS), r(WDOGMIS), r(WDOGLOCK), r(WDOGITCR)]).toEqual([
      0xffff_ffff, 0xffff_ffff, 0, 0, 0, 0, 0,
    ]);
    clock.advanceTo(1_000_000); // INTEN is clear: the counter does not run
    expect(r(WDOGVALUE)).toBe(0xffff_ffff);
    expect([device.irq.level, device.wdogres.level]).toEqual([false, false]);
  });

  it('reads the CMSDK peripheral and component IDs (AMBA part 0x824, ARM, revision 1)', () => {
    const { r } = makeRig();
    const ids = [0xfd0, 0xfd4, 0xfd8, 0xfdc, 0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc].map(r);
    expect(ids).toEqual([0x04, 0x00, 0x00, 0x00, 0x24, 0xb8, 0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
    // How an AMBA bus driver assembles them (low byte of each word):
    const periphId = ids[4]! | (ids[5]! << 8) | (ids[6]! << 16) | (ids[7]! << 24);
    const cellId = (ids[8]! | (ids[9]! << 8) | (ids[10]! << 16) | (ids[11]! << 24)) >>> 0;
    expect(periphId & 0x00ff_ffff).toBe(0x001b_b824); // the id Linux's sp805_wdt matches for this block
    expect(cellId).toBe(0xb105_f00d);
  });

  it('A4: counts LOAD ticks, sets RIS on the 1 -> 0 step, rests at 0 for one tick, then reloads (QEMU qtest values)', () => {
    const { clock, r, w, device } = makeRig();
    w(WDOGCONTROL, INTEN); // t = 0: counter and interrupt enabled (counts from LOAD's reset value)
    w(WDOGLOAD, LOAD); // t = 0: restart from 1000
    expect(r(WDOGVALUE)).toBe(1000);
    clock.advanceTo(1); // 1 ns in: still 1000 (hardware-like reads, D)
    expect(r(WDOGVALUE)).toBe(1000);
    clock.advanceTo(500 * TICK); // the 500th tick boundary: the old value still shows
    expect(r(WDOGVALUE)).toBe(501);
    clock.advanceTo(500 * TICK + 1); // qtest: 500 ticks + 1 ns
    expect([r(WDOGVALUE), r(WDOGRIS)]).toEqual([500, 0]);
    clock.advanceTo(E1 - 1); // just before the expiry
    expect([r(WDOGVALUE), r(WDOGRIS), r(WDOGMIS), device.irq.level]).toEqual([1, 0, 0, false]);
    clock.advanceTo(E1); // the expiry: 0 and the interrupt, in one step
    expect([r(WDOGVALUE), r(WDOGRIS), r(WDOGMIS), device.irq.level]).toEqual([0, 1, 1, true]);
    clock.advanceTo(E1 + TICK); // the counter rests at 0 for one whole tick
    expect(r(WDOGVALUE)).toBe(0);
    clock.advanceTo(E1 + TICK + 1); // then reloads from WDOGLOAD
    expect(r(WDOGVALUE)).toBe(1000);
    w(WDOGINTCLR, 1); // qtest: INTCLR clears RIS and reloads
    expect([r(WDOGVALUE), r(WDOGRIS), r(WDOGMIS), device.irq.level]).toEqual([1000, 0, 0, false]);
    clock.advanceTo(E1 + TICK + 1 + LOAD * TICK - 1); // the count restarted at the INTCLR: 1000 ticks from there
    expect([r(WDOGVALUE), r(WDOGRIS)]).toEqual([1, 0]);
    clock.advanceBy(1);
    expect([r(WDOGVALUE), r(WDOGRIS)]).toEqual([0, 1]);
  });

  it('A4: a LOAD write with INTEN clear sets VALUE but the counter does not run (QEMU qtest)', () => {
    const { clock, r, w } = makeRig();
    w(WDOGLOAD, LOAD);
    expect(r(WDOGVALUE)).toBe(1000);
    clock.advanceTo(10 * E1);
    expect([r(WDOGVALUE), r(WDOGRIS)]).toEqual([1000, 0]);
    w(WDOGCONTROL, INTEN); // enabling reloads from LOAD and starts counting now
    clock.advanceBy(TICK + 1);
    expect(r(WDOGVALUE)).toBe(999);
  });

  it('A1: an expiry while RIS is still set requests a reset and stops the counter at 0', () => {
    const { clock, r, w, device } = makeRig();
    w(WDOGLOAD, LOAD);
    w(WDOGCONTROL, INTEN | RESEN);
    clock.advanceTo(E1); // first expiry: interrupt only
    expect([r(WDOGRIS), device.irq.level, device.wdogres.level]).toEqual([1, true, false]);
    clock.advanceTo(E2 - 1); // the interrupt was never serviced; one ns before the second expiry
    expect([r(WDOGVALUE), device.wdogres.level]).toEqual([1, false]);
    clock.advanceTo(E2); // second expiry: WDOGRES rises (RESEN set)
    expect([r(WDOGVALUE), r(WDOGRIS), device.irq.level, device.wdogres.level]).toEqual([0, 1, true, true]);
    expect(device.timer.mode).toBe('stopped');
    clock.advanceTo(E2 + 100 * E1); // the counter stays stopped at 0; WDOGRES stays high
    expect([r(WDOGVALUE), device.wdogres.level]).toEqual([0, true]);
    device.wdogclk.setHz(50_000_000); // a clock change does not restart a halted counter
    clock.advanceBy(E1);
    expect([r(WDOGVALUE), device.timer.mode]).toEqual([0, 'stopped']);
  });

  it('A2: RESEN masks a latched request; only reset() clears it', () => {
    const { clock, r, w, device } = makeRig();
    w(WDOGLOAD, LOAD);
    w(WDOGCONTROL, INTEN); // RESEN clear
    clock.advanceTo(E2); // second expiry: request latched, masked
    expect([device.wdogres.level, r(WDOGVALUE)]).toEqual([false, 0]);
    w(WDOGCONTROL, INTEN | RESEN); // unmask: WDOGRES rises now (INTEN stays 1: no reload)
    expect([device.wdogres.level, r(WDOGVALUE)]).toEqual([true, 0]);
    w(WDOGCONTROL, INTEN); // mask again
    expect(device.wdogres.level).toBe(false);
    w(WDOGINTCLR, 1); // clears the interrupt, not the request
    w(WDOGCONTROL, INTEN | RESEN);
    expect([r(WDOGRIS), device.irq.level, device.wdogres.level]).toEqual([0, false, true]);
    device.reset(); // the system's reset: WDOGRES low again
    expect([device.wdogres.level, device.irq.level]).toEqual([false, false]);
    w(WDOGCONTROL, INTEN | RESEN); // and a fresh start does not bring it back
    expect(device.wdogres.level).toBe(false);
  });

  describe('A3: after the halt, a reload restarts the counter (QEMU keeps it stopped)', () => {
    it.each([
      ['WDOGINTCLR', WDOGINTCLR, 1, LOAD],
      ['a WDOGLOAD write', WDOGLOAD, 600, 600],
    ])('%s', (_name, offset, value, from) => {
      const { clock, r, w } = makeRig();
      w(WDOGLOAD, LOAD);
      w(WDOGCONTROL, INTEN);
      clock.advanceTo(E2 + 1_000); // halted at 0
      expect(r(WDOGVALUE)).toBe(0);
      w(offset, value);
      expect(r(WDOGVALUE)).toBe(from);
      clock.advanceBy(TICK + 1); // counting again
      expect(r(WDOGVALUE)).toBe(from - 1);
    });

    it('INTEN 0 -> 1', () => {
      const { clock, r, w } = makeRig();
      w(WDOGLOAD, LOAD);
      w(WDOGCONTROL, INTEN);
      clock.advanceTo(E2 + 1_000);
      w(WDOGCONTROL, 0);
      w(WDOGCONTROL, INTEN);
      clock.advanceBy(TICK + 1);
      expect(r(WDOGVALUE)).toBe(LOAD - 1);
    });
  });

  it('A5: rewriting INTEN = 1 does not reload; INTEN 1 -> 0 freezes VALUE and keeps RIS; 0 -> 1 reloads', () => {
    const { clock, r, w, device } = makeRig();
    w(WDOGLOAD, LOAD);
    w(WDOGCONTROL, INTEN);
    clock.advanceTo(100 * TICK + 1);
    w(WDOGCONTROL, INTEN | RESEN); // INTEN unchanged: the count goes on
    expect(r(WDOGVALUE)).toBe(900);
    clock.advanceTo(E1 + 10 * TICK + 1); // past the first expiry, after the reload (0 for one tick, then 1000)
    expect([r(WDOGVALUE), r(WDOGRIS), device.irq.level]).toEqual([991, 1, true]);
    w(WDOGCONTROL, 0); // disable: counter frozen, RIS kept, MIS and the line masked
    expect([r(WDOGVALUE), r(WDOGRIS), r(WDOGMIS), device.irq.level]).toEqual([991, 1, 0, false]);
    clock.advanceBy(10 * E2);
    expect([r(WDOGVALUE), device.wdogres.level]).toEqual([991, false]);
    w(WDOGCONTROL, INTEN); // re-enable: reload from LOAD; RIS still pending, so the line rises again
    expect([r(WDOGVALUE), r(WDOGMIS), device.irq.level]).toEqual([1000, 1, true]);
  });

  it('A6: WDOGLOAD = 0 is reported as unimplemented; the counter holds 0: no interrupt, no reset', () => {
    const { clock, r, w, device, events } = makeRig();
    w(WDOGCONTROL, INTEN | RESEN);
    clock.advanceTo(123);
    w(WDOGLOAD, 0);
    expect(events).toEqual([{ kind: 'unimplemented', time: 123, source: 'cmsdk-apb-watchdog', offset: WDOGLOAD, feature: 'WDOGLOAD=0' }]);
    expect([r(WDOGLOAD), r(WDOGVALUE)]).toEqual([0, 0]);
    clock.advanceBy(1_000 * TICK);
    expect([r(WDOGVALUE), r(WDOGRIS), device.irq.level, device.wdogres.level]).toEqual([0, 0, false, false]);
    w(WDOGLOAD, 5); // a valid value restarts it
    clock.advanceBy(5 * TICK);
    expect([r(WDOGVALUE), r(WDOGRIS)]).toEqual([0, 1]);
  });

  it('A9: in integration test mode the outputs follow WDOGITOP; the counter and RIS keep working', () => {
    const { clock, r, w, device } = makeRig();
    w(WDOGLOAD, LOAD);
    w(WDOGCONTROL, INTEN | RESEN);
    w(WDOGITCR, 1);
    w(WDOGITOP, 0b10); // WDOGINT only
    expect([device.irq.level, device.wdogres.level]).toEqual([true, false]);
    w(WDOGITOP, 0b01); // WDOGRES only
    expect([device.irq.level, device.wdogres.level]).toEqual([false, true]);
    w(WDOGITOP, 0);
    clock.advanceTo(E1); // the expiry sets RIS, but the line follows ITOP
    expect([r(WDOGRIS), r(WDOGMIS), device.irq.level]).toEqual([1, 1, false]);
    w(WDOGITCR, 0); // back to functional outputs
    expect([device.irq.level, device.wdogres.level]).toEqual([true, false]);
    expect(r(WDOGITCR)).toBe(0);
  });

  describe('A10: WDOGCLK changes at run time', () => {
    it('doubling the clock mid-count: restarts from the value read, 20 ns per tick from there', () => {
      const { clock, r, w, wdogclk } = makeRig();
      w(WDOGLOAD, LOAD);
      w(WDOGCONTROL, INTEN);
      clock.advanceTo(500 * TICK + 1); // VALUE 500
      wdogclk.setHz(50_000_000); // t0 = 20 001 ns
      const t0 = clock.now();
      expect(r(WDOGVALUE)).toBe(500);
      clock.advanceTo(t0 + 250 * 20); // 250 new ticks: the old value still shows at the boundary
      expect(r(WDOGVALUE)).toBe(251);
      clock.advanceBy(1);
      expect(r(WDOGVALUE)).toBe(250);
      clock.advanceTo(t0 + 500 * 20 - 1);
      expect([r(WDOGVALUE), r(WDOGRIS)]).toEqual([1, 0]);
      clock.advanceBy(1); // expiry at t0 + 10 000 ns
      expect([r(WDOGVALUE), r(WDOGRIS)]).toEqual([0, 1]);
      clock.advanceBy(20 + 1); // one 20 ns tick at 0, then LOAD
      expect(r(WDOGVALUE)).toBe(1000);
    });

    it('a stopped clock (0 Hz) freezes the counter; it resumes from that value with a full tick', () => {
      const { clock, r, w, wdogclk } = makeRig();
      w(WDOGLOAD, LOAD);
      w(WDOGCONTROL, INTEN);
      clock.advanceTo(500 * TICK + 1);
      wdogclk.setHz(0);
      clock.advanceBy(1_000_000_000); // one virtual second without WDOGCLK
      expect([r(WDOGVALUE), r(WDOGRIS)]).toEqual([500, 0]);
      wdogclk.setHz(25_000_000);
      const t0 = clock.now();
      clock.advanceTo(t0 + TICK);
      expect(r(WDOGVALUE)).toBe(500);
      clock.advanceBy(1);
      expect(r(WDOGVALUE)).toBe(499);
      clock.advanceTo(t0 + 500 * TICK - 1);
      expect(r(WDOGRIS)).toBe(0);
      clock.advanceBy(1);
      expect(r(WDOGRIS)).toBe(1);
    });

    it('a watchdog built on a stopped clock starts counting when the clock starts', () => {
      const { clock, r, w, wdogclk } = makeRig({ hz: 0 });
      w(WDOGLOAD, 10);
      w(WDOGCONTROL, INTEN);
      clock.advanceBy(1_000_000);
      expect(r(WDOGVALUE)).toBe(10);
      wdogclk.setHz(1_000_000); // 1 µs per tick
      clock.advanceBy(10 * 1_000);
      expect([r(WDOGVALUE), r(WDOGRIS)]).toEqual([0, 1]);
    });
  });

  it('reset(): registers, lock and outputs to their reset values, the counter stopped at 0xFFFFFFFF', () => {
    const { clock, r, w, device } = makeRig();
    w(WDOGLOAD, LOAD);
    w(WDOGCONTROL, INTEN | RESEN);
    w(WDOGITCR, 1);
    w(WDOGITCR, 0);
    w(WDOGLOCK, 1); // locked
    clock.advanceTo(E2); // reset requested
    expect([device.irq.level, device.wdogres.level, r(WDOGLOCK)]).toEqual([true, true, 1]);
    device.reset();
    const regs = CMSDK_APB_WATCHDOG_REGISTERS.byName;
    expect([r(WDOGLOAD), r(WDOGVALUE), r(WDOGCONTROL), r(WDOGRIS), r(WDOGMIS), r(WDOGLOCK), r(WDOGITCR)]).toEqual([
      regs.WDOGLOAD.reset, 0xffff_ffff, regs.WDOGCONTROL.reset, 0, 0, 0, 0,
    ]);
    expect([device.irq.level, device.wdogres.level, device.timer.mode]).toEqual([false, false, 'stopped']);
    clock.advanceBy(10 * E2);
    expect(r(WDOGVALUE)).toBe(0xffff_ffff);
    w(WDOGCONTROL, INTEN); // unlocked by the reset; counts from 0xFFFFFFFF
    clock.advanceBy(TICK + 1);
    expect(r(WDOGVALUE)).toBe(0xffff_fffe);
  });

  it('WDOGLOCK: the key unlocks, any other value locks; it reads the status, never the value', () => {
    const { r, w } = makeRig();
    w(WDOGLOCK, 0x2bdd_f662); // any value but the key
    expect(r(WDOGLOCK)).toBe(1);
    w(WDOGLOCK, UNLOCK);
    expect(r(WDOGLOCK)).toBe(0);
    w(WDOGLOCK, 0);
    expect(r(WDOGLOCK)).toBe(1);
  });

  describe('G3: a handler on an output line during a sync expiry leaves the state of a guest acting right after (#13)', () => {
    const feed = (rig: Rig): void => {
      rig.w(WDOGLOCK, UNLOCK);
      rig.w(WDOGINTCLR, 1);
      rig.w(WDOGLOCK, 0);
    };
    it.each([
      // The ISR feeds the locked watchdog on WDOGINT: the reload applies when the expiry returns.
      ['WDOGINT: unlock, WDOGINTCLR, lock', 'wdogint', feed],
      // A late feed at the reset request: clears RIS and restarts the halted counter (A3), WDOGRES stays latched (A2).
      ['WDOGRES: unlock, WDOGINTCLR, lock', 'wdogres', feed],
      // The system resets the watchdog when WDOGRES rises (the reset it asks for).
      ['WDOGRES: reset()', 'wdogres', (rig: Rig) => rig.device.reset()],
    ] as const)('%s', (_name, line, handler) => {
      const { inListener, byGuest } = compare(line, handler);
      expect(inListener.handled).toBeGreaterThan(0);
      expect(inListener.handled).toBe(byGuest.handled);
      expect(inListener.log).toEqual(byGuest.log);
      expect(inListener.states).toEqual(byGuest.states);
    });

    // Pins the fix of a defect found while converting the device (#13): a transaction joined in the
    // callback context re-anchors at its commit, so a later latch or read sees the handler's own write.
    it('WDOGINT: feed, then INTEN 1 -> 0: VALUE freezes at WDOGLOAD, as by a guest (#13)', () => {
      const { inListener, byGuest } = compare('wdogint', (rig) => {
        feed(rig);
        rig.w(WDOGLOCK, UNLOCK);
        rig.w(WDOGCONTROL, 0);
      });
      expect(inListener.states).toEqual(byGuest.states);
    });

    /** Starts the watchdog, with `handler` on each of the first two rising edges of `line`, in the expiry step or in a guest step right after. */
    function compare(line: 'wdogint' | 'wdogres', handler: (rig: Rig) => void) {
      const start = (rig: Rig): void => {
        rig.w(WDOGLOAD, LOAD);
        rig.w(WDOGCONTROL, INTEN | RESEN);
        rig.w(WDOGLOCK, 0);
      };
      const times = Array.from({ length: 16 }, (_, k) => ((k + 1) * E1) / 2); // to 4 * E2
      return handlerVsGuest(() => makeRig(), line, start, handler, { rounds: 2, times });
    }
  });

  describe('options: every one is checked, a bad one is a DeviceConfigError naming it (#13)', () => {
    const wdogclk = new ClockInput('wdogclk', 25_000_000);
    it.each([
      ['an unknown option key', { wdogclk, pclk: wdogclk }, 'CmsdkApbWatchdog(options.pclk)'],
      ['a missing wdogclk', {}, 'CmsdkApbWatchdog(options.wdogclk)'],
      ['a wdogclk that is a number, not a ClockInput', { wdogclk: 25_000_000 }, 'CmsdkApbWatchdog(options.wdogclk)'],
      ['an empty name', { wdogclk, name: '' }, 'CmsdkApbWatchdog(options.name)'],
      ['a bad delivery', { wdogclk, delivery: 'deferred' }, 'CmsdkApbWatchdog(options.delivery)'],
    ] as const)('%s', (_name, options, what) => {
      const make = () => new CmsdkApbWatchdog(new VirtualClock(), options as never);
      expect(make).toThrow(DeviceConfigError);
      expect(make).toThrow(what);
    });
  });

  it('dispose() with the reset-requesting expiry pending as a bottom half: WDOGRES never rises, WDOGCLK no longer reaches it (#13)', () => {
    const { clock, w, device, wdogclk } = makeRig({ delivery: 'bottom-half' });
    let completed = false;
    device.events$.subscribe({ complete: () => (completed = true) });
    w(WDOGLOAD, LOAD);
    w(WDOGCONTROL, INTEN | RESEN);
    clock.advanceTo(E2 - 1);
    // A guest step at E2 queued now runs after the second expiry's step and before the bottom half it queues.
    let pendingThen: string[] = [];
    clock.schedule(() => {
      pendingThen = clock.pendingEvents().map((e) => e.tag.kind);
      device.dispose();
    }, 1);
    clock.advanceTo(E2);
    expect(pendingThen).toContain('bottom-half');
    expect([completed, clock.pending]).toEqual([true, 0]);
    wdogclk.setHz(50_000_000);
    clock.advanceBy(10 * E2);
    expect([device.wdogres.level, clock.pending]).toEqual([false, 0]);
  });
});
