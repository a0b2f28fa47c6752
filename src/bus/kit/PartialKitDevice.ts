import type { IrqSignal } from '../../shared/IrqSignal';
import type { RegisterShape } from '../defineRegisterMap';
import type { AccessSize } from '../GuestAccess';
import { KitDevice } from './KitDevice';
import { UnmodelledRegisters, type UnmodelledRegistersOptions } from './UnmodelledRegisters';

/** What `attachUnmodelled` takes: the {@link UnmodelledRegisters} options the device does not already know. */
export type KitUnmodelledOptions = Omit<UnmodelledRegistersOptions, 'device' | 'scheduler' | 'sink'>;

/**
 * A {@link KitDevice} that models part of a larger register block: a guest
 * access that falls on one of the left-out registers is reported by
 * {@link UnmodelledRegisters} (an `unimplemented` event, or a `guest-error`
 * for a bad size or alignment) and reaches neither the bank nor `updateIrq`;
 * every other access is the bank's, as in {@link KitDevice}.
 *
 * A device kit piece, for the devices that sit inside a bigger peripheral
 * (a timer in an Ethernet controller, the one block of an SoC's timer space
 * whose purpose is known). Like {@link KitDevice}, everything is on the
 * prototype; an instance adds one {@link UnmodelledRegisters}, which holds
 * the shared list of registers, not a copy.
 *
 * A subclass calls `attachUnmodelled` in its constructor, next to
 * `attachBank`, and overrides `writeModelled` when a write to a modelled
 * register needs a check before the bank (a watchdog's key).
 *
 * Ordering: as {@link KitDevice}: the report is recorded inside the access (G1).
 *
 * ## Example
 * ```ts
 * class EthTimer extends PartialKitDevice<RegisterShapeOf<typeof ETH_TIMER_REGISTERS>> {
 *   constructor(scheduler: SchedulerLike) {
 *     super(scheduler, 'eth-timer');
 *     this.attachBank(ETH_TIMER_REGISTERS);
 *     this.attachUnmodelled({ registers: [{ name: 'MACCFG1', offset: 0x500 }], what: 'the MAC' });
 *   }
 *   // snapshot, restore, registers, createLines, createProbes, updateIrq as for KitDevice
 * }
 * ```
 */
export abstract class PartialKitDevice<R extends RegisterShape, L extends Readonly<Record<string, IrqSignal>> = Readonly<Record<string, IrqSignal>>> extends KitDevice<R, L> {
  /**
   * A guest load: 0 and a report for a left-out register, else the bank's value.
   * @param offset - byte offset in the device's region
   * @param size - access size in bytes
   * @returns the value read
   */
  override read(offset: number, size: AccessSize): number {
    return this.unmodelled.read(offset, size) ?? super.read(offset, size);
  }

  /**
   * A guest store: a report for a left-out register (nothing changes), else `writeModelled`.
   * @param offset - byte offset in the device's region
   * @param size - access size in bytes
   * @param value - the value stored
   */
  override write(offset: number, size: AccessSize, value: number): void {
    if (!this.unmodelled.write(offset, size, value)) this.writeModelled(offset, size, value);
  }

  /**
   * A store that is not for a left-out register: the bank applies it, then the outputs are
   * recomputed ({@link KitDevice.write}). Override to refuse some writes first.
   * @param offset - byte offset in the device's region
   * @param size - access size in bytes
   * @param value - the value stored
   */
  protected writeModelled(offset: number, size: AccessSize, value: number): void {
    super.write(offset, size, value);
  }

  /**
   * Lists the block's left-out registers, reported with the device's name, scheduler and outlet.
   * @param options - the registers, what they stand for, access sizes, modelled registers inside them
   * @returns the registers (also `this.unmodelled`)
   */
  protected attachUnmodelled(options: KitUnmodelledOptions): UnmodelledRegisters {
    this.unmodelled = new UnmodelledRegisters({ ...options, device: this.name, scheduler: this.scheduler, sink: this.outlet });
    return this.unmodelled;
  }

  /** The left-out registers, made by `attachUnmodelled` in the subclass's constructor. */
  protected unmodelled!: UnmodelledRegisters;
}
