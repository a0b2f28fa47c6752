// Catalogue devices driven into reachable states (idle, running, one-shot, pending, halted,
// clock stopped) by guest writes and clock advances, with their snapshots: the material of the
// snapshot specs (#14).
import {
  ALLWINNER_A10_PIT_REGISTERS,
  ALLWINNER_WDT_REGISTERS,
  ALTERA_AVALON_TIMER_REGISTERS,
  ARMV7M_SYSTICK_REGISTERS,
  ClockInput,
  CMSDK_APB_DUALTIMER_REGISTERS,
  CMSDK_APB_TIMER_REGISTERS,
  CORTEX_A9_TIMER_WATCHDOG_REGISTERS,
  EXYNOS4210_MCT_REGISTERS,
  GRLIB_GPTIMER_REGISTERS,
  DIGIC_TIMER_REGISTERS,
  ETRAXFS_TIMER_REGISTERS,
  FSL_ETSEC_TIMER_REGISTERS,
  EXYNOS4210_PWM_REGISTERS,
  EXYNOS4210_RTC_REGISTERS,
  guestRead,
  guestWrite,
  IMX_EPIT_REGISTERS,
  IMX_GPT_REGISTERS,
  IMX2_WDT_REGISTERS,
  INTEGRATOR_PIT_REGISTERS,
  LAN9118_GPT_REGISTERS,
  LUMINARY_WATCHDOG_REGISTERS,
  MCF5206_TIMER_REGISTERS,
  MCF5208_PIT_REGISTERS,
  MINIMAL_TIMER_REGISTERS,
  MSS_TIMER_REGISTERS,
  SH_TMU_REGISTERS,
  MV88W8618_PIT_REGISTERS,
  SP804_REGISTERS,
  slavioTimerRegisters,
  VirtualClock,
  XILINX_AXI_DMA_REGISTERS,
  XILINX_AXI_TIMER_REGISTERS,
  XLNX_VERSAL_CANFD_REGISTERS,
  XLNX_ZYNQMP_CAN_REGISTERS,
  XLNX_CSU_DMA_REGISTERS,
  type Device,
  type GuestAccess,
} from '../../index';
import { divisorOf, minTicksOf, ticksAtLeast, type CatalogueDeviceType } from '../../system/catalogue/CatalogueChannel';

/** Bounds a restored state that makes a timer fire at every ns: a run stops with a RunawayError, not a hang. */
const MAX_EVENTS = 50_000;

/** Plain JSON data (a snapshot as a file would hold it). */
export type Json = unknown;

/** A JSON round trip. */
export const json = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;

/** Makes the guest accesses on the device, in order. */
export const perform = (device: Device, accesses: readonly GuestAccess[]): void => {
  for (const a of accesses) {
    if (a.kind === 'read') device.read(a.offset, a.size);
    else device.write(a.offset, a.size, a.value);
  }
};

export interface Rig {
  readonly clock: VirtualClock;
  readonly device: Device;
  /** Its clock inputs by catalogue name. */
  readonly inputs: Readonly<Record<string, ClockInput>>;
}

/** A catalogue device on a fresh clock at `start`, its clock inputs at the defaults or at `hz`. */
export const build = (type: CatalogueDeviceType, start: number, hz: Readonly<Record<string, number>> = {}): Rig => {
  const clock = new VirtualClock({ start, maxEventsPerRun: MAX_EVENTS });
  const inputs = Object.fromEntries(type.clocks.map((c) => [c.name, new ClockInput(c.name, hz[c.name] ?? c.hz)]));
  return { clock, inputs, device: type.create(clock, { name: 'dut', clocks: inputs, delivery: 'sync' }) };
};

/** A device with no channel (a counter with no interrupt) is advanced in steps of this many ns: 1 ms. */
const NO_CHANNEL_PERIOD_NS = 1_000_000;

/**
 * Each channel's ticks (channels differ, so that two timers are at different phases; a channel
 * with one fixed period takes only that) and the longest period in ns.
 */
export const timingOf = (type: CatalogueDeviceType) => {
  const ticks = type.channels.map((ch, i) => ticksAtLeast(ch, Math.max(minTicksOf(ch), 5) + i));
  const periods = type.channels.map((ch, i) => Math.ceil((ticks[i]! * divisorOf(ch) * 1e9) / type.clocks.find((c) => c.name === ch.clock)!.hz));
  return { ticks, periodNs: periods.length === 0 ? NO_CHANNEL_PERIOD_NS : Math.max(...periods) };
};

const startAll = (type: CatalogueDeviceType, device: Device): void => {
  const { ticks } = timingOf(type);
  type.channels.forEach((ch, i) => perform(device, ch.start(ticks[i]!)));
};

/** A way to drive a device into a state: guest accesses, then a clock advance (in periods), then clock input changes. */
export interface Recipe {
  readonly name: string;
  readonly accesses: (type: CatalogueDeviceType) => readonly GuestAccess[];
  readonly periods: number;
  readonly hz?: Readonly<Record<string, number>>;
  readonly startAll?: boolean;
}

const ofs = <M extends { readonly byName: Readonly<Record<string, { readonly offset: number }>> }>(map: M, name: keyof M['byName']) =>
  map.byName[name as string]!.offset;

const GENERIC: readonly Recipe[] = [
  { name: 'idle', accesses: () => [], periods: 0.3 },
  { name: 'running mid-countdown', accesses: () => [], periods: 0.5, startAll: true },
  { name: 'interrupt pending', accesses: () => [], periods: 1.6, startAll: true },
  { name: 'pending twice (a watchdog resets)', accesses: () => [], periods: 3.2, startAll: true },
];

/** The map of the catalogue's SLAVIO counter/timers (two CPUs, the compact layout). */
const SLAVIO_CATALOGUE_MAP = slavioTimerRegisters(2, 'compact');

