// The TI Stellaris (Luminary Micro) LM3S variant of the watchdog (#16): its map (WDOGTEST, no
// integration test registers, the Luminary IDs), WDOGCONTROL frozen once INTEN is set (L1, L2),
// snapshots carrying the variant (L5). WDOGCLK is the LM3S reset system clock, 12.5 MHz (80 ns).
import { describe, expect, it } from 'vitest';
import { CmsdkApbWatchdog, LUMINARY_WATCHDOG_REGISTERS } from '../../../devices/cmsdk-apb-watchdog';
import { ClockInput, DeviceConfigError, RegisterSnapshotError, VirtualClock, type IrqSignal } from '../../../index';
import { continuationDigests, type ScriptStep } from '../../support/deviceHarness';
import { guestRead, guestWrite } from '../../../index';
import {
  INTEN,
  makeRig,
  RESEN,
  UNLOCK,
  WDOGCONTROL,
  WDOGINTCLR,
  WDOGITCR,
  WDOGITOP,
  WDOGLOAD,
  WDOGLOCK,
  WDOGMIS,
  WDOGRIS,
  WDOGTEST,
  WDOGVALUE,
  type Rig,
} from './rig';

const HZ = 12_500_000;
const TICK = 80;
const STALL = 1 << 8;

const luminary = (clock?: VirtualClock): Rig => makeRig({ hz: HZ, variant: 'luminary', ...(clock === undefined ? {} : { clock }) });

