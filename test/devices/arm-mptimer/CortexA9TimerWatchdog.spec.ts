// The Cortex-A9 MPCore private timer and watchdog at register level: a walk through the TRM
// (ARM DDI 0407, "Global timer, private timers, and watchdog registers"), one pinned decision
// (A1-A10 in the device header) or policy flag per test. PERIPHCLK is 100 MHz unless said:
// one cycle is 10 ns, so a prescaled tick is 10 * (PRESCALER + 1) ns.
import { describe, expect, it } from 'vitest';
import { CORTEX_A9_TIMER_POLICY, CortexA9TimerWatchdog, type CortexA9TimerWatchdogOptions } from '../../../devices/arm-mptimer';
import { ClockInput, DeviceConfigError, VirtualClock } from '../../../index';
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
  type Rig,
} from './rig';
import { handlerVsGuest } from '../../support/handlerVsGuest';

/** What the guest reads of the private timer, and its line. */
const timer = (r: Rig) => ({ counter: r.r(COUNTER), isr: r.r(ISR), irq: r.device.timerIrq.level });
/** What the guest reads of the watchdog, and its outputs. */
const wdog = (r: Rig) => ({
  counter: r.r(WCOUNTER),
  wisr: r.r(WISR),
  wreset: r.r(WRESET),
  irq: r.device.watchdogIrq.level,
  wdresetreq: r.device.wdresetreq.level,
});

