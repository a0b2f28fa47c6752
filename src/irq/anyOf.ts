import { combineLatest, distinctUntilChanged, map, type Observable } from 'rxjs';
import { IrqArgumentError } from './IrqArgumentError';
import type { IrqSignal } from './IrqLine';
import { isIrqSignal } from './isIrqSignal';

/**
 * The OR of interrupt signals, as one signal: high while any input is high.
 * This is the one place where a multi-timer device combines its timers'
 * lines (STYLE.md 18).
 *
 * `level` reads the inputs, so it is always current. `level$` emits the
 * current OR on subscription, then each change of the OR, never the same
 * level twice in a row: an input rising while another is already high emits
 * nothing. There is no glitch filter: when inputs change one after the other
 * at one instant, the OR follows each change (one falling before another
 * rises shows low in between, as a hardware OR gate would). `level$` errors
 * when an input's `level$` errors, and completes when all of them have
 * completed.
 *
 * Ordering: preserves G1. `level$` emits synchronously inside the input's
 * emission, with no scheduler hop, so a device callback that raises one
 * input is seen by subscribers of the OR within the same step.
 *
 * ## Example
 * ```
 * a:          f--t-----f--
 * b:          f-----t-----f
 * anyOf(a,b): f--t--------f
 * ```
 * ```ts
 * const irq = anyOf('dualtimer', timer1.irq, timer2.irq);
 * irq.level$.subscribe((level) => gic.set(level));
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
    if (!isIrqSignal(signal)) {
      throw new IrqArgumentError(signal, 'must be an IrqSignal (name, level and level$)', `anyOf(signals[${i}])`);
    }
  });
  const inputs: readonly IrqSignal[] = [...signals];
  const level$: Observable<boolean> = combineLatest(inputs.map((s) => s.level$)).pipe(
    map((levels) => levels.includes(true)),
    distinctUntilChanged(),
  );
  return Object.freeze({
    name,
    get level(): boolean {
      return inputs.some((s) => s.level);
    },
    level$,
  });
};
