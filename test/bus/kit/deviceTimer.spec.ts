import { Subscription } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { deviceTimer, PTimerCallbackError, VirtualClock, type PTimer, type TraceEvent, type TriggerDelivery } from '../../../index';
import { thrown } from '../../support/errors';

/** A periodic device timer `dev.t` expiring every 10 ns; the handler, events and trigger notes logged in one list. */
const rig = (delivery: TriggerDelivery, onExpiry: (log: string[], clock: VirtualClock) => void = () => undefined) => {
  const clock = new VirtualClock();
  const log: string[] = [];
  const lifetime = new Subscription();
  clock.observe({ trigger: (n) => void log.push(`${n.kind}@${n.time}`) });
  const timer: PTimer = deviceTimer(clock, {
    device: 'dev',
    name: 'dev.t',
    policy: [],
    delivery,
    events: { record: (e: TraceEvent) => void log.push(`${e.kind}:${(e as { cause?: string }).cause}@${e.time}`) },
    onExpiry: (t) => {
      log.push(`handler ${t.time}@${clock.now()} ${t.timer.inTransaction ? 'in step' : 'own step'}`);
      onExpiry(log, clock);
    },
    lifetime,
  });
  timer.transaction((t) => {
    t.setPeriod(10);
    t.setLimit(1, true);
    t.run(false);
  });
  return { clock, log, lifetime, timer };
};

describe('deviceTimer', () => {
  it('sync: emission, expiry event, handler (in the expiry step, callback context) and delivery, in that order, at the expiry instant', () => {
    const { clock, log } = rig('sync');
    clock.advanceTo(10);
    expect(log).toEqual(['emitted@10', 'expiry:expiry@10', 'handler 10@10 in step', 'delivered@10']);
    expect(clock.pendingEvents().map((e) => e.tag)).toEqual([{ kind: 'expiry', owner: 'dev.t' }]);
  });

  it('bottom-half: the delivery is its own step (bottom-half work of the timer); two triggers while pending give one delivery of the latest', () => {
    const { clock, log } = rig('bottom-half');
    clock.observe({
      // Hold the bottom half back past the next expiry (as an explorer's window may).
      choose: (ready, next) => {
        const bh = ready.findIndex((e) => e.tag.kind === 'bottom-half');
        return bh >= 0 && next !== undefined && clock.now() === 10 ? { defer: bh } : 0;
      },
    });
    clock.advanceTo(20);
    expect(log).toEqual(['emitted@10', 'emitted@20', 'expiry:expiry@20', 'handler 20@20 own step', 'delivered@20']);
  });

  it.each(['sync', 'bottom-half'] as const)('%s: an error in the handler surfaces from the clock as PTimerCallbackError naming the timer and instant; the next expiry is delivered', (delivery) => {
    let fail = true;
    const { clock, log } = rig(delivery, () => {
      if (fail) {
        fail = false;
        throw new Error('device code');
      }
    });
    const error = thrown(() => clock.advanceTo(25));
    expect(error).toBeInstanceOf(PTimerCallbackError);
    expect(error).toMatchObject({ timer: 'dev.t', time: 10 });
    expect((error as PTimerCallbackError).errors).toEqual([new Error('device code')]);
    expect(clock.now()).toBe(10);
    clock.advanceTo(25);
    expect(log.filter((l) => l.startsWith('handler'))).toHaveLength(2);
    expect(log.filter((l) => l.startsWith('delivered'))).toHaveLength(2);
  });

  it('disposing the lifetime disposes the timer and cancels a pending bottom half', () => {
    const { clock, log, lifetime, timer } = rig('bottom-half');
    clock.observe({ after: (tag) => void (tag.kind === 'expiry' && lifetime.unsubscribe()) });
    clock.advanceTo(100);
    expect(log).toEqual(['emitted@10']);
    expect(clock.pending).toBe(0);
    expect(() => timer.begin()).toThrow(/disposed/);
  });

  it("keeps exact time by default (a device models hardware); timing: 'qemu' gives QEMU's timer", () => {
    const make = (timing?: 'qemu' | 'exact') =>
      deviceTimer(new VirtualClock(), {
        device: 'dev',
        name: 'dev.t',
        policy: [],
        ...(timing === undefined ? {} : { timing }),
        events: { record: () => undefined },
        onExpiry: () => undefined,
        lifetime: new Subscription(),
      });
    expect([make().timing, make('exact').timing, make('qemu').timing]).toEqual(['exact', 'exact', 'qemu']);
  });
});
