// 1 frame = NS_PER_FRAME ns (test/support/clock.ts); 'ms' in marbles would mean frames here: don't use it.
// Fake device registers (test/support/fakeDevice.ts): DATA rw, IRQ (bit 0 drives dev.irq), ID ro, CMD wo.
import { Observable, take } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { scaleScheduler, VirtualClock } from '../../index';
import { wait, waitForIrq, waitUntil, type DriverCommand, type DriverInput } from '../../operators/driverCommands';
import { DriverCommandError, DriverRunawayError, OperatorArgumentError } from '../../operators/errors';
import { DEFAULT_MAX_COMMANDS_PER_INSTANT, runDriver, type DriverProgram } from '../../operators/runDriver';
import { guestRead, guestWrite, type AccessResult, type GuestErrorReason } from '../../src/bus/GuestAccess';
import type { TraceEvent } from '../../src/trace/TraceEvent';
import { NS_PER_FRAME, framesToNs, probeScheduler } from '../support/clock';
import { thrown } from '../support/errors';
import { FAKE, fakeDevice, type FakeDevice } from '../support/fakeDevice';
import { marbles, type Context } from '../support/marbles';
import { counted } from '../support/signals';

/** The marble scheduler in ns (with a probe counting queued work), and a fake device on it. */
const setup = (m: Context) => {
  const errors: unknown[] = [];
  const probe = probeScheduler(m.scheduler, (e) => errors.push(e));
  const ns = scaleScheduler(probe, NS_PER_FRAME);
  const dev = fakeDevice(ns);
  const run = (program: DriverProgram, maxCommandsPerInstant?: number) =>
    runDriver(program, maxCommandsPerInstant === undefined ? { device: dev, scheduler: ns } : { device: dev, scheduler: ns, maxCommandsPerInstant });
  /** Runs `work` at `frame`, queued now (so before any work queued later for that frame). */
  const at = (frame: number, work: () => void) => m.scheduler.schedule(work, frame);
  return { ns, probe, dev, run, at, errors };
};

/** The result of a 4-byte access to the fake device at `frame`. */
const res = (frame: number, kind: 'read' | 'write', offset: number, value: number, error?: GuestErrorReason): AccessResult => ({
  time: framesToNs(frame),
  device: 'fake',
  kind,
  offset,
  size: 4,
  value,
  ...(error === undefined ? {} : { error }),
});

const frames = (n: number) => wait(framesToNs(n));

/** Subscribes on a VirtualClock and collects everything. */
const collect = (results$: Observable<AccessResult>) => {
  const out: { results: AccessResult[]; error?: unknown; complete: boolean } = { results: [], complete: false };
  const subscription = results$.subscribe({
    next: (r) => out.results.push(r),
    error: (e: unknown) => (out.error = e),
    complete: () => (out.complete = true),
  });
  return { out, subscription };
};

