import { XilinxAxiTimer } from '../../devices/xilinx-axi-timer/XilinxAxiTimer';
import { XILINX_AXI_TIMER_REGISTERS } from '../../devices/xilinx-axi-timer/XILINX_AXI_TIMER_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueChannel, CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const R = XILINX_AXI_TIMER_REGISTERS.byName;
// Bits 10:0 sit at the same positions in TCSR0 and TCSR1.
const F = R.TCSR0.fieldByName;
const UDT = F.UDT0.mask;
const ARHT = F.ARHT0.mask;
const LOAD = F.LOAD0.mask;
const ENIT = F.ENIT0.mask;
const ENT = F.ENT0.mask;
const TINT = F.T0INT.mask;
/** Generate mode, counting down, auto-reload, interrupt enabled, running. */
const RUN = ENT | ENIT | ARHT | UDT;
const MIN_TICKS = 2;
const MAX_TICKS = 0x1_0000_0000;

const channel = (n: 0 | 1): CatalogueChannel => {
  const c = XILINX_AXI_TIMER_REGISTERS.channel('TIMER', n);
  const reg = { tcsr: R[c.TCSR], tlr: R[c.TLR], tcr: R[c.TCR] };
  return {
    name: `timer${n}`,
    kind: 'timer',
    clock: 'aclk',
    minTicks: MIN_TICKS,
    maxTicks: MAX_TICKS,
    start: (ticks) => {
      checkTicks(ticks, MIN_TICKS, MAX_TICKS, `xilinx-axi-timer.timer${n}.start(ticks)`);
      return [
        guestWrite(reg.tcsr.offset, UDT | TINT), // stopped, counting down, TnINT cleared
        guestWrite(reg.tlr.offset, ticks - 1),
        guestWrite(reg.tcsr.offset, UDT | LOAD), // TCR = ticks - 1: `ticks` clocks to the carry
        guestWrite(reg.tcsr.offset, UDT | ARHT | ENIT), // LOAD released, still stopped
        guestWrite(reg.tlr.offset, ticks - 2), // the reload: later rounds are TLR + 2 clocks
        guestWrite(reg.tcsr.offset, RUN),
      ];
    },
    counter: { offset: reg.tcr.offset, size: 4, direction: 'down' },
    status: { offset: reg.tcsr.offset, size: 4, mask: TINT },
    // TnINT is write-1-to-clear; the control bits are written back as they are.
    acknowledge: [guestWrite(reg.tcsr.offset, RUN | TINT)],
    line: `timer${n}.irq`,
  };
};

/**
 * Xilinx AXI Timer, generate mode counting down with auto-reload (UDT | ARHT).
 * A down-counter showing TCR is TCR + 1 clocks from its carry, and a reloading
 * period is TLR + 2 clocks (PG079), so `start(ticks)` loads TCR = ticks - 1
 * (TLR, then LOAD), releases LOAD, writes TLR = ticks - 2 for the reloads, and
 * enables: every round is `ticks` S_AXI_ACLK cycles. `minTicks` 2 (TLR is then
 * 0), `maxTicks` 2^32 (TCR loaded with 0xFFFFFFFF). The status is TnINT in TCSRn;
 * the line is the timer's term of the Interrupt pin (`timerN.irq`).
 */
export const xilinxAxiTimer: CatalogueDeviceType<XilinxAxiTimer> = {
  type: 'xilinx-axi-timer',
  summary: 'Xilinx AXI Timer (PG079): two 32-bit up/down timer/counters on S_AXI_ACLK',
  clocks: [{ name: 'aclk', hz: 100_000_000 }],
  create: (scheduler, { name, clocks, delivery, timing }) => new XilinxAxiTimer(scheduler, { name, aclk: clocks['aclk']!, delivery, timing }),
  channels: [channel(0), channel(1)],
};
