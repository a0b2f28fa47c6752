// The catalogue checks (test/support/deviceHarness.ts) on the i.MX2+ WDOG: the G1 read sweep
// around the pre-timeout point (X12), snapshot continuation, and random accesses with ckil
// changes. The WDOG has no counter register, so the sweep's "counter" is the `pretimeout`
// probe (the cycles left to the pre-timeout point: 1 in its last cycle, 0 once it fired).
import { describe, expect, it } from 'vitest';
import { Imx2Wdt } from '../../../devices/imx2-wdt';
import { ClockInput, guestRead, guestWrite, VirtualClock, type TriggerDelivery } from '../../../index';
import { continuationDigests, fuzzDevice, sweepRace, type RaceProbe, type ScriptStep } from '../../support/deviceHarness';
import { CKIL_HZ, SRS, STEP, WCR, WDA, WDE, WDT, WICR, WIE, WMCR, WRSR, WSR, wt, WTIS } from './rig';

const SPAN = 3;

const device = (clock: VirtualClock, delivery: TriggerDelivery, ckil = new ClockInput('ckil', CKIL_HZ)): Imx2Wdt => new Imx2Wdt(clock, { ckil, delivery });

/** WT 1 with WICT 1: the pre-timeout point one step (0.5 s) after the enable. */
const preTimeout = (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
  const d = device(clock, delivery);
  const pretimeout = d.probes.find((p) => p.name === 'pretimeout')!;
  return {
    expiry: STEP,
    start: () => {
      d.write(WMCR, 2, 0);
      d.write(WICR, 2, WIE | 1);
      d.write(WCR, 2, wt(1) | WDA | SRS | WDE);
    },
    // the pre-timeout counter (a probe: no register shows it), then WICR.WTIS
    readPair: () => [Number(pretimeout.read()), (d.read(WICR, 2) & WTIS) !== 0],
    showsExpiry: (counter) => counter === 0,
  };
};

describe('Imx2Wdt against the catalogue checks', () => {
  it('X12 G1: synchronous delivery: no read sees the pre-timeout counter and WTIS disagree', () => {
    const r = sweepRace(preTimeout, 'sync', SPAN);
    expect(r.reads).toBe(2 * (2 * SPAN + 1));
    expect(r.where).toEqual([]);
  });

  it('X12: legacy bottom half: the read queued right after the expiry sees the counter at 0 and WTIS still clear', () => {
    expect(sweepRace(preTimeout, 'bottom-half', SPAN).where).toEqual(['E+0 after']);
  });

  describe('a snapshot mid-run continues in a fresh system with the same digest', () => {
    // A Linux-like run: probe (WRSR, WMCR = 0), set_pretimeout(1 s), start(3 s) and pings, the
    // ISR, a set_timeout with its ping, WDA pulsed, bad accesses, then no more pings: the
    // pre-timeout interrupt and the timeout.
    const S = STEP;
    const script: ScriptStep[] = [
      { at: 0, access: guestRead(WRSR, 2) },
      { at: 0, access: guestWrite(WMCR, 0, 2) },
      { at: 0, access: guestWrite(WICR, WIE | 2, 2) },
      { at: 0, access: guestWrite(WCR, wt(5) | WDA | SRS | 1, 2) },
      { at: 0, access: guestWrite(WCR, wt(5) | WDA | SRS | 1 | WDE, 2) },
      ...[1, 2, 3, 4].flatMap((k) => [
        { at: k * 3 * S, access: guestWrite(WSR, 0x5555, 2) },
        { at: k * 3 * S + 1_000, access: guestWrite(WSR, 0xaaaa, 2) },
      ]),
      { at: 16 * S, access: guestRead(WICR, 2) },
      { at: 16 * S + 10, access: guestWrite(WICR, WIE | WTIS | 2, 2) },
      { at: 17 * S, access: guestWrite(WCR, wt(7) | WDA | SRS | WDE, 2) },
      { at: 17 * S, access: guestWrite(WSR, 0x5555, 2) },
      { at: 17 * S + 7, access: guestWrite(WSR, 0xaaaa, 2) },
      { at: 18 * S, access: guestWrite(WCR, wt(7) | SRS | WDE, 2) },
      { at: 18 * S + 5, access: guestWrite(WCR, wt(7) | WDA | SRS | WDE | WDT, 2) },
      { at: 19 * S, access: guestRead(0x0a, 2) },
      { at: 19 * S, access: guestWrite(WRSR, 0, 2) },
      { at: 19 * S, access: guestRead(WCR, 4) },
    ];
    const make = (clock: VirtualClock) => {
      const d = device(clock, 'sync');
      return { device: d, irq: d.irq };
    };
    it.each([
      ['before anything runs', 0],
      ['between the service writes', 3 * S + 500],
      ['mid-countdown', 7 * S + 123],
      ['at the pre-timeout point (after it), pending', 16 * S],
      ['after the new WT, before its ping', 17 * S + 3],
      ['with WDOG_B asserted by WDA', 18 * S + 2],
      ['timed out', 40 * S],
    ])('%s (%i ns)', (_name, at) => {
      const { original, restored } = continuationDigests(make, script, at, 60 * S);
      expect(restored).toBe(original);
    });
  });

  it('random accesses, instants and ckil changes: nothing throws, wdog_int equals WTIS && WIE, runs are deterministic', () => {
    fuzzDevice(
      (clock) => {
        const ckil = new ClockInput('ckil', CKIL_HZ);
        const d = device(clock, 'sync', ckil);
        return {
          device: d,
          irq: d.irq,
          clocks: [ckil],
          irqFromRegisters: () => {
            const wicr = d.snapshot().registers.registers.WICR!;
            return (wicr & WTIS) !== 0 && (wicr & WIE) !== 0;
          },
        };
      },
      {
        offsets: [WCR, WSR, WRSR, WICR, WMCR],
        region: 0x40,
        maxAdvance: 3 * STEP,
        sizes: [2, 2, 2, 1, 4],
        values: [0x5555, 0xaaaa, WIE | 1, WIE | 4, WIE | WTIS | 1, 0x0134, 0x0034, 0x0104, 0x0024, 0x0014, 0, 0xffff],
        hzChoices: [0, 32_768, 32_000, 65_536, 1_000_000],
        runs: 200,
      },
    );
  });
});
