// The AXI Timer's introspection members (Device.lines, probes, registers): the lines are the
// Interrupt pin and the two per-timer terms, each probe reads what a guest read of TCRn returns at
// that instant (down or up, as UDT says) without being an access, and the register list is the
// map's. S_AXI_ACLK is 100 MHz (10 ns per clock). Timer 0 counts down from TLR0 = 3 with ARHT: TCR
// 3, 2, 1, 0, then the carry value 0xFFFFFFFF with T0INT at 40 ns, a period of TLR + 2 = 5 clocks.
// Timer 1 counts up from TLR1 = 0xFFFFFFFC: the carry value 0 with T1INT at 40 ns, period 5 clocks.
import { expect } from 'vitest';
import { XILINX_AXI_TIMER_REGISTERS } from '../../../devices/xilinx-axi-timer';
import { describeIntrospection, probed, registerReads, withLevels } from '../../support/introspection';
import { ARHT, CLOCK_NS, ENIT, ENT, LOAD, rig as makeRig, TCR0, TCR1, TCSR0, TCSR1, TINT, TLR0, TLR1, UDT } from './rig';

describeIntrospection('XilinxAxiTimer', {
  rig: () => {
    const base = makeRig();
    return withLevels({ ...base, device: base.timer });
  },
  lines: (device) => ({ interrupt: device.interrupt, 'timer0.irq': device.timer0Irq, 'timer1.irq': device.timer1Irq }),
  probes: [
    ['timer0.counter', 32],
    ['timer1.counter', 32],
  ],
  guest: registerReads({ 'timer0.counter': TCR0, 'timer1.counter': TCR1 }),
  program: ({ w }) => {
    w(TLR0, 3);
    w(TCSR0, LOAD | UDT);
    w(TCSR0, ENT | ENIT | ARHT | UDT);
    w(TLR1, 0xffff_fffc);
    w(TCSR1, LOAD);
    w(TCSR1, ENT | ENIT | ARHT);
  },
  tracking: {
    title: 'TCRn counting down and up: running, at and after the carry, stopped',
    initially: { 'timer0.counter': 0n, 'timer1.counter': 0n }, // reset: stopped, counting up from 0
    // Reads ordered before the carry at 40 ns (queued before the counters are armed) see the values before it.
    queuedAt: [4 * CLOCK_NS],
    queuedSee: [{ 'timer0.counter': 0n, 'timer1.counter': 0xffff_ffffn }],
    instants: [0, 1, CLOCK_NS, CLOCK_NS + 1, 2 * CLOCK_NS + 5, 4 * CLOCK_NS - 1, 4 * CLOCK_NS, 4 * CLOCK_NS + 1, 5 * CLOCK_NS, 5 * CLOCK_NS + 1, 8 * CLOCK_NS + 3],
    then: ({ clock, device, r, w }, sweep) => {
      clock.advanceTo(9 * CLOCK_NS); // the second carry: 0xFFFFFFFF down, 0 up
      expect(probed(device)).toEqual({ 'timer0.counter': 0xffff_ffffn, 'timer1.counter': 0n });
      expect(r(TCSR0) & TINT).toBe(TINT);
      clock.advanceTo(10 * CLOCK_NS + 1); // reloaded from TLR
      expect(probed(device)).toEqual({ 'timer0.counter': 3n, 'timer1.counter': 0xffff_fffcn });
      // Timer 0 stopped (ENT cleared) at 11.5 clocks: TCR0 freezes (ambiguity 7), and the probe with it.
      clock.advanceTo(11 * CLOCK_NS + CLOCK_NS / 2);
      w(TCSR0, ENIT | ARHT | UDT | TINT);
      sweep([12 * CLOCK_NS, 12 * CLOCK_NS + 1, 50 * CLOCK_NS], () => expect(r(TCR0)).toBe(2));
    },
  },
  noSideEffects: { instants: [0, CLOCK_NS + 1, 4 * CLOCK_NS, 4 * CLOCK_NS + 1, 5 * CLOCK_NS + 1, 9 * CLOCK_NS, 100 * CLOCK_NS + 3] },
  twin: {
    tick: CLOCK_NS,
    rounds: 16,
    serviceAt: 6 * CLOCK_NS + 1,
    service: ({ w }) => w(TCSR0, ENT | ENIT | ARHT | UDT | TINT), // acknowledge T0INT (write 1 to clear)
    minSeen: 60,
  },
  registers: {
    map: XILINX_AXI_TIMER_REGISTERS,
    names: ['TCSR0', 'TLR0', 'TCR0', 'TCSR1', 'TLR1', 'TCR1'],
    at: { TCR0: 0x08, TCSR1: 0x10 },
  },
});
