// toMarbleDiagram: a run's trace printed as one marble line, checked by parsing it back with
// rxjs's own marble parser and by playing it against the trace in a marble test.
import fc from 'fast-check';
import { map, merge, NEVER, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { MinimalTimer } from '../../devices/minimal-timer/MinimalTimer';
import type { TriggerDelivery } from '../../src/bus/kit/TriggerDelivery';
import { waitUntil } from '../../operators/driverCommands';
import { guestRead, guestWrite } from '../../src/bus/GuestAccess';
import type { AccessEvent, TraceEvent } from '../../src/trace/TraceEvent';
import * as explore from '../../explore';
import {
  marbleLabel,
  MarbleDiagramError,
  registerNamesOf,
  toMarbleDiagram,
  type MarbleDiagram,
} from '../../explore/toMarbleDiagram';
import { System } from '../../system/System';
import { marbles } from '../../testing';
import { thrown } from '../support/errors';

// Hand-made trace events.
const rd = (time: number, offset: number, value: number, source = 'timer0'): TraceEvent => ({ time, source, kind: 'read', offset, size: 4, value });
const wr = (time: number, offset: number, value: number, source = 'timer0'): AccessEvent => ({ time, source, kind: 'write', offset, size: 4, value });
const irq = (time: number, level: boolean, source = 'timer0.irq'): TraceEvent => ({ time, source, kind: 'irq', level });
const mark = (time: number, label: string, source = 'test'): TraceEvent => ({ time, source, kind: 'mark', label });
const expiry = (time: number, timer = 'timer0.timer', cause: 'expiry' | 'commit' = 'expiry', source = 'timer0'): TraceEvent => ({ time, source, kind: 'expiry', timer, cause });

/** Parses a marble with rxjs's parser in run mode: `[frame, value]` per next notification (and kinds, to catch stray ones). */
const parse = (d: MarbleDiagram): [number, string, unknown][] =>
  new TestScheduler(() => undefined).run(() =>
    TestScheduler.parseMarbles(d.marble, d.values, undefined, true, true).map(({ frame, notification: n }) => [frame, n.kind, n.kind === 'N' ? n.value : undefined]),
  );

/** What the parse must give: each event's frame (scaled by the run-mode frameTimeFactor, 1) and label. */
const expectedFrames = (events: readonly TraceEvent[], d: MarbleDiagram, label = (e: TraceEvent) => marbleLabel(e)): [number, string, unknown][] => {
  const factor = new TestScheduler(() => undefined).run(() => TestScheduler.frameTimeFactor);
  return events.map((e) => [((e.time - d.from) / d.nsPerFrame) * factor, 'N', label(e)]);
};

describe('toMarbleDiagram', () => {
  it('is exported from system/explore', () => {
    expect(explore.toMarbleDiagram).toBe(toMarbleDiagram);
    expect(explore.MarbleDiagramError).toBe(MarbleDiagramError);
  });

  describe('frames and sync groups', () => {
    it('puts each instant at its frame from `from`, with `-` for the empty frames between', () => {
      const events = [mark(0, 'a'), mark(3000, 'b'), mark(7000, 'c')];
      const d = toMarbleDiagram(events, { nsPerFrame: 1000 });
      expect(d.marble).toBe('a--b---c');
      expect(d.values).toEqual({ a: 'test.a', b: 'test.b', c: 'test.c' });
      expect(parse(d)).toEqual(expectedFrames(events, d));
    });

    it('makes the events of one instant a sync group, in trace order; a lone event has no parentheses', () => {
      const events = [wr(0, 0x0, 4), irq(2000, true), rd(2000, 0x4, 4), rd(2000, 0xc, 1), rd(7000, 0x4, 1)];
      const d = toMarbleDiagram(events, { nsPerFrame: 1000 });
      const expected =      'a-(bcd)e';
      //                       ^ frame 2: the group takes frames 2..6, so the next instant (frame 7) follows it
      expect(d.marble).toBe(expected);
      expect(d.values).toEqual({ a: 'W 0x0=0x4', b: 'timer0.irq irq=1', c: 'R 0x4=4', d: 'R 0xc=1', e: 'R 0x4=1' });
      expect(parse(d)).toEqual(expectedFrames(events, d));
      expect(parse(d).map(([frame]) => frame)).toEqual([0, 2, 2, 2, 7]);
    });

    it('refuses an explicit nsPerFrame whose groups would run into the next instant, and names one that fits', () => {
      const events = [irq(2000, true), rd(2000, 0x4, 4), rd(2000, 0xc, 1), rd(5000, 0x4, 1)];
      const e = thrown(() => toMarbleDiagram(events, { nsPerFrame: 1000, from: 0 }));
      expect(e).toBeInstanceOf(MarbleDiagramError);
      expect(e).toBeInstanceOf(RangeError);
      expect(e).toMatchObject({ name: 'MarbleDiagramError', value: 1000 });
      expect((e as Error).message).toBe(
        'toMarbleDiagram(nsPerFrame): 1000 is invalid: the group at 2000 ns takes 5 frames, but the next instant is 3000 ns later: ' +
          'use nsPerFrame 500 or smaller (a divisor of 1000), or narrow the window',
      );
      // …and the suggestion works
      const d = toMarbleDiagram(events, { nsPerFrame: 500, from: 0 });
      expect(d.marble).toBe('----(abc)-d');
      expect(parse(d)).toEqual(expectedFrames(events, d));
    });

    it('by default picks the largest frame that divides every offset and leaves room for every group', () => {
      // gcd 1000, one event per instant: 1000 ns per frame
      expect(toMarbleDiagram([mark(0, 'a'), mark(3000, 'b'), mark(7000, 'c')]).nsPerFrame).toBe(1000);
      // gcd 2000, the first group is 1 frame long: 2000 ns per frame
      expect(toMarbleDiagram([wr(0, 0, 4), irq(2000, true), rd(2000, 4, 4)])).toMatchObject({ nsPerFrame: 2000, marble: 'a(bc)' });
      // a group of 3 (5 frames) 1000 ns before the next instant: 200 ns per frame
      expect(toMarbleDiagram([mark(0, 'a'), mark(0, 'b'), mark(0, 'c'), mark(1000, 'd')])).toMatchObject({ nsPerFrame: 200, marble: '(abc)d' });
      // gap 21 ns after a 5-frame group: at most 4 ns per frame, and it must divide 21: 3
      const events = [mark(0, 'a'), mark(0, 'b'), mark(0, 'c'), mark(21, 'd')];
      const d = toMarbleDiagram(events);
      expect(d).toMatchObject({ nsPerFrame: 3, marble: '(abc)--d' });
      expect(parse(d)).toEqual(expectedFrames(events, d));
      // a single instant: one frame of 1 ns
      expect(toMarbleDiagram([mark(50, 'a'), mark(50, 'b')])).toMatchObject({ nsPerFrame: 1, from: 50, marble: '(ab)' });
    });

    it('by default, any trace of distinct labels parses back to its events (property)', () => {
      const trace = fc
        .array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 9 })), { minLength: 1, maxLength: 25 })
        .map((steps) => {
          // distinct times grow by at least the largest group (12 chars), so the default always fits
          let time = 0;
          return steps.map(([gap, label]) => mark((time += gap * 12), `l${label}`));
        });
      fc.assert(
        fc.property(trace, (events) => {
          const d = toMarbleDiagram(events);
          expect(parse(d)).toEqual(expectedFrames(events, d));
        }),
        { numRuns: 200 },
      );
    });

    it('refuses, by default, instants closer than their groups even at 1 ns per frame', () => {
      const e = thrown(() => toMarbleDiagram([mark(0, 'a'), mark(0, 'b'), mark(3, 'c')]));
      expect(e).toBeInstanceOf(MarbleDiagramError);
      expect(e).toMatchObject({ value: 3, what: 'toMarbleDiagram(events)' });
      expect((e as Error).message).toMatch(/the group at 0 ns takes 4 frames, but the next instant is 3 ns later: they are too close even at 1 ns per frame/);
    });

    it('refuses an nsPerFrame that puts an instant between frames', () => {
      const e = thrown(() => toMarbleDiagram([mark(0, 'a'), mark(1500, 'b')], { nsPerFrame: 1000 }));
      expect(e).toBeInstanceOf(MarbleDiagramError);
      expect((e as Error).message).toBe(
        'toMarbleDiagram(nsPerFrame): 1000 is invalid: the instant 1500 ns is not a whole number of frames from 0 ns: use a divisor of 1500',
      );
    });

    it('refuses a diagram longer than maxFrames', () => {
      expect(() => toMarbleDiagram([mark(0, 'a'), mark(1, 'b'), mark(20_001, 'c')])).toThrow(/would span more than maxFrames \(10000\)/);
      expect(toMarbleDiagram([mark(0, 'a'), mark(1, 'b'), mark(20_001, 'c')], { maxFrames: 20_002 }).marble).toHaveLength(20_002);
    });
  });

  describe('characters', () => {
    it('a–z, A–Z, then punctuation with no marble meaning; never a digit or `-|#^!() `; a label seen again keeps its character', () => {
      const events = Array.from({ length: 73 }, (_, i) => mark(i, `m${i}`));
      events.push(mark(73, 'm0'));
      const d = toMarbleDiagram(events);
      const chars = Object.keys(d.values);
      expect(chars).toHaveLength(73);
      expect(chars.slice(0, 52).join('')).toBe('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ');
      expect(chars.slice(52).join('')).toBe('*+.,:;<=>?@[]_{}~$%&/');
      for (const c of chars) expect(c).not.toMatch(/[-|#^!() 0-9'"\\`]/);
      expect(d.marble.at(-1)).toBe('a');
      expect(parse(d)).toEqual(expectedFrames(events, d));
    });

    it('refuses more distinct labels than characters', () => {
      const e = thrown(() => toMarbleDiagram(Array.from({ length: 74 }, (_, i) => mark(i, `m${i}`))));
      expect(e).toBeInstanceOf(MarbleDiagramError);
      expect((e as Error).message).toBe(
        'toMarbleDiagram(events): "test.m73" is invalid: more than 73 distinct labels: narrow the window (from/to) or filter with include',
      );
    });
  });

  describe('window and filter', () => {
    const events = [wr(0, 0x0, 4), rd(1000, 0x4, 3), rd(2000, 0x4, 2), irq(4000, true), rd(4000, 0x4, 4), rd(6000, 0x4, 2)];

    it('keeps [from, to] (inclusive); frame 0 is `from`, and the legend starts with it', () => {
      const d = toMarbleDiagram(events, { from: 2000, to: 4000, nsPerFrame: 500 });
      expect(d).toMatchObject({ from: 2000, nsPerFrame: 500, marble: 'a---(bc)' });
      expect(d.values).toEqual({ a: 'R 0x4=2', b: 'timer0.irq irq=1', c: 'R 0x4=4' });
      expect(d.text.split('\n')[0]).toBe('// 1 frame = 500 ns, frame 0 = 2000 ns');
    });

    it('without `from`, frame 0 is the first event kept', () => {
      expect(toMarbleDiagram(events, { to: 2000 })).toMatchObject({ from: 0, nsPerFrame: 1000, marble: 'abc' });
      expect(toMarbleDiagram(events, { include: (e) => e.kind === 'irq' || e.time > 4000 })).toMatchObject({ from: 4000, nsPerFrame: 2000, marble: 'ab' });
    });

    it('`include` drops events before the window and the default frame are chosen', () => {
      const d = toMarbleDiagram(events, { include: (e) => e.kind === 'read' });
      expect(d).toMatchObject({ from: 1000, nsPerFrame: 1000, marble: 'ab-c-b' });
      expect(d.values).toEqual({ a: 'R 0x4=3', b: 'R 0x4=2', c: 'R 0x4=4' });
    });
  });

  describe('labels', () => {
    it('names registers through registerName (offsets in hex otherwise): reads decimal, writes hex, refusals marked', () => {
      const registerName = registerNamesOf([{ name: 'timer0', registers: [{ name: 'LOAD', offset: 0 }, { name: 'VALUE', offset: 4 }] }]);
      const events: TraceEvent[] = [wr(0, 0x0, 255), rd(0, 0x4, 255), rd(0, 0x10, 7), { ...wr(0, 0x4, 5), error: 'read-only' }];
      expect(Object.values(toMarbleDiagram(events, { registerName }).values)).toEqual(['W LOAD=0xff', 'R VALUE=255', 'R 0x10=7', 'W VALUE=0x5 !read-only']);
    });

    it('prefixes register names with the device when the window holds accesses to several devices', () => {
      const registerName = registerNamesOf([
        { name: 't0', registers: [{ name: 'VALUE', offset: 4 }] },
        { name: 't1', registers: [{ name: 'VALUE', offset: 4 }] },
      ]);
      const events = [rd(0, 4, 1, 't0'), rd(10, 4, 1, 't1')];
      expect(Object.values(toMarbleDiagram(events, { registerName }).values)).toEqual(['R t0.VALUE=1', 'R t1.VALUE=1']);
      expect(Object.values(toMarbleDiagram(events, { registerName, to: 5 }).values)).toEqual(['R VALUE=1']);
    });

    it('labels every kind of event', () => {
      const events: TraceEvent[] = [
        expiry(0),
        expiry(0, 'timer0.timer', 'commit'),
        irq(0, true),
        irq(0, false),
        { time: 0, source: 'timer0', kind: 'guest-error', offset: 4, size: 4, reason: 'read-only', detail: 'VALUE' },
        { time: 0, source: 'timer0', kind: 'unimplemented', offset: 0, feature: 'CTRL.SELEXTEN' },
        { time: 0, source: 'timer0', kind: 'trigger', timer: 'timer0.timer', delivery: 'bottom-half' },
        { time: 0, source: 'timer0', kind: 'trigger', timer: 'timer0.timer', delivery: 'sync' },
        { time: 0, source: 'check', kind: 'violation', message: 'G1 broken' },
        mark(0, 'step', 'guest'),
      ];
      expect(Object.values(toMarbleDiagram(events).values)).toEqual([
        'timer0 expiry',
        'timer0 expiry (commit)',
        'timer0.irq irq=1',
        'timer0.irq irq=0',
        'timer0 guest-error read-only',
        'timer0 unimplemented CTRL.SELEXTEN',
        'bottom-half timer0.timer',
        'trigger timer0.timer',
        'violation: G1 broken',
        'guest.step',
      ]);
    });

    it('names the timer of an expiry when the window holds expiries of several timers of that device', () => {
      const events = [expiry(0, 'sp0.timer1', 'expiry', 'sp0'), expiry(10, 'sp0.timer2', 'expiry', 'sp0'), expiry(20, 'ct.counter', 'expiry', 'ct')];
      expect(Object.values(toMarbleDiagram(events).values)).toEqual(['sp0.timer1 expiry', 'sp0.timer2 expiry', 'ct expiry']);
      expect(Object.values(toMarbleDiagram(events, { to: 5 }).values)).toEqual(['sp0 expiry']);
    });
  });

  describe('text', () => {
    it('is a comment with the frame size, the marble line and the legend, ready to paste', () => {
      const d = toMarbleDiagram([wr(0, 0, 4), irq(3000, true), rd(3000, 4, 4), { time: 7000, source: 'c', kind: 'violation', message: 'two\nlines' }], {
        nsPerFrame: 1000,
      });
      expect(d.text).toBe(
        [
          '// 1 frame = 1000 ns, frame 0 = 0 ns',
          "const expected = 'a--(bc)d';",
          '//   a  W 0x0=0x4',
          '//   b  timer0.irq irq=1',
          '//   c  R 0x4=4',
          '//   d  violation: two lines',
        ].join('\n'),
      );
      expect(d.values.d).toBe('violation: two\nlines');
    });
  });

  describe('errors', () => {
    const events = [mark(0, 'a'), mark(1000, 'b')];

    it('from after to', () => {
      const e = thrown(() => toMarbleDiagram(events, { from: 2000, to: 1000 }));
      expect(e).toBeInstanceOf(MarbleDiagramError);
      expect(e).toMatchObject({ value: 2000, what: 'toMarbleDiagram(from)' });
      expect((e as Error).message).toBe('toMarbleDiagram(from): 2000 is invalid: from must not be after to (1000 ns)');
    });

    it.each([1.5, 0, -1000, Number.NaN, Number.POSITIVE_INFINITY])('nsPerFrame %s', (nsPerFrame) => {
      const e = thrown(() => toMarbleDiagram(events, { nsPerFrame }));
      expect(e).toBeInstanceOf(MarbleDiagramError);
      expect(e).toMatchObject({ rule: 'must be a positive whole number of ns', what: 'toMarbleDiagram(nsPerFrame)' });
      expect((e as Error).message).toContain(String(nsPerFrame));
    });

    it('from or to not a whole number of ns', () => {
      expect(() => toMarbleDiagram(events, { from: 0.5 })).toThrow('toMarbleDiagram(from): 0.5 is invalid: must be a whole number of ns');
      expect(() => toMarbleDiagram(events, { to: Number.NaN })).toThrow(MarbleDiagramError);
    });

    it('an empty window, an empty trace, or nothing included', () => {
      expect(() => toMarbleDiagram(events, { from: 1, to: 999 })).toThrow(
        'toMarbleDiagram(window): "[1, 999] ns" is invalid: the window holds no event (of 2): widen it or include more',
      );
      expect(() => toMarbleDiagram([])).toThrow(MarbleDiagramError);
      expect(() => toMarbleDiagram(events, { include: () => false })).toThrow(/holds no event \(of 2 before include\)/);
    });

    it('events out of trace order', () => {
      expect(() => toMarbleDiagram([mark(1000, 'a'), mark(0, 'b')])).toThrow(
        'toMarbleDiagram(events): 0 is invalid: events must be in trace order: event 1 is earlier than the one before it (1000 ns)',
      );
    });
  });
});