describe('runDriver', () => {
  describe('battery', () => {
    it('performs the accesses at their instants and feeds each read back to the driver', marbles((m) => {
      const { run } = setup(m);
      const results = run(function* () {
        yield guestWrite(FAKE.DATA, 1);
        yield frames(2);
        const v = yield guestRead(FAKE.DATA);
        yield guestWrite(FAKE.DATA, (v ?? 0) + 1);
      });
      m.expect(results).toBeObservable('a-(bc|)', {
        a: res(0, 'write', FAKE.DATA, 1),
        b: res(2, 'read', FAKE.DATA, 1),
        c: res(2, 'write', FAKE.DATA, 2),
      });
    }));

    it('a driver that returns at once completes at once; one that only waits completes after the wait', marbles((m) => {
      const { run } = setup(m);
      m.expect(run(function* () {})).toBeObservable('|');
      m.expect(run(function* () { yield frames(3); })).toBeObservable('---|');
    }));

    it('a driver that throws errors the stream with what it threw', marbles((m) => {
      const { run } = setup(m);
      const failure = new Error('driver bug');
      const results = run(function* () {
        yield guestWrite(FAKE.DATA, 1);
        yield frames(2);
        throw failure;
      });
      m.expect(results).toBeObservable('a-#', { a: res(0, 'write', FAKE.DATA, 1) }, failure);
    }));

    it('early unsubscribe cancels the pending wake-up and closes the generator', marbles((m) => {
      const { run, probe, dev, at } = setup(m);
      const trail: string[] = [];
      const results = run(function* () {
        try {
          yield guestWrite(FAKE.DATA, 1);
          yield frames(5);
          yield guestWrite(FAKE.DATA, 2);
        } finally {
          trail.push(`finally at frame ${m.scheduler.now()}`);
        }
      });
      m.expect(results,                     '^--!').toBeObservable(
                                            'a---', { a: res(0, 'write', FAKE.DATA, 1) });
      const queued: number[] = [];
      at(1, () => queued.push(probe.pending())); // the wake-up for frame 5
      at(4, () => queued.push(probe.pending())); // cancelled at frame 3
      m.flush();
      expect(queued).toEqual([1, 0]);
      expect(trail).toEqual(['finally at frame 3']);
      expect(dev.log).toEqual(['write DATA 1']);
    }));

    it('accesses at one instant happen and come out in order (the read sees the write)', marbles((m) => {
      const { run } = setup(m);
      const results = run(function* () {
        yield guestWrite(FAKE.DATA, 5);
        yield guestRead(FAKE.DATA);
        yield guestRead(FAKE.ID);
      });
      m.expect(results).toBeObservable('(abc|)', {
        a: res(0, 'write', FAKE.DATA, 5),
        b: res(0, 'read', FAKE.DATA, 5),
        c: res(0, 'read', FAKE.ID, 0xfa4e),
      });
    }));
  });

  describe('accesses', () => {
    it('a refused access gives the driver 0 and carries the guest-error reason', marbles((m) => {
      const { run } = setup(m);
      const seen: DriverInput[] = [];
      const results = run(function* () {
        seen.push(yield guestRead(FAKE.CMD));
        seen.push(yield guestWrite(FAKE.ID, 3));
      });
      m.expect(results).toBeObservable('(ab|)', {
        a: res(0, 'read', FAKE.CMD, 0, 'write-only'),
        b: res(0, 'write', FAKE.ID, 3, 'read-only'),
      });
      m.flush();
      expect(seen).toEqual([0, undefined]);
    }));

    it('each result is emitted before the driver resumes', () => {
      const clock = new VirtualClock();
      const trail: string[] = [];
      runDriver(
        function* () {
          yield guestRead(FAKE.DATA);
          trail.push('driver resumed');
        },
        { device: fakeDevice(clock), scheduler: clock },
      ).subscribe(() => trail.push('result'));
      expect(trail).toEqual(['result', 'driver resumed']);
    });

    it('records an AccessEvent per access to the sink', () => {
      const clock = new VirtualClock();
      const recorded: TraceEvent[] = [];
      runDriver(
        function* () {
          yield guestWrite(FAKE.DATA, 4);
          yield wait(1_500);
          yield guestRead(0x40);
        },
        { device: fakeDevice(clock), scheduler: clock, sink: { record: (e) => recorded.push(e) } },
      ).subscribe();
      clock.run();
      expect(recorded).toStrictEqual([
        { kind: 'write', time: 0, source: 'fake', offset: FAKE.DATA, size: 4, value: 4 },
        { kind: 'read', time: 1_500, source: 'fake', offset: 0x40, size: 4, value: 0, error: 'unmapped' },
      ]);
    });

    it('a device that throws errors the stream and closes the generator', () => {
      const clock = new VirtualClock();
      const trail: string[] = [];
      const { out } = collect(
        runDriver(
          function* () {
            try {
              yield guestRead(FAKE.BROKEN);
              trail.push('resumed');
            } finally {
              trail.push('finally');
            }
          },
          { device: fakeDevice(clock), scheduler: clock },
        ),
      );
      expect((out.error as Error).message).toBe('fake: BROKEN register accessed (a model bug)');
      expect(trail).toEqual(['finally']);
    });

    it('unsubscribing from inside a result stops the driver at once', () => {
      const clock = new VirtualClock();
      const dev = fakeDevice(clock);
      const trail: string[] = [];
      runDriver(
        function* () {
          try {
            yield guestWrite(FAKE.DATA, 1);
            yield guestWrite(FAKE.DATA, 2);
          } finally {
            trail.push('finally');
          }
        },
        { device: dev, scheduler: clock },
      )
        .pipe(take(1))
        .subscribe();
      expect(dev.log).toEqual(['write DATA 1']);
      expect(trail).toEqual(['finally']);
    });

    it('is cold: each subscription runs the program from the start', () => {
      const clock = new VirtualClock();
      const dev = fakeDevice(clock);
      const results = runDriver(
        function* () {
          const v = yield guestRead(FAKE.DATA);
          yield guestWrite(FAKE.DATA, (v ?? 0) + 10);
        },
        { device: dev, scheduler: clock },
      );
      results.subscribe();
      results.subscribe();
      expect(dev.data).toBe(20);
    });
  });

  describe('waits', () => {
    it('wait(ns) and waitUntil(time) are ns on the scheduler (exact on a VirtualClock)', () => {
      const clock = new VirtualClock({ start: 100 });
      const { out } = collect(
        runDriver(
          function* () {
            yield wait(1_500);
            yield guestRead(FAKE.DATA);
            yield waitUntil(2_001);
            yield guestRead(FAKE.DATA);
          },
          { device: fakeDevice(clock), scheduler: clock },
        ),
      );
      clock.run();
      expect(out.results.map((r) => r.time)).toEqual([1_600, 2_001]);
      expect(out.complete).toBe(true);
    });

    it('wait(0) resumes at the same instant, after the work already queued for it', marbles((m) => {
      const { run, dev, at } = setup(m);
      const results = run(function* () {
        yield guestRead(FAKE.DATA);
        yield wait(0);
        yield guestRead(FAKE.DATA);
      });
      m.expect(results).toBeObservable('(ab|)', { a: res(0, 'read', FAKE.DATA, 0), b: res(0, 'read', FAKE.DATA, 9) });
      at(0, () => (dev.data = 9)); // queued after the subscription, before the driver's wait(0)
    }));

    it('waitUntil(now) behaves like wait(0); waitUntil(later) resumes at that time', marbles((m) => {
      const { run, dev, at } = setup(m);
      const results = run(function* () {
        yield waitUntil(0);
        yield guestRead(FAKE.DATA);
        yield waitUntil(framesToNs(4));
        yield guestRead(FAKE.DATA);
      });
      m.expect(results).toBeObservable('a---(b|)', { a: res(0, 'read', FAKE.DATA, 9), b: res(4, 'read', FAKE.DATA, 9) });
      at(0, () => (dev.data = 9));
    }));
  });

  describe('waitForIrq', () => {
    it('G1: resumes at the instant the line rises, in a step of its own after the work that raised it', marbles((m) => {
      const { run, dev, at } = setup(m);
      at(3, () => {
        dev.irq.raise();
        dev.data = 7; // the raising work goes on after the line rose: the driver must not run before it ends
      });
      const results = run(function* () {
        yield waitForIrq(dev.irq);
        yield guestRead(FAKE.DATA);
        yield guestRead(FAKE.IRQ);
      });
      m.expect(results).toBeObservable('---(ab|)', { a: res(3, 'read', FAKE.DATA, 7), b: res(3, 'read', FAKE.IRQ, 1) });
    }));

    it('a line already at the level: the driver goes on in the same step (queued work has not run)', marbles((m) => {
      const { run, dev, at } = setup(m);
      const results = run(function* () {
        yield guestWrite(FAKE.IRQ, 1);
        yield waitForIrq(dev.irq);
        yield guestRead(FAKE.DATA);
      });
      m.expect(results).toBeObservable('(ab|)', {
        a: res(0, 'write', FAKE.IRQ, 1),
        b: res(0, 'read', FAKE.DATA, 0), // not yet 9: no other work ran between the check and this read
      });
      at(0, () => (dev.data = 9)); // queued after the subscription
    }));

    it('onWait tells each suspension: time, a level not reached, then woken when the line gets there', marbles((m) => {
      const { ns, dev, at } = setup(m);
      const waits: string[] = [];
      at(3, () => dev.irq.raise());
      const results = runDriver(
        function* () {
          yield wait(framesToNs(1));
          yield waitForIrq(dev.irq);
          yield guestRead(FAKE.IRQ);
        },
        { device: dev, scheduler: ns, onWait: (w) => waits.push(`${w}@${ns.now() / NS_PER_FRAME}`) },
      );
      m.expect(results).toBeObservable('---(a|)', { a: res(3, 'read', FAKE.IRQ, 1) });
      m.flush();
      expect(waits).toEqual(['time@0', 'level@1', 'woken@3']);
    }));

    it('resumeWoken: the first waitForIrq queues its step at once, even with the line at the level (as the wake-up it resumes did)', marbles((m) => {
      const { ns, dev, at } = setup(m);
      const waits: string[] = [];
      const results = runDriver(
        function* () {
          yield waitForIrq(dev.irq);
          yield guestRead(FAKE.DATA);
          yield waitForIrq(dev.irq);
          yield guestRead(FAKE.DATA);
        },
        { device: dev, scheduler: ns, resumeWoken: true, onWait: (w) => waits.push(w) },
      );
      dev.irq.raise();
      m.expect(results).toBeObservable('(ab|)', { a: res(0, 'read', FAKE.DATA, 9), b: res(0, 'read', FAKE.DATA, 9) });
      // Queued after the subscription: a driver that goes on at once reads 0 ('a line already at the level'); a woken
      // one waits for its step, queued behind this work, and reads 9; its second wait goes on at once.
      at(0, () => (dev.data = 9));
      m.flush();
      expect(waits).toEqual(['woken']);
    }));

    it('a pulse wakes the driver; it does not re-check the level', marbles((m) => {
      const { run, dev, at } = setup(m);
      at(2, () => dev.irq.pulse());
      const results = run(function* () {
        yield waitForIrq(dev.irq);
        yield guestRead(FAKE.IRQ);
      });
      m.expect(results).toBeObservable('--(a|)', { a: res(2, 'read', FAKE.IRQ, 0) });
    }));

    it('waits for a given level: false waits for the line to drop', marbles((m) => {
      const { run, dev, at } = setup(m);
      at(4, () => dev.irq.lower());
      const results = run(function* () {
        yield guestWrite(FAKE.IRQ, 1);
        yield waitForIrq(dev.irq, false);
        yield guestRead(FAKE.IRQ);
      });
      m.expect(results).toBeObservable('a---(b|)', { a: res(0, 'write', FAKE.IRQ, 1), b: res(4, 'read', FAKE.IRQ, 0) });
    }));

    it('ignores changes to the other level while waiting', marbles((m) => {
      const { run, dev, at } = setup(m);
      at(1, () => dev.irq.raise());
      at(2, () => dev.irq.lower());
      at(5, () => dev.irq.raise());
      const results = run(function* () {
        yield guestWrite(FAKE.IRQ, 1);
        yield waitForIrq(dev.irq, false); // 2
        yield waitForIrq(dev.irq, true);  // 5
        yield guestRead(FAKE.IRQ);
      });
      m.expect(results).toBeObservable('a----(b|)', { a: res(0, 'write', FAKE.IRQ, 1), b: res(5, 'read', FAKE.IRQ, 1) });
    }));

    it('unsubscribing while it waits releases the line and cancels the wake-up', marbles((m) => {
      const { run, dev, at } = setup(m);
      const line = counted(dev.irq);
      const observers: number[] = [];
      at(1, () => observers.push(line.followers()));
      at(4, () => observers.push(line.followers()));
      at(5, () => dev.irq.raise());
      const results = run(function* () {
        yield waitForIrq(line.signal);
        yield guestRead(FAKE.DATA);
      });
      m.expect(results, '^--!').toBeObservable('----');
      m.flush();
      expect(observers).toEqual([1, 0]);
      expect(dev.log).toEqual([]);
    }));

    it('the line is watched only while the driver waits on it', () => {
      const clock = new VirtualClock();
      const dev: FakeDevice = fakeDevice(clock);
      const line = counted(dev.irq);
      collect(
        runDriver(
          function* () {
            yield waitForIrq(line.signal);
            yield wait(10);
          },
          { device: dev, scheduler: clock },
        ),
      );
      expect(line.followers()).toBe(1);
      clock.schedule(() => dev.irq.raise(), 5);
      clock.advanceTo(5);
      expect(line.followers()).toBe(0);
    });
    it('the wake-up is one clock step at the instant of the change (an explorer sees one piece of guest work)', () => {
      const clock = new VirtualClock();
      const dev: FakeDevice = fakeDevice(clock);
      collect(
        runDriver(
          function* () {
            yield waitForIrq(dev.irq);
            yield guestRead(FAKE.DATA);
          },
          { device: dev, scheduler: clock },
        ),
      );
      clock.schedule(() => dev.irq.raise(), 5);
      const pendingAfterRaise: number[] = [];
      clock.observe({ after: () => void pendingAfterRaise.push(clock.pendingEvents().length) });
      clock.advanceTo(5);
      // After the raise: the wake-up alone; after the wake-up: nothing (no completion step).
      expect(pendingAfterRaise).toEqual([1, 0]);
      expect(clock.executedCount).toBe(2);
    });
  });

  describe('runaway guard', () => {
    it('more than maxCommandsPerInstant commands at one instant: DriverRunawayError naming the instant', marbles((m) => {
      const { run } = setup(m);
      const trail: string[] = [];
      const results = run(function* () {
        yield frames(3);
        try {
          for (;;) yield guestRead(FAKE.DATA);
        } finally {
          trail.push('closed');
        }
      }, 4);
      const r = res(3, 'read', FAKE.DATA, 0);
      m.expect(results).toBeObservable('---(rrrr#)', { r }, new DriverRunawayError(framesToNs(3), 4));
      m.flush();
      expect(trail).toEqual(['closed']);
    }));

    it('counts waits that do not let time move: a wait(0) loop ends too', marbles((m) => {
      const { run } = setup(m);
      const results = run(function* () {
        for (;;) yield wait(0);
      }, 10);
      m.expect(results).toBeObservable('#', undefined, new DriverRunawayError(0, 10));
    }));

    it('and so does polling a line that is already at the level', marbles((m) => {
      const { run, dev } = setup(m);
      dev.irq.raise();
      const results = run(function* () {
        for (;;) yield waitForIrq(dev.irq);
      }, 10);
      m.expect(results).toBeObservable('#', undefined, new DriverRunawayError(0, 10));
    }));

    it('the count restarts when time moves: N commands per instant, forever, is fine', marbles((m) => {
      const { run } = setup(m);
      const results = run(function* () {
        for (let i = 0; i < 3; i++) {
          yield guestRead(FAKE.DATA);
          yield guestRead(FAKE.DATA);
          yield frames(4); // the third command of its instant
        }
      }, 3);
      const r = (f: number) => res(f, 'read', FAKE.DATA, 0);
      m.expect(results).toBeObservable('(ab)(cd)(ef)|', { a: r(0), b: r(0), c: r(4), d: r(4), e: r(8), f: r(8) });
    }));

    it(`the default bound is ${DEFAULT_MAX_COMMANDS_PER_INSTANT} commands`, () => {
      const clock = new VirtualClock({ start: 42 });
      let count = 0;
      let error: unknown;
      runDriver(
        function* () {
          for (;;) yield guestRead(FAKE.DATA);
        },
        { device: fakeDevice(clock), scheduler: clock },
      ).subscribe({ next: () => count++, error: (e: unknown) => (error = e) });
      expect(count).toBe(1_000_000);
      expect(error).toBeInstanceOf(DriverRunawayError);
      expect((error as DriverRunawayError).message).toBe(
        'driver runaway: more than 1000000 commands at virtual time 42 ns without time advancing; ' +
          'a polling loop must wait (wait(ns), waitUntil(time) or waitForIrq(signal))',
      );
      expect((error as DriverRunawayError).time).toBe(42);
    });
  });

  describe('bad commands', () => {
    /** Runs a driver that yields `command` (after a write) on a VirtualClock; returns the stream's error. */
    const errorOf = (command: () => unknown) => {
      const clock = new VirtualClock({ start: 5_000 });
      const dev = fakeDevice(clock);
      const trail: string[] = [];
      const { out } = collect(
        runDriver(
          function* () {
            try {
              yield guestWrite(FAKE.DATA, 1);
              yield command() as DriverCommand;
              trail.push('resumed');
            } finally {
              trail.push('closed');
            }
          },
          { device: dev, scheduler: clock },
        ),
      );
      clock.run();
      expect(out.results).toHaveLength(1);
      expect(trail).toEqual(['closed']);
      return out.error as DriverCommandError;
    };

    it.each([
      ['a number', () => 42, 'runDriver: yielded command: 42 is invalid: must be a guest access or a command from wait, waitUntil or waitForIrq'],
      ['undefined', () => undefined, 'runDriver: yielded command: undefined is invalid: must be a guest access or a command from wait, waitUntil or waitForIrq'],
      ['an unknown kind', () => ({ kind: 'sleep', ns: 1 }), 'runDriver: yielded command: {"kind":"sleep","ns":1} is invalid: must be a guest access or a command from wait, waitUntil or waitForIrq'],
      ['a hand-built wait(-1)', () => ({ kind: 'wait', ns: -1 }), 'runDriver: yielded command: {"kind":"wait","ns":-1} is invalid: ns must be a whole, non-negative number of ns (a safe integer)'],
      ['a hand-built waitUntil in the past', () => ({ kind: 'wait-until', time: 4_999 }), 'runDriver: yielded command: {"kind":"wait-until","time":4999} is invalid: time must not be in the past (now is 5000 ns)'],
      ['a hand-built waitForIrq on nothing', () => ({ kind: 'wait-for-irq', signal: {}, level: true }), 'runDriver: yielded command: {"kind":"wait-for-irq","signal":{},"level":true} is invalid: signal must be an IrqSignal (level and level$)'],
      ['a copy of a waitForIrq made bad', () => ({ ...waitForIrq(fakeDevice(new VirtualClock()).irq), signal: {} }), 'runDriver: yielded command: {"kind":"wait-for-irq","signal":{},"level":true} is invalid: signal must be an IrqSignal (level and level$)'],
      ['a hand-built access with a bad offset', () => ({ kind: 'read', offset: -4, size: 4 }), 'runDriver: yielded command: {"kind":"read","offset":-4,"size":4} is invalid: guestRead(offset): -4 is invalid: must be a non-negative safe integer byte offset'],
      ['waitUntil(past)', () => waitUntil(1_000), 'runDriver: yielded command: {"kind":"wait-until","time":1000} is invalid: time must not be in the past (now is 5000 ns)'],
    ])('yielding %s: DriverCommandError naming it', (_what, command, message) => {
      const error = errorOf(command);
      expect(error).toBeInstanceOf(DriverCommandError);
      expect(error.name).toBe('DriverCommandError');
      expect(error.message).toBe(message);
    });

    it('waitForIrq makes a frozen command: checked once, it cannot be made bad afterwards', () => {
      const command = waitForIrq(fakeDevice(new VirtualClock()).irq);
      expect(Object.isFrozen(command)).toBe(true);
      expect(thrown(() => ((command as { signal: unknown }).signal = {}))).toBeInstanceOf(TypeError);
    });

    it.each([
      ['wait(-1)', () => wait(-1), 'wait(ns): -1 is invalid: must be a whole, non-negative number of ns (a safe integer)'],
      ['wait(1.5)', () => wait(1.5), 'wait(ns): 1.5 is invalid: must be a whole, non-negative number of ns (a safe integer)'],
      ['wait(NaN)', () => wait(Number.NaN), 'wait(ns): NaN is invalid: must be a whole, non-negative number of ns (a safe integer)'],
      ['wait(Infinity)', () => wait(Infinity), 'wait(ns): Infinity is invalid: must be a whole, non-negative number of ns (a safe integer)'],
      ['waitUntil(-1)', () => waitUntil(-1), 'waitUntil(time): -1 is invalid: must be a whole, non-negative number of ns (a safe integer)'],
      ['waitForIrq(null)', () => waitForIrq(null as never), 'waitForIrq(signal): null is invalid: must be an IrqSignal (level and level$)'],
      ['waitForIrq(line, 1)', () => waitForIrq(fakeDevice(new VirtualClock()).irq, 1 as never), 'waitForIrq(level): 1 is invalid: must be a boolean'],
    ])('the constructor %s throws DriverCommandError; thrown inside a driver, it errors the stream', (_what, make, message) => {
      const direct = thrown(make) as DriverCommandError;
      expect(direct).toBeInstanceOf(DriverCommandError);
      expect(direct.message).toBe(message);
      const viaDriver = errorOf(make);
      expect(viaDriver).toBeInstanceOf(DriverCommandError);
      expect(viaDriver.message).toBe(message);
    });
  });

  describe('bad arguments', () => {
    const clock = new VirtualClock();
    const device = fakeDevice(clock);
    const program = function* () {
      yield wait(1);
    };

    it.each([
      ['a program that is not a function', () => runDriver(42 as never, { device, scheduler: clock }), 'runDriver(program): 42 is invalid: must be a function'],
      ['no options', () => runDriver(program, undefined as never), 'runDriver(options): undefined is invalid: must be an object { device, scheduler, sink?, maxCommandsPerInstant? }'],
      ['a bad device', () => runDriver(program, { device: {} as never, scheduler: clock }), 'runDriver(options.device): {} is invalid: must be a Device (name, read, write and events$)'],
      ['a bad scheduler', () => runDriver(program, { device, scheduler: 5 as never }), 'runDriver(options.scheduler): 5 is invalid: must be an rxjs SchedulerLike (e.g. a VirtualClock)'],
      ['a bad sink', () => runDriver(program, { device, scheduler: clock, sink: { log: 1 } as never }), 'runDriver(options.sink): {"log":1} is invalid: must be a TraceSink (an object with a record(event) method) or undefined'],
      ['a zero bound', () => runDriver(program, { device, scheduler: clock, maxCommandsPerInstant: 0 }), 'runDriver(options.maxCommandsPerInstant): 0 is invalid: must be a positive integer'],
      ['a fractional bound', () => runDriver(program, { device, scheduler: clock, maxCommandsPerInstant: 2.5 }), 'runDriver(options.maxCommandsPerInstant): 2.5 is invalid: must be a positive integer'],
    ])('%s: OperatorArgumentError at the call', (_what, call, message) => {
      const error = thrown(call) as OperatorArgumentError;
      expect(error).toBeInstanceOf(OperatorArgumentError);
      expect(error.message).toBe(message);
    });

    it('a program that returns no iterator errors the stream with OperatorArgumentError', () => {
      const { out } = collect(runDriver((() => 42) as never, { device, scheduler: clock }));
      expect(out.error).toBeInstanceOf(OperatorArgumentError);
      expect((out.error as Error).message).toBe(
        'runDriver(program)(): 42 is invalid: must return an iterator (write the driver as a generator function)',
      );
    });

    it('a program that throws when called errors the stream with what it threw', () => {
      const failure = new Error('no driver today');
      const { out } = collect(
        runDriver(() => {
          throw failure;
        }, { device, scheduler: clock }),
      );
      expect(out.error).toBe(failure);
    });
  });
});
