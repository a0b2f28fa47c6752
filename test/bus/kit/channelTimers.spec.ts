// channelTimers: every channel of a device made at once, one shared wiring under sync
// (#19 item 3: the timers cost nothing beyond themselves). The same path as channelTimer:
// the expiry event first, then the shared handler with the device and the channel (the
// timer's place among the names), in the expiry step under sync, in its own step under
// bottom-half; disposed with the device's lifetime.
import { Subscription } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { channelTimers, PTimerCallbackError, VirtualClock, type PTimer, type PTimerTrigger, type TraceEvent, type TriggerDelivery } from '../../../index';

/** A stand-in device whose shared handler logs who it was called for. */
class Dev {
  constructor(readonly name: string) {}
  readonly log: string[] = [];
  throwOn = -1;
  static readonly expired = (d: Dev, channel: number, t: PTimerTrigger): void => {
    d.log.push(`${d.name} channel ${channel} at ${t.time} ${t.timer.inTransaction ? 'in step' : 'own step'}`);
    if (channel === d.throwOn) throw new Error(`channel ${channel} failed`);
  };
}

/** Device `dev`'s timers, channel i periodic every `periods[i]` ns. */
const timersOf = (clock: VirtualClock, dev: Dev, periods: readonly number[], delivery: TriggerDelivery, lifetime: Subscription): PTimer[] => {
  const timers = channelTimers(clock, {
    device: dev.name,
    names: periods.map((_, i) => `${dev.name}.t${i}`),
    policy: [],
    delivery,
    owner: dev,
    onExpiry: Dev.expired,
    events: { record: (e: TraceEvent) => void dev.log.push(`${e.kind} ${(e as { timer?: string }).timer}`) },
    lifetime,
  });
  timers.forEach((timer, i) =>
    timer.transaction((t) => {
      t.setPeriod(periods[i]!);
      t.setLimit(1, true);
      t.run(false);
    }),
  );
  return timers;
};

describe('channelTimers', () => {
  it('makes one named timer per name, channel = its place, exact timing by default', () => {
    const timers = timersOf(new VirtualClock(), new Dev('a'), [10, 20, 30], 'sync', new Subscription());
    expect(timers.map((t) => [t.name, t.timing])).toEqual([
      ['a.t0', 'exact'],
      ['a.t1', 'exact'],
      ['a.t2', 'exact'],
    ]);
  });

  it('sync: each expiry records its event, then calls the shared handler with its device and channel, in the expiry step', () => {
    const clock = new VirtualClock();
    const lifetime = new Subscription();
    const a = new Dev('a');
    const b = new Dev('b');
    timersOf(clock, a, [10, 15, 40], 'sync', lifetime);
    timersOf(clock, b, [25, 20], 'sync', lifetime);
    clock.advanceTo(20);
    expect(a.log).toEqual(['expiry a.t0', 'a channel 0 at 10 in step', 'expiry a.t1', 'a channel 1 at 15 in step', 'expiry a.t0', 'a channel 0 at 20 in step']);
    expect(b.log).toEqual(['expiry b.t1', 'b channel 1 at 20 in step']);
  });

  it('sync: a throwing handler surfaces from the clock call as a PTimerCallbackError naming its timer (G5)', () => {
    const clock = new VirtualClock();
    const a = new Dev('a');
    a.throwOn = 1;
    timersOf(clock, a, [10, 15], 'sync', new Subscription());
    expect(() => clock.advanceTo(15)).toThrow(PTimerCallbackError);
    expect(a.log.at(-1)).toBe('a channel 1 at 15 in step');
  });

  it('bottom-half: the handler runs in its own step, with the device and channel', () => {
    const clock = new VirtualClock();
    const a = new Dev('a');
    timersOf(clock, a, [30, 10], 'bottom-half', new Subscription());
    clock.advanceTo(10);
    expect(a.log).toEqual(['expiry a.t1', 'a channel 1 at 10 own step']);
  });

  for (const delivery of ['sync', 'bottom-half'] as const) {
    it(`${delivery}: every timer is disposed with the device's lifetime: no expiry after it`, () => {
      const clock = new VirtualClock();
      const lifetime = new Subscription();
      const a = new Dev('a');
      timersOf(clock, a, [10, 20], delivery, lifetime);
      lifetime.unsubscribe();
      clock.advanceTo(100);
      expect(a.log).toEqual([]);
      expect(clock.pending).toBe(0); // both queued expiries were cancelled
    });
  }
});
