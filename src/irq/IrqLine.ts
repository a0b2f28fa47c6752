import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';

/** Anything that has an interrupt level: a line a device drives, or a combination of lines. */
export interface IrqSignal {
  /** Name used as the `source` of its `irq` trace events. */
  readonly name: string;
  /** The level now. */
  readonly level: boolean;
  /**
   * The level as a signal: the current level on subscription, then each
   * change, never the same level twice in a row. Emissions are synchronous
   * with the change (G1: a device's callback that raises its line is seen by
   * subscribers inside the same step).
   */
  readonly level$: Observable<boolean>;
}

/**
 * An interrupt line driven by one device: a level, not a stream of events.
 * Setting the level it already has does nothing, so a device may call
 * {@link IrqLine.set} with its computed level after every state change
 * (STYLE.md 18: the level is computed in exactly one function).
 *
 * ## Example
 * ```ts
 * const irq = new IrqLine('timer0');
 * irq.level$.subscribe(console.log); // false
 * irq.set(true);                     // true
 * irq.set(true);                     // (nothing: no change)
 * irq.lower();                       // false
 * ```
 */
export class IrqLine implements IrqSignal {
  private readonly subject: BehaviorSubject<boolean>;
  readonly level$: Observable<boolean>;

  /**
   * @param name - the line's name
   * @param initial - its level at creation (default low)
   */
  constructor(
    readonly name: string,
    initial = false,
  ) {
    this.subject = new BehaviorSubject(initial);
    this.level$ = this.subject.pipe(distinctUntilChanged());
  }

  get level(): boolean {
    return this.subject.value;
  }

  /** Drives the line to `level`; no effect if it is already there. */
  set(level: boolean): void {
    if (level !== this.subject.value) this.subject.next(level);
  }

  /** Drives the line high. */
  raise(): void {
    this.set(true);
  }

  /** Drives the line low. */
  lower(): void {
    this.set(false);
  }

  /**
   * A pulse: high, then low again, within one instant (for edge-triggered
   * consumers). On a line already held high it is absorbed: a level line
   * cannot show it, and lowering the line would lie about its holder.
   */
  pulse(): void {
    if (this.subject.value) return;
    this.subject.next(true);
    this.subject.next(false);
  }
}
