import type { ScenarioJson } from './scenarioSchema';

/**
 * The built-in scenario (also `examples/scenarios/default.json`): one of each
 * catalogue device type, each driven by at least one guest, for 10 ms.
 * Periodic tick handlers at a few kHz on the timers, each acknowledging 2 µs
 * after its interrupt (so the lines show in waveforms; they also feed the
 * interrupt controller; the LAN9118 GP timer's handler also re-arms it, so its rounds
 * are 2 µs longer), a clocksource reader on the SP804's timer 2, the
 * AXI timer's timer 1, the Integrator/CP's timer 0 and the Versal CAN-FD's timestamp counter
 * (TSR), timed accesses that start and clear the ZynqMP CAN's timestamp counter (it has no
 * channel), polling readers (the MSS timer's timer 2 among them), watchdog feeders that keep the CMSDK
 * watchdog, the Luminary one, the i.MX2 one and the two Allwinner ones from biting (the Cortex-A9 watchdog block runs as a timer: its
 * watchdog mode has no fixed-access keepalive, see the catalogue), a feeder that keeps packets
 * coming on the AXI DMA's S2MM channel so its delay interrupt never fires, a tick handler on the
 * CSU DMA's stream timeout; tick handlers and clocksource readers on the SLAVIO, the SuperH TMU,
 * the Exynos4210 MCT, the GRLIB GPTIMER, the ColdFire MCF5206 and the ETRAX FS timers; a tick
 * handler on the MCF5208 PIT; a tick handler and a polling reader on the 88W8618 PIT; a transmit
 * handler on the eTSEC's poll timer; barebox's set-up of the DIGIC timer and two reads of its
 * count (it has no channel); the Exynos4210 PWM block used as Linux uses it (a tick on timer 3,
 * a clocksource reader on timer 4) and a 1024 Hz tick handler on the Exynos4210 RTC; and timed
 * accesses by register name: the controller's ENABLE at 0, then ID registers
 * and the i.MX2 WDOG's reset cause (WRSR, as Linux's probe reads it). The
 * i.MX2 WDOG counts half-seconds: its feeder starts it with a 30 s timeout
 * (which also turns its power-down counter off) and would feed it every 10 s,
 * both beyond a 10 ms run.
 *
 * Many guest steps fall on timer expiry instants (polls every 50 µs, ticks at
 * kHz rates), so a replay of its recording checks that steps keep their place
 * among an instant's device events.
 */