/** Device-specific states: one-shot, halted, other modes, a stopped clock. */
const SPECIFIC: Readonly<Record<string, readonly Recipe[]>> = {
  'minimal-timer': [
    { name: 'LOAD 0 with EN: halted', periods: 1, accesses: () => [guestWrite(ofs(MINIMAL_TIMER_REGISTERS, 'LOAD'), 0), guestWrite(ofs(MINIMAL_TIMER_REGISTERS, 'CTRL'), 3)] },
  ],
  'cmsdk-apb-timer': [
    {
      name: 'one-shot (RELOAD 0) mid-countdown',
      periods: 0.5,
      accesses: () => [
        guestWrite(ofs(CMSDK_APB_TIMER_REGISTERS, 'RELOAD'), 0),
        guestWrite(ofs(CMSDK_APB_TIMER_REGISTERS, 'VALUE'), 7),
        guestWrite(ofs(CMSDK_APB_TIMER_REGISTERS, 'CTRL'), 0b1001),
      ],
    },
    {
      name: 'one-shot done',
      periods: 3,
      accesses: () => [
        guestWrite(ofs(CMSDK_APB_TIMER_REGISTERS, 'RELOAD'), 0),
        guestWrite(ofs(CMSDK_APB_TIMER_REGISTERS, 'VALUE'), 7),
        guestWrite(ofs(CMSDK_APB_TIMER_REGISTERS, 'CTRL'), 0b1001),
      ],
    },
    { name: 'PCLK stopped while running', periods: 0.5, startAll: true, hz: { pclk: 0 }, accesses: () => [] },
  ],
  'cmsdk-apb-dualtimer': [
    {
      name: 'one-shot 32-bit and free-running 16-bit ÷16',
      periods: 0.5,
      accesses: () => [
        guestWrite(ofs(CMSDK_APB_DUALTIMER_REGISTERS, 'TIMER1CONTROL'), 0x02),
        guestWrite(ofs(CMSDK_APB_DUALTIMER_REGISTERS, 'TIMER1LOAD'), 9),
        guestWrite(ofs(CMSDK_APB_DUALTIMER_REGISTERS, 'TIMER1CONTROL'), 0xa3),
        guestWrite(ofs(CMSDK_APB_DUALTIMER_REGISTERS, 'TIMER2CONTROL'), 0xa4),
      ],
    },
    {
      name: 'one-shot halted at 0',
      periods: 3,
      accesses: () => [
        guestWrite(ofs(CMSDK_APB_DUALTIMER_REGISTERS, 'TIMER1CONTROL'), 0x02),
        guestWrite(ofs(CMSDK_APB_DUALTIMER_REGISTERS, 'TIMER1LOAD'), 5),
        guestWrite(ofs(CMSDK_APB_DUALTIMER_REGISTERS, 'TIMER1CONTROL'), 0xa3),
      ],
    },
    { name: 'TIMCLK stopped while running', periods: 0.5, startAll: true, hz: { timclk: 0 }, accesses: () => [] },
  ],
  'cmsdk-apb-watchdog': [],
  sp804: [
    {
      name: 'one-shot 32-bit and free-running 16-bit ÷16',
      periods: 0.5,
      accesses: () => [
        guestWrite(ofs(SP804_REGISTERS, 'Timer1Control'), 0x02),
        guestWrite(ofs(SP804_REGISTERS, 'Timer1Load'), 9),
        guestWrite(ofs(SP804_REGISTERS, 'Timer1Control'), 0xa3),
        guestWrite(ofs(SP804_REGISTERS, 'Timer2Control'), 0xa4),
      ],
    },
    {
      name: 'one-shot halted at 0',
      periods: 3,
      accesses: () => [
        guestWrite(ofs(SP804_REGISTERS, 'Timer1Control'), 0x02),
        guestWrite(ofs(SP804_REGISTERS, 'Timer1Load'), 5),
        guestWrite(ofs(SP804_REGISTERS, 'Timer1Control'), 0xa3),
      ],
    },
    { name: 'TIMCLK stopped while running', periods: 0.5, startAll: true, hz: { timclk: 0 }, accesses: () => [] },
  ],
  'arm-mptimer': [
    {
      name: 'single shot, prescaler 2; watchdog mode',
      periods: 0.5,
      accesses: () => [
        guestWrite(ofs(CORTEX_A9_TIMER_WATCHDOG_REGISTERS, 'COUNTER'), 9),
        guestWrite(ofs(CORTEX_A9_TIMER_WATCHDOG_REGISTERS, 'CONTROL'), (2 << 8) | 0b101),
        guestWrite(ofs(CORTEX_A9_TIMER_WATCHDOG_REGISTERS, 'WLOAD'), 20),
        guestWrite(ofs(CORTEX_A9_TIMER_WATCHDOG_REGISTERS, 'WCONTROL'), 0b1001),
      ],
    },
    {
      name: 'single shot done; watchdog timed out',
      periods: 6,
      accesses: () => [
        guestWrite(ofs(CORTEX_A9_TIMER_WATCHDOG_REGISTERS, 'COUNTER'), 3),
        guestWrite(ofs(CORTEX_A9_TIMER_WATCHDOG_REGISTERS, 'CONTROL'), 0b101),
        guestWrite(ofs(CORTEX_A9_TIMER_WATCHDOG_REGISTERS, 'WLOAD'), 4),
        guestWrite(ofs(CORTEX_A9_TIMER_WATCHDOG_REGISTERS, 'WCONTROL'), 0b1001),
        guestWrite(ofs(CORTEX_A9_TIMER_WATCHDOG_REGISTERS, 'WDISABLE'), 0x1234_5678),
      ],
    },
    { name: 'PERIPHCLK stopped while running', periods: 0.5, startAll: true, hz: { periphclk: 0 }, accesses: () => [] },
  ],
  'xilinx-axi-timer': [
    {
      name: 'hold mode counting down; capture mode counting up',
      periods: 0.5,
      accesses: () => [
        guestWrite(ofs(XILINX_AXI_TIMER_REGISTERS, 'TLR0'), 9),
        guestWrite(ofs(XILINX_AXI_TIMER_REGISTERS, 'TCSR0'), 0x22),
        guestWrite(ofs(XILINX_AXI_TIMER_REGISTERS, 'TCSR0'), 0xc2),
        guestWrite(ofs(XILINX_AXI_TIMER_REGISTERS, 'TCSR1'), 0x89),
      ],
    },
    {
      name: 'hold mode held at its carry; LOAD set',
      periods: 4,
      accesses: () => [
        guestWrite(ofs(XILINX_AXI_TIMER_REGISTERS, 'TLR0'), 3),
        guestWrite(ofs(XILINX_AXI_TIMER_REGISTERS, 'TCSR0'), 0x22),
        guestWrite(ofs(XILINX_AXI_TIMER_REGISTERS, 'TCSR0'), 0xc2),
        guestWrite(ofs(XILINX_AXI_TIMER_REGISTERS, 'TLR1'), 77),
        guestWrite(ofs(XILINX_AXI_TIMER_REGISTERS, 'TCSR1'), 0x20),
      ],
    },
  ],
  'allwinner-a10-pit': [
    {
      name: 'single mode on OSC24M ÷2; continuous on LOSC',
      periods: 0.5,
      accesses: () => {
        const [t0, t1] = [ALLWINNER_A10_PIT_REGISTERS.channel('TMR', 0), ALLWINNER_A10_PIT_REGISTERS.channel('TMR', 1)];
        return [
          guestWrite(ofs(ALLWINNER_A10_PIT_REGISTERS, t0.INTV_VALUE), 9),
          guestWrite(ofs(ALLWINNER_A10_PIT_REGISTERS, t0.CTRL), 0x80 | (1 << 4) | 0x4 | 0x2 | 0x1),
          guestWrite(ofs(ALLWINNER_A10_PIT_REGISTERS, t1.INTV_VALUE), 3),
          guestWrite(ofs(ALLWINNER_A10_PIT_REGISTERS, t1.CTRL), 0x2 | 0x1),
          guestWrite(ofs(ALLWINNER_A10_PIT_REGISTERS, 'TMR_IRQ_EN_REG'), 0x3f),
        ];
      },
    },
    {
      name: 'single mode done; CUR written 0 while continuous',
      periods: 3,
      accesses: () => {
        const [t0, t2] = [ALLWINNER_A10_PIT_REGISTERS.channel('TMR', 0), ALLWINNER_A10_PIT_REGISTERS.channel('TMR', 2)];
        return [
          guestWrite(ofs(ALLWINNER_A10_PIT_REGISTERS, t0.INTV_VALUE), 2),
          guestWrite(ofs(ALLWINNER_A10_PIT_REGISTERS, t0.CTRL), 0x80 | 0x4 | 0x2 | 0x1),
          guestWrite(ofs(ALLWINNER_A10_PIT_REGISTERS, t2.INTV_VALUE), 1000),
          guestWrite(ofs(ALLWINNER_A10_PIT_REGISTERS, t2.CTRL), 0x4 | 0x2 | 0x1),
          guestWrite(ofs(ALLWINNER_A10_PIT_REGISTERS, t2.CUR_VALUE), 0),
          guestWrite(ofs(ALLWINNER_A10_PIT_REGISTERS, 'CNT64_CTRL_REG'), 0x2),
        ];
      },
    },
  ],
  'imx-epit': [
    {
      name: 'free-running with a compare ahead',
      periods: 0.5,
      accesses: () => [
        guestWrite(ofs(IMX_EPIT_REGISTERS, 'CMPR'), 0xffff_ffff - 5),
        guestWrite(ofs(IMX_EPIT_REGISTERS, 'CR'), (1 << 24) | 0b0111),
      ],
    },
    {
      name: 'set-and-forget with LR 0 and no compare at 0: idle',
      periods: 1,
      accesses: () => [
        guestWrite(ofs(IMX_EPIT_REGISTERS, 'CR'), (1 << 24) | (1 << 17) | 0b1000),
        guestWrite(ofs(IMX_EPIT_REGISTERS, 'LR'), 0),
        guestWrite(ofs(IMX_EPIT_REGISTERS, 'CMPR'), 3),
        guestWrite(ofs(IMX_EPIT_REGISTERS, 'CR'), (1 << 24) | 0b1111),
      ],
    },
    {
      // ENMOD 0 resumes from CNR's reset value 0xFFFFFFFF down to 0; RLD with LR 0 and CMPR not 0 idles after it (E11), so no segment follows: one-shot.
      name: 'set-and-forget with LR 0: the last count before the idle (one-shot)',
      periods: 0.5,
      accesses: () => [
        guestWrite(ofs(IMX_EPIT_REGISTERS, 'CMPR'), 0xffff_ffff),
        guestWrite(ofs(IMX_EPIT_REGISTERS, 'LR'), 0),
        guestWrite(ofs(IMX_EPIT_REGISTERS, 'CR'), (1 << 24) | 0b1001),
      ],
    },
  ],
  'luminary-watchdog': [
    {
      name: 'WDOGTEST.STALL set, WDOGCONTROL frozen, locked',
      periods: 0.5,
      startAll: true,
      accesses: () => [
        guestWrite(ofs(LUMINARY_WATCHDOG_REGISTERS, 'WDOGLOCK'), 0x1acce551),
        guestWrite(ofs(LUMINARY_WATCHDOG_REGISTERS, 'WDOGTEST'), 1 << 8),
        guestWrite(ofs(LUMINARY_WATCHDOG_REGISTERS, 'WDOGLOCK'), 1),
      ],
    },
  ],
  'integrator-pit': [
    {
      name: 'one-shot halted on timer 2, 16-bit free-running ÷16 on timer 0',
      periods: 3,
      accesses: () => [
        guestWrite(ofs(INTEGRATOR_PIT_REGISTERS, 'Timer2Control'), 0x02),
        guestWrite(ofs(INTEGRATOR_PIT_REGISTERS, 'Timer2Load'), 5),
        guestWrite(ofs(INTEGRATOR_PIT_REGISTERS, 'Timer2Control'), 0xa3),
        guestWrite(ofs(INTEGRATOR_PIT_REGISTERS, 'Timer0Load'), 0x1234_0040),
        guestWrite(ofs(INTEGRATOR_PIT_REGISTERS, 'Timer0Control'), 0x84),
      ],
    },
    { name: 'timer 0 TIMCLK stopped while running', periods: 0.5, startAll: true, hz: { timclk0: 0 }, accesses: () => [] },
  ],
  'altera-avalon-timer': [
    {
      name: 'one-shot (CONT 0)',
      periods: 0.5,
      accesses: () => [
        guestWrite(ofs(ALTERA_AVALON_TIMER_REGISTERS, 'PERIODL'), 7),
        guestWrite(ofs(ALTERA_AVALON_TIMER_REGISTERS, 'PERIODH'), 0),
        guestWrite(ofs(ALTERA_AVALON_TIMER_REGISTERS, 'CONTROL'), 0b101),
      ],
    },
    {
      name: 'one-shot done, snapshot latched',
      periods: 3,
      accesses: () => [
        guestWrite(ofs(ALTERA_AVALON_TIMER_REGISTERS, 'PERIODL'), 3),
        guestWrite(ofs(ALTERA_AVALON_TIMER_REGISTERS, 'PERIODH'), 0),
        guestWrite(ofs(ALTERA_AVALON_TIMER_REGISTERS, 'CONTROL'), 0b101),
        guestWrite(ofs(ALTERA_AVALON_TIMER_REGISTERS, 'SNAPL'), 0),
      ],
    },
    { name: 'clk stopped while running', periods: 0.5, startAll: true, hz: { clk: 0 }, accesses: () => [] },
  ],
  'armv7m-systick': [
    {
      name: 'RVR 0 with ENABLE at CVR 0: halted',
      periods: 1,
      accesses: () => [
        guestWrite(ofs(ARMV7M_SYSTICK_REGISTERS, 'RVR'), 0),
        guestWrite(ofs(ARMV7M_SYSTICK_REGISTERS, 'CSR'), 0b111),
      ],
    },
    {
      name: 'on the reference clock, CVR cleared while counting, pend set by software',
      periods: 10,
      accesses: () => [
        guestWrite(ofs(ARMV7M_SYSTICK_REGISTERS, 'RVR'), 99),
        guestWrite(ofs(ARMV7M_SYSTICK_REGISTERS, 'CSR'), 0b011),
        guestWrite(ofs(ARMV7M_SYSTICK_REGISTERS, 'CVR'), 5),
        guestWrite(ofs(ARMV7M_SYSTICK_REGISTERS, 'ICSR'), 1 << 26),
      ],
    },
    { name: 'core clock stopped while running', periods: 0.5, startAll: true, hz: { cpuclk: 0 }, accesses: () => [] },
  ],
  'mss-timer': [
    {
      name: '32-bit: timer 1 periodic with a background value, timer 2 one-shot mid-countdown',
      periods: 0.5,
      accesses: () => [
        guestWrite(ofs(MSS_TIMER_REGISTERS, 'TIM1_LOADVAL'), 9),
        guestWrite(ofs(MSS_TIMER_REGISTERS, 'TIM1_CTRL'), 0b101),
        guestWrite(ofs(MSS_TIMER_REGISTERS, 'TIM1_BGLOADVAL'), 4),
        guestWrite(ofs(MSS_TIMER_REGISTERS, 'TIM2_LOADVAL'), 12),
        guestWrite(ofs(MSS_TIMER_REGISTERS, 'TIM2_CTRL'), 0b111),
      ],
    },
    {
      name: '32-bit: one-shot halted at 0 on timer 2; timer 1 at 0 resting (LOADVAL 0), then frozen',
      periods: 3,
      accesses: () => [
        guestWrite(ofs(MSS_TIMER_REGISTERS, 'TIM2_LOADVAL'), 5),
        guestWrite(ofs(MSS_TIMER_REGISTERS, 'TIM2_CTRL'), 0b111),
        guestWrite(ofs(MSS_TIMER_REGISTERS, 'TIM1_CTRL'), 0b101),
        guestWrite(ofs(MSS_TIMER_REGISTERS, 'TIM1_LOADVAL'), 0),
        guestWrite(ofs(MSS_TIMER_REGISTERS, 'TIM1_BGLOADVAL'), 3),
        guestWrite(ofs(MSS_TIMER_REGISTERS, 'TIM1_CTRL'), 0b100),
      ],
    },
    {
      name: '64-bit: one-shot over 2^32 ticks, U halves held, VAL_U latched',
      periods: 2,
      accesses: () => [
        guestWrite(ofs(MSS_TIMER_REGISTERS, 'TIM64_MODE'), 1),
        guestWrite(ofs(MSS_TIMER_REGISTERS, 'TIM64_LOADVAL_U'), 1),
        guestWrite(ofs(MSS_TIMER_REGISTERS, 'TIM64_LOADVAL_L'), 3),
        guestWrite(ofs(MSS_TIMER_REGISTERS, 'TIM64_CTRL'), 0b111),
        guestRead(ofs(MSS_TIMER_REGISTERS, 'TIM64_VAL_L')),
        guestWrite(ofs(MSS_TIMER_REGISTERS, 'TIM64_LOADVAL_U'), 0x55),
        guestWrite(ofs(MSS_TIMER_REGISTERS, 'TIM64_BGLOADVAL_U'), 0x66),
      ],
    },
    { name: 'PCLK0 stopped while running', periods: 0.5, startAll: true, hz: { pclk: 0 }, accesses: () => [] },
  ],
  'imx-gpt': [
    {
      // CLKSRC 101 on the 'imx6' variant: the 24 MHz crystal ÷ 8, then PRESCALER 2 (÷ 3): 1 µs a cycle.
      name: 'free-running on the crystal ÷ 8 ÷ 3, OCR2 ahead, OF2 and ROV interrupts',
      periods: 0.5,
      accesses: () => [
        guestWrite(ofs(IMX_GPT_REGISTERS, 'PR'), 2),
        guestWrite(ofs(IMX_GPT_REGISTERS, 'OCR2'), 0x10),
        guestWrite(ofs(IMX_GPT_REGISTERS, 'IR'), 0x22),
        guestWrite(ofs(IMX_GPT_REGISTERS, 'CR'), (5 << 6) | (1 << 9) | 0b11),
      ],
    },
    {
      name: 'restart mode with OCR1 0: a compare at every edge',
      periods: 1,
      accesses: () => [guestWrite(ofs(IMX_GPT_REGISTERS, 'OCR1'), 0), guestWrite(ofs(IMX_GPT_REGISTERS, 'CR'), (1 << 6) | 0b11)],
    },
    {
      name: 'enabled with no clock selected (CLKSRC 0)',
      periods: 1,
      accesses: () => [guestWrite(ofs(IMX_GPT_REGISTERS, 'OCR1'), 7), guestWrite(ofs(IMX_GPT_REGISTERS, 'CR'), 0b11)],
    },
    { name: 'ipg stopped while running', periods: 2.5, startAll: true, hz: { ipg: 0 }, accesses: () => [] },
  ],
  // No channel: driven by its registers (1 ms = 24 000 cycles; a wrap every 2^16 cycles, 2.73 ms).
  'xlnx-zynqmp-can': [
    { name: 'CEN set: counting', periods: 1.5, accesses: () => [guestWrite(ofs(XLNX_ZYNQMP_CAN_REGISTERS, 'SRR'), 0x2)] },
    { name: 'counting past a wrap', periods: 3.5, accesses: () => [guestWrite(ofs(XLNX_ZYNQMP_CAN_REGISTERS, 'SRR'), 0x2)] },
    {
      name: 'cleared by TCR.CTS while counting',
      periods: 0.5,
      accesses: () => [guestWrite(ofs(XLNX_ZYNQMP_CAN_REGISTERS, 'SRR'), 0x2), guestWrite(ofs(XLNX_ZYNQMP_CAN_REGISTERS, 'TCR'), 0x1)],
    },
    { name: 'CAN_REF_CLK stopped while counting', periods: 0.5, hz: { can_clk: 0 }, accesses: () => [guestWrite(ofs(XLNX_ZYNQMP_CAN_REGISTERS, 'SRR'), 0x2)] },
  ],
  'xlnx-versal-canfd': [
    {
      name: 'overflow pending, its interrupt masked, other enables stored',
      periods: 1.2,
      startAll: true,
      accesses: () => [guestWrite(ofs(XLNX_VERSAL_CANFD_REGISTERS, 'IER'), 0x0003_ff5f & ~(1 << 5))],
    },
    {
      name: 'started, then back in configuration mode: held at 0',
      periods: 1.2,
      startAll: true,
      accesses: () => [guestWrite(ofs(XLNX_VERSAL_CANFD_REGISTERS, 'SRR'), 0x0)],
    },
    { name: 'can_clk stopped while counting', periods: 0.5, startAll: true, hz: { can_clk: 0 }, accesses: () => [] },
  ],
  'lan9118-gpt': [
    {
      name: 'GPT_LOAD 0 holding 0, software interrupt pending, INT_DEAS and RX enables stored',
      periods: 0.1,
      accesses: () => [
        guestWrite(ofs(LAN9118_GPT_REGISTERS, 'IRQ_CFG'), (10 << 24) | (1 << 8) | 0x11),
        guestWrite(ofs(LAN9118_GPT_REGISTERS, 'INT_EN'), 0x8008_0008),
        guestWrite(ofs(LAN9118_GPT_REGISTERS, 'GPT_CFG'), 1 << 29),
      ],
    },
    {
      name: 'wrapped to 0xFFFF after its interrupt, GPT_INT pending but not enabled',
      periods: 2,
      accesses: () => [guestWrite(ofs(LAN9118_GPT_REGISTERS, 'GPT_CFG'), (1 << 29) | 3)],
    },
    {
      name: 'disabled after counting: GPT_CNT 0xFFFF, GPT_LOAD kept',
      periods: 2,
      startAll: true,
      accesses: () => [guestWrite(ofs(LAN9118_GPT_REGISTERS, 'GPT_CFG'), 9)],
    },
    { name: 'gptclk stopped while running', periods: 0.5, startAll: true, hz: { gptclk: 0 }, accesses: () => [] },
  ],
  // 16-bit registers; one period is 5 half-second steps (2.5 s at 32.768 kHz).
  'imx2-wdt': [
    // No access: the power-down counter runs out at 16 s (6.4 periods) and latches WDOG_B.
    { name: 'power-down counter run out: WDOG_B latched', periods: 7, accesses: () => [] },
    {
      name: 'software reset requested, WDOG_B asserted by WDA 0, WT changed while counting, service half done',
      periods: 0.5,
      startAll: true,
      accesses: () => [
        guestWrite(ofs(IMX2_WDT_REGISTERS, 'WCR'), (9 << 8) | 0b0100, 2),
        guestWrite(ofs(IMX2_WDT_REGISTERS, 'WSR'), 0x5555, 2),
      ],
    },
    {
      name: 'timed out with WDT and WICT 0: wdog_rst, WDOG_B and WTIS together',
      periods: 1,
      accesses: () => [
        guestWrite(ofs(IMX2_WDT_REGISTERS, 'WICR'), 0x8000, 2),
        guestWrite(ofs(IMX2_WDT_REGISTERS, 'WCR'), (1 << 8) | 0b0011_1100, 2),
      ],
    },
    {
      name: 'counting without a pre-timeout point (WICT > WT), power-down off',
      periods: 0.5,
      accesses: () => [
        guestWrite(ofs(IMX2_WDT_REGISTERS, 'WMCR'), 0, 2),
        guestWrite(ofs(IMX2_WDT_REGISTERS, 'WICR'), 0x8000 | 20, 2),
        guestWrite(ofs(IMX2_WDT_REGISTERS, 'WCR'), (19 << 8) | 0b0011_0100, 2),
      ],
    },
    { name: 'ckil stopped while counting', periods: 0.5, startAll: true, hz: { ckil: 0 }, accesses: () => [] },
  ],
  // One period is the shortest interval, 0.5 s.
  'allwinner-sun4i-wdt': [
    {
      name: 'reset disabled, 1 s, timed out: pending',
      periods: 3,
      accesses: () => [
        guestWrite(ofs(ALLWINNER_WDT_REGISTERS.sun4i, 'TMR_IRQ_EN_REG'), 1 << 8),
        guestWrite(ofs(ALLWINNER_WDT_REGISTERS.sun4i, 'WDOG_MODE_REG'), (1 << 3) | 1),
      ],
    },
    { name: 'a reserved interval: holding at 0', periods: 0.5, accesses: () => [guestWrite(ofs(ALLWINNER_WDT_REGISTERS.sun4i, 'WDOG_MODE_REG'), (13 << 3) | 0b11)] },
    { name: 'HOSC stopped while running', periods: 0.5, startAll: true, hz: { hosc: 0 }, accesses: () => [] },
  ],
  'allwinner-sun6i-wdt': [
    {
      name: 'interrupt only (WDOG_CONFIG 10), 1 s, timed out: pending, no reset',
      periods: 3,
      accesses: () => [
        guestWrite(ofs(ALLWINNER_WDT_REGISTERS.sun6i, 'WDOG_IRQ_EN_REG'), 1),
        guestWrite(ofs(ALLWINNER_WDT_REGISTERS.sun6i, 'WDOG_CFG_REG'), 0b10),
        guestWrite(ofs(ALLWINNER_WDT_REGISTERS.sun6i, 'WDOG_MODE_REG'), (1 << 4) | 1),
      ],
    },
    { name: 'a reserved interval: holding at 0', periods: 0.5, accesses: () => [guestWrite(ofs(ALLWINNER_WDT_REGISTERS.sun6i, 'WDOG_MODE_REG'), (15 << 4) | 1)] },
    { name: 'HOSC stopped while running', periods: 0.5, startAll: true, hz: { hosc: 0 }, accesses: () => [] },
  ],
  'xilinx-axi-dma': [
    {
      // IRQThreshold 3, two packets: the coalescing count at 1, the delay timer counting from the second packet.
      name: 'S2MM coalescing two packets of three, delay counting; MM2S halted after a packet',
      periods: 0.4,
      accesses: () => [
        guestWrite(ofs(XILINX_AXI_DMA_REGISTERS, 'S2MM_DMACR'), (40 << 24) | (3 << 16) | (7 << 12) | 1),
        guestWrite(ofs(XILINX_AXI_DMA_REGISTERS, 'S2MM_TAILDESC'), 0x40),
        guestWrite(ofs(XILINX_AXI_DMA_REGISTERS, 'S2MM_TAILDESC'), 0x80),
        guestWrite(ofs(XILINX_AXI_DMA_REGISTERS, 'MM2S_DMACR'), (9 << 24) | (1 << 16) | 1),
        guestWrite(ofs(XILINX_AXI_DMA_REGISTERS, 'MM2S_TAILDESC'), 0x40),
        guestWrite(ofs(XILINX_AXI_DMA_REGISTERS, 'MM2S_DMACR'), (9 << 24) | (1 << 16)),
      ],
    },
    { name: 'SG clock stopped while the delay timers count', periods: 0.5, startAll: true, hz: { sgclk: 0 }, accesses: () => [] },
  ],
  'xlnx-csu-dma': [
    {
      name: 'PAUSE_STRM set with the timeout enabled: the counter held cleared',
      periods: 0.5,
      accesses: () => [
        guestWrite(ofs(XLNX_CSU_DMA_REGISTERS, 'SRC_CTRL'), (50 << 10) | 2),
        guestWrite(ofs(XLNX_CSU_DMA_REGISTERS, 'SRC_I_EN'), 1 << 3),
        guestWrite(ofs(XLNX_CSU_DMA_REGISTERS, 'SRC_CTRL2'), 1 << 22),
      ],
    },
    {
      name: 'ticks of 4 cycles, TIMEOUT_VAL 3, timed out once',
      periods: 2,
      accesses: () => [
        guestWrite(ofs(XLNX_CSU_DMA_REGISTERS, 'SRC_CTRL'), 3 << 10),
        guestWrite(ofs(XLNX_CSU_DMA_REGISTERS, 'SRC_CTRL2'), (1 << 22) | (3 << 4)),
      ],
    },
    { name: 'clk stopped while counting', periods: 0.5, startAll: true, hz: { clk: 0 }, accesses: () => [] },
  ],
  // The catalogue's instance: two CPUs, the compact layout. One period is 7 steps of 500 ns.
  'slavio-timer': [
    {
      name: 'CPU 0 a user timer from a written value, CPU 1 a user timer held by RUN 0',
      periods: 1.5,
      startAll: true,
      accesses: () => [
        guestWrite(ofs(SLAVIO_CATALOGUE_MAP, 'TIMER_CONFIG'), 3),
        guestWrite(ofs(SLAVIO_CATALOGUE_MAP, 'CPU0_LIMIT'), 0x1234),
        guestWrite(ofs(SLAVIO_CATALOGUE_MAP, 'CPU0_COUNTER'), 0xffff_fe00),
        guestWrite(ofs(SLAVIO_CATALOGUE_MAP, 'CPU1_START_STOP'), 0),
      ],
    },
    {
      name: 'a non-resetting limit equal to the count: counting through the 22-bit wrap',
      periods: 0.4,
      startAll: true,
      accesses: () => [guestWrite(ofs(SLAVIO_CATALOGUE_MAP, 'SYS_LIMIT_NR'), 0x200), guestWrite(ofs(SLAVIO_CATALOGUE_MAP, 'CPU1_LIMIT_NR'), 0)],
    },
    { name: 'clk stopped while counting', periods: 0.5, startAll: true, hz: { clk: 0 }, accesses: () => [] },
  ],
  // TCR is 16-bit and TSTR 8-bit; one period is 7 Pφ/4 counts at 60 MHz (467 ns).
  'sh-tmu': [
    {
      name: 'channel 0 on Pφ/16 underflowed with UNIE 0 (UNF set, no interrupt), channel 2 on the RTC clock',
      periods: 3,
      accesses: () => [
        guestWrite(ofs(SH_TMU_REGISTERS, 'TCR0'), 1, 2),
        guestWrite(ofs(SH_TMU_REGISTERS, 'TCOR0'), 3),
        guestWrite(ofs(SH_TMU_REGISTERS, 'TCNT0'), 3),
        guestWrite(ofs(SH_TMU_REGISTERS, 'TCR2'), 0x26, 2),
        guestWrite(ofs(SH_TMU_REGISTERS, 'TCNT2'), 10),
        guestWrite(ofs(SH_TMU_REGISTERS, 'TSTR'), 0b101, 1),
      ],
    },
    {
      name: 'TPSC 5 (reserved) on a started channel: held; channel 1 stopped mid-count',
      periods: 0.5,
      startAll: true,
      accesses: () => [guestWrite(ofs(SH_TMU_REGISTERS, 'TCR0'), 0x25, 2), guestWrite(ofs(SH_TMU_REGISTERS, 'TSTR'), 0b101, 1)],
    },
    {
      name: 'channel 1 on TCLK, both edges, started while TCLK was stopped, then TCLK at 1 MHz',
      periods: 0.5,
      hz: { tclk: 1_000_000 },
      accesses: () => [
        guestWrite(ofs(SH_TMU_REGISTERS, 'TCR1'), 0x37, 2),
        guestWrite(ofs(SH_TMU_REGISTERS, 'TCNT1'), 100),
        guestWrite(ofs(SH_TMU_REGISTERS, 'TSTR'), 0b010, 1),
      ],
    },
    { name: 'Pφ stopped while running', periods: 0.5, startAll: true, hz: { pclk: 0 }, accesses: () => [] },
  ],
  // One period is the longest channel's (tick1, 7 cycles of the 24 MHz fin: 292 ns).
  'exynos4210-mct': [
    {
      name: 'one-shot local tick stopped after its interrupt, local FRC counting, comparators 1 and 2 without auto-increment',
      periods: 2,
      accesses: () => {
        const m = EXYNOS4210_MCT_REGISTERS;
        return [
          guestWrite(ofs(m, 'L0_TCNTB'), 1),
          guestWrite(ofs(m, 'L0_ICNTB'), 0x8000_0001),
          guestWrite(ofs(m, 'L0_FRCNTB'), 5),
          guestWrite(ofs(m, 'L0_INT_ENB'), 0x3),
          guestWrite(ofs(m, 'L0_TCON'), 0xb),
          guestWrite(ofs(m, 'G_COMP1_L'), 3),
          guestWrite(ofs(m, 'G_COMP2_L'), 100),
          guestWrite(ofs(m, 'G_INT_ENB'), 0x6),
          guestWrite(ofs(m, 'G_TCON'), 0x114),
        ];
      },
    },
    {
      name: 'prescaled (MCT_CFG ÷6), the global counter across a carry to comparator 3, a frozen local tick holding its manual ICNT',
      periods: 6,
      accesses: () => {
        const m = EXYNOS4210_MCT_REGISTERS;
        return [
          guestWrite(ofs(m, 'MCT_CFG'), (1 << 8) | 2),
          guestWrite(ofs(m, 'G_CNT_L'), 0xffff_fffe),
          guestWrite(ofs(m, 'G_COMP3_L'), 3),
          guestWrite(ofs(m, 'G_COMP3_U'), 1),
          guestWrite(ofs(m, 'G_COMP3_ADD_INCR'), 10),
          guestWrite(ofs(m, 'G_INT_ENB'), 0x8),
          guestWrite(ofs(m, 'G_TCON'), 0x1c0),
          guestWrite(ofs(m, 'L1_ICNTB'), 0x8000_0009),
        ];
      },
    },
    {
      name: 'interval tick with an ICNTB waiting for its reload; local 1 ticking with INT_START 0',
      periods: 1.5,
      accesses: () => {
        const m = EXYNOS4210_MCT_REGISTERS;
        return [
          guestWrite(ofs(m, 'L0_ICNTB'), 0x8000_0003),
          guestWrite(ofs(m, 'L0_TCON'), 0x7),
          guestWrite(ofs(m, 'L0_ICNTB'), 8),
          guestWrite(ofs(m, 'L1_TCNTB'), 2),
          guestWrite(ofs(m, 'L1_TCON'), 0x1),
        ];
      },
    },
    { name: 'fin stopped while counting', periods: 0.5, startAll: true, hz: { fin: 0 }, accesses: () => [] },
  ],
  // Periods of 8 clock cycles (200 ns at 40 MHz); TCTRL bits EN 1, RS 2, LD 4, IE 8, CH 0x20.
  'grlib-gptimer': [
    {
      name: 'a prescaler of 4 at a long first tick (SCALER 60): timer 1 periodic, timer 2 chained to it, timer 3 one-shot',
      periods: 0.5,
      accesses: () => [
        guestWrite(ofs(GRLIB_GPTIMER_REGISTERS, 'SRELOAD'), 3),
        guestWrite(ofs(GRLIB_GPTIMER_REGISTERS, 'TRLDVAL1'), 1),
        guestWrite(ofs(GRLIB_GPTIMER_REGISTERS, 'TCTRL1'), 0b0111),
        guestWrite(ofs(GRLIB_GPTIMER_REGISTERS, 'TRLDVAL2'), 5),
        guestWrite(ofs(GRLIB_GPTIMER_REGISTERS, 'TCTRL2'), 0x2f),
        guestWrite(ofs(GRLIB_GPTIMER_REGISTERS, 'TCNTVAL3'), 200),
        guestWrite(ofs(GRLIB_GPTIMER_REGISTERS, 'TCTRL3'), 0b1001),
        guestWrite(ofs(GRLIB_GPTIMER_REGISTERS, 'SCALER'), 60),
      ],
    },
    {
      name: 'one-shot run out: timer 4 at 0xFFFFFFFF with EN clear and IP set, the prescaler stopped',
      periods: 3,
      accesses: () => [
        guestWrite(ofs(GRLIB_GPTIMER_REGISTERS, 'SRELOAD'), 0),
        guestWrite(ofs(GRLIB_GPTIMER_REGISTERS, 'TRLDVAL4'), 3),
        guestWrite(ofs(GRLIB_GPTIMER_REGISTERS, 'TCTRL4'), 0b1101),
      ],
    },
    {
      name: 'timer 1 chained to nothing (CH on the first timer) holding its value; a chain of 2 and 3 stepping',
      periods: 2,
      accesses: () => [
        guestWrite(ofs(GRLIB_GPTIMER_REGISTERS, 'SRELOAD'), 1),
        guestWrite(ofs(GRLIB_GPTIMER_REGISTERS, 'TRLDVAL1'), 9),
        guestWrite(ofs(GRLIB_GPTIMER_REGISTERS, 'TCTRL1'), 0x2f),
        guestWrite(ofs(GRLIB_GPTIMER_REGISTERS, 'TRLDVAL2'), 1),
        guestWrite(ofs(GRLIB_GPTIMER_REGISTERS, 'TCTRL2'), 0b0111),
        guestWrite(ofs(GRLIB_GPTIMER_REGISTERS, 'TRLDVAL3'), 4),
        guestWrite(ofs(GRLIB_GPTIMER_REGISTERS, 'TCTRL3'), 0x2f),
      ],
    },
    { name: 'clk stopped while counting', periods: 0.5, startAll: true, hz: { clk: 0 }, accesses: () => [] },
  ],
  // No channel: driven by its registers (1 ms = 1000 steps at 1 MHz).
  'digic-timer': [
    {
      name: "barebox's set-up: counting down from 0xFFFF",
      periods: 1.5,
      accesses: () => [
        guestWrite(ofs(DIGIC_TIMER_REGISTERS, 'CONTROL'), 0x8000_0000),
        guestWrite(ofs(DIGIC_TIMER_REGISTERS, 'RELVALUE'), 0xffff),
        guestWrite(ofs(DIGIC_TIMER_REGISTERS, 'CONTROL'), 1),
      ],
    },
    {
      name: 'RELVALUE 99: past several steps to 0',
      periods: 0.35,
      accesses: () => [guestWrite(ofs(DIGIC_TIMER_REGISTERS, 'RELVALUE'), 99), guestWrite(ofs(DIGIC_TIMER_REGISTERS, 'CONTROL'), 1)],
    },
    { name: 'loaded, not enabled', periods: 0.5, accesses: () => [guestWrite(ofs(DIGIC_TIMER_REGISTERS, 'RELVALUE'), 500)] },
    {
      name: 'RELVALUE 0: resting at 0',
      periods: 0.5,
      accesses: () => [guestWrite(ofs(DIGIC_TIMER_REGISTERS, 'CONTROL'), 1), guestWrite(ofs(DIGIC_TIMER_REGISTERS, 'RELVALUE'), 0)],
    },
    {
      name: 'clk stopped while counting',
      periods: 0.5,
      hz: { clk: 0 },
      accesses: () => [guestWrite(ofs(DIGIC_TIMER_REGISTERS, 'RELVALUE'), 1000), guestWrite(ofs(DIGIC_TIMER_REGISTERS, 'CONTROL'), 1)],
    },
  ],
  // 16-bit registers, TER 8-bit; one period is a few steps of 40 ns.
  'mcf5206-timer': [
    {
      name: 'timer 1 free-running past TRR 9 at ÷16 ÷3; timer 2 on TIN (held), CE and OM stored',
      periods: 40,
      accesses: () => [
        guestWrite(ofs(MCF5206_TIMER_REGISTERS, 'TMR1'), 0, 2),
        guestWrite(ofs(MCF5206_TIMER_REGISTERS, 'TRR1'), 9, 2),
        guestWrite(ofs(MCF5206_TIMER_REGISTERS, 'TMR1'), (2 << 8) | 0x10 | 0b100 | 1, 2),
        guestWrite(ofs(MCF5206_TIMER_REGISTERS, 'TMR2'), (1 << 6) | 0x20 | 0b110 | 1, 2),
      ],
    },
    {
      name: 'timer 1 back in reset after counting (RST 1 → 0); timer 2 counting with TRR written in reset',
      periods: 2,
      startAll: true,
      accesses: () => [
        guestWrite(ofs(MCF5206_TIMER_REGISTERS, 'TMR1'), 0x18, 2),
        guestWrite(ofs(MCF5206_TIMER_REGISTERS, 'TMR2'), 0, 2),
        guestWrite(ofs(MCF5206_TIMER_REGISTERS, 'TRR2'), 3, 2),
        guestWrite(ofs(MCF5206_TIMER_REGISTERS, 'TMR2'), 0x1b, 2),
      ],
    },
    { name: 'timer 1 stopped by CLK 00, TCN cleared', periods: 1.3, startAll: true, accesses: () => [guestWrite(ofs(MCF5206_TIMER_REGISTERS, 'TMR1'), 0x19, 2), guestWrite(ofs(MCF5206_TIMER_REGISTERS, 'TCN1'), 5, 2)] },
    { name: 'sysclk stopped while counting', periods: 0.5, startAll: true, hz: { sysclk: 0 }, accesses: () => [] },
  ],
  // 16-bit registers; one period is a few steps of 12 ns.
  'mcf5208-pit': [
    {
      name: 'free-running (RLD 0) at PRE 3, DBG and DOZE stored',
      periods: 3,
      accesses: () => [
        guestWrite(ofs(MCF5208_PIT_REGISTERS, 'PCSR'), 0x10, 2),
        guestWrite(ofs(MCF5208_PIT_REGISTERS, 'PMR'), 2, 2),
        guestWrite(ofs(MCF5208_PIT_REGISTERS, 'PCSR'), (3 << 8) | 0x60 | 0x08 | 0x01, 2),
      ],
    },
    {
      name: 'PMR 0: resting at 0 after its step, PIF pending',
      periods: 2,
      accesses: () => [
        guestWrite(ofs(MCF5208_PIT_REGISTERS, 'PCSR'), 0x12, 2),
        guestWrite(ofs(MCF5208_PIT_REGISTERS, 'PMR'), 3, 2),
        guestWrite(ofs(MCF5208_PIT_REGISTERS, 'PCSR'), 0x0b, 2),
        guestWrite(ofs(MCF5208_PIT_REGISTERS, 'PMR'), 0, 2),
      ],
    },
    { name: 'disabled (EN 0) holding its count', periods: 1.2, startAll: true, accesses: () => [guestWrite(ofs(MCF5208_PIT_REGISTERS, 'PCSR'), 0x0a, 2)] },
    { name: 'busclk stopped while counting', periods: 0.5, startAll: true, hz: { busclk: 0 }, accesses: () => [] },
  ],
  'mv88w8618-pit': [
    {
      // Timer 2's input disabled right after its start: its ticks latch unseen; timer 0 stopped at once by LENGTH 0.
      name: 'a tick latched but not enabled, a timer stopped by LENGTH 0, the reset requested',
      periods: 1.5,
      startAll: true,
      accesses: () => [
        guestWrite(ofs(MV88W8618_PIT_REGISTERS, 'PIC_ENABLE_CLR'), 1 << 6),
        guestWrite(ofs(MV88W8618_PIT_REGISTERS, 'TIMER0_LENGTH'), 0),
        guestWrite(ofs(MV88W8618_PIT_REGISTERS, 'BOARD_RESET'), 0x1_0000),
      ],
    },
    { name: 'CONTROL 0 right after the starts: every timer stopped at its LENGTH', periods: 1.5, startAll: true, accesses: () => [guestWrite(ofs(MV88W8618_PIT_REGISTERS, 'CONTROL'), 0)] },
    { name: 'tclk stopped while running', periods: 0.5, startAll: true, hz: { tclk: 0 }, accesses: () => [] },
  ],
  // One period is one poll, 512 transmit clocks (4 096 ns).
  'fsl-etsec-timer': [
    {
      name: 'gracefully stopped: GTSC pending and unmasked, the interval resting full',
      periods: 1.5,
      startAll: true,
      accesses: () => [guestWrite(ofs(FSL_ETSEC_TIMER_REGISTERS, 'IMASK'), (1 << 25) | (1 << 20)), guestWrite(ofs(FSL_ETSEC_TIMER_REGISTERS, 'DMACTRL'), 1 << 3)],
    },
    {
      name: "gianfar's settings (WOP 1): not polling, snooping bits stored",
      periods: 2,
      startAll: true,
      accesses: () => [guestWrite(ofs(FSL_ETSEC_TIMER_REGISTERS, 'DMACTRL'), 0xc3)],
    },
    { name: 'txclk stopped while polling', periods: 0.5, startAll: true, hz: { txclk: 0 }, accesses: () => [] },
  ],
  // One period is a few 10 ns cycles; the watchdog steps every 1.31 ms, so its states come from its own writes.
  'etraxfs-timer': [
    {
      name: 'timer 0 held, timer 1 on f32 with a new div, the watchdog counting',
      periods: 0.5,
      startAll: true,
      accesses: () => [
        guestWrite(ofs(ETRAXFS_TIMER_REGISTERS, 'rw_tmr0_ctrl'), 0x1d),
        guestWrite(ofs(ETRAXFS_TIMER_REGISTERS, 'rw_tmr1_ctrl'), 0x16),
        guestWrite(ofs(ETRAXFS_TIMER_REGISTERS, 'rw_tmr1_div'), 3),
        guestWrite(ofs(ETRAXFS_TIMER_REGISTERS, 'rw_wd_ctrl'), (0x2a << 9) | (1 << 8) | 200),
      ],
    },
    {
      // cnt 1: one step (1.31 ms) to the reset request; a timer loaded with div 0 and run: held at 0.
      name: 'the watchdog bitten, timer 1 held at 0 by div 0',
      periods: 300_000,
      accesses: () => [
        guestWrite(ofs(ETRAXFS_TIMER_REGISTERS, 'rw_wd_ctrl'), (0x2a << 9) | (1 << 8) | 1),
        guestWrite(ofs(ETRAXFS_TIMER_REGISTERS, 'rw_tmr1_ctrl'), 0x1c),
        guestWrite(ofs(ETRAXFS_TIMER_REGISTERS, 'rw_tmr1_ctrl'), 0x1e),
      ],
    },
    {
      name: 'the watchdog stopped with cnt 9, timer 0 loaded (op ld)',
      periods: 2,
      accesses: () => [
        guestWrite(ofs(ETRAXFS_TIMER_REGISTERS, 'rw_wd_ctrl'), 9),
        guestWrite(ofs(ETRAXFS_TIMER_REGISTERS, 'rw_tmr0_div'), 77),
        guestWrite(ofs(ETRAXFS_TIMER_REGISTERS, 'rw_tmr0_ctrl'), 0x1c),
      ],
    },
    { name: 'f100 stopped while running', periods: 0.5, startAll: true, hz: { f100: 0 }, accesses: () => [] },
  ],
  'exynos4210-pwm': [
    {
      // TCON: START1 8, MANUAL_UPDATE1 9; MANUAL_UPDATE2 13, START2 12; START4 20, MANUAL_UPDATE4 21, AUTO_RELOAD4 22.
      name: 'timer 1 one-shot mid-countdown, timer 2 held by a manual update, timer 4 periodic at prescaler 3 ÷16',
      periods: 0.5,
      accesses: () => [
        guestWrite(ofs(EXYNOS4210_PWM_REGISTERS, 'TCFG0'), 3 << 8),
        guestWrite(ofs(EXYNOS4210_PWM_REGISTERS, 'TCFG1'), 4 << 16),
        guestWrite(ofs(EXYNOS4210_PWM_REGISTERS, 'TCNTB1'), 9),
        guestWrite(ofs(EXYNOS4210_PWM_REGISTERS, 'TCNTB2'), 77),
        guestWrite(ofs(EXYNOS4210_PWM_REGISTERS, 'TCNTB4'), 50),
        guestWrite(ofs(EXYNOS4210_PWM_REGISTERS, 'TCON'), (1 << 9) | (1 << 21)),
        guestWrite(ofs(EXYNOS4210_PWM_REGISTERS, 'TCON'), (1 << 8) | (1 << 12) | (1 << 13) | (1 << 20) | (1 << 22)),
      ],
    },
    {
      name: 'timer 0 one-shot done: held at 0 with START set; timer 3 auto-reloading 0: held at 0',
      periods: 3,
      accesses: () => [
        guestWrite(ofs(EXYNOS4210_PWM_REGISTERS, 'TCFG0'), 0),
        guestWrite(ofs(EXYNOS4210_PWM_REGISTERS, 'TCNTB0'), 3),
        guestWrite(ofs(EXYNOS4210_PWM_REGISTERS, 'TCNTB3'), 4),
        guestWrite(ofs(EXYNOS4210_PWM_REGISTERS, 'TCON'), (1 << 1) | (1 << 17)),
        guestWrite(ofs(EXYNOS4210_PWM_REGISTERS, 'TCON'), (1 << 0) | (1 << 16) | (1 << 19)),
        guestWrite(ofs(EXYNOS4210_PWM_REGISTERS, 'TCNTB3'), 0),
      ],
    },
    { name: 'timer 3 on SCLK_PWM (not modelled): holding', periods: 0.5, startAll: true, accesses: () => [guestWrite(ofs(EXYNOS4210_PWM_REGISTERS, 'TCFG1'), 5 << 12)] },
    { name: 'PCLK stopped while running', periods: 0.5, startAll: true, hz: { pclk: 0 }, accesses: () => [] },
  ],
  'exynos4210-rtc': [
    { name: 'TICEN cleared mid-count: the count held', periods: 0.5, startAll: true, accesses: () => [guestWrite(ofs(EXYNOS4210_RTC_REGISTERS, 'RTCCON'), 0)] },
    {
      name: 'TICCKSEL 3 (4096 Hz) with CTLEN set, counting',
      periods: 0.5,
      accesses: () => [guestWrite(ofs(EXYNOS4210_RTC_REGISTERS, 'TICCNT'), 5), guestWrite(ofs(EXYNOS4210_RTC_REGISTERS, 'RTCCON'), (1 << 8) | (3 << 4) | 1)],
    },
    {
      name: 'TICCNT 0 after an interrupt: holding 0',
      periods: 2,
      accesses: () => [
        guestWrite(ofs(EXYNOS4210_RTC_REGISTERS, 'TICCNT'), 3),
        guestWrite(ofs(EXYNOS4210_RTC_REGISTERS, 'RTCCON'), 1 << 8),
        guestWrite(ofs(EXYNOS4210_RTC_REGISTERS, 'TICCNT'), 0),
      ],
    },
    { name: 'xtal stopped while counting', periods: 0.5, startAll: true, hz: { xtal: 0 }, accesses: () => [] },
  ],
};

export interface State {
  readonly name: string;
  readonly time: number;
  readonly hz: Readonly<Record<string, number>>;
  readonly snapshot: Json;
}

/** Drives a device through a recipe and takes its snapshot (as plain JSON). */
export const stateOf = (type: CatalogueDeviceType, recipe: Recipe): State => {
  const rig = build(type, 0);
  rig.clock.advanceTo(1_000); // not at time 0: a snapshot's times are then not all 0
  if (recipe.startAll === true) startAll(type, rig.device);
  perform(rig.device, recipe.accesses(type));
  rig.clock.advanceBy(Math.round(recipe.periods * timingOf(type).periodNs));
  const hz = recipe.hz ?? {};
  // Clock inputs the recipe stops: the device sees the change, the fresh device is built at that rate.
  for (const [name, value] of Object.entries(hz)) rig.inputs[name]!.setHz(value);
  return { name: recipe.name, time: rig.clock.now(), hz, snapshot: json(rig.device.snapshot()) };
};

/** Every state of a device type: the generic ones (any catalogue device) and its own. */
export const statesOf = (type: CatalogueDeviceType): readonly State[] => [...GENERIC, ...(SPECIFIC[type.type] ?? [])].map((r) => stateOf(type, r));