describe('CortexA9TimerWatchdog: private timer', () => {
  it('uses QEMU\'s policy for this device, W+C+T+R+D (each flag pinned below)', () => {
    expect([...CORTEX_A9_TIMER_POLICY]).toEqual([
      'WRAP_AFTER_ONE_PERIOD',
      'CONTINUOUS_TRIGGER',
      'NO_IMMEDIATE_TRIGGER',
      'NO_IMMEDIATE_RELOAD',
      'NO_COUNTER_ROUND_DOWN',
    ]);
    const r = makeRig();
    expect(r.device.timerCounter.policy).toEqual(CORTEX_A9_TIMER_POLICY);
    expect(r.device.watchdogCounter.policy).toEqual(CORTEX_A9_TIMER_POLICY);
  });

  it('A1 + policy W, D: LOAD ticks to the first event, then LOAD + 1 ticks per round; a read changes 1 ns after each boundary', () => {
    const r = makeRig();
    // Load 4, then auto-reload with the interrupt enabled, PRESCALER 0 (10 ns ticks), at t = 0.
    r.w(LOAD, 4);
    r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
    expect(timer(r)).toEqual({ counter: 4, isr: 0, irq: false }); // D: the written value at once
    // On the first boundary the counter still shows 4 (D); one ns later it has stepped to 3.
    expect(r.at(10).r(COUNTER)).toBe(4);
    expect(r.at(11).r(COUNTER)).toBe(3);
    // Just before the fourth boundary: 1, nothing pending.
    expect(timer(r.at(39))).toEqual({ counter: 1, isr: 0, irq: false });
    // The step to 0: event flag and PPI 29 in the same instant.
    expect(timer(r.at(40))).toEqual({ counter: 0, isr: 1, irq: true });
    // The handler writes 1 to the event flag.
    r.w(ISR, 1);
    expect(timer(r)).toEqual({ counter: 0, isr: 0, irq: false });
    // W: the counter shows 0 for one whole tick, then reloads LOAD without a second event.
    expect(r.at(50).r(COUNTER)).toBe(0);
    expect(timer(r.at(51))).toEqual({ counter: 4, isr: 0, irq: false });
    // Second round: (LOAD + 1) ticks = 50 ns, so the next event is at 90 ns.
    expect(timer(r.at(89))).toEqual({ counter: 1, isr: 0, irq: false });
    expect(timer(r.at(90))).toEqual({ counter: 0, isr: 1, irq: true });
    // No guest error: the only events are the two expiries (#13: devices record their expiries).
    expect(r.events).toEqual([40, 90].map((time) => expect.objectContaining({ kind: 'expiry', time, timer: 'arm-mptimer.timer' })));
  });

  it('A1: the TRM interval (PRESCALER + 1) x (Load + 1) / PERIPHCLK from the second round on', () => {
    const r = makeRig();
    // PRESCALER 9: a 100 ns tick; Load 2: first event after 2 ticks, then every 3 ticks = 300 ns.
    r.w(LOAD, 2);
    r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE | prescaler(9));
    const events: number[] = [];
    r.device.timerIrq.level$.subscribe((high) => {
      if (!high) return;
      events.push(r.clock.now());
      r.w(ISR, 1); // an interrupt handler that acknowledges at once
    });
    r.at(1_000);
    expect(events).toEqual([200, 500, 800]);
  });

  it('single shot: the counter stops at 0 with the flag set; a LOAD write starts it again', () => {
    const r = makeRig();
    r.w(LOAD, 3);
    r.w(CONTROL, ENABLE | IRQ_ENABLE); // AUTO_RELOAD clear
    expect(timer(r.at(29))).toEqual({ counter: 1, isr: 0, irq: false });
    expect(timer(r.at(30))).toEqual({ counter: 0, isr: 1, irq: true });
    // No reload: still 0 much later.
    expect(timer(r.at(1_000))).toEqual({ counter: 0, isr: 1, irq: true });
    r.w(ISR, 1);
    // TRM: writing LOAD also writes the counter, which decrements from it (ENABLE is still set).
    r.w(LOAD, 2);
    expect(r.r(COUNTER)).toBe(2);
    expect(timer(r.at(1_019))).toEqual({ counter: 1, isr: 0, irq: false });
    expect(timer(r.at(1_020))).toEqual({ counter: 0, isr: 1, irq: true });
  });

  it('a COUNTER write makes the counter decrement from the new value; LOAD is reloaded at zero', () => {
    const r = makeRig();
    r.w(LOAD, 10);
    r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
    // At 25 ns write 3: it reads 3 at once and reaches 0 three ticks later, at 55 ns.
    r.at(25).w(COUNTER, 3);
    expect(r.r(COUNTER)).toBe(3);
    expect(r.r(LOAD)).toBe(10);
    expect(timer(r.at(54))).toEqual({ counter: 1, isr: 0, irq: false });
    expect(timer(r.at(55))).toEqual({ counter: 0, isr: 1, irq: true });
    r.at(60).w(ISR, 1);
    // Zero tick, then LOAD: the next round is 11 ticks, event at 165 ns.
    expect(r.at(65).r(COUNTER)).toBe(0);
    expect(r.at(66).r(COUNTER)).toBe(10);
    expect(timer(r.at(164))).toEqual({ counter: 1, isr: 0, irq: false });
    expect(timer(r.at(165))).toEqual({ counter: 0, isr: 1, irq: true });
  });

  describe('A2: zero counts with PRESCALER != 0 (tick 20 ns) are seen at the next tick', () => {
    it('policy T: enabling single shot at count 0 sets the flag one tick later, not at the write', () => {
      const r = makeRig();
      // LOAD and the counter are 0 after reset.
      r.w(CONTROL, ENABLE | IRQ_ENABLE | prescaler(1));
      expect(timer(r)).toEqual({ counter: 0, isr: 0, irq: false });
      expect(timer(r.at(19))).toEqual({ counter: 0, isr: 0, irq: false });
      expect(timer(r.at(20))).toEqual({ counter: 0, isr: 1, irq: true });
      // Single shot: once only.
      r.w(ISR, 1);
      expect(timer(r.at(1_000))).toEqual({ counter: 0, isr: 0, irq: false });
    });

    it('policy R: a 0 written in auto-reload rests one tick, then the flag and LOAD come together', () => {
      const r = makeRig();
      r.w(LOAD, 3);
      r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE | prescaler(1)); // events at 60, 140, …
      r.at(100).w(ISR, 1);
      expect(r.r(COUNTER)).toBe(3);
      // Write 0 at 100 ns: it reads 0 for one tick (no immediate reload) …
      r.w(COUNTER, 0);
      expect(timer(r)).toEqual({ counter: 0, isr: 0, irq: false });
      expect(timer(r.at(119))).toEqual({ counter: 0, isr: 0, irq: false });
      // … and at the next tick the flag is set and LOAD reloaded (a round of LOAD ticks follows).
      expect(timer(r.at(120))).toEqual({ counter: 3, isr: 1, irq: true });
      r.w(ISR, 1);
      expect(r.at(141).r(COUNTER)).toBe(2);
      expect(timer(r.at(179))).toEqual({ counter: 1, isr: 0, irq: false });
      expect(timer(r.at(180))).toEqual({ counter: 0, isr: 1, irq: true });
    });

    it('policy C: auto-reload with LOAD 0 sets the flag every tick, the counter reading 0', () => {
      const r = makeRig();
      r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE | prescaler(1));
      expect(timer(r.at(19))).toEqual({ counter: 0, isr: 0, irq: false });
      expect(timer(r.at(20))).toEqual({ counter: 0, isr: 1, irq: true });
      r.w(ISR, 1);
      expect(timer(r.at(39))).toEqual({ counter: 0, isr: 0, irq: false });
      expect(timer(r.at(40))).toEqual({ counter: 0, isr: 1, irq: true });
    });
  });

  describe('A2: zero counts with PRESCALER 0 never count', () => {
    it('LOAD 0 on a running counter stops it at 0, no event', () => {
      const r = makeRig();
      r.w(LOAD, 5);
      r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
      expect(r.at(25).r(COUNTER)).toBe(3);
      r.w(LOAD, 0);
      expect(timer(r)).toEqual({ counter: 0, isr: 0, irq: false });
      expect(timer(r.at(1_000))).toEqual({ counter: 0, isr: 0, irq: false });
    });

    it('COUNTER 0 in auto-reload with LOAD != 0 reloads LOAD at once', () => {
      const r = makeRig();
      r.w(LOAD, 5);
      r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
      r.at(25).w(COUNTER, 0);
      expect(r.r(COUNTER)).toBe(5);
      expect(r.at(35).r(COUNTER)).toBe(5);
      expect(r.at(36).r(COUNTER)).toBe(4);
      expect(timer(r.at(74))).toEqual({ counter: 1, isr: 0, irq: false });
      expect(timer(r.at(75))).toEqual({ counter: 0, isr: 1, irq: true });
    });

    it('COUNTER 0 in single shot stops the counter, no event', () => {
      const r = makeRig();
      r.w(LOAD, 5);
      r.w(CONTROL, ENABLE | IRQ_ENABLE);
      r.at(25).w(COUNTER, 0);
      expect(timer(r.at(1_000))).toEqual({ counter: 0, isr: 0, irq: false });
    });

    it('enabling at count 0 does not start the counter (what Linux\'s TWD calibration does first)', () => {
      const r = makeRig();
      r.w(CONTROL, ENABLE | IRQ_ENABLE);
      expect(r.device.timerCounter.mode).toBe('stopped');
      expect(timer(r.at(1_000))).toEqual({ counter: 0, isr: 0, irq: false });
    });

    it('auto-reload with LOAD 0 sets the flag once when the counter reaches 0, then stops', () => {
      const r = makeRig();
      r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
      r.w(COUNTER, 3);
      expect(timer(r.at(30))).toEqual({ counter: 0, isr: 1, irq: true });
      r.w(ISR, 1);
      expect(timer(r.at(1_000))).toEqual({ counter: 0, isr: 0, irq: false });
      expect(r.device.timerCounter.mode).toBe('stopped');
    });
  });

  describe('A3: CONTROL writes', () => {
    it('one that keeps ENABLE and AUTO_RELOAD leaves the counter alone, also in its zero tick (QEMU would set the flag again)', () => {
      const r = makeRig();
      r.w(LOAD, 4);
      r.w(CONTROL, ENABLE | AUTO_RELOAD); // interrupt not enabled yet
      expect(timer(r.at(40))).toEqual({ counter: 0, isr: 1, irq: false });
      // In the zero tick, enable the interrupt: the pending flag raises PPI 29 …
      r.at(45).w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
      expect(timer(r)).toEqual({ counter: 0, isr: 1, irq: true });
      r.w(ISR, 1);
      // … and the round goes on untouched: reload at 51, no flag at 55 or 60, next event at 90.
      expect(timer(r.at(51))).toEqual({ counter: 4, isr: 0, irq: false });
      expect(timer(r.at(89))).toEqual({ counter: 1, isr: 0, irq: false });
      expect(timer(r.at(90))).toEqual({ counter: 0, isr: 1, irq: true });
    });

    it('one that keeps ENABLE does not restart a finished single shot', () => {
      const r = makeRig();
      r.w(LOAD, 3);
      r.w(CONTROL, ENABLE | IRQ_ENABLE | prescaler(1));
      expect(r.at(60).r(ISR)).toBe(1);
      r.w(ISR, 1);
      // Interrupt off and on again, ENABLE and PRESCALER kept (a zero with PRESCALER != 0 would fire, A2).
      r.at(100).w(CONTROL, ENABLE | prescaler(1));
      r.w(CONTROL, ENABLE | IRQ_ENABLE | prescaler(1));
      expect(timer(r.at(1_000))).toEqual({ counter: 0, isr: 0, irq: false });
    });

    it('clearing AUTO_RELOAD on a running counter latches the count and restarts single shot with a fresh tick', () => {
      const r = makeRig();
      r.w(LOAD, 10);
      r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
      expect(r.at(25).r(COUNTER)).toBe(8);
      r.w(CONTROL, ENABLE | IRQ_ENABLE);
      // A full tick from 25 ns: 8 until 35, 7 from 36; 0 and the flag 8 ticks later, at 105.
      expect(r.at(35).r(COUNTER)).toBe(8);
      expect(r.at(36).r(COUNTER)).toBe(7);
      expect(timer(r.at(104))).toEqual({ counter: 1, isr: 0, irq: false });
      expect(timer(r.at(105))).toEqual({ counter: 0, isr: 1, irq: true });
      expect(r.at(1_000).r(COUNTER)).toBe(0); // single shot now
    });

    it('clearing ENABLE holds the count; setting it again resumes from it with a fresh tick', () => {
      const r = makeRig();
      r.w(LOAD, 10);
      r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
      r.at(25).w(CONTROL, AUTO_RELOAD | IRQ_ENABLE);
      expect(timer(r.at(500))).toEqual({ counter: 8, isr: 0, irq: false });
      r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
      expect(r.at(510).r(COUNTER)).toBe(8);
      expect(r.at(511).r(COUNTER)).toBe(7);
      expect(timer(r.at(580))).toEqual({ counter: 0, isr: 1, irq: true });
    });

    it('a PRESCALER change on a running counter keeps the count shown and starts the new tick length from the write', () => {
      const r = makeRig();
      r.w(LOAD, 10);
      r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
      expect(r.at(25).r(COUNTER)).toBe(8);
      r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE | prescaler(1)); // 20 ns ticks
      expect(r.r(COUNTER)).toBe(8);
      expect(r.at(45).r(COUNTER)).toBe(8);
      expect(r.at(46).r(COUNTER)).toBe(7);
      // 8 ticks of 20 ns: event at 185; then rounds of 11 ticks = 220 ns: 405.
      expect(timer(r.at(185))).toEqual({ counter: 0, isr: 1, irq: true });
      r.w(ISR, 1);
      expect(timer(r.at(404))).toEqual({ counter: 1, isr: 0, irq: false });
      expect(timer(r.at(405))).toEqual({ counter: 0, isr: 1, irq: true });
    });
  });
});

