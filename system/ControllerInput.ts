import type { IrqSignal } from '../src/irq/IrqLine';

/** One input of an interrupt controller in a system: the device line it follows. @internal */
export interface ControllerInput {
  /** `<device>.<line>`. */
  readonly path: string;
  /** The line. */
  readonly signal: IrqSignal;
  /** Edge-triggered (latched) rather than level (PENDING follows the line). */
  readonly edge: boolean;
}
