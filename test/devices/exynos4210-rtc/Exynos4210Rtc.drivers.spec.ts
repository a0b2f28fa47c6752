// The tick sequences of Linux's drivers/rtc/rtc-s3c.c with its `s3c6410` data (what the
// Exynos4210 device tree selects, "samsung,s3c6410-rtc"), in the kernels that still offered the
// RTC's periodic interrupt (through 4.x; current kernels no longer use the tick), written from
// what the driver does (which registers, in which order, with which sizes and values), not from
// its code:
// - probe: RTCCON read as a halfword, CTLEN set if it was clear, CNTSEL and CLKRST cleared if set
//   (halfword read-modify-writes); the time read back as bytes (BCDMIN … BCDSEC); then the
//   periodic rate set to 1 Hz: TICCNT = 32 768 / 1 - 1, a word write;
// - the periodic interrupt on / off: RTCCON read-modify-written as a halfword, TICEN set / cleared;
// - a rate change: TICCNT = 32 768 / freq - 1 (freq a power of 2);
// - the tick handler: INTP written 1 (TIC) as a byte;
// - suspend: RTCCON & TICEN and TICCNT saved, then RTCCON with TICEN and CTLEN cleared; resume:
//   CTLEN set again, TICCNT written back, TICEN set again if it was.
// The crystal runs at 32 768 Hz (30 517.578125 ns a tick).
import { describe, expect, it } from 'vitest';
import { guestWrite, runDriver, waitForIrq, type AccessResult } from '../../../index';
import { CLKRST, CNTSEL, CTLEN, CURTICCNT, INTP, makeRig, RTCCON, TIC, tick, TICCNT, TICEN, type Rig } from './rig';

const T0 = 5_000_000; // the probe runs 5 ms after boot
const MAX_USER_FREQ = 32_768;
const BCD = [0x74, 0x78, 0x7c, 0x84, 0x88, 0x70]; // BCDMIN, BCDHOUR, BCDDAY, BCDMON, BCDYEAR, BCDSEC: the driver's read order

const rtccon = (rig: Rig): number => rig.r(RTCCON, 2);
const setRtccon = (rig: Rig, value: number): void => rig.w(RTCCON, value, 2);

/** The probe, up to the 1 Hz default rate. */
const probe = (rig: Rig): void => {
  rig.clock.advanceTo(T0);
  if ((rtccon(rig) & CTLEN) === 0) setRtccon(rig, rtccon(rig) | CTLEN);
  if ((rtccon(rig) & CNTSEL) !== 0) setRtccon(rig, rtccon(rig) & ~CNTSEL);
  if ((rtccon(rig) & CLKRST) !== 0) setRtccon(rig, rtccon(rig) & ~CLKRST);
  for (const offset of BCD) rig.r(offset, 1);
  rig.w(TICCNT, MAX_USER_FREQ / 1 - 1);
};
const setPie = (rig: Rig, on: boolean): void => setRtccon(rig, on ? rtccon(rig) | TICEN : rtccon(rig) & ~TICEN);
const setFreq = (rig: Rig, freq: number): void => rig.w(TICCNT, MAX_USER_FREQ / freq - 1);

/** The tick handler: INTP.TIC written 1 as a byte, at each interrupt. */
const handler = (rig: Rig, count: number): AccessResult[] => {
  const results: AccessResult[] = [];
  runDriver(
    function* () {
      for (let k = 0; k < count; k++) {
        yield waitForIrq(rig.device.tick);
        yield guestWrite(INTP, TIC, 1);
      }
    },
    { device: rig.device, scheduler: rig.clock },
  ).subscribe((r) => results.push(r));
  return results;
};

