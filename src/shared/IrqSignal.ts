import type { Observable } from 'rxjs';

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
