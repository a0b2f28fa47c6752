import { Observable } from 'rxjs';
import { IrqArgumentError } from './IrqArgumentError';
import { IrqLine, type IrqSignal, type WatchOptions } from './IrqLine';
import { IRQ_SIGNAL_RULE, isIrqSignal } from './isIrqSignal';

/**
 * The OR of interrupt signals, as one signal: high while any input is high.
 * This is the one place where a multi-timer device combines its timers'
 * lines (STYLE.md 18).
 *
 * `level` reads the inputs, so it is always current. `watch` listeners get
 * each change of the OR, and `level$` the current OR on subscription, then
 * each change; never the same level twice in a row: an input rising while
 * another is already high changes nothing. There is no glitch filter: when
 * inputs change one after the other at one instant, the OR follows each
 * change (one falling before another rises shows low in between, as a
 * hardware OR gate would). Like a line, `level$` neither errors nor completes.
 *
 * The OR follows its inputs through their `watch` while anybody follows it
 * (a `watch` listener or a `level$` subscriber), and lets go of them when
 * the last one leaves, so an OR nobody follows holds nothing on its inputs.
 * It is a plain listener of its inputs: their recorders (`first` listeners,
 * a system's trace) have the input's change before the OR changes, so a
 * trace shows the cause first.
 *
 * Ordering: preserves G1. The OR changes synchronously inside the input's
 * change, with no scheduler hop, so a device callback that raises one input
 * is seen by the OR's listeners within the same step. A listener that throws
 * does not keep the others from the change; the first error reaches whoever
 * changed the input, once every listener has run.
 *
 * ## Example
 * ```
 * a:          f--t-----f--
 * b:          f-----t-----f
 * anyOf(a,b): f--t--------f
 * ```
 * ```ts
 * const irq = anyOf('dualtimer', timer1.irq, timer2.irq);
 * const stop = irq.watch((level) => gic.set(level));
 * ```
 *
 * @param name - the combined signal's name (the `source` of its `irq` trace events)
 * @param signals - at least one input; the same input may appear twice
 * @returns the combined signal
 * @throws IrqArgumentError for a name that is not a string, no inputs, or an input that is not an IrqSignal
 * @see irqEvents to trace the combined line
 */
export const anyOf = (name: string, ...signals: IrqSignal[]): IrqSignal => {
  if (typeof name !== 'string') throw new IrqArgumentError(name, 'must be a string', 'anyOf(name)');
  if (signals.length === 0) {
    const rule = 'at least one signal is needed (an OR of nothing has no line)';
    throw new IrqArgumentError(signals.length, rule, 'anyOf(signals.length)');
  }
  signals.forEach((signal, i) => {
    if (!isIrqSignal(signal)) throw new IrqArgumentError(signal, IRQ_SIGNAL_RULE, `anyOf(signals[${i}])`);
  });
  const inputs: readonly IrqSignal[] = [...signals];
  // The OR as a line: it keeps the delivery rules of a line (changes made during a delivery
  // come after it, the first listener error after all listeners) in one place.
  const out = new IrqLine(name);
  /** Each input's level as its listener last heard it. */
  const heard = inputs.map(() => false);
  let followers = 0;
  let unwatch: readonly (() => void)[] = [];
  const follow = (): (() => void) => {
    if (followers++ === 0) {
      inputs.forEach((input, i) => (heard[i] = input.level));
      out.set(heard.includes(true)); // nobody listens yet: this only sets the level
      unwatch = inputs.map((input, i) =>
        input.watch((level) => {
          heard[i] = level;
          out.set(heard.includes(true));
        }),
      );
    }
    let following = true;
    return () => {
      if (!following) return;
      following = false;
      if (--followers > 0) return;
      const stops = unwatch;
      unwatch = [];
      for (const stop of stops) stop();
    };
  };
  return Object.freeze({
    name,
    get level(): boolean {
      // A loop, not `some` with a closure: read by every wait on the line (allocation-free).
      for (let i = 0; i < inputs.length; i++) if (inputs[i]!.level) return true;
      return false;
    },
    level$: new Observable<boolean>((subscriber) => {
      const leave = follow();
      const inner = out.level$.subscribe(subscriber);
      return () => {
        inner.unsubscribe();
        leave();
      };
    }),
    watch(listener: (level: boolean) => void, options?: WatchOptions): () => void {
      const leave = follow();
      const stop = out.watch(listener, options);
      return () => {
        stop();
        leave();
      };
    },
  });
};