describe('Linux rtc-s3c (s3c6410 data) on the Exynos4210', () => {
  it('probe: CTLEN set by a halfword read-modify-write; the calendar reads are unimplemented events reading 0; TICCNT 32 767 (1 Hz); no tick yet', () => {
    const rig = makeRig();
    probe(rig);
    expect([rig.r(RTCCON), rig.r(TICCNT), rig.r(CURTICCNT)]).toEqual([CTLEN, 32_767, 0]);
    expect(rig.events.map((e) => (e.kind === 'unimplemented' ? e.feature.split(' ')[0] : e.kind))).toEqual(['BCDMIN', 'BCDHOUR', 'BCDDAY', 'BCDMON', 'BCDYEAR', 'BCDSEC']);
    rig.clock.advanceTo(T0 + 3_000_000_000);
    expect(rig.expiries()).toEqual([]);
  });

  it('periodic interrupt at the default 1 Hz: TICEN set, the first tick 32 767 ticks later, then one a second; the handler clears each', () => {
    const rig = makeRig();
    probe(rig);
    setPie(rig, true);
    const results = handler(rig, 4);
    rig.clock.advanceTo(T0 + 4_000_000_000);
    expect(results.map((r) => r.time)).toEqual([0, 1, 2, 3].map((k) => T0 + tick(32_767) + k * 1_000_000_000));
    expect(results.every((r) => r.error === undefined)).toBe(true);
    expect([rig.r(INTP), rig.device.tick.level]).toEqual([0, false]);
  });

  it('a rate change to 1024 Hz while the tick runs: TICCNT 31, taken at the next reload; then a tick every 32 crystal cycles (976.5625 µs)', () => {
    const rig = makeRig();
    probe(rig);
    setPie(rig, true);
    const results = handler(rig, 6);
    rig.clock.advanceTo(T0 + 500_000_000);
    setFreq(rig, 1_024);
    expect(rig.r(TICCNT)).toBe(31);
    rig.clock.advanceTo(T0 + 1_010_000_000);
    const first = T0 + tick(32_767);
    expect(results.map((r) => r.time)).toEqual([first, ...[1, 2, 3, 4, 5].map((k) => first + tick(32 * k))]);
  });

  it('the periodic interrupt off: TICEN cleared holds the count, nothing more; on again: the count restarts from TICCNT', () => {
    const rig = makeRig();
    probe(rig);
    setFreq(rig, 256); // TICCNT 127
    setPie(rig, true);
    const results = handler(rig, 10);
    rig.clock.advanceTo(T0 + tick(127 + 50) + 1);
    setPie(rig, false);
    expect(rig.r(CURTICCNT)).toBe(127 - (50 - 1)); // 0 at tick 127, 127 again at 128, then 49 decrements
    rig.clock.advanceTo(T0 + 100_000_000);
    expect(results.map((r) => r.time)).toEqual([T0 + tick(127)]);
    setPie(rig, true);
    expect(rig.r(CURTICCNT)).toBe(127);
    rig.clock.advanceTo(T0 + 100_000_000 + tick(127));
    expect(results.map((r) => r.time)).toEqual([T0 + tick(127), T0 + 100_000_000 + tick(127)]);
  });

  it('suspend and resume: TICEN and TICCNT saved, TICEN and CTLEN cleared (the tick holds); restored, the tick restarts from TICCNT', () => {
    const rig = makeRig();
    probe(rig);
    setFreq(rig, 64); // TICCNT 511
    setPie(rig, true);
    const results = handler(rig, 10);
    rig.clock.advanceTo(T0 + 20_000_000);
    // suspend
    const savedEnable = rtccon(rig) & TICEN;
    const savedCount = rig.r(TICCNT);
    setRtccon(rig, rtccon(rig) & ~TICEN & ~CTLEN);
    const held = rig.r(CURTICCNT);
    rig.clock.advanceTo(T0 + 5_000_000_000);
    expect([rig.r(CURTICCNT), rig.r(RTCCON)]).toEqual([held, 0]);
    // resume
    const resumed = rig.clock.now();
    if ((rtccon(rig) & CTLEN) === 0) setRtccon(rig, rtccon(rig) | CTLEN);
    rig.w(TICCNT, savedCount);
    if (savedEnable !== 0) setRtccon(rig, rtccon(rig) | savedEnable);
    expect([rig.r(RTCCON), rig.r(CURTICCNT)]).toEqual([CTLEN | TICEN, 511]);
    rig.clock.advanceTo(resumed + tick(511 + 512));
    expect(results.map((r) => r.time)).toEqual([T0 + tick(511), resumed + tick(511), resumed + tick(511 + 512)]);
  });
});
