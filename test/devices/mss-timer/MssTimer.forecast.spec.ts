// The probes' forecasts (#15): a waveform draws, at every ns, the value a guest read returns
// then: TIM1_VAL and TIM2_VAL, and in 64-bit mode the 64-bit counter as TIM64_VAL_L (which
// latches the upper half) then TIM64_VAL_U read it, loaded just above 2^32 so that the upper
// half changes as it counts down. 100 MHz: a cycle is 10 ns.
import { describe, expect, it } from 'vitest';
import { expectForecastsHold, probeNamed } from '../../support/forecasts';
import { CTRL, ENABLE, INTEN, LOADVAL, makeRig, tim, TIM64_CTRL, TIM64_LOADVAL_L, TIM64_LOADVAL_U, TIM64_MODE, TIM64_VAL_L, TIM64_VAL_U, VAL } from './rig';

const RUN = INTEN | ENABLE;

describe('MssTimer probes: forecasts (#15)', () => {
  it('the two 32-bit timers equal TIMx_VAL at every ns, across reloads and a stop', () => {
    const rig = makeRig();
    rig.w(tim(1, LOADVAL), 9);
    rig.w(tim(1, CTRL), RUN);
    rig.w(tim(2, LOADVAL), 1_000);
    rig.w(tim(2, CTRL), RUN);
    const checks = [1, 2].map((n) => ({ probe: probeNamed(rig.device, `timer${n}.value`), truth: () => BigInt(rig.r(tim(n as 1 | 2, VAL))) }));
    let changes = expectForecastsHold(rig.clock, checks, 3_000);
    expect([changes['timer1.value']! > 200, changes['timer2.value']! > 200]).toEqual([true, true]);
    rig.w(tim(1, CTRL), 0);
    changes = expectForecastsHold(rig.clock, checks, 4_000);
    expect(changes['timer1.value']).toBe(0);
  });

  it('64-bit mode: the counter across a change of its upper half equals TIM64_VAL_U:L at every ns', () => {
    const rig = makeRig();
    rig.w(TIM64_MODE, 1);
    rig.w(TIM64_LOADVAL_U, 1);
    rig.w(TIM64_LOADVAL_L, 150); // 2^32 + 150: 151 cycles to the upper half's change
    rig.w(TIM64_CTRL, RUN);
    const truth = (): bigint => {
      const low = rig.r(TIM64_VAL_L); // latches the upper half
      return (BigInt(rig.r(TIM64_VAL_U)) << 32n) | BigInt(low);
    };
    const changes = expectForecastsHold(rig.clock, [{ probe: probeNamed(rig.device, 'timer64.value'), truth }], 3_000);
    expect(changes['timer64.value']).toBeGreaterThan(250);
    expect(truth()).toBeLessThan(1n << 32n);
  });
});