describe('toMarbleDiagram round trip: the seed race (LP #1777777) on the minimal timer, run in a System', () => {
  /** A guest programs LOAD 4 and EN|IRQEN at 0, then reads VALUE and INTSTATUS at the first expiry (4000 ns). */
  const seedRace = (delivery: TriggerDelivery) => {
    const system = new System();
    const device = new MinimalTimer(system.clock, { name: 'timer0', periodNs: 1000, delivery });
    system.addDevice(device, { base: 0 });
    system.addGuest('reader', function* () {
      yield guestWrite(0x0, 4); // LOAD: expiries at 4000, 8000, … ns
      yield guestWrite(0x8, 0b11); // CTRL: EN | IRQEN
      yield waitUntil(4000); // queued after the expiry was armed: runs after it at 4000 ns
      yield guestRead(0x4); // VALUE
      yield guestRead(0xc); // INTSTATUS
    });
    system.run(6000);
    const registerName = registerNamesOf([device]);
    return { events: system.trace.events, registerName, diagram: toMarbleDiagram(system.trace.events, { nsPerFrame: 1000, registerName }) };
  };

  // The device records each delivery of an expiry (#13): under bottom-half delivery, after the reads.
  it('bottom half: the diagram shows the stale INTSTATUS read before the bottom half raises the line', () => {
    const { diagram } = seedRace('bottom-half');
    expect(diagram.text).toBe(
      [
        '// 1 frame = 1000 ns, frame 0 = 0 ns',
        "const expected = '(ab)(cdef)';",
        '//   a  W LOAD=0x4',
        '//   b  W CTRL=0x3',
        '//   c  R VALUE=4',
        '//   d  R INTSTATUS=0',
        '//   e  timer0 expiry',
        '//   f  timer0.irq irq=1',
      ].join('\n'),
    );
  });

  it('G1: synchronous delivery: the line rises before the reads, which both see the expiry', () => {
    const { diagram } = seedRace('sync');
    expect(diagram.marble).toBe('(ab)(cdef)');
    expect(Object.values(diagram.values)).toEqual(['W LOAD=0x4', 'W CTRL=0x3', 'timer0 expiry', 'timer0.irq irq=1', 'R VALUE=4', 'R INTSTATUS=1']);
  });

  describe.each(['bottom-half', 'sync'] as const)('delivery=%s', (delivery) => {
    it("rxjs's marble parser (run mode) reads the diagram back as the trace: each event's frame and label, in order", () => {
      const { events, registerName, diagram } = seedRace(delivery);
      expect(events.length).toBe(6); // with the device's expiry event (#13)
      expect(parse(diagram)).toEqual(expectedFrames(events, diagram, (e) => marbleLabel(e, { registerName })));
      // the frames, spelled out: the writes at frame 0, the expiry instant at frame 4
      expect(parse(diagram).map(([frame]) => frame)).toEqual([0, 0, 4, 4, 4, 4]);
    });

    it(
      'the diagram passes as the expected marble of a test that replays the trace on the TestScheduler',
      marbles((m) => {
        const { events, registerName, diagram } = seedRace(delivery);
        // each event re-emitted at its frame; same-frame timers fire in subscription order (G4)
        // (NEVER: the diagram has no completion, and neither does a running system)
        const replay$ = merge(
          ...events.map((e) => timer((e.time - diagram.from) / diagram.nsPerFrame, m.scheduler).pipe(map(() => marbleLabel(e, { registerName })))),
          NEVER,
        );
        m.expect(replay$).toBeObservable(diagram.marble, diagram.values);
      }),
    );
  });

  it('the default frame size is the same 1000 ns here (gcd 4000, groups of 4 and 6 frames)', () => {
    const { events, registerName } = seedRace('bottom-half');
    expect(toMarbleDiagram(events, { registerName })).toMatchObject({ nsPerFrame: 1000, marble: '(ab)(cdef)' });
  });
});