describe('CortexA9TimerWatchdog: watchdog', () => {
  it('in timer mode it is a second private timer, on PPI 30', () => {
    const r = makeRig();
    r.w(WLOAD, 4);
    r.w(WCONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
    expect(wdog(r.at(39))).toEqual({ counter: 1, wisr: 0, wreset: 0, irq: false, wdresetreq: false });
    expect(wdog(r.at(40))).toEqual({ counter: 0, wisr: 1, wreset: 0, irq: true, wdresetreq: false });
    r.w(WISR, 1);
    expect(wdog(r.at(51))).toEqual({ counter: 4, wisr: 0, wreset: 0, irq: false, wdresetreq: false });
    expect(r.device.timerIrq.level).toBe(false);
  });

  it('A4: in watchdog mode reaching 0 sets RESET_FLAG and WDRESETREQ, not the event flag; the counter stops even with AUTO_RELOAD', () => {
    const r = makeRig();
    r.w(WLOAD, 5);
    r.w(WCONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE | WD_MODE);
    expect(r.r(WCONTROL)).toBe(ENABLE | AUTO_RELOAD | IRQ_ENABLE | WD_MODE);
    expect(wdog(r.at(49))).toEqual({ counter: 1, wisr: 0, wreset: 0, irq: false, wdresetreq: false });
    expect(wdog(r.at(50))).toEqual({ counter: 0, wisr: 0, wreset: 1, irq: false, wdresetreq: true });
    expect(wdog(r.at(1_000))).toEqual({ counter: 0, wisr: 0, wreset: 1, irq: false, wdresetreq: true });
  });

  it('A4: WLOAD writes are the keepalive: each restarts the count', () => {
    const r = makeRig();
    r.w(WLOAD, 5);
    r.w(WCONTROL, ENABLE | WD_MODE);
    r.at(40).w(WLOAD, 5);
    r.at(80).w(WLOAD, 5);
    expect(wdog(r.at(129))).toEqual({ counter: 1, wisr: 0, wreset: 0, irq: false, wdresetreq: false });
    expect(wdog(r.at(130))).toEqual({ counter: 0, wisr: 0, wreset: 1, irq: false, wdresetreq: true });
  });

  it('A4: a written 0 does not clear WD_MODE; clearing ENABLE stops the counter, setting it restarts it', () => {
    const r = makeRig();
    r.w(WLOAD, 5);
    r.w(WCONTROL, ENABLE | WD_MODE);
    r.at(20).w(WCONTROL, 0);
    expect(r.r(WCONTROL)).toBe(WD_MODE);
    expect(wdog(r.at(1_000))).toEqual({ counter: 4, wisr: 0, wreset: 0, irq: false, wdresetreq: false });
    r.w(WCONTROL, ENABLE);
    expect(r.r(WCONTROL)).toBe(ENABLE | WD_MODE);
    expect(wdog(r.at(1_039))).toEqual({ counter: 1, wisr: 0, wreset: 0, irq: false, wdresetreq: false });
    expect(wdog(r.at(1_040))).toEqual({ counter: 0, wisr: 0, wreset: 1, irq: false, wdresetreq: true });
  });

  it('A4 (A9): an event flag left from timer mode still drives PPI 30 after entering watchdog mode, until cleared', () => {
    const r = makeRig();
    r.w(WLOAD, 2);
    r.w(WCONTROL, ENABLE | IRQ_ENABLE);
    expect(r.at(20).device.watchdogIrq.level).toBe(true);
    r.at(30).w(WCONTROL, ENABLE | IRQ_ENABLE | WD_MODE);
    expect(r.device.watchdogIrq.level).toBe(true);
    r.w(WISR, 1);
    expect(r.device.watchdogIrq.level).toBe(false);
  });

  describe('A5: the disable sequence', () => {
    it('KEY1 then KEY2 leaves watchdog mode; the running counter goes on as a timer honouring AUTO_RELOAD', () => {
      const r = makeRig();
      r.w(WLOAD, 10);
      r.w(WCONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE | WD_MODE);
      expect(r.at(25).r(WCOUNTER)).toBe(8);
      r.w(WDISABLE, KEY1);
      r.w(WDISABLE, KEY2);
      expect(r.r(WCONTROL)).toBe(ENABLE | AUTO_RELOAD | IRQ_ENABLE);
      // The mode change latched 8 and restarted it with a fresh tick.
      expect(r.at(35).r(WCOUNTER)).toBe(8);
      expect(r.at(36).r(WCOUNTER)).toBe(7);
      // At 0: the event flag and PPI 30, no reset; then the zero tick and LOAD.
      expect(wdog(r.at(105))).toEqual({ counter: 0, wisr: 1, wreset: 0, irq: true, wdresetreq: false });
      expect(r.at(116).r(WCOUNTER)).toBe(10);
    });

    it('WD_MODE can be set again afterwards', () => {
      const r = makeRig();
      r.w(WCONTROL, WD_MODE);
      r.w(WDISABLE, KEY1);
      r.w(WDISABLE, KEY2);
      expect(r.r(WCONTROL)).toBe(0);
      r.w(WLOAD, 3);
      r.w(WCONTROL, ENABLE | WD_MODE);
      expect(wdog(r.at(30))).toMatchObject({ counter: 0, wreset: 1, wdresetreq: true });
    });

    const inWatchdogMode = () => {
      const r = makeRig();
      r.w(WLOAD, 1_000);
      r.w(WCONTROL, ENABLE | WD_MODE);
      r.at(100);
      return r;
    };
    it.each([
      ['another watchdog write (WLOAD)', (r: Rig) => r.w(WLOAD, 1_000)],
      ['a WISR write', (r: Rig) => r.w(WISR, 1)],
      ['a WCONTROL write', (r: Rig) => r.w(WCONTROL, ENABLE | WD_MODE)],
      ['a wrong value', (r: Rig) => r.w(WDISABLE, 0)],
    ])('is broken by %s between the keys', (_name, between) => {
      const r = inWatchdogMode();
      r.w(WDISABLE, KEY1);
      between(r);
      r.w(WDISABLE, KEY2);
      expect(r.r(WCONTROL) & WD_MODE).toBe(WD_MODE);
    });

    it('needs KEY1 first: KEY2 then KEY1 does nothing', () => {
      const r = inWatchdogMode();
      r.w(WDISABLE, KEY2);
      r.w(WDISABLE, KEY1);
      expect(r.r(WCONTROL) & WD_MODE).toBe(WD_MODE);
    });

    it.each([
      ['a private timer write (its interrupt handler acknowledging ISR)', (r: Rig) => r.w(ISR, 1)],
      ['a read of WCOUNTER', (r: Rig) => void r.r(WCOUNTER)],
      ['a refused WCOUNTER write (locked in watchdog mode)', (r: Rig) => r.w(WCOUNTER, 5)],
      ['KEY1 again', (r: Rig) => r.w(WDISABLE, KEY1)],
    ])('is not broken by %s', (_name, between) => {
      const r = inWatchdogMode();
      r.w(WDISABLE, KEY1);
      between(r);
      r.w(WDISABLE, KEY2);
      expect(r.r(WCONTROL) & WD_MODE).toBe(0);
    });
  });

  describe('A6: WDRESETREQ and the reset flag', () => {
    const timedOut = () => {
      const r = makeRig();
      r.w(WLOAD, 5);
      r.w(WCONTROL, ENABLE | WD_MODE | prescaler(3));
      r.at(200); // 5 ticks of 40 ns
      expect(wdog(r)).toEqual({ counter: 0, wisr: 0, wreset: 1, irq: false, wdresetreq: true });
      return r;
    };

    it('clearing RESET_FLAG does not lower WDRESETREQ; reset() does', () => {
      const r = timedOut();
      r.w(WRESET, 1);
      expect(wdog(r)).toEqual({ counter: 0, wisr: 0, wreset: 0, irq: false, wdresetreq: true });
      r.device.reset();
      expect(r.device.wdresetreq.level).toBe(false);
    });

    it('reset() keeps RESET_FLAG (its own reset line) so the rebooted guest sees it; powerOnReset() clears it', () => {
      const r = timedOut();
      r.device.reset();
      expect(wdog(r)).toEqual({ counter: 0, wisr: 0, wreset: 1, irq: false, wdresetreq: false });
      expect(r.r(WCONTROL)).toBe(0); // watchdog mode left by the reset
      r.device.powerOnReset();
      expect(r.r(WRESET)).toBe(0);
    });

    it('a system may reset the device synchronously from the rising WDRESETREQ', () => {
      const r = makeRig();
      const levels: boolean[] = [];
      r.device.wdresetreq.level$.subscribe((high) => {
        levels.push(high);
        if (high) r.device.reset();
      });
      r.w(WLOAD, 5);
      r.w(WCONTROL, ENABLE | WD_MODE);
      r.at(50);
      expect(levels).toEqual([false, true, false]);
      expect(wdog(r)).toEqual({ counter: 0, wisr: 0, wreset: 1, irq: false, wdresetreq: false });
      expect(r.r(WCONTROL)).toBe(0);
      expect(r.device.watchdogCounter.mode).toBe('stopped');
    });
  });
});

describe('CortexA9TimerWatchdog: construction', () => {
  it.each([
    ['no PERIPHCLK input', () => ({}), 'options.periphclk'],
    ['a frequency instead of a ClockInput', () => ({ periphclk: 100_000_000 }), 'options.periphclk'],
    ['an empty name', () => ({ periphclk: new ClockInput('p', HZ), name: '' }), 'options.name'],
    ['an unknown delivery', () => ({ periphclk: new ClockInput('p', HZ), delivery: 'later' }), 'options.delivery'],
    ['an unknown option key (#13)', () => ({ periphclk: new ClockInput('p', HZ), clk: new ClockInput('c', HZ) }), 'CortexA9TimerWatchdog(options.clk)'],
    ['a misspelt option key (#13)', () => ({ periphclk: new ClockInput('p', HZ), delivry: 'sync' }), 'CortexA9TimerWatchdog(options.delivry)'],
  ])('refuses %s with a DeviceConfigError naming the option', (_name, options, what) => {
    const make = () => new CortexA9TimerWatchdog(new VirtualClock(), options() as unknown as CortexA9TimerWatchdogOptions);
    expect(make).toThrow(DeviceConfigError);
    expect(make).toThrow(what);
  });

  it('names its outputs after the instance', () => {
    const device = new CortexA9TimerWatchdog(new VirtualClock(), { periphclk: new ClockInput('p', HZ), name: 'cpu1.twd' });
    expect([device.name, device.timerIrq.name, device.watchdogIrq.name, device.wdresetreq.name]).toEqual([
      'cpu1.twd',
      'cpu1.twd.ppi29',
      'cpu1.twd.ppi30',
      'cpu1.twd.wdresetreq',
    ]);
  });
});

describe('CortexA9TimerWatchdog: reset and PERIPHCLK', () => {
  it('A10: reset() puts every register to 0 but WRESET, stops both counters, lowers the lines, PRESCALER back to 0', () => {
    const r = makeRig();
    r.w(LOAD, 7);
    r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE | prescaler(9));
    r.w(WLOAD, 3);
    r.w(WCONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
    r.w(WDISABLE, KEY1);
    r.at(1_000);
    expect([r.device.timerIrq.level, r.device.watchdogIrq.level]).toEqual([true, true]);
    r.device.reset();
    expect([LOAD, COUNTER, CONTROL, ISR, WLOAD, WCOUNTER, WCONTROL, WISR, WRESET].map(r.r)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(r.device.snapshot().registers.registers.WDISABLE).toBe(0);
    expect([r.device.timerIrq.level, r.device.watchdogIrq.level, r.device.wdresetreq.level]).toEqual([false, false, false]);
    expect([r.device.timerCounter.mode, r.device.watchdogCounter.mode]).toEqual(['stopped', 'stopped']);
    expect(timer(r.at(100_000))).toEqual({ counter: 0, isr: 0, irq: false });
    // PRESCALER 0 again: Load 4 reaches 0 after 40 ns.
    r.w(LOAD, 4);
    r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
    expect(timer(r.at(100_040))).toEqual({ counter: 0, isr: 1, irq: true });
  });

  it('A8: a new PERIPHCLK frequency re-times both counters from the count they show', () => {
    const r = makeRig();
    r.w(LOAD, 10);
    r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
    r.w(WLOAD, 10);
    r.w(WCONTROL, ENABLE | WD_MODE);
    expect([r.at(25).r(COUNTER), r.r(WCOUNTER)]).toEqual([8, 8]);
    r.periphclk.setHz(50_000_000); // 20 ns per cycle from now
    expect([r.r(COUNTER), r.r(WCOUNTER)]).toEqual([8, 8]);
    expect([r.at(45).r(COUNTER), r.r(WCOUNTER)]).toEqual([8, 8]);
    expect([r.at(46).r(COUNTER), r.r(WCOUNTER)]).toEqual([7, 7]);
    expect([r.at(184).r(ISR), r.r(WRESET)]).toEqual([0, 0]);
    expect([r.at(185).r(ISR), r.r(WRESET)]).toEqual([1, 1]);
  });

  it('A8: at 0 Hz both counters freeze at the count shown; they resume with a fresh tick', () => {
    const r = makeRig();
    r.w(LOAD, 10);
    r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
    r.w(WLOAD, 10);
    r.w(WCONTROL, ENABLE | WD_MODE);
    r.at(25).periphclk.setHz(0);
    expect([r.r(COUNTER), r.r(WCOUNTER)]).toEqual([8, 8]);
    // A PRESCALER change while stopped changes nothing either.
    r.at(500).w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE | prescaler(1));
    expect(timer(r.at(1_000_000))).toEqual({ counter: 8, isr: 0, irq: false });
    expect(wdog(r)).toMatchObject({ counter: 8, wreset: 0, wdresetreq: false });
    r.periphclk.setHz(100_000_000); // the timer now ticks every 20 ns (PRESCALER 1), the watchdog every 10 ns
    expect([r.at(1_000_010).r(COUNTER), r.r(WCOUNTER)]).toEqual([8, 8]);
    expect([r.at(1_000_011).r(COUNTER), r.r(WCOUNTER)]).toEqual([8, 7]);
    expect(wdog(r.at(1_000_080))).toMatchObject({ counter: 0, wreset: 1, wdresetreq: true });
    expect(timer(r.at(1_000_160))).toEqual({ counter: 0, isr: 1, irq: true });
  });

  it('A8 known limit (as QEMU): a change in the zero tick after an event sets the flag once more at the next tick', () => {
    const r = makeRig();
    r.w(LOAD, 4);
    r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
    r.at(40).w(ISR, 1);
    // In the zero tick (40, 50], the clock halves: the 0 is latched and restarted like a written 0.
    r.at(45).periphclk.setHz(50_000_000);
    expect(timer(r.at(64))).toEqual({ counter: 0, isr: 0, irq: false });
    expect(timer(r.at(65))).toEqual({ counter: 4, isr: 1, irq: true }); // hardware would reload without the flag
    r.w(ISR, 1);
    expect(timer(r.at(145))).toEqual({ counter: 0, isr: 1, irq: true });
  });

  it('a fractional cycle (PERIPHCLK 333 333 333 Hz, a Zynq-7000 CPU_3x2x) is kept exactly: no drift from rounding the cycle', () => {
    const r = makeRig({ hz: 333_333_333 });
    r.w(LOAD, 999_999_999);
    r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
    // One cycle is 10^9/333 333 333 = 3.000000003… ns, kept as that fraction (1 and 333 333 333 share no factor).
    expect(r.device.timerCounter.getPeriodRatio()).toEqual({ numerator: 1_000_000_000n, denominator: 333_333_333n });
    // 999 999 999 = 3·333 333 333 cycles last 3·10^9 ns exactly: the event is at 3 000 000 000 ns
    // (a cycle rounded to 3 ns would put it at 2 999 999 997).
    expect(r.device.timerCounter.deadline).toBe(3_000_000_000n);
    expect(r.at(2_999_999_999).r(ISR)).toBe(0);
    expect(r.at(3_000_000_000).r(ISR)).toBe(1);
  });

  it("timing 'qemu': the cycle is QEMU's 64.32 ns, floored, and the event comes 1 ns early", () => {
    const r = makeRig({ hz: 333_333_333, timing: 'qemu' });
    r.w(LOAD, 999_999_999);
    r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
    // 3 ns and ⌊2^32·10^9/333 333 333⌋ − 3·2^32 = 12 units of 2^-32 ns.
    expect(r.device.timerCounter.getPeriod()).toEqual({ ns: 3n, frac32: 12n });
    // 999 999 999·(3 + 12·2^-32) = 2 999 999 999.79… ns, floored: 2 999 999 999.
    expect(r.device.timerCounter.deadline).toBe(2_999_999_999n);
    expect(r.at(2_999_999_998).r(ISR)).toBe(0);
    expect(r.at(2_999_999_999).r(ISR)).toBe(1);
  });
});

describe('CortexA9TimerWatchdog: the expiry path (#13)', () => {
  describe('G3: a handler on an output line during a sync expiry leaves the state of a guest acting right after', () => {
    /** Watchdog mode, WLOAD 5: a timeout every 50 ns after each keepalive. */
    const watchdogMode = (r: Rig): void => {
      r.w(WLOAD, 5);
      r.w(WCONTROL, ENABLE | WD_MODE);
    };
    /** The private timer in auto-reload, LOAD 4, PRESCALER 1: an event every 100 ns. */
    const timerMode = (r: Rig): void => {
      r.w(LOAD, 4);
      r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE | prescaler(1));
    };
    it.each([
      // The system resets the block when WDRESETREQ rises (the reset it asks for), then the guest starts it again.
      ['WDRESETREQ: reset() and watchdog mode again', 'wdresetreq', watchdogMode, (r: Rig) => (r.device.reset(), watchdogMode(r))],
      // A late keepalive: clear the reset flag, reload (the counter restarts; WDRESETREQ stays until a reset, A6).
      ['WDRESETREQ: clear RESET_FLAG, WLOAD keepalive', 'wdresetreq', watchdogMode, (r: Rig) => (r.w(WRESET, 1), r.w(WLOAD, 7))],
      // The timer's handler acknowledges, changes the prescaler and restarts with another Load.
      [
        'PPI 29: acknowledge, new PRESCALER, new LOAD',
        'ppi29',
        timerMode,
        (r: Rig) => {
          r.w(ISR, 1);
          r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE | prescaler(2));
          r.w(LOAD, 3);
        },
      ],
    ] as const)('%s', (_name, line, start, handler) => {
      const { inListener, byGuest } = compare(line, start, handler);
      expect(inListener.handled).toBeGreaterThan(0);
      expect(inListener.handled).toBe(byGuest.handled);
      expect(inListener.log).toEqual(byGuest.log);
      expect(inListener.states).toEqual(byGuest.states);
    });

    // Pins the fix of a defect found while converting the device (#13): a transaction joined in the
    // callback context re-anchors at its commit, so a later latch or read sees the handler's own write.
    it('PPI 29: acknowledge, new COUNTER, then a new PRESCALER: the COUNTER write is kept, as by a guest (#13)', () => {
      const handler = (r: Rig): void => {
        r.w(ISR, 1);
        r.w(COUNTER, 3);
        r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE | prescaler(2));
      };
      const { inListener, byGuest } = compare('ppi29', timerMode, handler);
      expect(inListener.states).toEqual(byGuest.states);
    });

    /** Runs `start`, with `handler` on each of the first three rising edges of `line`, in the expiry step or in a guest step right after. */
    function compare(line: 'ppi29' | 'ppi30' | 'wdresetreq', start: (r: Rig) => void, handler: (r: Rig) => void) {
      const times = Array.from({ length: 200 }, (_, k) => 5 * (k + 1));
      return handlerVsGuest(() => makeRig(), line, start, handler, { rounds: 3, times });
    }
  });

  it('each counter records its own expiry events (timer <name>.timer, <name>.watchdog), before its flag is set', () => {
    const r = makeRig();
    const seen: string[] = [];
    r.device.traceTo({ record: (e) => void (e.kind === 'expiry' && seen.push(`${e.time} ${e.timer} isr=${r.r(ISR)} wreset=${r.r(WRESET)}`)) });
    r.w(LOAD, 4);
    r.w(CONTROL, ENABLE | IRQ_ENABLE); // single shot: one event at 40 ns
    r.w(WLOAD, 2);
    r.w(WCONTROL, ENABLE | WD_MODE); // a timeout at 20 ns
    r.at(100);
    expect(seen).toEqual(['20 arm-mptimer.watchdog isr=0 wreset=0', '40 arm-mptimer.timer isr=0 wreset=1']);
  });

  it("dispose() with both counters' bottom halves pending: neither flag is set, WDRESETREQ never rises, PERIPHCLK no longer reaches it", () => {
    const r = makeRig({ delivery: 'bottom-half' });
    let completed = false;
    r.device.events$.subscribe({ complete: () => (completed = true) });
    r.w(LOAD, 4);
    r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
    r.w(WLOAD, 4);
    r.w(WCONTROL, ENABLE | WD_MODE);
    r.at(39);
    // A guest step at 40 queued now runs after both expiry steps and before the bottom halves they queue.
    let pendingThen: string[] = [];
    r.clock.schedule(() => {
      pendingThen = r.clock.pendingEvents().map((e) => `${e.tag.kind} ${e.tag.owner}`);
      r.device.dispose();
    }, 1);
    r.at(40);
    expect(pendingThen).toEqual(expect.arrayContaining(['bottom-half arm-mptimer.timer', 'bottom-half arm-mptimer.watchdog']));
    expect([completed, r.clock.pending]).toEqual([true, 0]);
    r.periphclk.setHz(HZ / 2);
    r.at(10_000);
    expect([r.device.timerIrq.level, r.device.wdresetreq.level, r.clock.pending]).toEqual([false, false, 0]);
  });
});
