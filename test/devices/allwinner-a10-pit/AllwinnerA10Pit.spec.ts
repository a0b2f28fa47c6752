// The Allwinner A10 timer block at register level, as the manual's timer chapter walks it:
// reset values, the counting sequence (and the policy behind it), single mode, RELOAD, EN,
// INTV and CUR_VALUE writes, the interrupt registers and lines, prescaler and clock changes at
// run time, the 64-bit counter, what is not modelled, reset and snapshots. Most walks use LOSC
// ÷64, whose tick is a whole 1 953 125 ns, so "just before" and "just past" a boundary are
// exact; the 24 MHz driver sequences are in AllwinnerA10Pit.drivers.spec.ts.
import { describe, expect, it } from 'vitest';
import { ALLWINNER_A10_PIT_POLICY, AllwinnerA10Pit, type AllwinnerA10PitOptions } from '../../../devices/allwinner-a10-pit';
import { ClockInput, DeviceConfigError, RegisterSnapshotError, VirtualClock } from '../../../index';
import { thrown } from '../../support/errors';
import {
  AVS_CNT0_REG,
  AVS_CNT_CTL_REG,
  AVS_CNT_DIV_REG,
  CNT64_CLR_EN,
  CNT64_CTRL_REG,
  CNT64_HI_REG,
  CNT64_LO_REG,
  CNT64_RL_EN,
  CTRL,
  CUR,
  EN,
  INTV,
  LOSC_DIV64,
  LOSC_TICK as P,
  makeRig,
  PRES,
  RELOAD,
  SINGLE,
  SRC_LOSC,
  SRC_OSC24M,
  storedRegisters,
  TMR_IRQ_EN_REG,
  TMR_IRQ_STA_REG,
  WDOG_CTRL_REG,
  WDOG_MODE_REG,
} from './rig';

