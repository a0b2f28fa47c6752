// The register sequences the DIGIC timer's users issue, replayed on the model with what they
// must read. Written from what the drivers do (which registers, in which order, with which
// values: reference devices-2.md §17), not from their code:
// - barebox drivers/clocksource/digic.c: a 16-bit up-counting clocksource at 1 MHz read as
//   0xFFFF - VALUE; its set-up resets the timer, writes three words of unknown purpose and
//   RELVALUE 0xFFFF, and enables it.
// - Canon's DryOS system timer, as Magic Lantern's camera emulator logs it: RELVALUE, then
//   CONTROL = EN ("starting"), timed at (RELVALUE + 1) µs; CONTROL = 0 stops it.
import { describe, expect, it } from 'vitest';
import { CONTROL, EN, makeRig, RELVALUE, RST, TICK, UNKNOWN_04, UNKNOWN_10, UNKNOWN_14, VALUE, type Rig } from './rig';

const T0 = 3_000_000; // the drivers start 3 ms after boot

/** barebox's set-up, in its order. */
const bareboxInit = (rig: Rig): void => {
  rig.w(CONTROL, RST);
  rig.w(UNKNOWN_04, 2);
  rig.w(UNKNOWN_14, 3);
  rig.w(RELVALUE, 0xffff);
  rig.w(CONTROL, EN);
  rig.w(UNKNOWN_10, 1);
};

/** barebox's clocksource read: the count as a 16-bit up-counter. */
const cycles = (rig: Rig): number => 0xffff - rig.r(VALUE);

describe('barebox digic clocksource', () => {
  it('set-up: reset, the three unknown words (unimplemented events, no guest error), RELVALUE 0xFFFF, EN: the count starts at the EN write', () => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    bareboxInit(rig);
    expect(rig.events.filter((e) => e.kind === 'guest-error')).toEqual([]);
    expect(rig.events.filter((e) => e.kind === 'unimplemented').map((e) => e.kind === 'unimplemented' && [e.offset, e.feature])).toEqual([
      [UNKNOWN_04, 'UNKNOWN_04 (purpose unknown)'],
      [UNKNOWN_14, 'UNKNOWN_14 (purpose unknown)'],
      [UNKNOWN_10, 'UNKNOWN_10 (purpose unknown)'],
    ]);
    expect([rig.r(CONTROL), rig.r(RELVALUE), cycles(rig)]).toEqual([EN, 0xffff, 0]);
  });

  it('reads count 1 MHz cycles: 0, then one more each µs, 1000 after 1 ms', () => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    bareboxInit(rig);
    const read = (us: number): number => {
      rig.clock.advanceTo(T0 + us * TICK + 1);
      return cycles(rig);
    };
    expect([read(0), read(1), read(2), read(999), read(1_000)]).toEqual([0, 1, 2, 999, 1_000]);
  });

  it('the 16-bit clocksource wraps after 65 536 µs: its masked differences never go backwards', () => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    bareboxInit(rig);
    let last = cycles(rig);
    let total = 0;
    // Reads every 10 007 ns over 200 ms: three wraps.
    for (let t = T0; t < T0 + 200_000_000; t += 10_007) {
      rig.clock.advanceTo(t);
      const now = cycles(rig);
      const delta = (now - last) & 0xffff;
      expect(delta).toBeLessThanOrEqual(11);
      total += delta;
      last = now;
    }
    // 200 ms at 1 MHz, less the part of a step not yet counted at the last read.
    expect(Math.abs(total - 200_000)).toBeLessThanOrEqual(11);
  });
});

describe('Canon DryOS system timer (as Magic Lantern logs it)', () => {
  it('RELVALUE 9999, CONTROL = EN: the counter reaches 0 every 10 000 µs (RELVALUE + 1), the first 9999 µs after the start', () => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    rig.w(RELVALUE, 9_999);
    rig.w(CONTROL, EN);
    rig.w(UNKNOWN_10, 1);
    rig.clock.advanceTo(T0 + 50_000_000);
    expect(rig.expiries()).toEqual([0, 1, 2, 3, 4].map((k) => T0 + 9_999_000 + k * 10_000_000));
  });

  it('CONTROL = 0 stops it (the emulator: "stopped"); no more steps to 0', () => {
    const rig = makeRig();
    rig.w(RELVALUE, 999);
    rig.w(CONTROL, EN);
    rig.clock.advanceTo(2_500_000);
    rig.w(CONTROL, 0);
    rig.clock.advanceTo(20_000_000);
    expect(rig.expiries()).toEqual([999_000, 1_999_000]);
  });
});
