// The LAN9118 GP timer walked through like the datasheet: program the registers, step to just
// before and just after a tick boundary, read what the guest would. The time base is 10 kHz:
// one tick = 100 µs = 100 000 ns. Titles start with the decision they pin (device header X1-X12).
import { describe, expect, it } from 'vitest';
import { LAN9118_GPT_POLICY, LAN9118_ID_REV, Lan9118Gpt } from '../../../devices/lan9118-gpt';
import { ClockInput, DeviceConfigError, VirtualClock } from '../../../index';
import { thrown } from '../../support/errors';
import {
  BYTE_TEST,
  enableGptInterrupt,
  GPT_CFG,
  GPT_CNT,
  GPT_INT,
  ID_REV,
  INT_EN,
  INT_STS,
  IRQ_CFG,
  IRQ_EN,
  IRQ_INT,
  IRQ_POL,
  IRQ_TYPE,
  makeRig,
  PMT_CTRL,
  RSFL,
  RXSTOP_INT,
  SW_INT,
  TDFA,
  TICK,
  TIMER_EN,
} from './rig';

const WRAP_ROUND = 65_536; // ticks from one step to 0 to the next once the count has wrapped (X1)

describe('Lan9118Gpt', () => {
  it('policy is W+D+R+O (each flag justified in the header; QEMU runs it LEGACY)', () => {
    expect([...LAN9118_GPT_POLICY].sort()).toEqual(['NO_COUNTER_ROUND_DOWN', 'NO_IMMEDIATE_RELOAD', 'TRIGGER_ONLY_ON_DECREMENT', 'WRAP_AFTER_ONE_PERIOD']);
  });

  it('reset: ID_REV 0x01180001, BYTE_TEST 0x87654321, PMT_CTRL READY, GPT_CFG and GPT_CNT 0xFFFF, nothing pending, line low', () => {
    const { r, device } = makeRig();
    expect([ID_REV, IRQ_CFG, INT_STS, INT_EN, BYTE_TEST, PMT_CTRL, GPT_CFG, GPT_CNT].map(r)).toEqual([
      LAN9118_ID_REV,
      0,
      0,
      0,
      0x8765_4321,
      1,
      0xffff,
      0xffff,
    ]);
    expect(device.irq.level).toBe(false);
    expect(device.timer.mode).toBe('stopped');
  });

  describe('options', () => {
    it('without a gptclk it counts on a 10 kHz input of its own; idRev sets ID_REV (a LAN9220 here)', () => {
      const clock = new VirtualClock();
      const device = new Lan9118Gpt(clock, { idRev: 0x9220_0000 });
      expect(device.gptclk.hz).toBe(10_000);
      expect(device.read(ID_REV, 4)).toBe(0x9220_0000);
      device.write(GPT_CFG, 4, TIMER_EN | 2);
      clock.advanceTo(2 * TICK);
      expect(device.read(INT_STS, 4)).toBe(GPT_INT);
      device.reset();
      expect(device.read(ID_REV, 4)).toBe(0x9220_0000);
    });

    it.each<[string, object, string]>([
      ['a gptclk that is not a ClockInput', { gptclk: 10_000 }, 'Lan9118Gpt(options.gptclk): 10000 is invalid: must be a ClockInput'],
      ['a negative idRev', { idRev: -1 }, 'Lan9118Gpt(options.idRev): -1 is invalid: must be an integer in [0, 4294967295]'],
      ['an idRev over 32 bits', { idRev: 2 ** 32 }, 'Lan9118Gpt(options.idRev): 4294967296 is invalid: must be an integer in [0, 4294967295]'],
      ['an empty name', { name: '' }, 'Lan9118Gpt(options.name): "" is invalid: must be a non-empty string'],
      ['an unknown delivery', { delivery: 'later' }, "Lan9118Gpt(options.delivery): \"later\" is invalid: must be one of 'sync', 'bottom-half'"],
      ['an unknown timing', { timing: 'fast' }, "Lan9118Gpt(options.timing): \"fast\" is invalid: must be one of 'qemu', 'exact'"],
      ['an unknown option', { hz: 10 }, 'Lan9118Gpt(options.hz): 10 is invalid: is not an option of Lan9118Gpt (options: gptclk, idRev, name, delivery, timing)'],
    ])('%s is a DeviceConfigError naming the field and the rule', (_name, options, message) => {
      const error = thrown(() => new Lan9118Gpt(new VirtualClock(), options as never));
      expect(error).toBeInstanceOf(DeviceConfigError);
      expect((error as Error).message).toBe(message);
    });
  });

  describe('X1 counting: GPT_CFG = TIMER_EN | 3 at 0, GPT_INT_EN and IRQ_EN set', () => {
    const run = () => {
      const rig = makeRig();
      enableGptInterrupt(rig);
      rig.w(GPT_CFG, TIMER_EN | 3);
      return rig;
    };

    it('X1: GPT_CNT shows 3 for a tick, counts down; the step to 0 at 3 ticks sets GPT_INT; 0 for a tick, then 0xFFFF', () => {
      const rig = run();
      const at = (t: number) => {
        rig.clock.advanceTo(t);
        return rig.state();
      };
      expect(at(0)).toEqual([3, 0, 0, false]); //                      the load
      expect(at(TICK)).toEqual([3, 0, 0, false]); //                   3 until the end of its tick
      expect(at(TICK + 1)).toEqual([2, 0, 0, false]);
      expect(at(3 * TICK - 1)).toEqual([1, 0, 0, false]);
      expect(at(3 * TICK)).toEqual([0, 1, 1, true]); //                the step to 0
      expect(at(4 * TICK)).toEqual([0, 1, 1, true]); //                0 held one tick
      expect(at(4 * TICK + 1)).toEqual([0xffff, 1, 1, true]); //       then the 16-bit wrap, not GPT_LOAD
      expect(rig.r(GPT_CFG)).toBe(TIMER_EN | 3);
    });

    it('X1: after the first round every round is 65 536 ticks (QEMU: 65 535)', () => {
      const rig = run();
      const rises: number[] = [];
      rig.device.irq.watch((high) => {
        if (!high) return;
        rises.push(rig.clock.now() / TICK);
        rig.w(INT_STS, GPT_INT);
      });
      rig.clock.advanceTo((3 + 2 * WRAP_ROUND) * TICK);
      expect(rises).toEqual([3, 3 + WRAP_ROUND, 3 + 2 * WRAP_ROUND]);
      expect(rig.r(GPT_CNT)).toBe(0);
    });

    it('X1: writing 1 to GPT_INT clears it and lowers IRQ_INT and the line; writing 0 changes nothing', () => {
      const rig = run();
      rig.clock.advanceTo(3 * TICK);
      rig.w(INT_STS, 0);
      expect(rig.state()).toEqual([0, 1, 1, true]);
      rig.w(INT_STS, GPT_INT);
      expect(rig.state()).toEqual([0, 0, 0, false]);
    });
  });

  it('X2: GPT_INT is set at the step to 0 with GPT_INT_EN clear; IRQ_INT and the line follow GPT_INT_EN (QEMU sets nothing)', () => {
    const rig = makeRig();
    rig.w(IRQ_CFG, IRQ_EN);
    rig.w(GPT_CFG, TIMER_EN | 2);
    rig.clock.advanceTo(2 * TICK);
    expect(rig.state()).toEqual([0, 1, 0, false]);
    rig.w(INT_EN, GPT_INT); // the pending status now reaches the pin
    expect(rig.state()).toEqual([0, 1, 1, true]);
    rig.w(INT_EN, 0);
    expect(rig.state()).toEqual([0, 1, 0, false]);
  });

  describe('X3 GPT_CFG rewritten while the timer runs', () => {
    it('X3: the same value restarts the count from GPT_LOAD (smc911x re-arming its GP timer; QEMU ignores it)', () => {
      const rig = makeRig();
      enableGptInterrupt(rig);
      rig.w(GPT_CFG, TIMER_EN | 10);
      rig.clock.advanceTo(4.5 * TICK);
      expect(rig.r(GPT_CNT)).toBe(6);
      rig.w(GPT_CFG, TIMER_EN | 10);
      expect(rig.r(GPT_CNT)).toBe(10);
      rig.clock.advanceTo(14.5 * TICK - 1);
      expect(rig.state()).toEqual([1, 0, 0, false]);
      rig.clock.advanceTo(14.5 * TICK);
      expect(rig.state()).toEqual([0, 1, 1, true]);
    });

    it('X3: another GPT_LOAD counts from the new value at once (SMSC reference driver rescheduling a callback sooner)', () => {
      const rig = makeRig();
      enableGptInterrupt(rig);
      rig.w(GPT_CFG, TIMER_EN | 1000);
      rig.clock.advanceTo(100 * TICK);
      rig.w(GPT_CFG, TIMER_EN | 5);
      rig.clock.advanceTo(105 * TICK);
      expect(rig.state()).toEqual([0, 1, 1, true]);
      expect(rig.events.filter((e) => e.kind === 'expiry').map((e) => e.time)).toEqual([105 * TICK]);
    });
  });

  describe('X4 TIMER_EN cleared', () => {
    it('X4: the timer stops and GPT_CNT reads 0xFFFF; GPT_LOAD keeps its value; a pending GPT_INT stays', () => {
      const rig = makeRig();
      enableGptInterrupt(rig);
      rig.w(GPT_CFG, TIMER_EN | 2);
      rig.clock.advanceTo(2 * TICK + TICK / 2);
      rig.w(GPT_CFG, 2);
      expect([rig.r(GPT_CFG), rig.r(GPT_CNT)]).toEqual([2, 0xffff]);
      expect(rig.state()).toEqual([0xffff, 1, 1, true]);
      rig.clock.advanceTo(1_000 * TICK);
      expect(rig.r(GPT_CNT)).toBe(0xffff);
      expect(rig.device.timer.mode).toBe('stopped');
    });

    it('X4: a GPT_CFG write with TIMER_EN 0 while disabled only stores GPT_LOAD; the next enable loads what it writes', () => {
      const rig = makeRig();
      rig.w(GPT_CFG, 7);
      rig.clock.advanceTo(10 * TICK);
      expect([rig.r(GPT_CFG), rig.r(GPT_CNT)]).toEqual([7, 0xffff]);
      rig.w(GPT_CFG, TIMER_EN | 4);
      rig.clock.advanceTo(11 * TICK + 1);
      expect(rig.r(GPT_CNT)).toBe(3);
    });
  });

  it('X5: GPT_LOAD 0 shows 0 for a tick and wraps without GPT_INT: the first interrupt 65 536 ticks later (QEMU: at once)', () => {
    const rig = makeRig();
    enableGptInterrupt(rig);
    rig.w(GPT_CFG, TIMER_EN);
    expect(rig.state()).toEqual([0, 0, 0, false]);
    rig.clock.advanceTo(TICK - 1);
    expect(rig.state()).toEqual([0, 0, 0, false]); // 0 held for the first tick
    rig.clock.advanceTo(TICK);
    expect(rig.state()).toEqual([0xffff, 0, 0, false]); // wrapped at its end, silently
    rig.clock.advanceTo(WRAP_ROUND * TICK - 1);
    expect(rig.state()).toEqual([1, 0, 0, false]);
    rig.clock.advanceTo(WRAP_ROUND * TICK);
    expect(rig.state()).toEqual([0, 1, 1, true]);
  });

  describe('X6 the software interrupt', () => {
    it('X6: an INT_EN write with SW_INT_EN sets SW_INT, and each later one again; 1 written to SW_INT clears it', () => {
      const rig = makeRig();
      rig.w(IRQ_CFG, IRQ_EN);
      rig.w(INT_EN, SW_INT);
      expect([rig.r(INT_STS), rig.r(IRQ_CFG), rig.device.irq.level]).toEqual([SW_INT, IRQ_EN | IRQ_INT, true]);
      rig.w(INT_STS, SW_INT);
      expect([rig.r(INT_STS), rig.device.irq.level]).toEqual([0, false]);
      rig.w(INT_EN, (SW_INT | GPT_INT) >>> 0); // SW_INT_EN written 1 again, though unchanged
      expect([rig.r(INT_STS), rig.device.irq.level]).toEqual([SW_INT, true]);
    });

    it('X6: an INT_EN write with SW_INT_EN 0 raises nothing; SW_INT set while SW_INT_EN is then cleared keeps the status, not the line', () => {
      const rig = makeRig();
      rig.w(IRQ_CFG, IRQ_EN);
      rig.w(INT_EN, GPT_INT);
      expect(rig.r(INT_STS)).toBe(0);
      rig.w(INT_EN, SW_INT);
      rig.w(INT_EN, 0);
      expect([rig.r(INT_STS), rig.r(IRQ_CFG) & IRQ_INT, rig.device.irq.level]).toEqual([SW_INT, 0, false]);
    });
  });

  it('X7: the other sources never pend: 1s written to INT_STS change nothing; their INT_EN bits are stored and reported', () => {
    const rig = makeRig();
    rig.w(INT_STS, 0x7fff_ffff & ~GPT_INT);
    expect(rig.r(INT_STS)).toBe(0);
    rig.w(INT_EN, RSFL | TDFA | RXSTOP_INT | GPT_INT);
    expect(rig.r(INT_EN)).toBe(RSFL | TDFA | RXSTOP_INT | GPT_INT);
    expect(rig.events).toEqual(
      ['INT_EN.RSFL_EN', 'INT_EN.TDFA_EN', 'INT_EN.RXSTOP_INT_EN'].map((feature) => ({ kind: 'unimplemented', time: 0, source: 'lan9118-gpt', offset: INT_EN, feature })),
    );
    rig.w(INT_EN, 0xffff_ffff);
    expect(rig.r(INT_EN)).toBe(0x83ff_efff); // reserved bits 30:26 and 12 read 0
    expect(rig.r(INT_STS)).toBe(SW_INT); // SW_INT_EN was written 1 (X6)
  });

  describe('X8 the IRQ pin', () => {
    it('X8: IRQ_INT is (INT_STS & INT_EN) != 0 whatever IRQ_EN says; the line is IRQ_EN && IRQ_INT', () => {
      const rig = makeRig();
      rig.w(INT_EN, GPT_INT);
      rig.w(GPT_CFG, TIMER_EN | 1);
      rig.clock.advanceTo(TICK);
      expect(rig.state()).toEqual([0, 1, 1, false]); // pending, IRQ_EN 0
      rig.w(IRQ_CFG, IRQ_EN);
      expect(rig.device.irq.level).toBe(true);
      rig.w(IRQ_CFG, 0);
      expect(rig.device.irq.level).toBe(false);
    });

    it('X8: IRQ_POL and IRQ_TYPE are stored and change no level; INT_DEAS is stored and reported; IRQ_INT and INT_DEAS_STS ignore writes', () => {
      const rig = makeRig();
      rig.w(IRQ_CFG, (10 << 24) | IRQ_EN | IRQ_POL | IRQ_TYPE);
      expect(rig.r(IRQ_CFG)).toBe((10 << 24) | IRQ_EN | IRQ_POL | IRQ_TYPE);
      expect(rig.events).toEqual([{ kind: 'unimplemented', time: 0, source: 'lan9118-gpt', offset: IRQ_CFG, feature: 'IRQ_CFG.INT_DEAS' }]);
      rig.w(IRQ_CFG, 0xffff_ffff);
      expect(rig.r(IRQ_CFG)).toBe(0xff00_0111); // IRQ_INT, INT_DEAS_STS and reserved bits read 0
      expect(rig.device.irq.level).toBe(false);
    });

    it('X8: acknowledged, the line falls; a new GPT_INT raises it again at once (no de-assertion interval)', () => {
      const rig = makeRig();
      enableGptInterrupt(rig);
      rig.w(IRQ_CFG, (10 << 24) | IRQ_EN); // 100 µs de-assertion interval requested
      rig.w(GPT_CFG, TIMER_EN | 1);
      rig.clock.advanceTo(TICK);
      rig.w(INT_STS, GPT_INT);
      rig.w(GPT_CFG, TIMER_EN | 1);
      rig.clock.advanceTo(2 * TICK);
      expect(rig.device.irq.level).toBe(true);
    });
  });

  describe('X12 the time base', () => {
    it('X12: gptclk at 0 Hz freezes GPT_CNT; running again, the count goes on with a full tick from the change', () => {
      const rig = makeRig();
      enableGptInterrupt(rig);
      rig.w(GPT_CFG, TIMER_EN | 10);
      rig.clock.advanceTo(3.5 * TICK);
      expect(rig.r(GPT_CNT)).toBe(7);
      rig.gptclk.setHz(0);
      rig.clock.advanceTo(1_000 * TICK);
      expect([rig.r(GPT_CNT), rig.device.timer.mode]).toEqual([7, 'stopped']);
      rig.gptclk.setHz(10_000); // 7 for a full tick from here, then 6 …
      rig.clock.advanceTo(1_001 * TICK + 1);
      expect(rig.r(GPT_CNT)).toBe(6);
      rig.clock.advanceTo(1_007 * TICK - 1);
      expect(rig.state()).toEqual([1, 0, 0, false]);
      rig.clock.advanceTo(1_007 * TICK);
      expect(rig.state()).toEqual([0, 1, 1, true]);
    });

    it('X12: a GPT_CFG write while gptclk is stopped loads the count and waits for the clock', () => {
      const rig = makeRig({ hz: 0 });
      rig.w(GPT_CFG, TIMER_EN | 4);
      rig.clock.advanceTo(50 * TICK);
      expect([rig.r(GPT_CNT), rig.device.timer.mode]).toEqual([4, 'stopped']);
      rig.gptclk.setHz(20_000); // 50 µs a tick
      rig.clock.advanceTo(50 * TICK + 4 * 50_000);
      expect(rig.r(INT_STS)).toBe(GPT_INT);
    });

    it('X12: a rate change re-times the count from its reading; a change while disabled changes nothing', () => {
      const rig = makeRig();
      rig.gptclk.setHz(5_000);
      expect([rig.r(GPT_CNT), rig.device.timer.mode]).toEqual([0xffff, 'stopped']);
      rig.w(GPT_CFG, TIMER_EN | 8);
      rig.clock.advanceTo(2 * 200_000 + 1);
      expect(rig.r(GPT_CNT)).toBe(6);
      rig.gptclk.setHz(10_000); // at 400 001 ns: 6, a fresh 100 µs tick from here
      rig.clock.advanceTo(400_001 + 6 * TICK);
      expect(rig.r(INT_STS)).toBe(GPT_INT);
      expect(rig.events.filter((e) => e.kind === 'expiry').map((e) => e.time)).toEqual([400_001 + 6 * TICK]);
    });

    it("X12: a time base that is not whole ns (3 kHz, 333 333⅓ ns): exact timing steps to 0 at 1 ms for GPT_LOAD 3; timing 'qemu' at 999 999 ns", () => {
      for (const [timing, at] of [
        ['exact', 1_000_000],
        ['qemu', 999_999],
      ] as const) {
        const rig = makeRig({ hz: 3_000, timing });
        rig.w(GPT_CFG, TIMER_EN | 3);
        rig.clock.advanceTo(at - 1);
        expect(rig.r(INT_STS)).toBe(0);
        rig.clock.advanceTo(at);
        expect(rig.r(INT_STS)).toBe(GPT_INT);
      }
    });
  });

  it('reset mid-count with GPT_INT and SW_INT pending: everything back to reset values, counter stopped at 0xFFFF, line low', () => {
    const rig = makeRig();
    enableGptInterrupt(rig);
    rig.w(INT_EN, (GPT_INT | SW_INT) >>> 0);
    rig.w(GPT_CFG, TIMER_EN | 3);
    rig.clock.advanceTo(5 * TICK);
    expect(rig.device.irq.level).toBe(true);
    rig.device.reset();
    expect([rig.r(IRQ_CFG), rig.r(INT_STS), rig.r(INT_EN), rig.r(GPT_CFG), rig.r(GPT_CNT)]).toEqual([0, 0, 0, 0xffff, 0xffff]);
    expect([rig.device.irq.level, rig.device.timer.mode]).toEqual([false, 'stopped']);
    rig.clock.advanceTo(100_000 * TICK);
    expect(rig.events.filter((e) => e.kind === 'expiry')).toHaveLength(1);
  });

  it('dispose() ends the clock watch and the timer: no work left, a gptclk change reaches nothing, events$ completes', () => {
    const rig = makeRig();
    let completed = false;
    rig.device.events$.subscribe({ complete: () => (completed = true) });
    rig.w(GPT_CFG, TIMER_EN | 3);
    rig.device.dispose();
    expect([completed, rig.clock.pending]).toEqual([true, 0]);
    rig.gptclk.setHz(20_000);
    expect(rig.clock.pending).toBe(0);
  });

  describe('snapshots', () => {
    it('a snapshot restores into a fresh device at the same time, which then runs on alike', () => {
      const a = makeRig();
      enableGptInterrupt(a);
      a.w(GPT_CFG, TIMER_EN | 5);
      a.clock.advanceTo(5 * TICK + 3);
      const snapshot = JSON.parse(JSON.stringify(a.device.snapshot())) as unknown;
      const b = makeRig({ clock: new VirtualClock({ start: a.clock.now() }) });
      b.device.restore(snapshot);
      expect(b.device.snapshot()).toEqual(a.device.snapshot());
      expect(b.device.irq.level).toBe(true);
      for (const rig of [a, b]) rig.clock.advanceTo(6 * TICK + 1);
      expect(b.state()).toEqual(a.state());
      expect(b.r(GPT_CNT)).toBe(0xffff);
    });

    it('a snapshot taken at another gptclk rate is refused at gptclkHz', () => {
      const a = makeRig();
      const b = makeRig({ hz: 20_000 });
      expect(() => b.device.restore(a.device.snapshot())).toThrow(/^snapshot field 'gptclkHz'/);
    });

    it('a snapshot of a device stopped by its 0 Hz time base restores, and runs on when the clock does', () => {
      const a = makeRig();
      a.w(GPT_CFG, TIMER_EN | 5);
      a.clock.advanceTo(2 * TICK + 1);
      a.gptclk.setHz(0);
      const b = makeRig({ hz: 0, clock: new VirtualClock({ start: a.clock.now() }) });
      b.device.restore(JSON.parse(JSON.stringify(a.device.snapshot())));
      b.gptclk.setHz(10_000);
      b.clock.advanceTo(b.clock.now() + 3 * TICK);
      expect(b.r(INT_STS)).toBe(GPT_INT);
    });
  });

  it('a gptclk shared with another device: both see one rate change in one step', () => {
    const clock = new VirtualClock();
    const gptclk = new ClockInput('gptclk', 10_000);
    const [a, b] = [new Lan9118Gpt(clock, { gptclk, name: 'a' }), new Lan9118Gpt(clock, { gptclk, name: 'b' })];
    a.write(GPT_CFG, 4, TIMER_EN | 2);
    b.write(GPT_CFG, 4, TIMER_EN | 4);
    gptclk.setHz(20_000);
    clock.advanceTo(2 * 50_000);
    expect([a.read(INT_STS, 4), b.read(INT_STS, 4)]).toEqual([GPT_INT, 0]);
    clock.advanceTo(4 * 50_000);
    expect(b.read(INT_STS, 4)).toBe(GPT_INT);
  });
});