describe('CmsdkApbWatchdog, Luminary variant', () => {
  describe('the map', () => {
    it('reads the Luminary peripheral and PrimeCell IDs, not the CMSDK ones', () => {
      const { r } = luminary();
      const ids = [0xfd0, 0xfd4, 0xfd8, 0xfdc, 0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc].map(r);
      expect(ids).toEqual([0x00, 0x00, 0x00, 0x00, 0x05, 0x18, 0x18, 0x01, 0x0d, 0xf0, 0x05, 0xb1]);
      expect(makeRig().r(0xfe0)).toBe(0x24); // the default is still the CMSDK block
    });

    it('is the variant map, the default the CMSDK map; the name follows the variant', () => {
      const { device } = luminary();
      expect(device.variant).toBe('luminary');
      expect(device.name).toBe('luminary-watchdog');
      expect(device.registers.map((x) => x.name)).toEqual(LUMINARY_WATCHDOG_REGISTERS.registers.map((x) => x.name));
      expect(device.registers.map((x) => x.name)).toContain('WDOGTEST');
      expect(device.registers.map((x) => x.name)).not.toContain('WDOGITCR');
      expect(makeRig().device.variant).toBe('cmsdk');
    });

    it('refuses an unknown variant, naming the option', () => {
      expect(() => new CmsdkApbWatchdog(new VirtualClock(), { wdogclk: new ClockInput('w', HZ), variant: 'sp805' as never })).toThrow(DeviceConfigError);
      expect(() => new CmsdkApbWatchdog(new VirtualClock(), { wdogclk: new ClockInput('w', HZ), variant: 'sp805' as never })).toThrow('options.variant');
    });

    it('WDOGTEST stores STALL and reads it back; setting it is an unimplemented event; the counter does not stall', () => {
      const rig = luminary();
      rig.w(WDOGLOAD, 100);
      rig.w(WDOGCONTROL, INTEN);
      rig.w(WDOGTEST, 0xffff_ffff); // reserved bits read 0
      expect(rig.r(WDOGTEST)).toBe(STALL);
      expect(rig.events).toEqual([expect.objectContaining({ kind: 'unimplemented', offset: WDOGTEST, feature: 'WDOGTEST.STALL' })]);
      rig.clock.advanceTo(10 * TICK + 1);
      expect(rig.r(WDOGVALUE)).toBe(90);
      rig.w(WDOGTEST, 0);
      expect([rig.r(WDOGTEST), rig.events.length]).toEqual([0, 1]);
    });

    it('0xF00 and 0xF04 (CMSDK integration test registers) are unmapped guest errors', () => {
      const rig = luminary();
      rig.w(WDOGITCR, 1);
      rig.w(WDOGITOP, 3);
      expect(rig.r(WDOGITCR)).toBe(0);
      expect(rig.events.map((e) => (e.kind === 'guest-error' ? [e.offset, e.reason] : e.kind))).toEqual([
        [WDOGITCR, 'unmapped'],
        [WDOGITOP, 'unmapped'],
        [WDOGITCR, 'unmapped'],
      ]);
      expect([rig.device.irq.level, rig.device.wdogres.level]).toEqual([false, false]);
    });
  });

  describe('L1: WDOGCONTROL is writable until INTEN is set', () => {
    it('before INTEN: RESEN alone is written and read back, INTEN then starts the counter from WDOGLOAD', () => {
      const rig = luminary();
      rig.w(WDOGLOAD, 50);
      rig.w(WDOGCONTROL, RESEN);
      expect(rig.r(WDOGCONTROL)).toBe(RESEN);
      rig.w(WDOGCONTROL, 0); // still writable: INTEN has never been set
      rig.w(WDOGCONTROL, RESEN);
      rig.w(WDOGCONTROL, RESEN | INTEN);
      expect([rig.r(WDOGCONTROL), rig.r(WDOGVALUE), rig.events]).toEqual([RESEN | INTEN, 50, []]);
    });

    it('L1 after INTEN: clearing it is a locked guest error, ignored; the counter runs on to the reset', () => {
      const rig = luminary();
      rig.w(WDOGLOAD, 50);
      rig.w(WDOGCONTROL, INTEN | RESEN);
      rig.clock.advanceTo(10 * TICK + 1);
      const before = JSON.stringify(rig.device.snapshot());
      rig.w(WDOGCONTROL, 0);
      expect(rig.events).toEqual([expect.objectContaining({ kind: 'guest-error', reason: 'locked', offset: WDOGCONTROL, source: 'luminary-watchdog' })]);
      expect(JSON.stringify(rig.device.snapshot())).toBe(before);
      expect([rig.r(WDOGCONTROL), rig.r(WDOGVALUE)]).toEqual([INTEN | RESEN, 40]);
      // first expiry at 50 ticks, reset at 50 + 51
      rig.clock.advanceTo(101 * TICK - 1);
      expect([rig.device.irq.level, rig.device.wdogres.level]).toEqual([true, false]);
      rig.clock.advanceTo(101 * TICK);
      expect(rig.device.wdogres.level).toBe(true);
    });

    it('L1 after INTEN: RESEN set too late is refused, so the second timeout requests a reset that WDOGRES never shows', () => {
      const rig = luminary();
      rig.w(WDOGLOAD, 50);
      rig.w(WDOGCONTROL, INTEN);
      rig.w(WDOGCONTROL, INTEN | RESEN);
      expect(rig.events).toEqual([expect.objectContaining({ kind: 'guest-error', reason: 'locked', offset: WDOGCONTROL })]);
      rig.clock.advanceTo(101 * TICK);
      const s = rig.device.snapshot();
      expect([s.resetRequest, rig.r(WDOGCONTROL), rig.device.wdogres.level]).toEqual([true, INTEN, false]);
    });

    it('L1 after INTEN: a write of the value it holds (a repeated read-modify-write enable) is ignored silently', () => {
      const rig = luminary();
      rig.w(WDOGLOAD, 50);
      rig.w(WDOGCONTROL, INTEN | RESEN);
      rig.clock.advanceTo(10 * TICK + 1);
      rig.w(WDOGCONTROL, rig.r(WDOGCONTROL) | INTEN);
      rig.w(WDOGCONTROL, rig.r(WDOGCONTROL) | RESEN);
      rig.w(WDOGCONTROL, INTEN | RESEN | 0xfc); // reserved bits are not part of the value
      expect(rig.events).toEqual([]);
      expect(rig.r(WDOGVALUE)).toBe(40); // no reload: the write changed nothing
    });

    it('L1: only reset() makes WDOGCONTROL writable again', () => {
      const rig = luminary();
      rig.w(WDOGCONTROL, INTEN);
      rig.device.reset();
      rig.w(WDOGCONTROL, RESEN);
      expect([rig.r(WDOGCONTROL), rig.events]).toEqual([RESEN, []]);
    });

    it('L1: the CMSDK default is unchanged: INTEN can be cleared again (A5)', () => {
      const rig = makeRig();
      rig.w(WDOGCONTROL, INTEN);
      rig.w(WDOGCONTROL, 0);
      expect([rig.r(WDOGCONTROL), rig.events]).toEqual([0, []]);
    });
  });

  describe('L2: the lock', () => {
    it('L2 a locked write is a locked guest error whatever it writes, WDOGTEST and WDOGCONTROL included (A8 first)', () => {
      const rig = luminary();
      rig.w(WDOGCONTROL, INTEN);
      rig.w(WDOGLOCK, 1);
      rig.w(WDOGCONTROL, INTEN); // the value it holds, but locked
      rig.w(WDOGTEST, STALL);
      rig.w(WDOGINTCLR, 1);
      expect(rig.events.map((e) => (e.kind === 'guest-error' ? [e.offset, e.reason] : e.kind))).toEqual([
        [WDOGCONTROL, 'locked'],
        [WDOGTEST, 'locked'],
        [WDOGINTCLR, 'locked'],
      ]);
      expect([rig.r(WDOGLOCK), rig.r(WDOGTEST)]).toEqual([1, 0]);
      rig.w(WDOGLOCK, UNLOCK);
      expect(rig.r(WDOGLOCK)).toBe(0);
    });
  });

  describe('L5: snapshots carry the variant', () => {
    it('L5 a snapshot names its variant; the other variant refuses it at `variant` and changes nothing', () => {
      const lum = luminary();
      lum.w(WDOGLOAD, 50);
      lum.w(WDOGCONTROL, INTEN);
      const cmsdk = makeRig({ hz: HZ });
      const lumSnap = JSON.parse(JSON.stringify(lum.device.snapshot())) as Record<string, unknown>;
      const cmsdkSnap = JSON.parse(JSON.stringify(cmsdk.device.snapshot())) as Record<string, unknown>;
      expect([lumSnap.variant, cmsdkSnap.variant]).toEqual(['luminary', 'cmsdk']);
      // Same name, so only the variant differs.
      const other = new CmsdkApbWatchdog(new VirtualClock(), { wdogclk: new ClockInput('w', HZ), name: 'luminary-watchdog' });
      const before = JSON.stringify(other.snapshot());
      expect(() => other.restore(lumSnap)).toThrow(RegisterSnapshotError);
      expect(() => other.restore(lumSnap)).toThrow("snapshot field 'variant'");
      expect(JSON.stringify(other.snapshot())).toBe(before);
      const lum2 = new CmsdkApbWatchdog(new VirtualClock(), { wdogclk: new ClockInput('w', HZ), variant: 'luminary', name: 'cmsdk-apb-watchdog' });
      expect(() => lum2.restore(cmsdkSnap)).toThrow("snapshot field 'variant'");
    });

    it('L5 refuses a Luminary snapshot without its variant, and a WDOGTEST reserved bit', () => {
      const lum = luminary();
      const snap = (): Record<string, unknown> => JSON.parse(JSON.stringify(lum.device.snapshot())) as Record<string, unknown>;
      const noVariant = snap();
      delete noVariant.variant;
      expect(() => luminary().device.restore(noVariant)).toThrow("snapshot field 'variant'");
      const reserved = snap();
      (reserved.registers as { registers: Record<string, number> }).registers.WDOGTEST = 1;
      expect(() => luminary().device.restore(reserved)).toThrow('WDOGTEST');
    });

    it('L5 restores a frozen WDOGCONTROL and the stall bit, and continues with an equal digest', () => {
      const make = (clock: VirtualClock): { device: CmsdkApbWatchdog; irq: IrqSignal } => {
        const device = new CmsdkApbWatchdog(clock, { wdogclk: new ClockInput('wdogclk', HZ), variant: 'luminary' });
        return { device, irq: device.irq };
      };
      const script: ScriptStep[] = [
        { at: 0, access: guestWrite(WDOGLOAD, 20) },
        { at: 0, access: guestWrite(WDOGTEST, STALL) },
        { at: 0, access: guestWrite(WDOGCONTROL, INTEN | RESEN) },
        { at: 0, access: guestWrite(WDOGLOCK, 1) },
        { at: 25 * TICK, access: guestRead(WDOGRIS) },
        { at: 26 * TICK, access: guestWrite(WDOGLOCK, UNLOCK) },
        { at: 26 * TICK, access: guestWrite(WDOGCONTROL, 0) }, // frozen: refused after the restore too
        { at: 27 * TICK, access: guestWrite(WDOGINTCLR, 1) },
        { at: 30 * TICK, access: guestRead(WDOGVALUE) },
        { at: 30 * TICK, access: guestRead(WDOGMIS) },
        { at: 30 * TICK, access: guestRead(WDOGTEST) },
      ];
      for (const snapshotAt of [5 * TICK + 3, 22 * TICK, 26 * TICK + 1]) {
        const { original, restored } = continuationDigests(make, script, snapshotAt, 120 * TICK);
        expect(restored).toBe(original);
      }
    });
  });
});