export const DEFAULT_SCENARIO: ScenarioJson = {
  name: 'default',
  description: 'One of each catalogue device type, each with a guest: tick handlers, clocksources, pollers and a watchdog feeder, 10 ms.',
  seed: 1,
  duration: '10ms',
  delivery: 'sync',
  devices: [
    { name: 'timer0', type: 'cmsdk-apb-timer', base: '0x40000000', clocks: { pclk: '25MHz' } },
    { name: 'minimal', type: 'minimal-timer', base: '0x40001000', clocks: { clk: '1MHz' } },
    { name: 'dual', type: 'cmsdk-apb-dualtimer', base: '0x40002000', clocks: { timclk: '25MHz' } },
    { name: 'wdog', type: 'cmsdk-apb-watchdog', base: '0x40003000', clocks: { wdogclk: '25MHz' } },
    { name: 'sp804', type: 'sp804', base: '0x40004000', clocks: { timclk: '1MHz' } },
    { name: 'twd', type: 'arm-mptimer', base: '0x40005000', clocks: { periphclk: '100MHz' } },
    { name: 'axi', type: 'xilinx-axi-timer', base: '0x40006000', clocks: { aclk: '100MHz' } },
    { name: 'pit', type: 'allwinner-a10-pit', base: '0x40007000', clocks: { losc: '32768Hz', osc24m: '24MHz' } },
    { name: 'epit', type: 'imx-epit', base: '0x40008000', clocks: { ipg: '66MHz' } },
    { name: 'avalon', type: 'altera-avalon-timer', base: '0x40009000', clocks: { clk: '50MHz' } },
    { name: 'systick', type: 'armv7m-systick', base: '0xe000e010', clocks: { cpuclk: '25MHz', refclk: '1MHz' } },
    { name: 'lmwdog', type: 'luminary-watchdog', base: '0x4000a000', clocks: { wdogclk: '12.5MHz' } },
    { name: 'icp', type: 'integrator-pit', base: '0x4000b000', clocks: { timclk0: '25MHz', timclk1: '1MHz', timclk2: '1MHz' } },
    { name: 'mss', type: 'mss-timer', base: '0x40010000', clocks: { pclk: '100MHz' } },
    { name: 'gpt', type: 'imx-gpt', base: '0x4000c000', clocks: { ipg: '66MHz', osc: '24MHz' } },
    { name: 'zcan', type: 'xlnx-zynqmp-can', base: '0x40020000', clocks: { can_clk: '24MHz' } },
    { name: 'vcan', type: 'xlnx-versal-canfd', base: '0x40030000', clocks: { can_clk: '25MHz' } },
    { name: 'lan', type: 'lan9118-gpt', base: '0x40040000', clocks: { gptclk: '10kHz' } },
    { name: 'imxwdog', type: 'imx2-wdt', base: '0x40050000', clocks: { ckil: '32768Hz' } },
    { name: 'a10wdt', type: 'allwinner-sun4i-wdt', base: '0x40060000', clocks: { hosc: '24MHz' } },
    { name: 'h3wdt', type: 'allwinner-sun6i-wdt', base: '0x40070000', clocks: { hosc: '24MHz' } },
    // The catalogue builds the AXI DMA with one SG clock per delay unit: a 1 MHz SG clock gives the
    // 1 µs unit a 125 MHz SG clock has at the IP's default resolution (125).
    { name: 'axidma', type: 'xilinx-axi-dma', base: '0x40080000', clocks: { sgclk: '1MHz' } },
    // A slow DMA clock keeps the timeouts (every 3333 cycles: 3 kHz) few.
    { name: 'csudma', type: 'xlnx-csu-dma', base: '0x40090000', clocks: { clk: '10MHz' } },
    // The sun4m counters' 2 MHz step (500 ns); the catalogue's compact layout fits the block in 0x5000 bytes.
    { name: 'slavio', type: 'slavio-timer', base: '0x40120000', clocks: { clk: '2MHz' } },
    // The SuperH TMU as Linux uses it: a tick on channel 0 (clockevent), a clocksource on channel 1.
    { name: 'tmu', type: 'sh-tmu', base: '0x40110000', clocks: { pclk: '60MHz', rtcclk: '16384Hz', tclk: '0Hz' } },
    { name: 'mct', type: 'exynos4210-mct', base: '0x400a0000', clocks: { fin: '24MHz' } },
    { name: 'gpt8', type: 'grlib-gptimer', base: '0x40100000', clocks: { clk: '40MHz' } },
    { name: 'digic', type: 'digic-timer', base: '0x400d0000', clocks: { clk: '1MHz' } },
    { name: 'cf5206', type: 'mcf5206-timer', base: '0x400e0000', clocks: { sysclk: '25MHz' } },
    // The MCF5208's bus clock: its 166.67 MHz core clock ÷ 2.
    { name: 'cf5208', type: 'mcf5208-pit', base: '0x400f0000', clocks: { busclk: '83333333Hz' } },
    // The PIC page (its timer inputs) at the base, the PIT page at +0x1000.
    { name: 'mvpit', type: 'mv88w8618-pit', base: '0x40130000', clocks: { tclk: '1MHz' } },
    // A 10 Mb/s transmit clock (2.5 MHz): a poll every 512 clocks, 204.8 µs, each sending a frame (the catalogue's endless ring).
    { name: 'etsec', type: 'fsl-etsec-timer', base: '0x40140000', clocks: { txclk: '2.5MHz' } },
    { name: 'etrax', type: 'etraxfs-timer', base: '0x40150000', clocks: { f100: '100MHz', f29_493: '29493kHz', f32: '32MHz', f32_768: '32768kHz' } },
    // The Exynos4210 PWM block on its 100 MHz PCLK; the RTC's tick on the 32.768 kHz crystal.
    { name: 'pwm', type: 'exynos4210-pwm', base: '0x400b0000', clocks: { pclk: '100MHz' } },
    { name: 'rtc', type: 'exynos4210-rtc', base: '0x400c0000', clocks: { xtal: '32768Hz' } },
  ],
  interruptController: {
    name: 'intc',
    base: '0x4000f000',
    inputs: [
      'timer0.timerint',
      'minimal.irq',
      'dual.timint1',
      'dual.timint2',
      'wdog.wdogint',
      'sp804.timint1',
      'twd.ppi29',
      'twd.ppi30',
      'axi.timer0.irq',
      'pit.irq0',
      'pit.irq1',
      'epit.irq',
      'avalon.irq',
      'systick.systick',
    ],
  },
  guests: [
    { name: 'timer0-tick', program: 'periodic-tick', device: 'timer0', channel: 'timer', hz: '1kHz', latency: '2us' },
    { name: 'minimal-tick', program: 'periodic-tick', device: 'minimal', channel: 'timer', hz: '2kHz', latency: '2us' },
    { name: 'dual-tick', program: 'periodic-tick', device: 'dual', channel: 'timer1', hz: '4kHz', latency: '2us' },
    { name: 'dual-poll', program: 'polling-reader', device: 'dual', channel: 'timer2', every: '50us', hz: '1kHz' },
    { name: 'wdog-feed', program: 'watchdog-feeder', device: 'wdog', channel: 'watchdog', timeout: '1ms', feedEvery: '400us' },
    { name: 'sp804-tick', program: 'periodic-tick', device: 'sp804', channel: 'timer1', hz: '1kHz', latency: '2us' },
    { name: 'sp804-clocksource', program: 'clocksource-reader', device: 'sp804', channel: 'timer2', every: '100us' },
    { name: 'twd-tick', program: 'periodic-tick', device: 'twd', channel: 'timer', hz: '1kHz', latency: '2us' },
    { name: 'twd-watchdog-tick', program: 'periodic-tick', device: 'twd', channel: 'watchdog', hz: '500Hz', latency: '2us' },
    { name: 'axi-tick', program: 'periodic-tick', device: 'axi', channel: 'timer0', hz: '2kHz', latency: '2us' },
    { name: 'axi-clocksource', program: 'clocksource-reader', device: 'axi', channel: 'timer1', every: '250us' },
    { name: 'pit-tick', program: 'periodic-tick', device: 'pit', channel: 'timer0', hz: '1kHz', latency: '2us' },
    { name: 'pit-poll', program: 'polling-reader', device: 'pit', channel: 'timer1', every: '100us', hz: '250Hz' },
    { name: 'epit-tick', program: 'periodic-tick', device: 'epit', channel: 'timer', hz: '1kHz', latency: '2us' },
    { name: 'avalon-tick', program: 'periodic-tick', device: 'avalon', channel: 'timer', hz: '5kHz', latency: '2us' },
    { name: 'avalon-poll', program: 'polling-reader', device: 'avalon', channel: 'timer', every: '70us' },
    { name: 'systick-tick', program: 'periodic-tick', device: 'systick', channel: 'systick', hz: '1kHz', latency: '2us' },
    { name: 'lmwdog-feed', program: 'watchdog-feeder', device: 'lmwdog', channel: 'watchdog', timeout: '2ms', feedEvery: '700us' },
    { name: 'icp-tick', program: 'periodic-tick', device: 'icp', channel: 'timer1', hz: '1kHz', latency: '2us' },
    { name: 'icp-clocksource', program: 'clocksource-reader', device: 'icp', channel: 'timer0', every: '150us' },
    { name: 'mss-tick', program: 'periodic-tick', device: 'mss', channel: 'timer1', hz: '1kHz', latency: '2us' },
    { name: 'mss-poll', program: 'polling-reader', device: 'mss', channel: 'timer2', every: '80us', hz: '500Hz' },
    { name: 'gpt-tick', program: 'periodic-tick', device: 'gpt', channel: 'timer', hz: '2kHz', latency: '2us' },
    { name: 'vcan-clocksource', program: 'clocksource-reader', device: 'vcan', channel: 'timestamp', every: '330us' },
    {
      name: 'zcan-timestamps',
      program: 'accesses',
      accesses: [
        { at: '0ns', device: 'zcan', register: 'SRR', write: 0x2 },
        { at: '4ms', device: 'zcan', register: 'TCR', write: 0x1 },
        { at: '7ms', device: 'zcan', register: 'SR' },
      ],
    },
    { name: 'lan-tick', program: 'periodic-tick', device: 'lan', channel: 'gpt', hz: '1kHz', latency: '2us' },
    { name: 'imxwdog-feed', program: 'watchdog-feeder', device: 'imxwdog', channel: 'watchdog', timeout: '30s', feedEvery: '10s' },
    { name: 'a10wdt-feed', program: 'watchdog-feeder', device: 'a10wdt', channel: 'watchdog', timeout: '500ms', feedEvery: '2ms' },
    { name: 'h3wdt-feed', program: 'watchdog-feeder', device: 'h3wdt', channel: 'watchdog', timeout: '1s', feedEvery: '3ms' },
    { name: 'axidma-feed', program: 'watchdog-feeder', device: 'axidma', channel: 's2mm', timeout: '250us', feedEvery: '190us' },
    { name: 'csudma-tick', program: 'periodic-tick', device: 'csudma', channel: 'src', hz: '3kHz', latency: '2us' },
    { name: 'slavio-tick', program: 'periodic-tick', device: 'slavio', channel: 'system', hz: '1kHz', latency: '2us' },
    { name: 'slavio-clocksource', program: 'clocksource-reader', device: 'slavio', channel: 'cpu1', every: '170us' },
    { name: 'tmu-tick', program: 'periodic-tick', device: 'tmu', channel: 'tmu0', hz: '1kHz', latency: '2us' },
    { name: 'tmu-clocksource', program: 'clocksource-reader', device: 'tmu', channel: 'tmu1', every: '120us' },
    { name: 'gpt8-tick', program: 'periodic-tick', device: 'gpt8', channel: 'timer1', hz: '1kHz', latency: '2us' },
    { name: 'gpt8-clocksource', program: 'clocksource-reader', device: 'gpt8', channel: 'timer2', every: '130us' },
    {
      name: 'digic-barebox',
      program: 'accesses',
      accesses: [
        { at: '0ns', device: 'digic', register: 'CONTROL', write: 0x80000000 },
        { at: '0ns', device: 'digic', register: 'RELVALUE', write: 0xffff },
        { at: '0ns', device: 'digic', register: 'CONTROL', write: 0x1 },
        { at: '3ms', device: 'digic', register: 'VALUE' },
        { at: '7ms', device: 'digic', register: 'VALUE' },
      ],
    },
    { name: 'cf5206-tick', program: 'periodic-tick', device: 'cf5206', channel: 'timer1', hz: '1kHz', latency: '2us' },
    { name: 'cf5206-clocksource', program: 'clocksource-reader', device: 'cf5206', channel: 'timer2', every: '120us' },
    { name: 'cf5208-tick', program: 'periodic-tick', device: 'cf5208', channel: 'pit', hz: '2kHz', latency: '2us' },
    { name: 'mvpit-tick', program: 'periodic-tick', device: 'mvpit', channel: 'timer0', hz: '1kHz', latency: '2us' },
    { name: 'mvpit-poll', program: 'polling-reader', device: 'mvpit', channel: 'timer3', every: '90us', hz: '500Hz' },
    { name: 'etsec-tx', program: 'periodic-tick', device: 'etsec', channel: 'poll', hz: '4883Hz', latency: '2us' },
    { name: 'etrax-tick', program: 'periodic-tick', device: 'etrax', channel: 'timer0', hz: '1kHz', latency: '2us' },
    { name: 'etrax-clocksource', program: 'clocksource-reader', device: 'etrax', channel: 'timer1', every: '120us' },
    // As Linux uses the PWM block: timer 3 the tick, timer 4 the clocksource (read every 170 µs). The RTC tick at a
    // power of 2 (32 crystal cycles).
    { name: 'pwm-tick', program: 'periodic-tick', device: 'pwm', channel: 'timer3', hz: '1kHz', latency: '2us' },
    { name: 'pwm-clocksource', program: 'clocksource-reader', device: 'pwm', channel: 'timer4', every: '170us' },
    { name: 'rtc-tick', program: 'periodic-tick', device: 'rtc', channel: 'tick', hz: '1024Hz', latency: '2us' },
    {
      name: 'setup-and-ids',
      program: 'accesses',
      accesses: [
        { at: '0ns', device: 'intc', register: 'ENABLE', write: 0x3fff },
        { at: '1us', device: 'timer0', register: 'PID0' },
        { at: '1us', device: 'sp804', register: 'TimerPeriphID0' },
        { at: '2us', device: 'dual', register: 'TIMERPERIPHID0' },
        { at: '3us', device: 'imxwdog', register: 'WRSR' },
      ],
    },
    { name: 'mct-tick', program: 'periodic-tick', device: 'mct', channel: 'tick0', hz: '1kHz', latency: '2us' },
    { name: 'mct-clocksource', program: 'clocksource-reader', device: 'mct', channel: 'comp0', every: '270us' },
  ],
};
