// Marble frames here are plain TestScheduler frames: no timer runs, so no ns scaling is involved.
import { distinctUntilChanged, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock';
import { anyOf } from '../../src/irq/anyOf';
import { IrqArgumentError } from '../../src/irq/IrqArgumentError';
import { IrqLine, type IrqSignal } from '../../src/irq/IrqLine';
import { isIrqSignal } from '../../src/irq/isIrqSignal';
import { waitForIrq } from '../../operators/driverCommands';
import { thrown } from '../support/errors';
import { marbles } from '../support/marbles';
import { counted, signalOf } from '../support/signals';

const LEVELS = { f: false, t: true };

/** Subscribes to `signal.level$` and returns the array its emissions go to. */
const watch = (signal: IrqSignal): boolean[] => {
  const seen: boolean[] = [];
  signal.level$.subscribe((level) => seen.push(level));
  return seen;
};

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

  it('follows its inputs (through watch) only while somebody follows it: the last one to leave lets go of every input', () => {
    const [x, y] = [counted(new IrqLine('x')), counted(new IrqLine('y'))];
    const any = anyOf('any', x.signal, y.signal);
    expect([x.followers(), y.followers()]).toStrictEqual([0, 0]);
    const seen: boolean[] = [];
    const subscription = any.level$.subscribe((level) => seen.push(level));
    const stop = any.watch((level) => seen.push(level));
    expect([x.followers(), y.followers()]).toStrictEqual([1, 1]);
    subscription.unsubscribe();
    expect([x.followers(), y.followers()]).toStrictEqual([1, 1]);
    stop();
    stop(); // idempotent
    expect([x.followers(), y.followers()]).toStrictEqual([0, 0]);
    expect(seen).toStrictEqual([false]);
    expect(any.level).toBe(false); // level reads the inputs, followed or not
  });

  it('watch: each change of the OR (not the current level), synchronously, inside the input listener call that caused it', () => {
    const [a, b] = [new IrqLine('a'), new IrqLine('b', true)];
    const log: string[] = [];
    a.watch((level) => log.push(`a=${level}`)); // watches a before it watches the OR: hears a first
    const any = anyOf('any', a, b);
    any.watch((level) => log.push(`any=${level}`));
    b.lower();
    a.raise();
    b.raise(); // the OR is already high: nothing
    a.pulse(); // absorbed by a held-high line
    a.lower();
    b.lower();
    expect(log).toStrictEqual(['any=false', 'a=true', 'any=true', 'a=false', 'any=false']);
  });

  it('watch: a listener that throws does not keep the others from the change; the first error reaches whoever changed the input', () => {
    const a = new IrqLine('a');
    const any = anyOf('any', a);
    const seen: boolean[] = [];
    const boom = new Error('boom');
    any.watch(() => {
      throw boom;
    });
    any.watch((level) => seen.push(level));
    expect(thrown(() => a.raise())).toBe(boom);
    expect(seen).toStrictEqual([true]);
    expect(any.level).toBe(true);
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
    ['an object without level$', { name: 'x', level: false, watch: () => () => {} }, '{"name":"x","level":false}'],
    ['an object without watch', { name: 'x', level: false, level$: new Subject() }, `{"name":"x","level":false,"level$":Subject ${SUBJECT}}`],
    ['a level that is not a boolean', { name: 'x', level: 1, level$: new Subject(), watch: () => () => {} }, `{"name":"x","level":1,"level$":Subject ${SUBJECT}}`],
    ['a level$ that is not observable', { name: 'x', level: false, level$: [true], watch: () => () => {} }, '{"name":"x","level":false,"level$":[true]}'],
    ['a name that is not a string', { name: 7, level: false, level$: new Subject(), watch: () => () => {} }, `{"name":7,"level":false,"level$":Subject ${SUBJECT}}`],
  ])('an input that is not an IrqSignal: %s', (_what, value, shown) => {
    const error = thrown(() => anyOf('any', new IrqLine('a'), value as unknown as IrqSignal));
    expect(error).toBeInstanceOf(IrqArgumentError);
    expect(error).toMatchObject({ value, rule: 'must be an IrqSignal (name, level, level$ and watch)' });
    expect((error as Error).message).toBe(`anyOf(signals[1]): ${shown} is invalid: must be an IrqSignal (name, level, level$ and watch)`);
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

  it('checking a line (isIrqSignal, waitForIrq) does not build its level$ stream', () => {
    class Counted extends IrqLine {
      reads = 0;
      override get level$() {
        this.reads++;
        return super.level$;
      }
    }
    const line = new Counted('a');
    expect(isIrqSignal(line)).toBe(true);
    expect(waitForIrq(line).signal).toBe(line);
    expect(line.reads).toBe(0);
    // Something shaped like a signal is still checked by its shape.
    const shaped = { name: 'b', level: false, level$: line.level$, watch: line.watch.bind(line) };
    expect(isIrqSignal(shaped)).toBe(true);
    expect(isIrqSignal({ ...shaped, level$: {} })).toBe(false);
  });
});
