// The register sequences of Linux's sunxi_wdt driver (drivers/watchdog/sunxi_wdt.c; facts
// only, our own code), replayed on both layouts with the values the manuals imply.
// What the driver does, per its per-variant table: sun4i ctrl 0x00, cfg = mode 0x04, interval
// shift 3, reset mask/value 0x2/0x2 (WDOG_RST_EN); sun6i ctrl 0x10, cfg 0x14, mode 0x18,
// shift 4, reset mask/value 0x3/0x1 (WDOG_CONFIG 01). The sun4i offsets are relative to the
// watchdog's device-tree node at 0x90 of the A10 timer block; this model decodes the block, so
// they are 0x90/0x94 here (W1).
// - probe: stop (MODE = 0);
// - ping: CTRL = 0xA57 << 1 | 1;
// - set_timeout(s): s rounded up to a table entry (1-6, 8, 10, 12, 14, 16 s), MODE
//   read-modify-write of the interval field, then ping;
// - start: set_timeout(timeout), CFG read-modify-write (reset), MODE |= EN;
// - stop: MODE = 0;
// - restart handler: CFG read-modify-write, MODE: interval 0 (0.5 s) and EN, CTRL = kick,
//   then MODE |= EN again every 5 ms for ever.
// HOSC 24 MHz: the table's seconds exactly.
import { describe, expect, it } from 'vitest';
import { EN, HALF, KICK, makeRig, REGS, type Rig } from './rig';

const SECOND = 1_000_000_000;
/** The driver's map from seconds to WDOG_INTV_VALUE (gaps at 7, 9, 11, 13 and 15 s). */
const TIMEOUT_MAP: Readonly<Record<number, number>> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 8: 7, 10: 8, 12: 9, 14: 10, 16: 11 };

/** A Linux-like driver over a rig: each call is the driver's accesses, in its order. */
const linux = (rig: Rig) => {
  const { regs, r, w } = rig;
  const ping = (): void => w(regs.CTRL, KICK);
  const setTimeout = (seconds: number): number => {
    const s = TIMEOUT_MAP[seconds] === undefined ? seconds + 1 : seconds; // one step up fills every gap
    let mode = r(regs.MODE);
    mode &= ~(0xf << regs.INTV);
    mode |= TIMEOUT_MAP[s]! << regs.INTV;
    w(regs.MODE, mode >>> 0);
    ping();
    return s;
  };
  const setResetConfig = (): void => w(regs.CFG, ((r(regs.CFG) & ~regs.RESET_MASK) | regs.RESET_VAL) >>> 0);
  return {
    probe: (): void => w(regs.MODE, 0),
    ping,
    setTimeout,
    start: (seconds: number): number => {
      const s = setTimeout(seconds);
      setResetConfig();
      w(regs.MODE, (r(regs.MODE) | EN) >>> 0);
      return s;
    },
    stop: (): void => w(regs.MODE, 0),
    /** The restart handler up to its loop; `loop()` is one pass of the loop. */
    restart: (): void => {
      setResetConfig();
      w(regs.MODE, ((r(regs.MODE) & ~(0xf << regs.INTV)) | EN) >>> 0);
      ping();
    },
    loop: (): void => w(regs.MODE, (r(regs.MODE) | EN) >>> 0),
  };
};

