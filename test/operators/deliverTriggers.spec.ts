import { of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { labelOf, VirtualClock } from '../../src/clock';
import { PTimer } from '../../src/ptimer';
import { deliverTriggers, type TriggerDelivery } from '../../operators/deliverTriggers';
import type { VirtualClock as Clock } from '../../src/clock/VirtualClock';

const BOTTOM_HALF_LABEL_PREFIX = 'bottom-half ';

/** The seam's trigger notes, as the old monitor reported them. */
const monitorTriggers = (clock: Clock, monitor: { emitted(name: string): void; delivered(name: string): void }): (() => void) =>
  clock.observe({ trigger: (note) => (note.kind === 'emitted' ? monitor.emitted(note.timer) : monitor.delivered(note.timer)) });

/** A periodic timer named `dev.t0` expiring every 10 ns, delivered to a handler that logs; the monitor logs too. */
const rig = (delivery: TriggerDelivery) => {
  const clock = new VirtualClock();
  const timer = new PTimer(clock, { name: 'dev.t0' });
  const log: string[] = [];
  timer.triggers$.pipe(deliverTriggers(delivery, clock)).subscribe((t) => log.push(`handler ${t.time}@${clock.now()}`));
  const stop = monitorTriggers(clock, {
    emitted: (name) => log.push(`emitted ${name}@${clock.now()}`),
    delivered: (name) => log.push(`delivered ${name}@${clock.now()}`),
  });
  timer.transaction((t) => {
    t.setPeriod(10);
    t.setLimit(1, true);
    t.run(false);
  });
  return { clock, timer, log, stop };
};

describe('deliverTriggers', () => {
  it('sync: the monitor sees emission, then the handler, then delivery, in the expiry step', () => {
    const { clock, log } = rig('sync');
    const labels: string[] = [];
    clock.observe({ after: (tag) => void labels.push(labelOf(tag)) });
    clock.advanceTo(10);
    expect(log).toEqual(['emitted dev.t0@10', 'handler 10@10', 'delivered dev.t0@10']);
    expect(labels).toEqual(["ptimer 'dev.t0' expiry"]);
  });

  it("bottom-half: the delivery is a later step labelled bottom-half '<timer>'", () => {
    const { clock, log } = rig('bottom-half');
    const labels: string[] = [];
    clock.observe({ after: (tag) => void labels.push(labelOf(tag)) });
    clock.advanceTo(10);
    expect(log).toEqual(['emitted dev.t0@10', 'handler 10@10', 'delivered dev.t0@10']);
    expect(labels).toEqual(["ptimer 'dev.t0' expiry", `${BOTTOM_HALF_LABEL_PREFIX}'dev.t0'`]);
  });

  it('bottom-half: a second trigger while one is pending is not delivered on its own (the monitor sees two emissions, one delivery)', () => {
    const { clock, log } = rig('bottom-half');
    // Keep the bottom half back until after the next expiry.
    clock.observe({
      choose: (ready, next) => {
        const bh = ready.findIndex((e) => e.tag.kind === 'bottom-half');
        return bh >= 0 && next !== undefined && next <= 20 && clock.now() === 10 ? { defer: bh } : 0;
      },
    });
    clock.advanceTo(20);
    expect(log).toEqual(['emitted dev.t0@10', 'emitted dev.t0@20', 'handler 20@20', 'delivered dev.t0@20']);
  });

  it('removing the observer stops the reports; another observer then hears them', () => {
    const { clock, log, stop } = rig('sync');
    stop();
    clock.advanceTo(10);
    expect(log).toEqual(['handler 10@10']);
    const other: string[] = [];
    monitorTriggers(clock, { emitted: (n) => other.push(`e ${n}`), delivered: (n) => other.push(`d ${n}`) });
    clock.advanceTo(20);
    expect(other).toEqual(['e dev.t0', 'd dev.t0']);
  });

  it('values that are not triggers are passed through, reported as timer', () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    monitorTriggers(clock, { emitted: (n) => seen.push(`e ${n}`), delivered: (n) => seen.push(`d ${n}`) });
    const out: number[] = [];
    of(1, 2).pipe(deliverTriggers<number>('sync', clock)).subscribe((v) => out.push(v));
    expect(out).toEqual([1, 2]);
    expect(seen).toEqual(['e timer', 'd timer', 'e timer', 'd timer']);
  });
});