describe('AllwinnerA10Pit', () => {
  it('comes out of reset with every TMRn_CTRL at 0x4 (OSC24M, stopped), AVS_CNT_DIV at 0x05DB05DB, the rest 0, lines low', () => {
    const { r, device } = makeRig();
    for (let n = 0; n < 6; n++) expect([r(CTRL(n)), r(INTV(n)), r(CUR(n))]).toEqual([0x4, 0, 0]);
    expect([r(TMR_IRQ_EN_REG), r(TMR_IRQ_STA_REG), r(AVS_CNT_DIV_REG), r(WDOG_MODE_REG), r(CNT64_CTRL_REG)]).toEqual([0, 0, 0x05db05db, 0, 0]);
    expect([...device.irqs.map((l) => l.level), device.irq.level]).toEqual([false, false, false, false, false, false, false]);
  });

  it('the policy: continuous, INTV = 3: CUR shows 3, 2, 1 one tick each, interrupts at 0, rests at 0 one tick, reloads (INTV + 1 ticks per period)', () => {
    expect(ALLWINNER_A10_PIT_POLICY).toEqual(['WRAP_AFTER_ONE_PERIOD', 'TRIGGER_ONLY_ON_DECREMENT', 'NO_IMMEDIATE_RELOAD', 'NO_COUNTER_ROUND_DOWN']);
    const { clock, r, w, device } = makeRig();
    const line = device.irqs[0]!;
    w(TMR_IRQ_EN_REG, 1); // timer 0's interrupt enabled
    w(INTV(0), 3);
    w(CTRL(0), LOSC_DIV64 | RELOAD | EN); // t = 0: load 3 and start
    expect(r(CUR(0))).toBe(3); // D: the loaded value, for the whole first tick
    clock.advanceTo(P);
    expect(r(CUR(0))).toBe(3); // the first tick ends here...
    clock.advanceTo(P + 1);
    expect(r(CUR(0))).toBe(2); // ...and the decrement is visible 1 ns later
    clock.advanceTo(2 * P + 1);
    expect(r(CUR(0))).toBe(1);
    clock.advanceTo(3 * P - 1); // just before the count reaches 0
    expect([r(CUR(0)), r(TMR_IRQ_STA_REG), line.level]).toEqual([1, 0, false]);
    clock.advanceTo(3 * P); // 1 -> 0: the pending bit and the line rise in the same step (G1)
    expect([r(CUR(0)), r(TMR_IRQ_STA_REG), line.level]).toEqual([0, 1, true]);
    w(TMR_IRQ_STA_REG, 1); // the handler acknowledges (write 1 to clear)
    expect([r(TMR_IRQ_STA_REG), line.level]).toEqual([0, false]);
    clock.advanceTo(4 * P); // W: 0 for one whole tick...
    expect(r(CUR(0))).toBe(0);
    clock.advanceTo(4 * P + 1); // ...then INTV again
    expect(r(CUR(0))).toBe(3);
    clock.advanceTo(7 * P - 1);
    expect([r(CUR(0)), r(TMR_IRQ_STA_REG)]).toEqual([1, 0]);
    clock.advanceTo(7 * P); // the next interrupt INTV + 1 = 4 ticks after the first
    expect([r(CUR(0)), r(TMR_IRQ_STA_REG), line.level]).toEqual([0, 1, true]);
  });

  it('single mode: counts down once, sets the pending bit, clears EN itself and holds 0 (ambiguity 5)', () => {
    const { clock, r, w, events } = makeRig();
    w(INTV(2), 2);
    w(CTRL(2), LOSC_DIV64 | SINGLE | RELOAD | EN);
    clock.advanceTo(P + 1);
    expect(r(CUR(2))).toBe(1);
    clock.advanceTo(2 * P - 1);
    expect([r(CUR(2)), r(TMR_IRQ_STA_REG), r(CTRL(2))]).toEqual([1, 0, LOSC_DIV64 | SINGLE | EN]);
    clock.advanceTo(2 * P); // reaches 0: pending, and the timer disables itself
    expect([r(CUR(2)), r(TMR_IRQ_STA_REG), r(CTRL(2))]).toEqual([0, 0b100, LOSC_DIV64 | SINGLE]);
    clock.advanceTo(50 * P); // stays at 0, no second interrupt
    expect(r(CUR(2))).toBe(0);
    expect(events.filter((e) => e.kind === 'expiry')).toHaveLength(1);
  });

  it('RELOAD loads the interval and reads back 0; with EN clear the counter holds it (ambiguity 2)', () => {
    const { clock, r, w } = makeRig();
    w(INTV(1), 5);
    w(CTRL(1), LOSC_DIV64 | RELOAD); // load only
    expect([r(CTRL(1)), r(CUR(1))]).toEqual([LOSC_DIV64, 5]); // self-cleared
    clock.advanceTo(10 * P);
    expect(r(CUR(1))).toBe(5); // not running
    w(CTRL(1), LOSC_DIV64 | EN); // start without RELOAD: the loaded 5 counts
    clock.advanceTo(11 * P);
    expect(r(CUR(1))).toBe(5);
    clock.advanceTo(11 * P + 1);
    expect(r(CUR(1))).toBe(4);
  });

  it('EN resumes a paused count; a start with a held count of 0 loads INTV (ambiguity 1)', () => {
    const { clock, r, w } = makeRig();
    w(INTV(0), 10);
    w(CTRL(0), LOSC_DIV64 | RELOAD | EN);
    clock.advanceTo(3 * P + 100); // in the tick that shows 7
    w(CTRL(0), LOSC_DIV64); // pause
    expect(r(CUR(0))).toBe(7);
    w(INTV(0), 20); // the manual allows changing the interval while paused
    clock.advanceTo(100 * P);
    expect(r(CUR(0))).toBe(7);
    w(CTRL(0), LOSC_DIV64 | EN); // resume, no RELOAD: 7, not 20
    expect(r(CUR(0))).toBe(7);
    clock.advanceTo(101 * P + 1);
    expect(r(CUR(0))).toBe(6);
    clock.advanceTo(107 * P); // 7 ticks after the resume: the interrupt
    expect([r(CUR(0)), r(TMR_IRQ_STA_REG)]).toEqual([0, 1]);
    clock.advanceTo(108 * P + 1); // the reload after the rest takes the new interval
    expect(r(CUR(0))).toBe(20);

    // From reset the held count is 0: EN alone loads INTV.
    const fresh = makeRig();
    fresh.w(INTV(4), 4);
    fresh.w(CTRL(4), LOSC_DIV64 | EN);
    expect(fresh.r(CUR(4))).toBe(4);
    fresh.clock.advanceTo(4 * P);
    expect([fresh.r(CUR(4)), fresh.r(TMR_IRQ_STA_REG)]).toEqual([0, 0b10000]);
  });

  describe('INTV (ambiguity 3)', () => {
    it('a write while counting changes nothing until the next reload; RELOAD applies it at once', () => {
      const { clock, r, w } = makeRig();
      w(INTV(0), 5);
      w(CTRL(0), LOSC_DIV64 | RELOAD | EN);
      clock.advanceTo(2 * P + 1);
      w(INTV(0), 2);
      expect(r(CUR(0))).toBe(3); // the count is not touched (QEMU would restart from 2)
      clock.advanceTo(5 * P); // the old countdown ends on time
      expect([r(CUR(0)), r(TMR_IRQ_STA_REG)]).toEqual([0, 1]);
      clock.advanceTo(6 * P + 1); // and the reload loads the new interval
      expect(r(CUR(0))).toBe(2);
      clock.advanceTo(7 * P + 10);
      w(INTV(0), 9);
      w(CTRL(0), LOSC_DIV64 | RELOAD | EN); // RELOAD: count from the new interval now
      expect(r(CUR(0))).toBe(9);
      clock.advanceTo(7 * P + 10 + P + 1);
      expect(r(CUR(0))).toBe(8);
    });

    it('written while the counter rests at 0, it is loaded one full tick after the write, without an interrupt', () => {
      const { clock, r, w } = makeRig();
      w(INTV(0), 2);
      w(CTRL(0), LOSC_DIV64 | RELOAD | EN);
      clock.advanceTo(2 * P); // interrupt; the rest runs to 3P
      w(TMR_IRQ_STA_REG, 1);
      clock.advanceTo(2 * P + 100);
      w(INTV(0), 4);
      expect(r(CUR(0))).toBe(0);
      clock.advanceTo(3 * P + 99);
      expect(r(CUR(0))).toBe(0); // the rest restarted at the write
      clock.advanceTo(3 * P + 100);
      expect([r(CUR(0)), r(TMR_IRQ_STA_REG)]).toEqual([4, 0]); // silent reload of the new interval
      clock.advanceTo(4 * P + 100);
      expect(r(CUR(0))).toBe(4);
      clock.advanceTo(4 * P + 101);
      expect(r(CUR(0))).toBe(3);
      clock.advanceTo(7 * P + 100); // 4 ticks after the reload
      expect([r(CUR(0)), r(TMR_IRQ_STA_REG)]).toEqual([0, 1]);
    });
  });

  describe('CUR_VALUE (ambiguity 4)', () => {
    it('a write loads the counter: a running count restarts from it at the write instant', () => {
      const { clock, r, w } = makeRig();
      w(INTV(0), 5);
      w(CTRL(0), LOSC_DIV64 | RELOAD | EN);
      clock.advanceTo(2 * P + 7);
      w(CUR(0), 9);
      expect(r(CUR(0))).toBe(9);
      clock.advanceTo(3 * P + 7);
      expect(r(CUR(0))).toBe(9);
      clock.advanceTo(3 * P + 8);
      expect(r(CUR(0))).toBe(8);
      clock.advanceTo(11 * P + 6);
      expect([r(CUR(0)), r(TMR_IRQ_STA_REG)]).toEqual([1, 0]);
      clock.advanceTo(11 * P + 7); // 9 ticks after the write
      expect([r(CUR(0)), r(TMR_IRQ_STA_REG)]).toEqual([0, 1]);
      clock.advanceTo(12 * P + 8); // and INTV again after the rest
      expect(r(CUR(0))).toBe(5);
    });

    it('0 written to a running continuous counter rests one tick, then reloads INTV, without an interrupt (O, R)', () => {
      const { clock, r, w, events } = makeRig();
      w(INTV(0), 3);
      w(CTRL(0), LOSC_DIV64 | RELOAD | EN);
      clock.advanceTo(P + 1);
      w(CUR(0), 0);
      expect([r(CUR(0)), r(TMR_IRQ_STA_REG)]).toEqual([0, 0]);
      clock.advanceTo(2 * P);
      expect(r(CUR(0))).toBe(0);
      clock.advanceTo(2 * P + 1); // one tick after the write
      expect([r(CUR(0)), r(TMR_IRQ_STA_REG)]).toEqual([3, 0]);
      clock.advanceTo(5 * P + 1); // the next interrupt comes from a real countdown
      expect([r(CUR(0)), r(TMR_IRQ_STA_REG)]).toEqual([0, 1]);
      expect(events.filter((e) => e.kind === 'expiry').map((e) => e.time)).toEqual([5 * P + 1]);
    });

    it('a write to a stopped counter is held, and EN counts from it', () => {
      const { clock, r, w } = makeRig();
      w(INTV(3), 100);
      w(CUR(3), 2);
      clock.advanceTo(10 * P);
      expect(r(CUR(3))).toBe(2);
      w(CTRL(3), LOSC_DIV64 | EN);
      clock.advanceTo(12 * P);
      expect([r(CUR(3)), r(TMR_IRQ_STA_REG)]).toEqual([0, 0b1000]);
    });
  });

  it('INTV = 0: nothing to count down: CUR holds 0, no interrupt, EN stays set, in both modes (ambiguity 6)', () => {
    const { clock, r, w, events } = makeRig();
    w(CTRL(0), LOSC_DIV64 | RELOAD | EN);
    w(CTRL(1), LOSC_DIV64 | SINGLE | RELOAD | EN);
    clock.advanceTo(20 * P);
    expect([r(CUR(0)), r(CUR(1)), r(TMR_IRQ_STA_REG), r(CTRL(0)), r(CTRL(1))]).toEqual([0, 0, 0, LOSC_DIV64 | EN, LOSC_DIV64 | SINGLE | EN]);
    expect(events).toEqual([]);
  });

  it('IRQ enable and status: the pending bit is set whatever TMRn_IRQ_EN says; each line is PEND && EN; the OR follows (ambiguity 7)', () => {
    const { clock, r, w, device } = makeRig();
    const levels = (): boolean[] => [...device.irqs.map((l) => l.level), device.irq.level];
    w(TMR_IRQ_EN_REG, 0b1000); // only timer 3
    w(INTV(0), 2);
    w(INTV(3), 3);
    w(CTRL(0), LOSC_DIV64 | RELOAD | EN);
    w(CTRL(3), LOSC_DIV64 | RELOAD | EN);
    clock.advanceTo(2 * P); // timer 0 reaches 0: pending, but its line is masked
    expect(r(TMR_IRQ_STA_REG)).toBe(0b0001);
    expect(levels()).toEqual([false, false, false, false, false, false, false]);
    clock.advanceTo(3 * P); // timer 3 reaches 0: its line and the OR rise
    expect(r(TMR_IRQ_STA_REG)).toBe(0b1001);
    expect(levels()).toEqual([false, false, false, true, false, false, true]);
    w(TMR_IRQ_EN_REG, 0b1001); // enabling timer 0 shows its pending bit at once
    expect(levels()).toEqual([true, false, false, true, false, false, true]);
    w(TMR_IRQ_STA_REG, 0); // writing 0 clears nothing
    expect(r(TMR_IRQ_STA_REG)).toBe(0b1001);
    w(TMR_IRQ_STA_REG, 0b1000); // clear timer 3
    expect(levels()).toEqual([true, false, false, false, false, false, true]);
    w(TMR_IRQ_STA_REG, 0xffff_ffff); // clear everything (the reserved bits are silent)
    expect(levels()).toEqual([false, false, false, false, false, false, false]);
    expect(r(TMR_IRQ_STA_REG)).toBe(0);
  });

  describe('clock changes at run time (ambiguity 8)', () => {
    it('a prescaler change keeps the count and starts a full tick of the new length at the change', () => {
      const { clock, r, w } = makeRig();
      w(INTV(0), 10);
      w(CTRL(0), LOSC_DIV64 | RELOAD | EN);
      const t = 2 * P + 500; // in the tick that shows 8
      clock.advanceTo(t);
      w(CTRL(0), SRC_LOSC | PRES(7) | EN); // ÷128: 3 906 250 ns per tick from now
      expect([r(CUR(0)), r(CTRL(0))]).toEqual([8, SRC_LOSC | PRES(7) | EN]);
      clock.advanceTo(t + 2 * P);
      expect(r(CUR(0))).toBe(8);
      clock.advanceTo(t + 2 * P + 1);
      expect(r(CUR(0))).toBe(7);
      clock.advanceTo(t + 16 * P - 1); // 8 ticks of 2P after the change
      expect([r(CUR(0)), r(TMR_IRQ_STA_REG)]).toEqual([1, 0]);
      clock.advanceTo(t + 16 * P);
      expect([r(CUR(0)), r(TMR_IRQ_STA_REG)]).toEqual([0, 1]);
    });

    it('a faster LOSC shortens the tick from the change; 0 Hz holds the count; the clock coming back resumes it', () => {
      const { clock, r, w, losc } = makeRig();
      w(INTV(5), 10);
      w(CTRL(5), SRC_LOSC | PRES(7) | RELOAD | EN); // ÷128 at 32 768 Hz: 2P per tick
      const t1 = 3 * 2 * P + 100; // shows 7
      clock.advanceTo(t1);
      losc.setHz(65_536); // ÷128 at 65 536 Hz: P per tick, from now
      expect(r(CUR(5))).toBe(7);
      clock.advanceTo(t1 + P);
      expect(r(CUR(5))).toBe(7);
      clock.advanceTo(t1 + P + 1);
      expect(r(CUR(5))).toBe(6);
      const t2 = t1 + 2 * P + 5; // shows 5
      clock.advanceTo(t2);
      losc.setHz(0); // the oscillator stops: the counter holds
      clock.advanceTo(t2 + 1_000 * P);
      expect([r(CUR(5)), r(TMR_IRQ_STA_REG)]).toEqual([5, 0]);
      const t3 = t2 + 1_000 * P;
      losc.setHz(32_768); // back: counting resumes with a full tick
      clock.advanceTo(t3 + 2 * P);
      expect(r(CUR(5))).toBe(5);
      clock.advanceTo(t3 + 2 * P + 1);
      expect(r(CUR(5))).toBe(4);
      clock.advanceTo(t3 + 10 * P); // 5 ticks of 2P after the clock came back
      expect([r(CUR(5)), r(TMR_IRQ_STA_REG)]).toEqual([0, 0b100000]);
    });

    it('switching CLK_SRC from LOSC to OSC24M keeps the count and ticks at 24 MHz ÷ 8 = 3 MHz from the switch', () => {
      const { clock, r, w } = makeRig();
      w(INTV(0), 10);
      w(CTRL(0), LOSC_DIV64 | RELOAD | EN);
      const t = 3 * P + 1; // shows 7
      clock.advanceTo(t);
      w(CTRL(0), SRC_OSC24M | PRES(3) | EN);
      expect(r(CUR(0))).toBe(7);
      clock.advanceTo(t + 332); // a 3 MHz tick is 333⅓ ns
      expect(r(CUR(0))).toBe(7);
      clock.advanceTo(t + 334);
      expect(r(CUR(0))).toBe(6);
      // 7 ticks = 2333⅓ ns; the framework floors a countdown to whole ns: 2333.
      clock.advanceTo(t + 2_332);
      expect([r(CUR(0)), r(TMR_IRQ_STA_REG)]).toEqual([1, 0]);
      clock.advanceTo(t + 2_333);
      expect([r(CUR(0)), r(TMR_IRQ_STA_REG)]).toEqual([0, 1]);
    });

    it('a reserved CLK_SRC is stored, reported as unimplemented, and holds the counter until a real source is selected', () => {
      const { clock, r, w, events } = makeRig();
      w(INTV(1), 5);
      w(CTRL(1), (2 << 2) | PRES(6) | RELOAD | EN);
      expect(events).toEqual([
        {
          kind: 'unimplemented',
          time: 0,
          source: 'allwinner-a10-pit',
          offset: CTRL(1),
          feature: 'TMR1_CTRL_REG.CLK_SRC=2 (PLL6/6 or external clock: not modelled, the counter holds)',
        },
      ]);
      expect(r(CTRL(1))).toBe((2 << 2) | PRES(6) | EN);
      clock.advanceTo(100 * P);
      expect(r(CUR(1))).toBe(5);
      w(CTRL(1), LOSC_DIV64 | EN);
      clock.advanceTo(105 * P);
      expect([r(CUR(1)), r(TMR_IRQ_STA_REG)]).toEqual([0, 0b10]);
    });
  });

  describe('the 64-bit counter (ambiguity 9)', () => {
    it('counts OSC24M ticks from reset; CNT64_RL_EN latches them into LO/HI and self-clears', () => {
      const { clock, r, w } = makeRig();
      clock.advanceTo(1_000_000); // 1 ms = 24 000 ticks
      w(CNT64_CTRL_REG, CNT64_RL_EN);
      expect([r(CNT64_CTRL_REG), r(CNT64_LO_REG), r(CNT64_HI_REG)]).toEqual([0, 24_000, 0]);
      clock.advanceTo(2_000_000);
      expect(r(CNT64_LO_REG)).toBe(24_000); // the latch holds until the next one
      clock.advanceTo(200_000_000_000); // 200 s = 4.8e9 ticks: past 32 bits
      w(CNT64_CTRL_REG, CNT64_RL_EN);
      expect([r(CNT64_HI_REG), r(CNT64_LO_REG)]).toEqual([1, 4_800_000_000 - 2 ** 32]);
    });

    it('CNT64_CLR_EN restarts it from 0; a slower OSC24M counts slower from the change; LO/HI writes only change the latch', () => {
      const { clock, r, w, osc24m } = makeRig();
      clock.advanceTo(5_000);
      w(CNT64_CTRL_REG, CNT64_CLR_EN);
      expect(r(CNT64_CTRL_REG)).toBe(0);
      clock.advanceTo(5_041); // 41 ns = 0.984 tick
      w(CNT64_CTRL_REG, CNT64_RL_EN);
      expect(r(CNT64_LO_REG)).toBe(0);
      clock.advanceTo(5_042); // 42 ns = 1.008 ticks
      w(CNT64_CTRL_REG, CNT64_RL_EN);
      expect(r(CNT64_LO_REG)).toBe(1);
      clock.advanceTo(6_000); // 24 ticks since the clear
      osc24m.setHz(12_000_000);
      clock.advanceTo(7_000); // + 12 ticks at 12 MHz
      w(CNT64_CTRL_REG, CNT64_RL_EN);
      expect(r(CNT64_LO_REG)).toBe(36);
      w(CNT64_LO_REG, 0x1234);
      expect(r(CNT64_LO_REG)).toBe(0x1234);
      w(CNT64_CTRL_REG, CNT64_RL_EN); // the counter itself was not changed
      expect(r(CNT64_LO_REG)).toBe(36);
    });

    it('CNT64_CLK_SRC_SEL = 1 (PLL6/6) is stored and reported; OSC24M keeps counting', () => {
      const { clock, r, w, events } = makeRig();
      w(CNT64_CTRL_REG, 0b100);
      expect(events).toEqual([
        { kind: 'unimplemented', time: 0, source: 'allwinner-a10-pit', offset: CNT64_CTRL_REG, feature: 'CNT64_CTRL_REG.CNT64_CLK_SRC_SEL' },
      ]);
      clock.advanceTo(1_000);
      w(CNT64_CTRL_REG, 0b100 | CNT64_RL_EN);
      expect([r(CNT64_CTRL_REG), r(CNT64_LO_REG)]).toEqual([0b100, 24]);
    });
  });

  describe('not modelled', () => {
    it('the watchdog and the AVS counters store what is written and read it back, never count, and report each non-zero write', () => {
      const { clock, r, w, events } = makeRig();
      w(WDOG_MODE_REG, 0b1011); // enabled, reset enabled, 1 s: nothing happens
      w(AVS_CNT_CTL_REG, 0b11);
      w(AVS_CNT0_REG, 0); // a zero write is not reported
      clock.advanceTo(20_000_000_000);
      expect([r(WDOG_MODE_REG), r(AVS_CNT_CTL_REG), r(AVS_CNT0_REG), r(WDOG_CTRL_REG)]).toEqual([0b1011, 0b11, 0, 0]);
      expect(events.map((e) => (e.kind === 'unimplemented' ? e.feature : e.kind))).toEqual([
        'WDOG_MODE_REG.WDOG_MODE',
        'AVS_CNT_CTL_REG.AVS_CNT_CTL',
      ]);
    });

    it('TMR_IRQ_EN bits 31:6 read 0 and a 1 written there is reported', () => {
      const { r, w, events } = makeRig();
      w(TMR_IRQ_EN_REG, 0x101);
      expect(r(TMR_IRQ_EN_REG)).toBe(0x1);
      expect(events).toEqual([{ kind: 'unimplemented', time: 0, source: 'allwinner-a10-pit', offset: 0, feature: 'TMR_IRQ_EN_REG[31:6]' }]);
    });

    it('0x100-0x13F (RTC, alarm, general-purpose data, CPU config): every access is an unimplemented event, reads 0, writes change nothing', () => {
      const { r, w, device, events } = makeRig();
      const before = JSON.stringify(device.snapshot());
      w(0x104, 0x0712_0101); // RTC_YY_MM_DD
      expect(r(0x104)).toBe(0);
      expect(device.read(0x13c, 1)).toBe(0);
      expect(JSON.stringify(device.snapshot())).toBe(before);
      expect(events.map((e) => [e.kind, 'offset' in e ? e.offset : undefined])).toEqual([
        ['unimplemented', 0x104],
        ['unimplemented', 0x104],
        ['unimplemented', 0x13c],
      ]);
    });
  });

  it('reset() stops every counter, clears the pending bits and lowers the lines, and restores the reset values', () => {
    const { clock, r, w, device, events } = makeRig();
    w(TMR_IRQ_EN_REG, 0b11);
    w(INTV(0), 2);
    w(INTV(1), 50);
    w(CTRL(0), LOSC_DIV64 | RELOAD | EN);
    w(CTRL(1), LOSC_DIV64 | RELOAD | EN);
    clock.advanceTo(2 * P + 10);
    expect([device.irqs[0]!.level, r(CUR(1))]).toEqual([true, 48]);
    device.reset();
    for (let n = 0; n < 6; n++) expect([r(CTRL(n)), r(INTV(n)), r(CUR(n))]).toEqual([0x4, 0, 0]);
    expect([r(TMR_IRQ_EN_REG), r(TMR_IRQ_STA_REG), device.irq.level]).toEqual([0, 0, false]);
    const expiries = events.filter((e) => e.kind === 'expiry').length;
    clock.advanceTo(100 * P);
    expect(events.filter((e) => e.kind === 'expiry')).toHaveLength(expiries); // nothing runs any more
    w(CNT64_CTRL_REG, CNT64_RL_EN); // the 64-bit counter restarted at the reset
    expect(r(CNT64_LO_REG)).toBe(Math.floor(((100 * P - (2 * P + 10)) * 24) / 1000));
  });

  describe('snapshot / restore', () => {
    it('round trip mid-run: the restored device reads and interrupts exactly as the original', () => {
      const run = (restoreAt?: number) => {
        const a = makeRig();
        a.w(TMR_IRQ_EN_REG, 1);
        a.w(INTV(0), 3);
        a.w(CTRL(0), SRC_OSC24M | RELOAD | EN);
        a.w(INTV(2), 7);
        a.w(CTRL(2), LOSC_DIV64 | SINGLE | RELOAD | EN);
        a.clock.advanceTo(1_000);
        let rig = a;
        if (restoreAt !== undefined) {
          const snap = JSON.parse(JSON.stringify(a.device.snapshot())) as unknown;
          rig = makeRig({ clock: new VirtualClock({ start: 1_000 }) });
          rig.device.restore(snap);
        }
        const seen: number[] = [];
        for (const t of [1_001, 1_042, 1_125, 1_166, 3 * P, 7 * P, 9 * P]) {
          rig.clock.advanceTo(t);
          seen.push(rig.r(CUR(0)), rig.r(CUR(2)), rig.r(TMR_IRQ_STA_REG), rig.r(CTRL(2)), Number(rig.device.irq.level));
        }
        return seen;
      };
      expect(run(1_000)).toEqual(run());
    });

    it('refuses malformed snapshots and clock rates that differ from the inputs, and changes nothing then', () => {
      const { device, r, w, clock } = makeRig();
      w(INTV(0), 5);
      w(CTRL(0), LOSC_DIV64 | RELOAD | EN);
      clock.advanceTo(P + 1);
      const good = JSON.parse(JSON.stringify(device.snapshot())) as Record<string, unknown>;
      const before = JSON.stringify(device.snapshot());
      const bad: unknown[] = [
        null,
        [],
        { ...good, version: 3 },
        { ...good, version: 1, loads: [null, null, null, null, null, null] }, // before exact timing: each timer's last load
        { ...good, timers: [] },
        { ...good, cnt64: { ticks: '-1', anchor: 0 } },
        { ...good, cnt64: { ticks: '0', anchor: P + 2 } },
        { ...good, clocks: { losc: 32_768, osc24m: 25_000_000 } },
        { ...good, registers: { ...(good.registers as object), registers: {} } },
      ];
      for (const snap of bad) {
        expect(() => device.restore(snap)).toThrow(RegisterSnapshotError);
        expect(JSON.stringify(device.snapshot())).toBe(before);
      }
      // A bad timer part is found after the registers were loaded: everything is put back.
      const timers = [...(good.timers as Record<string, unknown>[])];
      timers[5] = { ...timers[5], mode: 'sideways' };
      expect(() => device.restore({ ...good, timers })).toThrow(/mode/);
      expect(JSON.stringify(device.snapshot())).toBe(before);
      expect(r(CUR(0))).toBe(4);
    });
  });

  it('a line subscriber may reprogram the timer synchronously inside the interrupt (no nested transaction)', () => {
    const { clock, r, w, device } = makeRig();
    const seen: number[] = [];
    // A guest whose handler runs the moment the line rises: acknowledge, then re-arm a single shot of 2 ticks.
    device.irqs[0]!.level$.subscribe((high) => {
      if (!high) return;
      seen.push(clock.now());
      w(TMR_IRQ_STA_REG, 1);
      w(CTRL(0), LOSC_DIV64 | SINGLE); // stop (read-modify-write style)
      w(INTV(0), 2);
      w(CTRL(0), LOSC_DIV64 | SINGLE | RELOAD | EN);
    });
    w(TMR_IRQ_EN_REG, 1);
    w(INTV(0), 3);
    w(CTRL(0), LOSC_DIV64 | SINGLE | RELOAD | EN);
    clock.advanceTo(3 * P + 1);
    expect(r(CUR(0))).toBe(2); // re-armed at 3P
    clock.advanceTo(10 * P);
    expect(seen).toEqual([3 * P, 5 * P, 7 * P, 9 * P]);
  });

  it('a handler on one line that acknowledges every timer leaves no other line high', () => {
    const { clock, r, w, device } = makeRig();
    device.irqs[0]!.level$.subscribe((high) => {
      if (high) w(TMR_IRQ_STA_REG, 0x3f); // one shared handler acknowledges everything pending
    });
    w(INTV(0), 2);
    w(INTV(1), 2);
    w(CTRL(0), LOSC_DIV64 | RELOAD | EN);
    w(CTRL(1), LOSC_DIV64 | RELOAD | EN);
    clock.advanceTo(2 * P); // both pending, both masked
    expect(r(TMR_IRQ_STA_REG)).toBe(0b11);
    w(TMR_IRQ_EN_REG, 0b11); // line 0 rises first; its handler clears both bits
    expect([r(TMR_IRQ_STA_REG), device.irqs[0]!.level, device.irqs[1]!.level, device.irq.level]).toEqual([0, false, false, false]);
  });

  it('refuses bad constructor arguments with a typed error', () => {
    const clock = new VirtualClock();
    expect(() => new AllwinnerA10Pit(clock, { losc: 32_768 as unknown as ClockInput })).toThrow(/losc/);
    expect(() => new AllwinnerA10Pit(clock, { delivery: 'later' as 'sync' })).toThrow(/delivery/);
  });

  it('checks every option: an unknown key, a clock that is not a ClockInput, a bad delivery, an empty name (#13)', () => {
    const clock = new VirtualClock();
    const refusal = (options: object): DeviceConfigError => {
      const e = thrown(() => new AllwinnerA10Pit(clock, options as AllwinnerA10PitOptions));
      expect(e).toBeInstanceOf(DeviceConfigError);
      return e as DeviceConfigError;
    };
    expect(refusal({ hosc: new ClockInput('hosc', 24_000_000) }).message).toMatch(
      /^AllwinnerA10Pit\(options\.hosc\): .* is not an option of AllwinnerA10Pit \(options: name, losc, osc24m, delivery, timing\)$/,
    );
    expect(refusal({ timing: 'fast' }).message).toBe(`AllwinnerA10Pit(options.timing): "fast" is invalid: must be one of 'qemu', 'exact'`);
    expect(refusal({ osc24m: 24_000_000 }).message).toBe('AllwinnerA10Pit(options.osc24m): 24000000 is invalid: must be a ClockInput');
    expect(refusal({ delivery: 'later' }).message).toBe(
      `AllwinnerA10Pit(options.delivery): "later" is invalid: must be one of 'sync', 'bottom-half'`,
    );
    expect(refusal({ name: '' }).message).toBe('AllwinnerA10Pit(options.name): "" is invalid: must be a non-empty string');
  });

  it('dispose(): the six timers stop for good, LOSC and OSC24M no longer reach them, events$ completes (#13)', () => {
    const { clock, losc, osc24m, device, events, w } = makeRig();
    let completed = false;
    device.events$.subscribe({ complete: () => (completed = true) });
    w(INTV(0), 2);
    w(CTRL(0), LOSC_DIV64 | RELOAD | EN);
    w(INTV(5), 1000);
    w(CTRL(5), SRC_OSC24M | RELOAD | EN);
    clock.advanceTo(2 * P); // timer 0 has fired
    const seen = events.length;
    device.dispose();
    expect(completed).toBe(true);
    expect(clock.pending).toBe(0);
    losc.setHz(65_536);
    osc24m.setHz(12_000_000);
    expect(clock.pending).toBe(0);
    clock.advanceTo(20 * P);
    expect(events).toHaveLength(seen);
  });

  it('stored registers are what the guest wrote (device-side view used by the fuzz invariant)', () => {
    const { w, device } = makeRig();
    w(TMR_IRQ_EN_REG, 0b101);
    expect(storedRegisters(device).TMR_IRQ_EN_REG).toBe(0b101);
  });
});