describe.each(['sun4i', 'sun6i'] as const)('Linux sunxi_wdt on %s', (variant) => {
  const regs = REGS[variant];

  it('probe stops the watchdog; start(16) writes the interval, kicks (nothing runs yet), sets the reset, enables: a reset 16 s later', () => {
    const rig = makeRig(variant);
    const driver = linux(rig);
    driver.probe();
    rig.clock.advanceTo(1_000);
    expect(driver.start(16)).toBe(16);
    // The ping inside set_timeout came while WDOG_EN was 0: only the enable started the countdown (W3).
    expect(rig.r(regs.MODE) & EN).toBe(EN);
    rig.clock.advanceTo(1_000 + 16 * SECOND - 1);
    expect(rig.state()).toEqual([false, false, false]);
    rig.clock.advanceTo(1_000 + 16 * SECOND);
    expect(rig.state()).toEqual([true, false, true]); // the driver leaves the interrupt disabled
    expect(rig.events.filter((e) => e.kind !== 'expiry')).toEqual([]);
  });

  it('watchdogd pings every 10 s: a 16 s watchdog never times out', () => {
    const rig = makeRig(variant);
    const driver = linux(rig);
    driver.probe();
    driver.start(16);
    for (let k = 1; k <= 30; k++) {
      rig.clock.advanceTo(k * 10 * SECOND);
      driver.ping();
    }
    rig.clock.advanceTo(300 * SECOND + 16 * SECOND - 1);
    expect(rig.timeouts()).toEqual([]);
    rig.clock.advanceTo(300 * SECOND + 16 * SECOND);
    expect(rig.timeouts()).toEqual([316 * SECOND]);
  });

  it.each([
    [1, 1],
    [5, 5],
    [7, 8],
    [9, 10],
    [11, 12],
    [13, 14],
    [15, 16],
    [16, 16],
  ])('set_timeout(%i) while running rounds up to %i s: the next timeout is that long after its ping', (asked, seconds) => {
    const rig = makeRig(variant);
    const driver = linux(rig);
    driver.start(16);
    rig.clock.advanceTo(3 * SECOND);
    expect(driver.setTimeout(asked)).toBe(seconds);
    expect((rig.r(regs.MODE) >>> regs.INTV) & 0xf).toBe(TIMEOUT_MAP[seconds]);
    rig.clock.advanceTo(3 * SECOND + seconds * SECOND - 1);
    expect(rig.timeouts()).toEqual([]);
    rig.clock.advanceTo(3 * SECOND + seconds * SECOND);
    expect(rig.timeouts()).toEqual([3 * SECOND + seconds * SECOND]);
  });

  it('stop (MODE = 0) ends the countdown; a later start restarts it in full', () => {
    const rig = makeRig(variant);
    const driver = linux(rig);
    driver.start(2);
    rig.clock.advanceTo(1_900_000_000);
    driver.stop();
    rig.clock.advanceTo(60 * SECOND);
    expect(rig.timeouts()).toEqual([]);
    expect(rig.r(regs.MODE)).toBe(0);
    driver.start(2);
    rig.clock.advanceTo(62 * SECOND);
    expect(rig.timeouts()).toEqual([62 * SECOND]);
  });

  it('the restart handler resets the system 0.5 s after its kick; its MODE writes every 5 ms restart nothing (W3)', () => {
    const rig = makeRig(variant);
    const driver = linux(rig);
    driver.start(16); // running with 16 s: the handler's MODE write keeps WDOG_EN, so only its kick restarts
    rig.clock.advanceTo(7 * SECOND);
    driver.restart();
    const kicked = rig.clock.now();
    for (let k = 1; k <= 150; k++) {
      rig.clock.advanceTo(kicked + k * 5_000_000);
      driver.loop();
    }
    expect(rig.timeouts()).toEqual([kicked + HALF]);
    expect(rig.device.resetRequest.level).toBe(true);
    expect(rig.events.filter((e) => e.kind !== 'expiry')).toEqual([]);
  });

  it('the restart handler from a stopped watchdog: its MODE write enables (restart), its kick restarts again: 0.5 s after the kick', () => {
    const rig = makeRig(variant);
    const driver = linux(rig);
    driver.probe();
    rig.clock.advanceTo(SECOND);
    driver.restart();
    rig.clock.advanceTo(SECOND + HALF);
    expect(rig.timeouts()).toEqual([SECOND + HALF]);
    expect(rig.device.resetRequest.level).toBe(true);
  });
});
