import { IrqLine, type IrqSignal } from './IrqLine';

/**
 * Whether `value` has the shape of an {@link IrqSignal}: a string `name`, a
 * boolean `level`, a `level$` with a `subscribe` method and a `watch`
 * method. (The shape only: whether they keep the signal's contract is the
 * signal's business.)
 *
 * Ordering: none (reads `level` once).
 *
 * ## Example
 * ```ts
 * isIrqSignal(new IrqLine('irq0')); // true
 * isIrqSignal({ name: 'x' });        // false
 * ```
 *
 * @param value - anything
 * @returns true when it can be used as an IrqSignal
 * @see anyOf
 */
export const isIrqSignal = (value: unknown): value is IrqSignal => {
  if (typeof value !== 'object' || value === null) return false;
  // A line is one, and reading its `level$` would build the stream (and its side record) for nothing.
  if (value instanceof IrqLine) return true;
  const candidate = value as { readonly name?: unknown; readonly level?: unknown; readonly level$?: unknown; readonly watch?: unknown };
  const level$ = candidate.level$ as { readonly subscribe?: unknown } | null | undefined;
  return (
    typeof candidate.name === 'string' &&
    typeof candidate.level === 'boolean' &&
    typeof level$ === 'object' &&
    level$ !== null &&
    typeof level$.subscribe === 'function' &&
    typeof candidate.watch === 'function'
  );
};

/** The rule {@link isIrqSignal} checks, for error messages. @internal */
export const IRQ_SIGNAL_RULE = 'must be an IrqSignal (name, level, level$ and watch)';
