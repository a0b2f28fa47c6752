import type { SchedulerLike } from 'rxjs';
import type { IrqSignal } from '../../shared/IrqSignal';
import type { RegisterShape } from '../defineRegisterMap';
import type { AccessSize } from '../GuestAccess';
import { KitDevice } from './KitDevice';
import { UnmodelledRegisters, type UnmodelledRegistersOptions } from './UnmodelledRegisters';

/** What `attachUnmodelled` takes: the left-out registers and what they stand for (the device's name, scheduler and outlet are the kit's). */
export type KitUnmodelledOptions = Omit<UnmodelledRegistersOptions, 'device' | 'scheduler' | 'sink'>;

/**
 * A {@link KitDevice} that models the timer part of a larger peripheral: a guest access
 * that falls on one of the registers it leaves out goes to its {@link UnmodelledRegisters}
 * (an `unimplemented` event, a read of 0, no state change, and no `updateIrq`), every other
 * access to the register bank as on any kit device.
 *
 * A device kit piece. A subclass calls `attachUnmodelled` in its constructor, after
 * `super`; like the rest of the kit, the routing is on the prototype (#19).
 *
 * Ordering: as {@link KitDevice}: an unimplemented access is reported inside the access (G1).
 *
 * ## Example
 * ```ts
 * class Dma extends PartlyModelledDevice<RegisterShapeOf<typeof DMA_REGISTERS>> {
 *   constructor(scheduler: SchedulerLike) {
 *     super(scheduler, 'dma');
 *     this.attachBank(DMA_REGISTERS, {});
 *     this.attachUnmodelled({ registers: [{ name: 'CURDESC', offset: 0x08 }], what: 'descriptor engine' });
 *   }
 *   // ...as KitDevice's example
 * }
 * ```
 */
export abstract class PartlyModelledDevice<R extends RegisterShape, L extends Readonly<Record<string, IrqSignal>> = Readonly<Record<string, IrqSignal>>> extends KitDevice<R, L> {
  /**
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param name - the instance name, the `source` of its events
   */
  protected constructor(scheduler: SchedulerLike, name: string) {
    super(scheduler, name);
  }

  /**
   * A guest load: 0 and an `unimplemented` event on a left-out register, else the bank's value.
   * @param offset - byte offset in the device's region
   * @param size - access size in bytes
   * @returns the value read
   */
  override read(offset: number, size: AccessSize): number {
    return this.unmodelled.read(offset, size) ?? super.read(offset, size);
  }

  /**
   * A guest store: reported and dropped on a left-out register, else applied by the bank and the outputs recomputed.
   * @param offset - byte offset in the device's region
   * @param size - access size in bytes
   * @param value - the value stored
   */
  override write(offset: number, size: AccessSize, value: number): void {
    if (this.unmodelled.write(offset, size, value)) return;
    super.write(offset, size, value);
  }

  /**
   * Lists the registers the model leaves out, reported with the device's name, scheduler and outlet.
   * @param options - the registers, what they stand for, the sizes they take, modelled registers inside them
   * @returns them (also `this.unmodelled`)
   */
  protected attachUnmodelled(options: KitUnmodelledOptions): UnmodelledRegisters {
    this.unmodelled = new UnmodelledRegisters({ ...options, device: this.name, scheduler: this.scheduler, sink: this.outlet });
    return this.unmodelled;
  }

  /** The left-out registers, made by `attachUnmodelled` in the subclass's constructor. */
  protected unmodelled!: UnmodelledRegisters;
}
