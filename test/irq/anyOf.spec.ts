// Marble frames here are plain TestScheduler frames: no timer runs, so no ns scaling is involved.
import { BehaviorSubject, distinctUntilChanged, Subject, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock';
import { anyOf } from '../../src/irq/anyOf';
import { IrqArgumentError } from '../../src/irq/IrqArgumentError';
import { IrqLine, type IrqSignal } from '../../src/irq/IrqLine';
import { isIrqSignal } from '../../src/irq/isIrqSignal';
import { thrown } from '../support/errors';
import { marbles } from '../support/marbles';

const LEVELS = { f: false, t: true };

/** Subscribes to `signal.level$` and returns the array its emissions go to. */
const watch = (signal: IrqSignal): boolean[] => {
  const seen: boolean[] = [];
  signal.level$.subscribe((level) => seen.push(level));
  return seen;
};

/** A signal driven by an observable (for marbles and for checking teardown); `level` is never read by anyOf's `level$`. */
const signalOf = (name: string, level$: Observable<boolean>, level = false): IrqSignal => ({ name, level, level$ });

describe('anyOf', () => {
  it('level is the OR of the inputs, read at once after each change', () => {
    const [a, b, c] = [new IrqLine('a'), new IrqLine('b'), new IrqLine('c')];
    const any = anyOf('any', a, b, c);
    expect(any.name).toBe('any');
    expect(any.level).toBe(false);
    b.raise();
    expect(any.level).toBe(true);
    c.raise();
    b.lower();
    expect(any.level).toBe(true);
    c.lower();
    expect(any.level).toBe(false);
  });

  it('level$ emits the current OR once on subscription, however many inputs', () => {
    const [a, b, c] = [new IrqLine('a'), new IrqLine('b', true), new IrqLine('c', true)];
    expect(watch(anyOf('any', a, b, c))).toStrictEqual([true]);
    expect(watch(anyOf('low', a, new IrqLine('d')))).toStrictEqual([false]);
  });

  it('level$ emits only changes of the OR: an input rising while another is high emits nothing', () => {
    const [a, b] = [new IrqLine('a'), new IrqLine('b')];
    const seen = watch(anyOf('any', a, b));
    a.raise(); // OR rises
    b.raise(); // already high
    a.lower(); // b still high
    b.lower(); // OR falls
    b.set(false); // no change at all
    expect(seen).toStrictEqual([false, true, false]);
  });

  it('G1: level$ emits synchronously inside the input change, at the instant of the change', () => {
    const clock = new VirtualClock();
    const [a, b] = [new IrqLine('a'), new IrqLine('b')];
    const any = anyOf('any', a, b);
    const seen: string[] = [];
    any.level$.subscribe((level) => seen.push(`${level}@${clock.now()}`));
    clock.schedule(() => {
      a.raise();
      // The device callback's next statement already sees the combined line high.
      seen.push(`after raise: level ${any.level}, seen ${seen.length}`);
    }, 100);
    clock.schedule(() => a.lower(), 250);
    clock.advanceTo(100);
    expect(seen).toStrictEqual(['false@0', 'true@100', 'after raise: level true, seen 2']);
    clock.advanceTo(1_000);
    expect(seen.slice(3)).toStrictEqual(['false@250']);
  });

  it('a pulse on an input passes through as high then low; on a line held high by another input it is absorbed', () => {
    const [a, b] = [new IrqLine('a'), new IrqLine('b')];
    const seen = watch(anyOf('any', a, b));
    a.pulse();
    expect(seen).toStrictEqual([false, true, false]);
    b.raise();
    a.pulse();
    expect(seen).toStrictEqual([false, true, false, true]);
  });

  it('a subscriber that lowers the input when it sees the OR rise (an acknowledge) sees rise then fall, in order', () => {
    const a = new IrqLine('a');
    const any = anyOf('any', a, new IrqLine('b'));
    const seen: boolean[] = [];
    any.level$.subscribe((level) => {
      seen.push(level);
      if (level) a.lower();
    });
    a.raise();
    expect(seen).toStrictEqual([false, true, false]);
    expect(any.level).toBe(false);
  });

  it('combines combinations, and the same input twice', () => {
    const [a, b, c] = [new IrqLine('a'), new IrqLine('b'), new IrqLine('c')];
    const top = anyOf('top', anyOf('ab', a, b), c, c);
    const seen = watch(top);
    b.raise();
    c.raise();
    b.lower();
    c.lower();
    expect(seen).toStrictEqual([false, true, false]);
    expect(top.level).toBe(false);
  });

  it('one input: the same levels as the input', () => {
    const a = new IrqLine('a', true);
    const seen = watch(anyOf('one', a));
    a.lower();
    a.raise();
    expect(seen).toStrictEqual([true, false, true]);
  });

  it('each subscriber gets its own current level on subscription', () => {
    const a = new IrqLine('a');
    const any = anyOf('any', a);
    const first = watch(any);
    a.raise();
    const second = watch(any);
    a.lower();
    expect(first).toStrictEqual([false, true, false]);
    expect(second).toStrictEqual([true, false]);
  });

  it('unsubscribing unsubscribes from every input', () => {
    const [x, y] = [new BehaviorSubject(false), new BehaviorSubject(false)];
    const any = anyOf('any', signalOf('x', x), signalOf('y', y));
    const seen: boolean[] = [];
    const subscription = any.level$.subscribe((level) => seen.push(level));
    expect(x.observed && y.observed).toBe(true);
    subscription.unsubscribe();
    expect(x.observed || y.observed).toBe(false);
    x.next(true);
    expect(seen).toStrictEqual([false]);
  });

  it('level$ errors when an input errors, and completes when every input has completed', () => {
    const [x, y] = [new BehaviorSubject(false), new BehaviorSubject(true)];
    const log: string[] = [];
    anyOf('any', signalOf('x', x), signalOf('y', y)).level$.subscribe({
      next: (level) => log.push(String(level)),
      complete: () => log.push('complete'),
    });
    x.complete();
    y.next(false);
    y.complete();
    expect(log).toStrictEqual(['true', 'false', 'complete']);

    const failing = new Subject<boolean>();
    const errors: unknown[] = [];
    const boom = new Error('boom');
    anyOf('any', signalOf('f', failing)).level$.subscribe({ error: (e: unknown) => errors.push(e) });
    failing.error(boom);
    expect(errors).toStrictEqual([boom]);
  });

  it(
    'the doc example: a and b overlap, the OR rises with a and falls with b',
    marbles((m) => {
      const a = signalOf('a', m.cold('  f--t-----f--', LEVELS).pipe(distinctUntilChanged()));
      const b = signalOf('b', m.cold('  f-----t-----f', LEVELS).pipe(distinctUntilChanged()));
      m.expect(anyOf('ab', a, b).level$).toBeObservable('f--t--------f', LEVELS);
    }),
  );

  it('inputs changing at one instant are followed in the order they change: the OR may fall and rise within it', () => {
    const clock = new VirtualClock();
    const [a, b] = [new IrqLine('a', true), new IrqLine('b')];
    const seen: string[] = [];
    anyOf('ab', a, b).level$.subscribe((level) => seen.push(`${level}@${clock.now()}`));
    clock.schedule(() => a.lower(), 100); // a first: for a moment no input is high
    clock.schedule(() => b.raise(), 100);
    clock.schedule(() => a.raise(), 200); // a rises first this time: the OR never drops
    clock.schedule(() => b.lower(), 200);
    clock.advanceTo(300);
    expect(seen).toStrictEqual(['true@0', 'false@100', 'true@100']);
  });
});

describe('anyOf: bad arguments', () => {
  it('no inputs', () => {
    const error = thrown(() => anyOf('none'));
    expect(error).toBeInstanceOf(IrqArgumentError);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe(
      'anyOf(signals.length): 0 is invalid: at least one signal is needed (an OR of nothing has no line)',
    );
  });

  const SUBJECT = '{"closed":false,"currentObservers":null,"observers":[],"isStopped":false,"hasError":false,"thrownError":null}';
  it.each([
    ['null', null, 'null'],
    ['a string', 'irq0', '"irq0"'],
    ['an object without level$', { name: 'x', level: false }, '{"name":"x","level":false}'],
    ['a level that is not a boolean', { name: 'x', level: 1, level$: new Subject() }, `{"name":"x","level":1,"level$":Subject ${SUBJECT}}`],
    ['a level$ that is not observable', { name: 'x', level: false, level$: [true] }, '{"name":"x","level":false,"level$":[true]}'],
    ['a name that is not a string', { name: 7, level: false, level$: new Subject() }, `{"name":7,"level":false,"level$":Subject ${SUBJECT}}`],
  ])('an input that is not an IrqSignal: %s', (_what, value, shown) => {
    const error = thrown(() => anyOf('any', new IrqLine('a'), value as unknown as IrqSignal));
    expect(error).toBeInstanceOf(IrqArgumentError);
    expect(error).toMatchObject({ value, rule: 'must be an IrqSignal (name, level and level$)' });
    expect((error as Error).message).toBe(`anyOf(signals[1]): ${shown} is invalid: must be an IrqSignal (name, level and level$)`);
  });

  it('a name that is not a string', () => {
    const error = thrown(() => anyOf(undefined as unknown as string, new IrqLine('a')));
    expect(error).toBeInstanceOf(IrqArgumentError);
    expect((error as Error).message).toBe('anyOf(name): undefined is invalid: must be a string');
  });

  it('isIrqSignal accepts lines and combinations', () => {
    expect(isIrqSignal(new IrqLine('a'))).toBe(true);
    expect(isIrqSignal(anyOf('x', new IrqLine('a')))).toBe(true);
    expect(isIrqSignal(undefined)).toBe(false);
  });
});
