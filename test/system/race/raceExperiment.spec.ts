import { describe, expect, it } from 'vitest';
import { counterHiddenOf, DEVICE_TYPES, raceExperiment, SystemConfigError } from '../../../system';
import { thrown } from '../../support/errors';

/** Devices with a timer channel whose counter the guest can read: a hidden count cannot disagree with the status. */
const racing = DEVICE_TYPES.filter((t) => t.channels.some((c) => c.kind === 'timer' && !counterHiddenOf(c))).map((t) => t.type);

describe('raceExperiment', () => {
  it('covers every catalogue device with a timer channel', () => {
    expect(racing).toHaveLength(11); // all but the CMSDK watchdog and its Luminary variant, the AXI DMA (watchdog channels) and the CSU DMA (hidden count)
    expect(racing).toContain('integrator-pit');
    expect(racing).toContain('armv7m-systick');
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
    [{ device: 'xilinx-axi-dma' }, /has no timer channel/],
    [{ device: 'xlnx-csu-dma' }, /has no timer channel with a counter the guest can read/],
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
