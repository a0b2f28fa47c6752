// The consistency rules of device snapshots (#14), one case per rule and device: a real
// snapshot of a running device, changed in one place into a state the device cannot reach, is
// refused with a RegisterSnapshotError at the field at fault (its full path), a rule naming the
// other field, and nothing changed; the device then still restores the real snapshot.
// (The fuzz, catalogue.snapshotFuzz.spec.ts, checks every field; this pins each rule's words.)
import { describe, expect, it } from 'vitest';
import { RegisterSnapshotError } from '../../index';
import { deviceType } from '../../system/catalogue/catalogue';
import { build, json, statesOf, type Json } from '../support/catalogueStates';
import { thrown } from '../support/errors';

type Snapshot = Record<string, unknown> & { registers: { registers: Record<string, number> } };
type Edit = (s: Snapshot) => void;

const regs = (s: Snapshot): Record<string, number> => s.registers.registers;
const part = (s: Snapshot, path: string): Record<string, unknown> =>
  path.split(/[.[\]]+/).filter(Boolean).reduce<Record<string, unknown>>((v, k) => v[k] as Record<string, unknown>, s);
/** Flips `mask` in a register. */
const flip = (register: string, mask: number): Edit => (s) => {
  regs(s)[register] = (regs(s)[register]! ^ mask) >>> 0;
};
const set = (path: string, key: string, value: unknown): Edit => (s) => {
  part(s, path)[key] = value;
};
/**
 * Makes the (exact-timing) timer part at `path` run in `mode` with count `delta`, anchored at the
 * snapshot's time with the deadline its count gives at its period (one period for a count of 0):
 * a part the timer's own rules accept (its deadline minus its anchor is the span of its count),
 * so that the device's rule is the one that answers. Changing only the mode or the count would be
 * refused by the timer first, at `<path>.nextEvent`.
 */
const runAs = (path: string, mode: 'periodic' | 'oneshot', delta?: string): Edit => (s) => {
  const t = part(s, path);
  if (t.timing !== 'exact') throw new Error(`${path} is not in exact timing`);
  if (delta !== undefined) t.delta = delta;
  t.mode = mode;
  const count = BigInt(t.delta as string) === 0n ? 1n : BigInt(t.delta as string);
  const [num, den, time] = [BigInt(t.periodNum as string), BigInt(t.periodDen as string), BigInt(t.time as number)];
  t.lastEvent = String(time);
  t.lastPhase = 0;
  t.nextEvent = String(time + (count * num) / den);
  t.nextPhase = Number((count * num) % den);
};

