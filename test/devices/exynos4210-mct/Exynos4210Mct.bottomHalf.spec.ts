// The MCT between an expiry and its legacy bottom half (which plans the next countdown): a state a plain
// restore refuses (the bottom half is not device state) and a restore the bottom halves follow takes.
import { describe, expect, it } from 'vitest';
import { bottomHalvesPutBack, RegisterSnapshotError, withBottomHalvesPutBack } from '../../../index';
import { COMP_ENABLE, G_COMP_L, G_INT_CSTAT, G_INT_ENB, G_TCON, ICNT, INT_ENB, INT_START, INTERVAL_MODE, L, ICNTB, MANUAL_UPDATE, makeRig, TCNTB, TCON, TICK, TIMER_ENABLE, TIMER_START, type Rig } from './rig';
import { thrown } from '../../support/errors';

/** Runs the rig's clock to `until` and stops it right after its first expiry (its bottom half queued, not run). */
const cutAfterExpiry = (rig: Rig, until: number): number => {
  let at = -1;
  const stop = rig.clock.observe({
    after: (tag, time) => {
      if (tag.kind === 'expiry') {
        at = time;
        throw new Error('cut');
      }
    },
  });
  expect(() => rig.clock.advanceTo(until)).toThrow('cut');
  stop();
  return at;
};

/** What `load` refused with: a RegisterSnapshotError (the test fails on anything else). */
const refusal = (load: () => void): RegisterSnapshotError => {
  const error = thrown(load);
  expect(error).toBeInstanceOf(RegisterSnapshotError);
  return error as RegisterSnapshotError;
};

describe('Exynos4210Mct between an expiry and its bottom half', () => {
  const cases: readonly { readonly name: string; readonly field: string; readonly start: (rig: Rig) => void; readonly status: (rig: Rig) => number }[] = [
    {
      name: 'global comparator 0',
      field: 'global.timer.delta',
      start: (rig) => {
        rig.w(G_COMP_L(0), 100);
        rig.w(G_INT_ENB, 1);
        rig.w(G_TCON, TIMER_ENABLE | COMP_ENABLE(0));
      },
      status: (rig) => rig.r(G_INT_CSTAT) & 1,
    },
    {
      name: 'local tick 0',
      field: 'locals[0].tick.delta',
      start: (rig) => {
        rig.w(L(0, TCNTB), 10);
        rig.w(L(0, ICNTB), MANUAL_UPDATE | 3);
        rig.w(L(0, INT_ENB), ICNT);
        rig.w(L(0, TCON), TIMER_START | INT_START | INTERVAL_MODE);
      },
      status: (rig) => rig.r(L(0, 0x30)) & ICNT,
    },
  ];

  for (const c of cases) {
    it(`${c.name}: a plain restore refuses the state at ${c.field}; inside withBottomHalvesPutBack it is taken, and the bottom half then runs as it would have`, () => {
      const twin = makeRig({ delivery: 'bottom-half' });
      const rig = makeRig({ delivery: 'bottom-half' });
      for (const r of [twin, rig]) c.start(r);
      const at = cutAfterExpiry(twin, 1_000_000);
      expect(cutAfterExpiry(rig, 1_000_000)).toBe(at);
      expect(c.status(rig)).toBe(0); // the bottom half sets it
      const taken = rig.device.snapshot();
      const error = refusal(() => rig.device.restore(taken));
      expect(error.field).toBe(c.field);
      expect(error.message).toMatch(/waits for its bottom half/);
      expect(rig.device.snapshot()).toEqual(taken); // refused: nothing changed
      withBottomHalvesPutBack(() => rig.device.restore(taken));
      expect(bottomHalvesPutBack()).toBe(false);
      expect(rig.device.snapshot()).toEqual(taken);
      // The bottom halves are still queued (a restore into itself): both run on alike.
      for (const r of [twin, rig]) r.clock.advanceTo(at + 50 * TICK);
      expect(c.status(rig)).toBe(1);
      expect(rig.device.snapshot()).toEqual(twin.device.snapshot());
    });
  }
});
