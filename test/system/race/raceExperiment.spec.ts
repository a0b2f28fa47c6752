import { describe, expect, it } from 'vitest';
import { DEVICE_TYPES, raceExperiment, SystemConfigError } from '../../../system';
import { thrown } from '../../support/errors';

/** Devices with a timer channel whose counter the guest can read: a hidden count cannot disagree with the status. */
const racing = DEVICE_TYPES.filter((t) => t.channels.some((c) => c.kind === 'timer' && c.counter !== undefined)).map((t) => t.type);

describe('raceExperiment', () => {
  it('covers every catalogue device with a timer channel', () => {
    // all but the watchdog channels (the CMSDK watchdog, its Luminary variant, the i.MX2 WDOG, the Allwinner sun4i and sun6i
    // ones, the AXI DMA's delay timers), the ZynqMP CAN timestamp counter and the DIGIC timer (no interrupt), the CSU DMA
    // timeout and the eTSEC poll timer (no count shown)
    const unraced = [
      'cmsdk-apb-watchdog',
      'luminary-watchdog',
      'imx2-wdt',
      'allwinner-sun4i-wdt',
      'allwinner-sun6i-wdt',
      'xlnx-zynqmp-can',
      'xilinx-axi-dma',
      'xlnx-csu-dma',
      'digic-timer',
      'fsl-etsec-timer',
    ];
    expect(racing).toEqual(DEVICE_TYPES.map((t) => t.type).filter((t) => !unraced.includes(t)));
    expect(racing).toContain('integrator-pit');
    expect(racing).toContain('mss-timer');
    expect(racing).toContain('imx-gpt');
    expect(racing).toContain('lan9118-gpt');
    expect(racing).toContain('armv7m-systick');
    // its system counter: limit reached (bit 31) and the count in bits 30:9 of one register (#17)
    expect(racing).toContain('slavio-timer');
    // TCNT against TCR.UNF at each underflow of channel 0 (#17)
    expect(racing).toContain('sh-tmu');
    // the global counter's comparator 0 (G_CNT_L against G_INT_CSTAT.COMP0), the first timer channel (#17)
    expect(racing).toContain('exynos4210-mct');
    // each timer's VALUE against its PIC latch (#17)
    expect(racing).toContain('mv88w8618-pit');
    // r_tmrN_data against r_intr (#17)
    expect(racing).toContain('etraxfs-timer');
    // the Exynos4210 PWM timers (timer 0 raced) and the RTC's tick counter (#17)
    expect(racing).toContain('exynos4210-pwm');
    expect(racing).toContain('exynos4210-rtc');
    // its 16-bit timestamp counter's wrap, TSR against ISR.TSCNT_OFLW, every 2^16 cycles (#16)
    expect(racing).toContain('xlnx-versal-canfd');
    expect(racing).not.toContain('xlnx-zynqmp-can');
    // the GPTIMER's timer 1: TCNTVAL1 reloaded at the underflow, TCTRL1.IP still clear under the bottom half (#17)
    expect(racing).toContain('grlib-gptimer');
    // the ColdFire timers (#17): the MCF5206's TCN against TER.REF, the MCF5208 PIT's PCNTR against PCSR.PIF
    expect(racing).toContain('mcf5206-timer');
    expect(racing).toContain('mcf5208-pit');
    expect(racing).not.toContain('digic-timer');
  });

  it('races the Versal CAN-FD timestamp counter at its one period, 2^16 cycles of can_clk (#16)', () => {
    const r = raceExperiment({ device: 'xlnx-versal-canfd', delivery: 'bottom-half', expiries: 2, sampleProbes: false });
    expect(r.expiryTimes).toEqual([1, 2].map((k) => k * 65_536 * 40));
    // The stale read: the counter wrapped to 0 with TSCNT_OFLW still clear.
    expect(r.inconsistent.map((o) => [o.where, o.counter, o.pending])).toEqual([
      ['E+0 after', 0, false],
      ['E+0 after', 0, false],
    ]);
    expect(thrown(() => raceExperiment({ device: 'xlnx-versal-canfd', delivery: 'sync', ticks: 1_000 }))).toBeInstanceOf(SystemConfigError);
    expect(racing).not.toContain('imx2-wdt');
  });

  describe.each(racing)('%s', (device) => {
    it('bottom-half delivery: the read queued right after each expiry sees the counter change and a stale status', () => {
      const r = raceExperiment({ device, delivery: 'bottom-half', expiries: 4, sampleProbes: false });
      expect(r.expiryTimes).toHaveLength(4);
      expect(r.inconsistent.map((o) => o.where)).toEqual(['E+0 after', 'E+0 after', 'E+0 after', 'E+0 after']);
      expect(r.inconsistent.map((o) => o.time)).toEqual(r.expiryTimes);
      expect(r.inconsistent.every((o) => !o.pending)).toBe(true);
      expect(r.violations).toHaveLength(4);
    });

    it('G1: synchronous delivery: no read sees the counter and the status disagree', () => {
      const r = raceExperiment({ device, delivery: 'sync', expiries: 4, sampleProbes: false });
      expect(r.observations.length).toBeGreaterThanOrEqual(4 * 9);
      expect(r.inconsistent).toEqual([]);
      // both placements at the instant were exercised: before (status clear) and after (status set)
      expect(r.observations.filter((o) => o.where === 'E+0 before').every((o) => !o.pending)).toBe(true);
      expect(r.observations.filter((o) => o.where === 'E+0 after').every((o) => o.pending)).toBe(true);
    });
  });

  it('is deterministic: the same options give the same trace digest', () => {
    const a = raceExperiment({ delivery: 'bottom-half', expiries: 3 });
    const b = raceExperiment({ delivery: 'bottom-half', expiries: 3 });
    expect(a.system.digest()).toBe(b.system.digest());
    expect(a.samples.length).toBeGreaterThan(0);
  });

  it.each<[{ device?: string; channel?: string; expiries?: number; ticks?: number; window?: number }, RegExp]>([
    [{ device: 'nope' }, /"nope"/],
    [{ device: 'cmsdk-apb-watchdog' }, /has no timer channel/],
    [{ device: 'luminary-watchdog' }, /has no timer channel/],
    [{ device: 'xlnx-zynqmp-can' }, /"xlnx-zynqmp-can" is invalid: has no timer channel with a counter the guest can read to race \(.*a counter with no interrupt has no status/],
    [{ device: 'imx2-wdt' }, /has no timer channel/],
    [{ device: 'allwinner-sun4i-wdt' }, /has no timer channel/],
    [{ device: 'allwinner-sun6i-wdt' }, /has no timer channel/],
    [{ device: 'xilinx-axi-dma' }, /has no timer channel/],
    [{ device: 'xlnx-csu-dma' }, /has no timer channel with a counter the guest can read/],
    [{ device: 'digic-timer' }, /"digic-timer" is invalid: has no timer channel with a counter the guest can read to race \(.*a counter with no interrupt has no status/],
    [{ device: 'fsl-etsec-timer' }, /has no timer channel with a counter the guest can read/],
    [{ device: 'xlnx-csu-dma', channel: 'src' }, /"src" is invalid: is not a timer channel of xlnx-csu-dma; channels: $/],
    [{ device: 'sp804', channel: 'timer9' }, /"timer9" is invalid: is not a timer channel of sp804; channels: timer1, timer2/],
    [{ expiries: 0 }, /raceExperiment\(expiries\): 0 is invalid/],
    [{ ticks: 3 }, /raceExperiment\(ticks\): 3 is invalid/],
    [{ window: 10 ** 9 }, /raceExperiment\(window\)/],
  ])('rejects %j with a typed error', (options, message) => {
    const error = thrown(() => raceExperiment({ delivery: 'sync', ...options }));
    expect((error as Error).message).toMatch(message);
    if (options.device !== 'nope') expect(error).toBeInstanceOf(SystemConfigError);
  });
});
