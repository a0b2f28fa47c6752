import { describe, expect, it } from 'vitest';
import { PTimer } from '../../src/ptimer';
import { VirtualClock } from '../../src/clock';

describe('PTimer streams, created on first use', () => {
  it('the same stream object is returned each time', () => {
    const timer = new PTimer(new VirtualClock());
    expect(timer.triggers$).toBe(timer.triggers$);
    expect(timer.diagnostics$).toBe(timer.diagnostics$);
    expect(timer.ticks$).toBe(timer.ticks$);
  });

  it('subscribers before and after first use both see triggers and diagnostics', () => {
    const clock = new VirtualClock();
    const timer = new PTimer(clock);
    const seen: string[] = [];
    timer.triggers$.subscribe((t) => seen.push(`a ${t.time}`));
    timer.transaction((t) => {
      t.setPeriod(10);
      t.setLimit(2, true);
      t.run(false);
    });
    clock.advanceTo(20);
    timer.triggers$.subscribe((t) => seen.push(`b ${t.time}`));
    timer.diagnostics$.subscribe((d) => seen.push(d.kind));
    clock.advanceTo(40);
    timer.transaction((t) => t.setPeriod(0)); // QEMU's "period zero, disabling" diagnostic when it next runs
    timer.transaction((t) => t.run(false));
    expect(seen.slice(0, 3)).toEqual(['a 20', 'a 40', 'b 40']);
    expect(seen).toContain('period-zero');
  });

  it('after dispose, a new subscription to triggers$ or diagnostics$ completes at once', () => {
    const timer = new PTimer(new VirtualClock());
    timer.dispose();
    const done: string[] = [];
    timer.triggers$.subscribe({ complete: () => done.push('triggers') });
    timer.diagnostics$.subscribe({ complete: () => done.push('diagnostics') });
    expect(done).toEqual(['triggers', 'diagnostics']);
  });

  it('timers with the same policy share its checked, frozen copy', () => {
    const clock = new VirtualClock();
    const a = new PTimer(clock, { policy: ['WRAP_AFTER_ONE_PERIOD', 'NO_COUNTER_ROUND_DOWN'] });
    const b = new PTimer(clock, { policy: ['WRAP_AFTER_ONE_PERIOD', 'NO_COUNTER_ROUND_DOWN'] });
    expect(a.policy).toBe(b.policy);
    expect(Object.isFrozen(a.policy)).toBe(true);
    // a list that only looks like a known key is still checked
    expect(() => new PTimer(clock, { policy: ['WRAP_AFTER_ONE_PERIOD,NO_COUNTER_ROUND_DOWN' as never] })).toThrow(/unknown flag/);
  });
});
