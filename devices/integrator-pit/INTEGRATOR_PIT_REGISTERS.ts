import { defineChannels, defineRegisterMap } from '../../src/bus';
import { SP804_TIMER_BLOCK } from '../sp804/SP804_REGISTERS';

/**
 * The ARM Integrator/CP counter/timers' registers (ARM DUI 0159; the layout QEMU's
 * `integrator_pit` and Linux's timer-sp804 agree on): three timers 0x100 apart, each the
 * SP804's seven-register block (`SP804_TIMER_BLOCK`: Load, Value, Control, IntClr, RIS,
 * MIS, BGLoad at 0x00-0x18), named Timer0Load … Timer2BGLoad;
 * `INTEGRATOR_PIT_REGISTERS.channel('Timer', n)` gives timer n's names by role. There are
 * no integration test and no identification registers: every other offset of the 4 KiB
 * region is unmapped. Reset values are the SP804's (Control 0x20, Value 0xFFFFFFFF).
 */
export const INTEGRATOR_PIT_REGISTERS = defineRegisterMap({
  /** TimerNLoad … TimerNBGLoad of timers 0 (0x000), 1 (0x100) and 2 (0x200). */
  Timer: defineChannels(SP804_TIMER_BLOCK, 3, 0x100, { name: 'Timer{n}{reg}', first: 0 }),
});
