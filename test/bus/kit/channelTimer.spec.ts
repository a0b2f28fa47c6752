// channelTimer: a deviceTimer whose handler is one function shared by every timer of a
// device class, given the device and the timer's channel (#19 item 3, no closure per timer):
// the same path as deviceTimer (expiry event first, then the handler, in the expiry step
// under sync, in its own step under bottom-half), and disposed with the device's lifetime.
import { Subscription } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { channelTimer, VirtualClock, type PTimer, type PTimerTrigger, type TraceEvent, type TriggerDelivery } from '../../../index';

/** A stand-in device with two channels whose shared handler logs who it was called for. */
class Dev {
  constructor(readonly name: string) {}
  readonly log: string[] = [];
  static readonly expired = (d: Dev, channel: number, t: PTimerTrigger): void => {
    d.log.push(`${d.name} channel ${channel} at ${t.time} ${t.timer.inTransaction ? 'in step' : 'own step'}`);
  };
}

/** Device `dev`'s channel `channel`: periodic every `period` ns. */
const timerOf = (clock: VirtualClock, dev: Dev, channel: number, period: number, delivery: TriggerDelivery, lifetime: Subscription): PTimer => {
  const timer = channelTimer(clock, {
    device: dev.name,
    name: `${dev.name}.t${channel}`,
    policy: [],
    delivery,
    owner: dev,
    channel,
    onExpiry: Dev.expired,
    events: { record: (e: TraceEvent) => void dev.log.push(`${e.kind} ${(e as { timer?: string }).timer}`) },
    lifetime,
  });
  timer.transaction((t) => {
    t.setPeriod(period);
    t.setLimit(1, true);
    t.run(false);
  });
  return timer;
};

describe('channelTimer', () => {
  it('sync: each expiry records its event, then calls the shared handler with its own device and channel, in the expiry step', () => {
    const clock = new VirtualClock();
    const lifetime = new Subscription();
    const a = new Dev('a');
    const b = new Dev('b');
    timerOf(clock, a, 0, 10, 'sync', lifetime);
    timerOf(clock, a, 1, 15, 'sync', lifetime);
    timerOf(clock, b, 1, 20, 'sync', lifetime);
    clock.advanceTo(20);
    expect(a.log).toEqual(['expiry a.t0', 'a channel 0 at 10 in step', 'expiry a.t1', 'a channel 1 at 15 in step', 'expiry a.t0', 'a channel 0 at 20 in step']);
    expect(b.log).toEqual(['expiry b.t1', 'b channel 1 at 20 in step']);
  });

  it('bottom-half: the handler runs in its own step, with the device and channel', () => {
    const clock = new VirtualClock();
    const a = new Dev('a');
    timerOf(clock, a, 3, 10, 'bottom-half', new Subscription());
    clock.advanceTo(10);
    expect(a.log).toEqual(['expiry a.t3', 'a channel 3 at 10 own step']);
  });

  it("is disposed with the device's lifetime: no expiry after it", () => {
    const clock = new VirtualClock();
    const lifetime = new Subscription();
    const a = new Dev('a');
    timerOf(clock, a, 0, 10, 'sync', lifetime);
    lifetime.unsubscribe();
    clock.advanceTo(100);
    expect(a.log).toEqual([]);
    expect(clock.pending).toBe(0); // its queued expiry was cancelled
  });
});
