// 1 frame = NS_PER_FRAME ns (test/support/clock.ts); 'ms' in marbles would mean frames here: don't use it.
import { EMPTY, map, of, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { scaleScheduler, VirtualClock } from '../../index';
import { applyAccesses } from '../../operators/applyAccesses';
import { OperatorArgumentError } from '../../operators/errors';
import { guestRead, guestWrite, type AccessResult, type GuestErrorReason } from '../../src/bus/GuestAccess';
import type { TraceEvent } from '../../src/trace/TraceEvent';
import { NS_PER_FRAME } from '../support/clock';
import { thrown } from '../support/errors';
import { FAKE, FAKE_ID, fakeDevice } from '../support/fakeDevice';
import { marbles, type Context } from '../support/marbles';

const setup = (m: Context) => {
  const ns = scaleScheduler(m.scheduler, NS_PER_FRAME);
  return { ns, dev: fakeDevice(ns) };
};

/** The result of a 4-byte access to the fake device at `frame`. */
const res = (
  frame: number,
  kind: 'read' | 'write',
  offset: number,
  value: number,
  error?: GuestErrorReason,
): AccessResult => ({
  time: frame * NS_PER_FRAME,
  device: 'fake',
  kind,
  offset,
  size: 4,
  value,
  ...(error === undefined ? {} : { error }),
});

const W5 = guestWrite(FAKE.DATA, 5);
const R = guestRead(FAKE.DATA);
const ID = guestRead(FAKE.ID);

describe('applyAccesses', () => {
  describe('battery', () => {
    it('performs each access at its frame and emits what the guest saw', marbles((m) => {
      const { ns, dev } = setup(m);
      const accesses = m.cold('a-b-c|', { a: W5, b: R, c: ID });
      const expected =        'x-y-z|';
      m.expect(accesses.pipe(applyAccesses(dev, ns))).toBeObservable(expected, {
        x: res(0, 'write', FAKE.DATA, 5),
        y: res(2, 'read', FAKE.DATA, 5),
        z: res(4, 'read', FAKE.ID, FAKE_ID),
      });
    }));

    it('empty source: completes, touches nothing', marbles((m) => {
      const { ns, dev } = setup(m);
      m.expect(m.cold('|').pipe(applyAccesses(dev, ns))).toBeObservable('|');
      m.flush();
      expect(dev.log).toEqual([]);
    }));

    it('an error of the source passes through', marbles((m) => {
      const { ns, dev } = setup(m);
      const failure = new Error('guest crashed');
      const accesses = m.cold('a-#', { a: W5 }, failure);
      m.expect(accesses.pipe(applyAccesses(dev, ns))).toBeObservable('x-#', { x: res(0, 'write', FAKE.DATA, 5) }, failure);
    }));

    it('early unsubscribe stops the accesses and releases source and device', marbles((m) => {
      const { ns, dev } = setup(m);
      const accesses = m.cold('a-b-c-d|', { a: W5, b: R, c: R, d: R });
      const sub =              '^--!';
      m.expect(accesses.pipe(applyAccesses(dev, ns)), sub).toBeObservable('x-y', {
        x: res(0, 'write', FAKE.DATA, 5),
        y: res(2, 'read', FAKE.DATA, 5),
      });
      m.expect(accesses).toHaveSubscriptions(sub);
      m.flush();
      expect(dev.log).toEqual(['write DATA 5', 'read DATA 5']);
      expect(dev.eventObservers()).toBe(0);
    }));

    it('two accesses at one instant run and come out in order (the read sees the write)', marbles((m) => {
      const { ns, dev } = setup(m);
      const accesses = m.cold('(ab)|', { a: W5, b: R });
      m.expect(accesses.pipe(applyAccesses(dev, ns))).toBeObservable('(xy)|', {
        x: res(0, 'write', FAKE.DATA, 5),
        y: res(0, 'read', FAKE.DATA, 5),
      });
    }));
  });

  describe('guest errors', () => {
    it('a refused access carries the reason the device reported; it reads 0 and changes nothing', marbles((m) => {
      const { ns, dev } = setup(m);
      const accesses = m.cold('abcdefg|', {
        a: guestRead(0x40),              // no register there
        b: guestRead(0x02),              // not 4-aligned
        c: guestRead(FAKE.DATA, 2),      // registers are 32-bit
        d: guestWrite(FAKE.ID, 1),       // read-only
        e: guestRead(FAKE.CMD),          // write-only
        f: guestWrite(0x40, 9, 1),       // unmapped write: value is what the guest wrote
        g: R,                            // DATA unchanged by all of that
      });
      m.expect(accesses.pipe(applyAccesses(dev, ns))).toBeObservable('abcdefg|', {
        a: res(0, 'read', 0x40, 0, 'unmapped'),
        b: res(1, 'read', 0x02, 0, 'misaligned'),
        c: { ...res(2, 'read', FAKE.DATA, 0, 'bad-size'), size: 2 },
        d: res(3, 'write', FAKE.ID, 1, 'read-only'),
        e: res(4, 'read', FAKE.CMD, 0, 'write-only'),
        f: { ...res(5, 'write', 0x40, 9, 'unmapped'), size: 1 },
        g: res(6, 'read', FAKE.DATA, 0),
      });
    }));

    it('an event that is not a guest error (unimplemented) leaves `error` unset', marbles((m) => {
      const { ns, dev } = setup(m);
      const accesses = m.cold('a|', { a: guestWrite(FAKE.FEATURE, 1) });
      m.expect(accesses.pipe(applyAccesses(dev, ns))).toBeObservable('x|', { x: res(0, 'write', FAKE.FEATURE, 1) });
      m.flush();
      expect(dev.log).toEqual(['write FEATURE (unimplemented)']);
    }));

    it('a guest error the device emits between accesses is attributed to none of them', marbles((m) => {
      const { ns, dev } = setup(m);
      m.scheduler.schedule(() => {
        dev.emit({ kind: 'guest-error', time: ns.now(), source: 'fake', offset: 0, size: 4, reason: 'locked', detail: 'DATA' });
      }, 1);
      const accesses = m.cold('a-b|', { a: R, b: R });
      m.expect(accesses.pipe(applyAccesses(dev, ns))).toBeObservable('x-y|', {
        x: res(0, 'read', FAKE.DATA, 0),
        y: res(2, 'read', FAKE.DATA, 0),
      });
    }));

    it('listens to the device only while subscribed', () => {
      const clock = new VirtualClock();
      const dev = fakeDevice(clock);
      const accesses = new Subject<typeof R>();
      const subscription = accesses.pipe(applyAccesses(dev, clock)).subscribe();
      expect(dev.eventObservers()).toBe(1);
      accesses.complete();
      expect(subscription.closed).toBe(true);
      expect(dev.eventObservers()).toBe(0);
    });
  });

  describe('sink', () => {
    it('records an AccessEvent per access, before the result is emitted', marbles((m) => {
      const { ns, dev } = setup(m);
      const recorded: TraceEvent[] = [];
      const accesses = m.cold('a-b|', { a: W5, b: guestRead(0x40) });
      const out = accesses.pipe(
        applyAccesses(dev, ns, { record: (e) => recorded.push(e) }),
        map(() => recorded.length), // how many events the sink had when the result came out
      );
      m.expect(out).toBeObservable('x-y|', { x: 1, y: 2 });
      m.flush();
      expect(recorded).toStrictEqual([
        { kind: 'write', time: 0, source: 'fake', offset: FAKE.DATA, size: 4, value: 5 },
        { kind: 'read', time: 2 * NS_PER_FRAME, source: 'fake', offset: 0x40, size: 4, value: 0, error: 'unmapped' },
      ]);
    }));

    it('a sink that throws errors the stream with what it threw', () => {
      const clock = new VirtualClock();
      const failure = new Error('disk full');
      let error: unknown;
      of(R)
        .pipe(applyAccesses(fakeDevice(clock), clock, { record: () => { throw failure; } }))
        .subscribe({ error: (e: unknown) => (error = e) });
      expect(error).toBe(failure);
    });
  });

  describe('bad input', () => {
    it('a device that throws (a model bug) errors the stream; later accesses are not performed', marbles((m) => {
      const { ns, dev } = setup(m);
      const accesses = m.cold('a-b-c|', { a: W5, b: guestRead(FAKE.BROKEN), c: R });
      m.expect(accesses.pipe(applyAccesses(dev, ns))).toBeObservable(
        'x-#',
        { x: res(0, 'write', FAKE.DATA, 5) },
        new Error('fake: BROKEN register accessed (a model bug)'),
      );
      m.flush();
      expect(dev.log).toEqual(['write DATA 5']);
    }));

    it.each([
      ['not an object', 42, 'applyAccesses(access): 42 is invalid: must be a guest access'],
      ['an unknown kind', { kind: 'poke', offset: 0, size: 4 }, "kind must be 'read' or 'write'"],
      ['a negative offset', { kind: 'read', offset: -4, size: 4 }, 'guestRead(offset): -4 is invalid'],
      ['a size of 3', { kind: 'read', offset: 0, size: 3 }, 'must be 1, 2, 4 or 8 bytes'],
      ['no size', { kind: 'read', offset: 0 }, 'size is missing'],
      ['a value too wide', { kind: 'write', offset: 0, size: 1, value: 256 }, 'fits in 1 byte(s)'],
    ])('a stream value that is %s errors the stream with OperatorArgumentError', (_what, value, message) => {
      const clock = new VirtualClock();
      const dev = fakeDevice(clock);
      let error: unknown;
      of(value as typeof R)
        .pipe(applyAccesses(dev, clock))
        .subscribe({ error: (e: unknown) => (error = e) });
      expect(error).toBeInstanceOf(OperatorArgumentError);
      expect((error as OperatorArgumentError).value).toBe(value);
      expect((error as Error).message).toContain(message);
      expect(dev.log).toEqual([]);
    });

    it('a source that emits synchronously after a bad value cannot reach the device', () => {
      const clock = new VirtualClock();
      const dev = fakeDevice(clock);
      let error: unknown;
      of(42 as unknown as typeof R, W5)
        .pipe(applyAccesses(dev, clock))
        .subscribe({ error: (e: unknown) => (error = e) });
      expect(error).toBeInstanceOf(OperatorArgumentError);
      expect(dev.log).toEqual([]);
    });

    it('arguments of the wrong shape throw OperatorArgumentError naming them', () => {
      const clock = new VirtualClock();
      const dev = fakeDevice(clock);
      const bad = (f: () => unknown) => thrown(f) as OperatorArgumentError;
      const noDevice = bad(() => applyAccesses({ name: 'x' } as never, clock));
      expect(noDevice).toBeInstanceOf(OperatorArgumentError);
      expect(noDevice.message).toBe(
        'applyAccesses(device): {"name":"x"} is invalid: must be a Device (name, read, write and events$)',
      );
      const noScheduler = bad(() => applyAccesses(dev, {} as never));
      expect(noScheduler.message).toBe('applyAccesses(scheduler): {} is invalid: must be an rxjs SchedulerLike (e.g. a VirtualClock)');
      const noSink = bad(() => applyAccesses(dev, clock, {} as never));
      expect(noSink.message).toBe(
        'applyAccesses(sink): {} is invalid: must be a TraceSink (an object with a record(event) method) or undefined',
      );
      expect(() => EMPTY.pipe(applyAccesses(dev, clock, undefined))).not.toThrow();
    });
  });
});