/** [device type, state, what changes, the edit, the field refused, the rule]. */
const CASES: readonly (readonly [string, string, string, Edit, string, RegExp])[] = [
  // The fault audit's cases (#14), on the SP804.
  ['sp804', 'running mid-countdown', 'Control says disabled while its timer runs', flip('Timer1Control', 0x80), 'timers[0].mode', /^must be 'stopped' while registers\.registers\.Timer1Control\.TimerEn is 0/],
  ['sp804', 'running mid-countdown', 'another device name', (s) => (s.device = 'other'), 'device', /^must be "dut", the name of the device restoring it$/],
  ['sp804', 'running mid-countdown', 'an extra field', (s) => (s.extra = 1), 'extra', /^is not a field of this snapshot/],
  ['sp804', 'running mid-countdown', 'a bad nested timer field', set('timers[1]', 'nextEvent', 'soon'), 'timers[1].nextEvent', /decimal string/],
  ['sp804', 'running mid-countdown', 'a bad nested register', (s) => (regs(s).Timer2Load = -1), 'registers.registers.Timer2Load', /unsigned integer/],
  ['sp804', 'running mid-countdown', 'OneShot set on a periodic count', flip('Timer1Control', 0x01), 'timers[0].mode', /^must be 'oneshot' while registers\.registers\.Timer1Control\.OneShot is 1/],
  ['sp804', 'running mid-countdown', 'BGLoad apart from Load', flip('Timer2BGLoad', 0x10), 'registers.registers.Timer2BGLoad', /^must equal registers\.registers\.Timer2Load/],
  ['sp804', 'running mid-countdown', 'a prescaler the timer does not tick at', flip('Timer1Control', 0x04), 'timers[0].periodNum', /Timer1Control\.TimerPre/],
  ['sp804', 'running mid-countdown', 'a reload value that is not Load', set('timers[0]', 'limit', '7'), 'timers[0].limit', /registers\.registers\.Timer1Load/],
  ['sp804', 'running mid-countdown', 'TimerXValue storing a value', (s) => (regs(s).Timer1Value = 5), 'registers.registers.Timer1Value', /its reset value/],
  ['cmsdk-apb-dualtimer', 'running mid-countdown', 'ENABLE cleared while counting', flip('TIMER2CONTROL', 0x80), 'timers[1].mode', /TIMER2CONTROL\.ENABLE is 0/],
  ['cmsdk-apb-dualtimer', 'running mid-countdown', 'free-running mode under a periodic reload', flip('TIMER1CONTROL', 0x40), 'timers[0].limit', /TIMER1CONTROL\.MODE 0/],
  ['cmsdk-apb-dualtimer', 'one-shot halted at 0', 'a halted one-shot made wrapping', flip('TIMER1CONTROL', 0x01), 'timers[0].mode', /TIMER1CONTROL\.ONESHOT 1 or a reload value of 0/],
  ['cmsdk-apb-timer', 'running mid-countdown', 'EN cleared while counting', flip('CTRL', 0x1), 'timer.mode', /registers\.registers\.CTRL\.EN is 0/],
  ['cmsdk-apb-timer', 'running mid-countdown', 'RELOAD apart from the reload value', flip('RELOAD', 0x100), 'timer.limit', /registers\.registers\.RELOAD/],
  ['cmsdk-apb-timer', 'one-shot (RELOAD 0) mid-countdown', 'a one-shot count made periodic', set('timer', 'mode', 'periodic'), 'timer.mode', /RELOAD is 0 \(one-shot exactly when RELOAD is 0/],
  ['cmsdk-apb-timer', 'PCLK stopped while running', 'a counter running on a stopped PCLK', runAs('timer', 'periodic'), 'timer.mode', /pclkHz is 0/],
  ['cmsdk-apb-watchdog', 'pending twice (a watchdog resets)', 'halted without a reset request', (s) => (s.resetRequest = false), 'halted', /only a reset request halts the counter/],
  ['cmsdk-apb-watchdog', 'running mid-countdown', 'WDOGLOCK holding the key', (s) => (regs(s).WDOGLOCK = 0x1acce551), 'registers.registers.WDOGLOCK', /^must be 0 \(unlocked\) or 1 \(locked\)$/],
  ['cmsdk-apb-watchdog', 'running mid-countdown', 'INTEN cleared while counting', flip('WDOGCONTROL', 0x1), 'timer.mode', /WDOGCONTROL\.INTEN is 0/],
  ['cmsdk-apb-watchdog', 'running mid-countdown', 'WDOGINTCLR keeping a value', (s) => (regs(s).WDOGINTCLR = 1), 'registers.registers.WDOGINTCLR', /its reset value/],
  ['arm-mptimer', 'running mid-countdown', 'ENABLE cleared while counting', flip('CONTROL', 0x1), 'timer.mode', /registers\.registers\.CONTROL\.ENABLE is 0/],
  ['arm-mptimer', 'running mid-countdown', 'watchdog mode under an auto-reload count', flip('WCONTROL', 0x8), 'watchdog.mode', /^must be 'oneshot' while registers\.registers\.WCONTROL\.AUTO_RELOAD is 1 and registers\.registers\.WCONTROL\.WD_MODE is 1/],
  ['arm-mptimer', 'running mid-countdown', 'AUTO_RELOAD cleared under an auto-reload count', flip('WCONTROL', 0x2), 'watchdog.mode', /WCONTROL\.AUTO_RELOAD is 0/],
  ['arm-mptimer', 'running mid-countdown', 'a half-done disable sequence with the second key', (s) => (regs(s).WDISABLE = 0x87654321), 'registers.registers.WDISABLE', /first disable key/],
  ['arm-mptimer', 'running mid-countdown', 'COUNTER storing the count', (s) => (regs(s).COUNTER = 9), 'registers.registers.COUNTER', /its reset value/],
  ['xilinx-axi-timer', 'running mid-countdown', 'ENT cleared while counting', flip('TCSR0', 0x80), 'timers[0].mode', /TCSR0\.ENT0 is 0/],
  ['xilinx-axi-timer', 'running mid-countdown', 'ENALL in one TCSR only', flip('TCSR1', 0x400), 'registers.registers.TCSR1', /ENALL/],
  ['xilinx-axi-timer', 'hold mode held at its carry; LOAD set', 'LOAD set with a count that is not TLR', set('timers[1]', 'delta', '5'), 'timers[1].delta', /TCSR1\.LOAD1 is 1/],
  ['xilinx-axi-timer', 'running mid-countdown', 'ARHT cleared under a reloading count', flip('TCSR0', 0x10), 'timers[0].mode', /TCSR0\.ARHT0 is 0/],
  ['allwinner-a10-pit', 'running mid-countdown', 'EN cleared while counting', flip('TMR3_CTRL_REG', 0x1), 'timers[3].mode', /TMR3_CTRL_REG\.EN is 0/],
  ['allwinner-a10-pit', 'running mid-countdown', 'RELOAD left set', flip('TMR0_CTRL_REG', 0x2), 'registers.registers.TMR0_CTRL_REG', /RELOAD 0: it clears itself/],
  ['allwinner-a10-pit', 'running mid-countdown', 'a reload value that is not INTV', set('timers[2]', 'limit', '8'), 'timers[2].limit', /TMR2_INTV_VALUE/],
  ['allwinner-a10-pit', 'running mid-countdown', 'single mode under a continuous count', flip('TMR1_CTRL_REG', 0x80), 'timers[1].mode', /TMR1_CTRL_REG\.MODE is 1/],
  ['allwinner-a10-pit', 'idle', 'a 64-bit counter anchored in the future', (s) => ((s.cnt64 as Record<string, number>).anchor = 1e12), 'cnt64.anchor', /not after now/],
  ['imx-epit', 'running mid-countdown', 'EN cleared while counting', flip('CR', 0x1), 'timer.mode', /registers\.registers\.CR\.EN is 0/],
  ['imx-epit', 'running mid-countdown', 'SWR left set', flip('CR', 1 << 16), 'registers.registers.CR', /SWR 0: it clears itself/],
  ['imx-epit', 'running mid-countdown', 'a one-shot segment that another follows', (s) => (set('timer', 'mode', 'oneshot')(s), set('timer', 'limit', '0')(s)), 'timer.mode', /^must be 'periodic' under 'sync' delivery, the next segment's length as its reload value/],
  ['imx-epit', 'running mid-countdown', "a reload value that is not the next segment's length", set('timer', 'limit', '7'), 'timer.limit', /^must be 1 while timer\.mode is 'periodic' \(its reload value is the next segment: the one-cycle wrap/],
  ['imx-epit', 'free-running with a compare ahead', 'a reload value without a periodic timer', (s) => (set('timer', 'mode', 'oneshot')(s), set('timer', 'limit', '3')(s)), 'timer.limit', /^must be 0 while timer\.mode is 'oneshot'/],
  ['imx-epit', 'set-and-forget with LR 0: the last count before the idle (one-shot)', 'CMPR 0, so a wrap follows the count to 0', (s) => (regs(s).CMPR = 0), 'timer.mode', /one-shot only for a segment to 0 that the E11 idle follows/],
  ['imx-epit', 'set-and-forget with LR 0 and no compare at 0: idle', 'an idle counter with a reload value', set('timer', 'limit', '1'), 'timer.limit', /^must be 0 while timer\.mode is 'stopped'/],
  ['imx-epit', 'free-running with a compare ahead', 'a CMPR the segment does not end at', (s) => (regs(s).CMPR = 0), 'segment.target', /^must be 0 while counting: registers\.registers\.CMPR \(0\)/],
  ['altera-avalon-timer', 'running mid-countdown', 'RUN cleared while counting', flip('STATUS', 0x2), 'timer.mode', /STATUS\.RUN is 0/],
  ['altera-avalon-timer', 'running mid-countdown', 'CONT cleared under a continuous count', flip('CONTROL', 0x2), 'timer.mode', /CONTROL\.CONT is 0/],
  ['altera-avalon-timer', 'running mid-countdown', 'a START strobe stored', flip('CONTROL', 0x4), 'registers.registers.CONTROL', /strobes/],
  ['altera-avalon-timer', 'running mid-countdown', 'a count of 0', runAs('timer', 'periodic', '0'), 'timer.delta', /at least 1/],
  ['minimal-timer', 'running mid-countdown', 'EN cleared while counting', flip('CTRL', 0x1), 'timer.mode', /registers\.registers\.CTRL\.EN is 0/],
  ['minimal-timer', 'running mid-countdown', 'LOAD apart from the reload value', flip('LOAD', 0x1), 'timer.limit', /registers\.registers\.LOAD/],
  ['armv7m-systick', 'running mid-countdown', 'ENABLE cleared while counting', flip('CSR', 0x1), 'timer.mode', /registers\.registers\.CSR\.ENABLE is 0/],
  ['armv7m-systick', 'running mid-countdown', 'RVR apart from the reload value', flip('RVR', 0x100), 'timer.limit', /registers\.registers\.RVR\.RELOAD/],
  ['armv7m-systick', 'running mid-countdown', 'CLKSOURCE switched to the 1 MHz reference clock', flip('CSR', 0x4), 'timer.periodNum', /refclk cycle at 1000000 Hz \(registers\.registers\.CSR\.CLKSOURCE 0\)/],
  ['armv7m-systick', 'running mid-countdown', 'PENDSTCLR stored', flip('ICSR', 1 << 25), 'registers.registers.ICSR', /PENDSTCLR 0/],
  ['armv7m-systick', 'running mid-countdown', 'CVR storing the count', (s) => (regs(s).CVR = 3), 'registers.registers.CVR', /its reset value/],
  // startAll ends with the 64-bit channel: the block in 64-bit mode, timers 1 and 2 at reset.
  ['mss-timer', 'running mid-countdown', 'TIM64_CTRL.ENABLE cleared while counting', flip('TIM64_CTRL', 0x1), 'timers[2].mode', /TIM64_CTRL\.ENABLE is 0/],
  ['mss-timer', 'running mid-countdown', 'a 32-bit register set in 64-bit mode', flip('TIM1_LOADVAL', 0x10), 'registers.registers.TIM1_LOADVAL', /^must be 0 while registers\.registers\.TIM64_MODE\.TIM64_MODE is 1/],
  ['mss-timer', 'running mid-countdown', 'a reload value that is not TIM64_LOADVAL_U:L', set('timers[2]', 'limit', '8'), 'timers[2].limit', /TIM64_LOADVAL_U/],
  ['mss-timer', '32-bit: timer 1 periodic with a background value, timer 2 one-shot mid-countdown', 'MODE set on a periodic count', flip('TIM1_CTRL', 0x2), 'timers[0].mode', /^must be 'oneshot' while registers\.registers\.TIM1_CTRL\.MODE is 1/],
  ['mss-timer', '32-bit: timer 1 periodic with a background value, timer 2 one-shot mid-countdown', 'a held upper half in 32-bit mode', set('', 'heldLoadvalU', 3), 'heldLoadvalU', /TIM64_MODE\.TIM64_MODE is 0/],
  ['mss-timer', '32-bit: one-shot halted at 0 on timer 2; timer 1 at 0 resting (LOADVAL 0), then frozen', 'a halted one-shot made periodic', flip('TIM2_CTRL', 0x2), 'timers[1].mode', /unless it rests at 0 with nothing to load/],
  ['imx-gpt', 'running mid-countdown', 'EN cleared while counting', flip('CR', 0x1), 'timer.mode', /registers\.registers\.CR\.EN is 0/],
  ['imx-gpt', 'running mid-countdown', 'SWR left set', flip('CR', 1 << 15), 'registers.registers.CR', /SWR and FO1-FO3 0: they store nothing/],
  ['imx-gpt', 'running mid-countdown', 'another variant', (s) => (s.variant = 'imx6dl'), 'variant', /this GPT's variant/],
  ['imx-gpt', 'running mid-countdown', 'a divider the registers do not give', (s) => (s.appliedDiv = 2), 'appliedDiv', /^must be 1, the divider registers\.registers\.PR/],
  ['imx-gpt', 'running mid-countdown', 'an OCR2 the countdown does not end at', (s) => (regs(s).OCR2 = 2), 'end', /^must be 2 while counting: the first of registers\.registers\.OCR1 \(4\), registers\.registers\.OCR2 \(2\)/],
  ['imx-gpt', 'running mid-countdown', "a reload value that is not the next countdown's length", set('timer', 'limit', '7'), 'timer.limit', /^must be 5 while timer\.mode is 'periodic' \(its reload value is the next countdown: from 0/],
  ['imx-gpt', 'running mid-countdown', 'FRR set, so the counter would count on past OCR1', flip('CR', 1 << 9), 'timer.limit', /registers\.registers\.CR\.FRR 1/],
  ['imx-gpt', 'running mid-countdown', 'CNT storing the count', (s) => (regs(s).CNT = 3), 'registers.registers.CNT', /its reset value/],
  ['imx-gpt', 'ipg stopped while running', 'a frozen counter with a count other than 1', set('timer', 'delta', '3'), 'timer.delta', /^must be 1 while the counter is frozen/],
  ['xlnx-versal-canfd', 'running mid-countdown', "the ZynqMP variant's snapshot", (s) => (s.variant = 'zynqmp'), 'variant', /this controller's variant/],
  ['xlnx-versal-canfd', 'running mid-countdown', 'CEN cleared while counting', flip('SRR', 0x2), 'timer.mode', /registers\.registers\.SRR\.CEN is 0/],
  ['xlnx-versal-canfd', 'running mid-countdown', 'SRST stored', flip('SRR', 0x1), 'registers.registers.SRR', /SRR\.SRST 0/],
  ['xlnx-versal-canfd', 'running mid-countdown', 'a reload value other than 2^16', set('timer', 'limit', '70000'), 'timer.limit', /^must be 65536 \(the counter holds 2\^16 values/],
  ['xlnx-versal-canfd', 'running mid-countdown', 'a count of 0', runAs('timer', 'periodic', '0'), 'timer.delta', /at least 1/],
  ['xlnx-versal-canfd', 'running mid-countdown', 'TSR storing the count', (s) => (regs(s).TSR = 0x1_0000), 'registers.registers.TSR', /its reset value/],
  ['xlnx-versal-canfd', 'can_clk stopped while counting', 'a counter running on a stopped can_clk', runAs('timer', 'periodic'), 'timer.mode', /canClkHz is 0/],
  ['xlnx-zynqmp-can', 'CEN set: counting', 'CEN cleared while counting', flip('SRR', 0x2), 'timer.mode', /registers\.registers\.SRR\.CEN is 0/],
  ['xlnx-zynqmp-can', 'idle', 'a count held away from 0 in configuration mode', set('timer', 'delta', '5'), 'timer.delta', /^must be 65536 \(the timestamp 0\) while registers\.registers\.SRR\.CEN is 0/],
  ['xlnx-zynqmp-can', 'CEN set: counting', 'SR storing its computed value', (s) => (regs(s).SR = 0), 'registers.registers.SR', /its reset value/],
  ['lan9118-gpt', 'running mid-countdown', 'TIMER_EN cleared while counting', flip('GPT_CFG', 1 << 29), 'timer.mode', /^must be 'stopped' while registers\.registers\.GPT_CFG\.TIMER_EN is 0/],
  ['lan9118-gpt', 'disabled after counting: GPT_CNT 0xFFFF, GPT_LOAD kept', 'a disabled counter not at 0xFFFF', set('timer', 'delta', '9'), 'timer.delta', /^must be 65535 while registers\.registers\.GPT_CFG\.TIMER_EN is 0/],
  ['lan9118-gpt', 'running mid-countdown', 'a reload value that is not the 16-bit wrap', set('timer', 'limit', '9'), 'timer.limit', /^must be 65535 \(GPT_CNT is 16 bits/],
  ['lan9118-gpt', 'gptclk stopped while running', 'a counter running on a stopped gptclk', runAs('timer', 'periodic'), 'timer.mode', /gptclk is at 0 Hz/],
  ['lan9118-gpt', 'interrupt pending', 'a source that is not modelled pending', flip('INT_STS', 1 << 3), 'registers.registers.INT_STS', /GPT_INT and registers\.registers\.INT_STS\.SW_INT set/],
  ['lan9118-gpt', 'interrupt pending', 'IRQ_INT cleared while GPT_INT is pending and enabled', flip('IRQ_CFG', 1 << 12), 'registers.registers.IRQ_CFG', /IRQ_INT 1: it is \(registers\.registers\.INT_STS & registers\.registers\.INT_EN\)/],
  ['lan9118-gpt', 'running mid-countdown', 'the de-assertion interval running', flip('IRQ_CFG', 1 << 13), 'registers.registers.IRQ_CFG', /INT_DEAS_STS 0/],
  ['lan9118-gpt', 'running mid-countdown', 'GPT_CNT storing the count', (s) => (regs(s).GPT_CNT = 3), 'registers.registers.GPT_CNT', /its reset value/],
  ['lan9118-gpt', 'running mid-countdown', 'another ID_REV stored', (s) => (regs(s).ID_REV = 0x9220_0000), 'registers.registers.ID_REV', /its reset value/],
  ['imx2-wdt', 'running mid-countdown', 'WDE cleared while counting', flip('WCR', 0x4), 'counter.mode', /^must be 'stopped' while registers\.registers\.WCR\.WDE 0/],
  ['imx2-wdt', 'running mid-countdown', 'SRS stored as 0', flip('WCR', 0x10), 'registers.registers.WCR', /WCR\.SRS 1: it reads 1/],
  ['imx2-wdt', 'running mid-countdown', 'a timeout while the counter counts', (s) => (s.resetCause = 2), 'counter.mode', /resetCause 2/],
  ['imx2-wdt', 'running mid-countdown', 'PDE set again after it was cleared', flip('WMCR', 0x1), 'powerDown.mode', /WMCR\.PDE is 1/],
  ['imx2-wdt', 'running mid-countdown', 'WDOG_B latched with neither cause', (s) => (s.wdogB = true), 'wdogB', /only those latch WDOG_B/],
  ['imx2-wdt', 'interrupt pending', 'WTIS without WIE', flip('WICR', 0x8000), 'registers.registers.WICR', /WICR\.WIE 1 with registers\.registers\.WICR\.WTIS 1/],
  ['imx2-wdt', 'idle', 'WCR changed before any WCR write', flip('WCR', 0x100), 'registers.registers.WCR', /while wcrWritten is false/],
  ['imx2-wdt', 'idle', 'WRSR with POR and TOUT', flip('WRSR', 0x2), 'registers.registers.WRSR', /POR \(16\) alone/],
  ['imx2-wdt', 'power-down counter run out: WDOG_B latched', 'the power-down assertion forgotten', (s) => (s.wdogB = false), 'wdogB', /power-down counter ran out/],
  ['allwinner-sun6i-wdt', 'running mid-countdown', 'WDOG_EN cleared while counting', flip('WDOG_MODE_REG', 0x1), 'timer.mode', /^must be 'stopped' while registers\.registers\.WDOG_MODE_REG\.WDOG_EN is 0/],
  ['allwinner-sun6i-wdt', 'running mid-countdown', 'WDOG_CTRL_REG storing a kick', (s) => (regs(s).WDOG_CTRL_REG = 1), 'registers.registers.WDOG_CTRL_REG', /its reset value/],
  ['allwinner-sun6i-wdt', 'running mid-countdown', 'an interval the table does not have', set('timer', 'limit', '16001'), 'timer.limit', /^must be 0 or one of the intervals in ticks \(16000, 32000, /],
  ['allwinner-sun6i-wdt', 'running mid-countdown', 'a count above the interval it was restarted with', runAs('timer', 'oneshot', '16001'), 'timer.delta', /^must not exceed 16000 \(timer\.limit/],
  ['allwinner-sun6i-wdt', 'interrupt pending', 'a timed-out count made to run again', runAs('timer', 'oneshot', '0'), 'timer.mode', /^must be 'stopped' at a count of 0/],
  ['allwinner-sun4i-wdt', 'running mid-countdown', 'WDOG_EN cleared while counting', flip('WDOG_MODE_REG', 0x1), 'timer.mode', /WDOG_MODE_REG\.WDOG_EN is 0/],
  ['allwinner-sun4i-wdt', 'running mid-countdown', 'a running count stopped halfway', set('timer', 'mode', 'stopped'), 'timer.mode', /^must be 'oneshot' while registers\.registers\.WDOG_MODE_REG\.WDOG_EN is 1 and HOSC runs, unless it stopped at 0/],
  ['allwinner-sun4i-wdt', 'running mid-countdown', 'a periodic countdown', runAs('timer', 'periodic'), 'timer.mode', /one timeout per restart, W6/],
  ['allwinner-sun4i-wdt', 'HOSC stopped while running', 'a countdown on a stopped HOSC', runAs('timer', 'oneshot'), 'timer.mode', /hoscHz is 0/],
  ['xilinx-axi-dma', 'running mid-countdown', 'DMASR storing a delay count', (s) => (regs(s).S2MM_DMASR = (regs(s).S2MM_DMASR! | 0x0300_0000) >>> 0), 'registers.registers.S2MM_DMASR', /bits 31:16/],
  ['xilinx-axi-dma', 'running mid-countdown', 'Halted with RS set', flip('MM2S_DMASR', 0x1), 'registers.registers.MM2S_DMASR', /^must have registers\.registers\.MM2S_DMASR\.Halted 0 while registers\.registers\.MM2S_DMACR\.RS is 1/],
  ['xilinx-axi-dma', 'running mid-countdown', 'a coalescing count above IRQThreshold', (s) => ((s.thresholds as number[])[1] = 7), 'thresholds[1]', /must not exceed registers\.registers\.S2MM_DMACR\.IRQThreshold \(1\)/],
  ['xilinx-axi-dma', 'running mid-countdown', 'Dly_Irq set while the delay timer counts', flip('S2MM_DMASR', 0x2000), 'timers[1].mode', /S2MM_DMASR\.Dly_Irq is 1/],
  ['xilinx-axi-dma', 'running mid-countdown', 'IRQDelay apart from the reload value', flip('MM2S_DMACR', 0x0800_0000), 'timers[0].limit', /MM2S_DMACR\.IRQDelay/],
  ['xilinx-axi-dma', 'running mid-countdown', 'DMACR.Reset left set', flip('MM2S_DMACR', 0x4), 'registers.registers.MM2S_DMACR', /Reset 0: the soft reset completes within the write/],
  ['xlnx-csu-dma', 'running mid-countdown', 'TIMEOUT_EN cleared while counting', flip('SRC_CTRL2', 1 << 22), 'timer.mode', /SRC_CTRL2\.TIMEOUT_EN is 0/],
  ['xlnx-csu-dma', 'running mid-countdown', 'the stream input off while counting', (s) => (s.streamStalled = false), 'timer.mode', /streamStalled is false/],
  ['xlnx-csu-dma', 'running mid-countdown', 'TIMEOUT_VAL apart from the reload value', flip('SRC_CTRL', 1 << 12), 'timer.limit', /SRC_CTRL\.TIMEOUT_VAL/],
  ['xlnx-csu-dma', 'running mid-countdown', 'a prescaler the counter does not tick at', flip('SRC_CTRL2', 1 << 4), 'timer.periodDen', /SRC_CTRL2\.TIMEOUT_PRE/],
  ['xlnx-csu-dma', 'running mid-countdown', 'I_EN storing a value', (s) => (regs(s).SRC_I_EN = 8), 'registers.registers.SRC_I_EN', /its reset value/],
  ['xlnx-csu-dma', 'idle', 'a DST status bit set', (s) => (regs(s).DST_I_STS = 2), 'registers.registers.DST_I_STS', /no DST event is modelled/],
  ['slavio-timer', 'running mid-countdown', 'a limit register storing its limit', (s) => (regs(s).SYS_LIMIT = 0xc00), 'registers.registers.SYS_LIMIT', /its reset value/],
  ['slavio-timer', 'running mid-countdown', 'a limit its reload does not match', set('limits', '1', 9), 'timers[1].limit', /the cycles from 1 to limits\[1\] 9/],
  ['slavio-timer', 'running mid-countdown', 'a counter/timer stopped while clk runs', set('timers[0]', 'mode', 'stopped'), 'timers[0].mode', /^must be 'periodic' while clkHz is 2000000 \(a counter\/timer never stops, X1\)/],
  ['slavio-timer', 'running mid-countdown', 'user-timer mode under a counter/timer count', flip('TIMER_CONFIG', 0x2), 'timers[2].limit', /54-bit wrap, while registers\.registers\.TIMER_CONFIG\.T1 1/],
  ['slavio-timer', 'CPU 0 a user timer from a written value, CPU 1 a user timer held by RUN 0', 'a held user timer counting', runAs('timers[2]', 'periodic'), 'timers[2].mode', /CPU1_START_STOP\.RUN is 0 \(the user timer holds, X8\)/],
  ['slavio-timer', 'clk stopped while counting', 'a counter counting on a stopped clk', runAs('timers[1]', 'periodic'), 'timers[1].mode', /clkHz is 0/],
  ['sh-tmu', 'running mid-countdown', 'STR0 cleared while channel 0 counts', flip('TSTR', 0x1), 'timers[0].mode', /^must be 'stopped' while registers\.registers\.TSTR\.STR0 is 0/],
  ['sh-tmu', 'running mid-countdown', 'TCOR apart from the reload value', flip('TCOR1', 0x10), 'timers[1].limit', /^must be 22 \(registers\.registers\.TCOR1 \+ 1: the underflow loads TCOR/],
  ['sh-tmu', 'running mid-countdown', 'a prescaler the counter does not count at', flip('TCR2', 0x1), 'timers[2].periodNum', /Pφ\/16 \(registers\.registers\.TCR2\.TPSC\)/],
  ['sh-tmu', 'running mid-countdown', 'TCNT storing a count', (s) => (regs(s).TCNT0 = 5), 'registers.registers.TCNT0', /its reset value/],
  ['sh-tmu', 'running mid-countdown', 'TCR2.ICPF set', flip('TCR2', 0x200), 'registers.registers.TCR2', /ICPF 0: only an input capture sets it/],
  ['sh-tmu', 'TPSC 5 (reserved) on a started channel: held; channel 1 stopped mid-count', 'a channel counting on the reserved TPSC 5', runAs('timers[0]', 'periodic'), 'timers[0].mode', /TCR0\.TPSC selects nothing \(TPSC 5 is reserved\)/],
  ['sh-tmu', 'Pφ stopped while running', 'a count of 0 held', set('timers[1]', 'delta', '0'), 'timers[1].delta', /^must be at least 1: the counter holds TCNT \+ 1/],
  // startAll: comparator 0 every 5 cycles with auto-increment, local 0 every 6 and local 1 every 7 (TCNTB 0, interval mode) (#17).
  ['exynos4210-mct', 'running mid-countdown', 'TIMER_ENABLE cleared while counting', flip('G_TCON', 0x100), 'global.timer.mode', /^must be 'stopped' while registers\.registers\.G_TCON\.TIMER_ENABLE is 0 and the clock runs/],
  ['exynos4210-mct', 'running mid-countdown', 'a comparator the countdown does not end at', (s) => (regs(s).G_COMP0_L = 3), 'global.end', /^must be 3 while counting: the nearest match of an enabled comparator \(registers\.registers\.G_COMP0_U:registers\.registers\.G_COMP0_L/],
  ['exynos4210-mct', 'running mid-countdown', "an increment the next countdown's length does not follow", flip('G_COMP0_ADD_INCR', 0x2), 'global.timer.limit', /^must be 7 \(the next countdown's length: from global\.end 5/],
  ['exynos4210-mct', 'running mid-countdown', 'G_CNT_L storing the count', (s) => (regs(s).G_CNT_L = 3), 'registers.registers.G_CNT_L', /its reset value/],
  ['exynos4210-mct', 'running mid-countdown', 'ICNTO storing the count', (s) => (regs(s).L1_ICNTO = 3), 'registers.registers.L1_ICNTO', /its reset value/],
  ['exynos4210-mct', 'running mid-countdown', 'MANUAL_UPDATE stored', flip('L0_ICNTB', 0x8000_0000), 'registers.registers.L0_ICNTB', /MANUAL_UPDATE 0: a command, it stores nothing/],
  ['exynos4210-mct', 'running mid-countdown', 'TIMER_START cleared while the tick counts', flip('L1_TCON', 0x1), 'locals[1].tick.mode', /^must be 'stopped' while registers\.registers\.L1_TCON\.TIMER_START is 0 and the clock runs/],
  ['exynos4210-mct', 'running mid-countdown', 'a segment start the tick count does not give', set('locals[0]', 'icnt', 2), 'locals[0].tick.delta', /^must be 3, the length of the segment from locals\[0\]\.tcnt \(0\), locals\[0\]\.icnt \(2\)/],
  ['exynos4210-mct', 'running mid-countdown', 'one-shot mode under an interval reload', flip('L0_TCON', 0x4), 'locals[0].tick.limit', /^must be 18446744073709551615 \(the next segment's length: .*INTERVAL_MODE/],
  ['exynos4210-mct', 'one-shot local tick stopped after its interrupt, local FRC counting, comparators 1 and 2 without auto-increment', 'a stopped one-shot ICNT holding a count', set('locals[0]', 'icnt', 4), 'locals[0].icntDone', /^must be false while locals\[0\]\.icnt is 4/],
  ['exynos4210-mct', 'one-shot local tick stopped after its interrupt, local FRC counting, comparators 1 and 2 without auto-increment', 'FRCNTB apart from the FRC reload value', flip('L0_FRCNTB', 0x1), 'locals[0].frc.limit', /^must be 5 \(registers\.registers\.L0_FRCNTB \+ 1/],
  ['exynos4210-mct', 'one-shot local tick stopped after its interrupt, local FRC counting, comparators 1 and 2 without auto-increment', 'FRC_START cleared while the FRC counts', flip('L0_TCON', 0x8), 'locals[0].frc.mode', /^must be 'stopped' while registers\.registers\.L0_TCON\.FRC_START is 0/],
  ['exynos4210-mct', 'prescaled (MCT_CFG ÷6), the global counter across a carry to comparator 3, a frozen local tick holding its manual ICNT', 'a prescaler the counters do not count at', flip('MCT_CFG', 0x1), 'global.timer.periodNum', /^must be 1000\/3 ns, exactly 10\^9·8\/24000000 \(the period of one counter cycle: fin at 24000000 Hz \(finHz\) ÷ 8, registers\.registers\.MCT_CFG's division/],
  ['exynos4210-mct', 'idle', 'a frozen counter with a count other than 1', set('global.timer', 'delta', '3'), 'global.timer.delta', /^must be 1 while registers\.registers\.G_TCON\.TIMER_ENABLE is 0 and the clock runs: global\.end holds G_CNT/],
  ['exynos4210-mct', 'fin stopped while counting', 'a counter running on a stopped fin', runAs('global.timer', 'periodic'), 'global.timer.mode', /^must be 'stopped' while registers\.registers\.G_TCON\.TIMER_ENABLE is 1 and the clock is stopped/],
  ['grlib-gptimer', 'running mid-countdown', 'EN cleared while counting', flip('TCTRL1', 0x1), 'timers[0].mode', /^must be 'stopped' while registers\.registers\.TCTRL1\.EN is 0/],
  ['grlib-gptimer', 'running mid-countdown', 'RS cleared under a periodic count', flip('TCTRL4', 0x2), 'timers[3].mode', /^must be 'oneshot' .*registers\.registers\.TCTRL4\.RS 0/],
  ['grlib-gptimer', 'running mid-countdown', 'TRLDVAL apart from the reload value', flip('TRLDVAL2', 0x100), 'timers[1].limit', /registers\.registers\.TRLDVAL2/],
  ['grlib-gptimer', 'running mid-countdown', 'SRELOAD apart from the reload values', flip('SRELOAD', 0x1), 'timers[0].limit', /registers\.registers\.SRELOAD/],
  ['grlib-gptimer', 'running mid-countdown', 'LD stored', flip('TCTRL3', 0x4), 'registers.registers.TCTRL3', /LD and registers\.registers\.TCTRL3\.DH 0/],
  ['grlib-gptimer', 'running mid-countdown', "a counting timer's TCNTVAL storing a value", (s) => (regs(s).TCNTVAL1 = 3), 'registers.registers.TCNTVAL1', /^must be 0 while the timer counts/],
  ['grlib-gptimer', 'running mid-countdown', 'another core configuration', flip('CONFIG', 0x1), 'registers.registers.CONFIG', /this core's configuration/],
  ['grlib-gptimer', 'running mid-countdown', 'a prescaler loaded in the future', (s) => (s.scalerAnchor = 1e12), 'scalerAnchor', /^must not be after now/],
  ['grlib-gptimer', 'clk stopped while counting', 'a timer counting on a stopped clk', runAs('timers[0]', 'periodic'), 'timers[0].mode', /clkHz is 0/],
  ['grlib-gptimer', 'a prescaler of 4 at a long first tick (SCALER 60): timer 1 periodic, timer 2 chained to it, timer 3 one-shot', 'a long first tick that does not fit the count', set('firstTickValue', '0', 40), 'firstTickValue[0]', /between 5 and 65536 cycles/],
  ['grlib-gptimer', 'a prescaler of 4 at a long first tick (SCALER 60): timer 1 periodic, timer 2 chained to it, timer 3 one-shot', 'a long first tick on the chained timer', set('firstTickValue', '1', 0), 'firstTickValue[1]', /^must be null while registers\.registers\.TCTRL2\.EN is 1, registers\.registers\.TCTRL2\.CH is 1/],
  ['digic-timer', "barebox's set-up: counting down from 0xFFFF", 'EN cleared while counting', flip('CONTROL', 0x1), 'timer.mode', /^must be 'stopped' while registers\.registers\.CONTROL\.EN is 0/],
  ['digic-timer', "barebox's set-up: counting down from 0xFFFF", 'a reload value apart from RELVALUE', flip('RELVALUE', 0x10), 'timer.limit', /registers\.registers\.RELVALUE: the counter reloads RELVALUE/],
  ['digic-timer', "barebox's set-up: counting down from 0xFFFF", 'CONTROL.RST stored', flip('CONTROL', 0x8000_0000), 'registers.registers.CONTROL', /RST 0: a reset completes within its write/],
  ['digic-timer', 'RELVALUE 99: past several steps to 0', 'VALUE storing the count', (s) => (regs(s).VALUE = 3), 'registers.registers.VALUE', /its reset value/],
  ['digic-timer', 'clk stopped while counting', 'a counter running on a stopped clk', runAs('timer', 'periodic'), 'timer.mode', /clk runs at 0 Hz/],
  ['mcf5206-timer', 'running mid-countdown', 'RST cleared while counting', flip('TMR1', 0x1), 'timers[0].mode', /^must be 'stopped' while registers\.registers\.TMR1\.RST is 0/],
  ['mcf5206-timer', 'running mid-countdown', 'free run under a restart-mode round', flip('TMR2', 0x8), 'timers[1].limit', /TRR2 \+ 1 with registers\.registers\.TMR2\.FRR 1, 2\^16 with FRR 0/],
  ['mcf5206-timer', 'running mid-countdown', 'a prescaler the timer does not step at', flip('TMR1', 1 << 8), 'timers[0].periodNum', /TMR1\.PS and CLK/],
  ['mcf5206-timer', 'interrupt pending', 'a capture event with no capture input', flip('TER1', 0x1), 'registers.registers.TER1', /CAP 0: no capture input is modelled/],
  ['mcf5206-timer', 'running mid-countdown', 'TCN storing the count', (s) => (regs(s).TCN2 = 3), 'registers.registers.TCN2', /its reset value/],
  ['mcf5206-timer', 'timer 1 back in reset after counting (RST 1 → 0); timer 2 counting with TRR written in reset', 'REF pending in reset', flip('TER1', 0x2), 'registers.registers.TER1', /must be 0 while registers\.registers\.TMR1\.RST is 0/],
  ['mcf5208-pit', 'running mid-countdown', 'EN cleared while counting', flip('PCSR', 0x1), 'timer.mode', /^must be 'stopped' while registers\.registers\.PCSR\.EN is 0/],
  ['mcf5208-pit', 'running mid-countdown', 'RLD cleared under a PMR reload', flip('PCSR', 0x2), 'timer.limit', /PCSR\.RLD 0 the counter reloads 0xFFFF/],
  ['mcf5208-pit', 'running mid-countdown', 'a prescaler the counter does not step at', flip('PCSR', 1 << 8), 'timer.periodNum', /PCSR\.PRE/],
  ['mcf5208-pit', 'running mid-countdown', 'PCNTR storing the count', (s) => (regs(s).PCNTR = 3), 'registers.registers.PCNTR', /its reset value/],
  ['mcf5208-pit', 'busclk stopped while counting', 'a counter running on a stopped busclk', runAs('timer', 'periodic'), 'timer.mode', /busclk runs at 0 Hz/],
  ['mv88w8618-pit', 'running mid-countdown', "timer 0's CONTROL nibble cleared while it counts", flip('CONTROL', 0x1), 'timers[0].mode', /CONTROL\.TIMER0 is 0/],
  ['mv88w8618-pit', 'running mid-countdown', 'LENGTH apart from the reload value', flip('TIMER1_LENGTH', 0x100), 'timers[1].limit', /TIMER1_LENGTH/],
  ['mv88w8618-pit', 'running mid-countdown', 'a PIC latch bit of another input', set('pic', 'level', 0x1), 'pic.level', /only the timer bits/],
  ['mv88w8618-pit', 'running mid-countdown', 'VALUE storing a value', (s) => (regs(s).TIMER2_VALUE = 5), 'registers.registers.TIMER2_VALUE', /its reset value/],
  ['etraxfs-timer', 'running mid-countdown', 'op hold while the counter runs', flip('rw_tmr0_ctrl', 0x3), 'timers[0].mode', /rw_tmr0_ctrl\.op is 1/],
  ['etraxfs-timer', 'running mid-countdown', 'div apart from the reload value', flip('rw_tmr1_div', 0x100), 'timers[1].limit', /rw_tmr1_div/],
  ['etraxfs-timer', 'running mid-countdown', 'the watchdog counting without a start', set('', 'watchdog', 'counting'), 'watchdog', /rw_wd_ctrl\.cmd is 0/],
  ['etraxfs-timer', 'running mid-countdown', 'the NMI without the step to 1', set('', 'nmi', true), 'nmi', /the NMI rises at the step to 1/],
  ['etraxfs-timer', 'running mid-countdown', "r_time's anchor in the future", set('rtime', 'at', 10 ** 12), 'rtime.at', /not be after the snapshot's instant/],
  ['fsl-etsec-timer', 'running mid-countdown', 'polling with DMACTRL.WOP set', flip('DMACTRL', 0x1), 'polling', /DMACTRL\.WOP/],
  ['fsl-etsec-timer', 'running mid-countdown', 'an IEVENT event the model never sets', (s) => (regs(s).IEVENT = 1), 'registers.registers.IEVENT', /only TXF and GTSC/],
  ['fsl-etsec-timer', 'running mid-countdown', 'the interval running while not polling', set('', 'polling', false), 'timer.mode', /polling is false/],
  ['exynos4210-pwm', 'running mid-countdown', 'START3 cleared while counting', flip('TCON', 1 << 16), 'timers[3].mode', /^must be 'stopped' while registers\.registers\.TCON\.START3 is 0/],
  ['exynos4210-pwm', 'running mid-countdown', 'AUTO_RELOAD1 cleared under a reloading count', flip('TCON', 1 << 11), 'timers[1].mode', /^must be 'oneshot' while registers\.registers\.TCON\.AUTO_RELOAD1 is 0/],
  ['exynos4210-pwm', 'running mid-countdown', 'a prescaler the counters do not tick at', flip('TCFG0', 1 << 8), 'timers[2].periodNum', /TCFG0\.PRESCALER1/],
  ['exynos4210-pwm', 'running mid-countdown', 'a reload value that is not TCNTB4', set('timers[4]', 'limit', '7'), 'timers[4].limit', /registers\.registers\.TCNTB4/],
  ['exynos4210-pwm', 'running mid-countdown', 'TCNTO0 storing the count', (s) => (regs(s).TCNTO0 = 5), 'registers.registers.TCNTO0', /its reset value/],
  ['exynos4210-pwm', 'timer 1 one-shot mid-countdown, timer 2 held by a manual update, timer 4 periodic at prescaler 3 ÷16', 'a held count that is not TCNTB2', set('timers[2]', 'delta', '5'), 'timers[2].delta', /^must be 77 while registers\.registers\.TCON\.MANUAL_UPDATE2 is 1/],
  ['exynos4210-pwm', 'timer 0 one-shot done: held at 0 with START set; timer 3 auto-reloading 0: held at 0', 'a halted one-shot given auto-reload', flip('TCON', 1 << 3), 'timers[0].mode', /unless it holds a 0 nothing reloads/],
  ['exynos4210-pwm', 'PCLK stopped while running', 'a counter running on a stopped PCLK', runAs('timers[0]', 'periodic'), 'timers[0].mode', /pclk 0 Hz/],
  ['exynos4210-rtc', 'running mid-countdown', 'TICEN cleared while counting', flip('RTCCON', 1 << 8), 'timer.mode', /^must be 'stopped' while registers\.registers\.RTCCON\.TICEN is 0/],
  ['exynos4210-rtc', 'running mid-countdown', 'a TICCKSEL the counter does not tick at', flip('RTCCON', 1 << 4), 'timer.periodDen', /RTCCON\.TICCKSEL/],
  ['exynos4210-rtc', 'running mid-countdown', 'TICCNT apart from the reload value', flip('TICCNT', 0x100), 'timer.limit', /registers\.registers\.TICCNT/],
  ['exynos4210-rtc', 'running mid-countdown', 'the alarm pending', flip('INTP', 0x2), 'registers.registers.INTP', /INTP\.ALM 0: the alarm is not modelled/],
  ['exynos4210-rtc', 'running mid-countdown', 'CURTICCNT storing the count', (s) => (regs(s).CURTICCNT = 3), 'registers.registers.CURTICCNT', /its reset value/],
  ['exynos4210-rtc', 'running mid-countdown', 'a one-shot count', runAs('timer', 'oneshot'), 'timer.mode', /always reloads TICCNT, R1/],
  ['exynos4210-rtc', 'xtal stopped while counting', 'a counter running on a stopped crystal', runAs('timer', 'periodic'), 'timer.mode', /xtal 0 Hz/],
];

const statesByType = new Map<string, ReturnType<typeof statesOf>>();
const stateOf = (type: string, name: string) => {
  if (!statesByType.has(type)) statesByType.set(type, statesOf(deviceType(type)));
  const state = statesByType.get(type)!.find((s) => s.name === name);
  if (state === undefined) throw new Error(`no state '${name}' of ${type}`);
  return state;
};

describe('snapshot consistency rules (#14)', () => {
  it.each(CASES)('%s (%s): %s is refused at its field, changing nothing', (type, stateName, _what, edit, field, rule) => {
    const state = stateOf(type, stateName);
    const bad = json(state.snapshot) as Snapshot;
    edit(bad);
    const rig = build(deviceType(type), state.time, state.hz);
    const before = json(rig.device.snapshot());
    const work = rig.clock.pendingEvents();
    const e = thrown(() => rig.device.restore(bad as Json)) as RegisterSnapshotError;
    expect(e).toBeInstanceOf(RegisterSnapshotError);
    expect(e.field).toBe(field);
    expect(e.rule).toMatch(rule);
    expect(e.message.startsWith(`snapshot field '${field}': `)).toBe(true);
    expect(json(rig.device.snapshot())).toEqual(before);
    expect(rig.clock.pendingEvents()).toEqual(work);
    rig.device.restore(state.snapshot);
    expect(json(rig.device.snapshot())).toEqual(state.snapshot);
  });

  it('a refused second timer re-arms neither timer: work due at one instant keeps its order (G4)', () => {
    // Both SP804 timers run from the same instant with the same count: their expiries are due together.
    const type = deviceType('sp804');
    const a = build(type, 0);
    a.device.write(0x08, 4, 0x02);
    a.device.write(0x28, 4, 0x02);
    a.device.write(0x00, 4, 9);
    a.device.write(0x20, 4, 9);
    a.device.write(0x08, 4, 0xe2);
    a.device.write(0x28, 4, 0xe2);
    a.clock.advanceTo(3_000);
    const snapshot = json(a.device.snapshot()) as Snapshot;
    const b = build(type, 3_000);
    b.device.write(0x08, 4, 0x02);
    b.device.write(0x28, 4, 0x02);
    b.device.write(0x00, 4, 7);
    b.device.write(0x20, 4, 7);
    b.device.write(0x08, 4, 0xe2); // timer 1 first, then timer 2: both due at 10 µs, timer 1 ahead
    b.device.write(0x28, 4, 0xe2);
    const work = b.clock.pendingEvents();
    expect(work.map((e) => [e.time, e.label])).toEqual([
      [10_000, expect.stringContaining('dut.timer1')],
      [10_000, expect.stringContaining('dut.timer2')],
    ]);
    set('timers[1]', 'rateClamp', true)(snapshot);
    expect(() => b.device.restore(snapshot as Json)).toThrow(/^snapshot field 'timers\[1\]\.rateClamp'/);
    expect(b.clock.pendingEvents()).toEqual(work);
  });
});
