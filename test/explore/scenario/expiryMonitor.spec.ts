import { describe, expect, it } from 'vitest';
import { expiryMonitor } from '../../../explore/scenario/expiryMonitor';
import { buildSystem, parseScenario } from '../../../system/scenario/loadScenario';
import { TWO_TICKS_SCENARIO } from '../../support/twoTicksScenario';
import { cutAfterFirstExpiry } from '../../support/cutAfterFirstExpiry';

const systemOf = (delivery: 'sync' | 'bottom-half') => buildSystem({ ...parseScenario(TWO_TICKS_SCENARIO), delivery }).system;

describe('expiryMonitor: G5 at the end of a run', () => {
  it('every trigger delivered: nothing to report', () => {
    const system = systemOf('sync');
    const monitor = expiryMonitor(system, { atomic: true, exactlyOnce: true });
    system.run(250_000);
    expect(monitor.finish()).toBeUndefined();
  });

  it('a trigger whose bottom half is still pending at the end is not lost; one with nothing pending is', () => {
    const system = systemOf('bottom-half');
    const monitor = expiryMonitor(system, { atomic: false, exactlyOnce: true });
    // Stop right after the first expiry at 100 µs: its bottom halves are queued, not run.
    cutAfterFirstExpiry(system, 200_000);
    expect(system.clock.pendingEvents().some((e) => e.tag.kind === 'bottom-half')).toBe(true);
    expect(monitor.finish()).toBeUndefined();
    // A trigger the device kit noted as emitted for a timer with no bottom half queued: never delivered.
    system.clock.noteTrigger('emitted', 'mini.ghost');
    expect(monitor.finish()).toMatch(/^G5 \(exactly once\) at the end \(100000 ns\): 1 trigger\(s\) of mini\.ghost since 100000 ns never delivered$/);
  });
});

describe('expiryMonitor: checkpoints', () => {
  it('a restore puts back the tallies and the verdict of its checkpoint, also after a restore to an earlier one', () => {
    const system = systemOf('sync');
    const clock = system.clock;
    const monitor = expiryMonitor(system, { atomic: false, exactlyOnce: true });
    clock.noteTrigger('emitted', 'a.t0');
    const first = monitor.checkpoint();
    clock.noteTrigger('delivered', 'a.t0');
    clock.noteTrigger('emitted', 'b.t1');
    const second = monitor.checkpoint();
    clock.noteTrigger('emitted', 'c.t2');
    clock.noteTrigger('delivered', 'd.t3'); // delivered without a trigger: a breach
    expect(monitor.violation).toMatch(/^G5 \(exactly once\) at 0 ns: d\.t3 delivered a trigger it did not emit$/);

    first();
    expect(monitor.violation).toBeUndefined();
    expect(monitor.finish()).toMatch(/1 trigger\(s\) of a\.t0 since 0 ns never delivered$/);

    second();
    expect(monitor.finish()).toMatch(/1 trigger\(s\) of b\.t1 since 0 ns never delivered$/);
    clock.noteTrigger('delivered', 'b.t1');
    // c.t2 was emitted after the second checkpoint: gone with the restore.
    expect(monitor.finish()).toBeUndefined();

    second();
    clock.noteTrigger('emitted', 'b.t1');
    clock.noteTrigger('delivered', 'b.t1');
    // Two triggers, one delivery: the restore kept b.t1's first trigger as owed.
    expect(monitor.violation).toMatch(/one delivery for 2 triggers of b\.t1/);
  });
});
