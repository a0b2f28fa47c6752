// ptimer-rx/testing: the labels devicePipeline gives, the default horizon of `marbles`,
// and the frame-to-ns scheduler.
import { interval } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { MINIMAL_TIMER_REGISTERS, MinimalTimer } from '../../devices';
import { guestRead, guestWrite, type AccessResult } from '../../index';
import { accessLabel, DEFAULT_HORIZON_FRAMES, devicePipeline, marbles, NS_PER_FRAME, nsScheduler } from '../../testing';

const result = (over: Partial<AccessResult>): AccessResult => ({
  time: 0,
  device: 'd',
  kind: 'read',
  offset: 0x4,
  size: 4,
  value: 7,
  ...over,
});

describe('accessLabel', () => {
  it('names registers from the map: read, write, refused', () => {
    expect(accessLabel(result({}), MINIMAL_TIMER_REGISTERS)).toBe('VALUE=7');
    expect(accessLabel(result({ kind: 'write', offset: 0x0, value: 3 }), MINIMAL_TIMER_REGISTERS)).toBe('LOAD:=3');
    expect(accessLabel(result({ kind: 'write', error: 'read-only' }), MINIMAL_TIMER_REGISTERS)).toBe('VALUE!read-only');
  });

  it('falls back to the hex offset without a map, or for an offset the map lacks', () => {
    expect(accessLabel(result({ offset: 0x1c }))).toBe('0x1c=7');
    expect(accessLabel(result({ offset: 0x40 }), MINIMAL_TIMER_REGISTERS)).toBe('0x40=7');
  });
});

describe('devicePipeline', () => {
  it('merges accesses, triggers and IRQ edges in the order they happen, with a guest error labelled', marbles((m) => {
    m.scheduler.maxFrames = 5;
    const ns = nsScheduler(m);
    const device = new MinimalTimer(ns, { periodNs: NS_PER_FRAME });
    const accesses$ = m.cold('l-e-x', { l: guestWrite(0x0, 2), e: guestWrite(0x8, 3), x: guestWrite(0x4, 9) });
    const events$ = devicePipeline(ns, { device, accesses$, registers: MINIMAL_TIMER_REGISTERS, irq: device.irq, timers: [device.timer] });
    // frame 2: EN starts a countdown of 2, expiring at frame 4. The guest queued its frame-4 write
    // when it started (frame 0), before that expiry was armed, so the write runs first (FIFO, G4).
    m.expect(events$).toBeObservable('l-e-(xit)', {
      l: 'LOAD:=2', e: 'CTRL:=3', i: 'irq=1', t: 'expiry', x: 'VALUE!read-only',
    });
  }));

  it('prefixes triggers with the timer name when there are several timers', marbles((m) => {
    m.scheduler.maxFrames = 3;
    const ns = nsScheduler(m);
    const a = new MinimalTimer(ns, { name: 'a', periodNs: NS_PER_FRAME });
    const b = new MinimalTimer(ns, { name: 'b', periodNs: NS_PER_FRAME });
    for (const d of [a, b]) {
      d.write(0x0, 4, 3);
      d.write(0x8, 4, 1);
    }
    const events$ = devicePipeline(ns, { device: a, accesses$: m.cold(''), timers: [a.timer, b.timer] });
    m.expect(events$).toBeObservable('---(xy)', { x: 'a.timer:expiry', y: 'b.timer:expiry' });
  }));
});

describe('marbles and nsScheduler', () => {
  it(`stops a run that never goes idle at DEFAULT_HORIZON_FRAMES (${DEFAULT_HORIZON_FRAMES})`, () => {
    let last = -1;
    marbles((m) => {
      interval(1, m.scheduler).subscribe(() => (last = m.scheduler.now()));
    })();
    expect(last).toBe(DEFAULT_HORIZON_FRAMES);
  });

  it('keeps a horizon the test set itself', () => {
    let last = -1;
    marbles((m) => {
      m.scheduler.maxFrames = 7;
      interval(1, m.scheduler).subscribe(() => (last = m.scheduler.now()));
    })();
    expect(last).toBe(7);
  });

  it('presents frames as NS_PER_FRAME ns, or a given scale', marbles((m) => {
    m.expect(m.cold('--a|').pipe()).toBeObservable('--a|');
    expect(nsScheduler(m).now()).toBe(0);
    m.scheduler.schedule(() => {
      expect(nsScheduler(m).now()).toBe(3 * NS_PER_FRAME);
      expect(nsScheduler(m, 10).now()).toBe(30);
      expect(guestRead(0x4).offset).toBe(4);
    }, 3);
  }));
});
