import type { SchedulerLike } from 'rxjs';
import { ACCESS_SIZES, type AccessSize } from '../../shared/AccessSize';
import type { TraceSink } from '../../trace/TraceSink';

/** One register of the larger peripheral that a device model leaves out. */
export interface UnmodelledRegister {
  /** The manual's mnemonic (`MM2S_CURDESC`). */
  readonly name: string;
  /** Byte offset in the device's region; a multiple of 4 (the registers are 32-bit words). */
  readonly offset: number;
}

/** Options of {@link UnmodelledRegisters}. */
export interface UnmodelledRegistersOptions {
  /** The device's name: the `source` of the events. */
  readonly device: string;
  /** Virtual time, read to stamp events. */
  readonly scheduler: SchedulerLike;
  /** Where the events go (the device's `EventOutlet`). */
  readonly sink: TraceSink;
  /** The registers the model leaves out. */
  readonly registers: readonly UnmodelledRegister[];
  /** What is missing, in words, appended to each event's feature (`descriptor engine`). */
  readonly what: string;
  /** Access sizes the registers take (default 4 only). */
  readonly sizes?: readonly AccessSize[];
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/**
 * The registers of a larger peripheral that a device model of its timer part leaves out (a
 * device kit piece): an access to one of them is not the guest's fault, so it is an
 * `unimplemented` event (feature `<NAME> (<what>)`), a read returns 0 and a write changes
 * nothing. An access of a size the registers do not take, or not aligned to its size, is a
 * `bad-size` or `misaligned` guest error, as it would be on a modelled register. Calls no bus
 * could carry (see `RegisterBank`) are left to the device's register bank, which throws.
 *
 * Ordering: synchronous (G1): the event is recorded inside the access, at the current instant.
 *
 * ## Example
 * ```ts
 * const rest = new UnmodelledRegisters({ device: name, scheduler, sink: outlet, what: 'descriptor engine',
 *   registers: [{ name: 'MM2S_CURDESC', offset: 0x08 }] });
 * read(offset, size) { return rest.read(offset, size) ?? bank.read(offset, size); }
 * ```
 */
export class UnmodelledRegisters {
  /**
   * Lists the left-out registers; nothing is reported until a guest access falls on one.
   * @param options - device name, scheduler, sink, the registers, what they stand for, access sizes
   */
  constructor(options: UnmodelledRegistersOptions) {
    this.device = options.device;
    this.scheduler = options.scheduler;
    this.sink = options.sink;
    this.what = options.what;
    this.sizes = options.sizes ?? [4];
    for (const r of options.registers) this.byWord.set(r.offset, r.name);
  }

  /**
   * A guest read, if it falls on one of the registers.
   * @returns 0 when the access was handled (reported), `undefined` when it is not for these registers
   */
  read(offset: number, size: AccessSize): number | undefined {
    return this.handle(offset, size) ? 0 : undefined;
  }

  /**
   * A guest write, if it falls on one of the registers.
   * @returns whether the access was handled (reported, nothing changed)
   */
  write(offset: number, size: AccessSize, value: number): boolean {
    if (!Number.isSafeInteger(value) || value < 0 || value > (size === 8 ? Number.MAX_SAFE_INTEGER : 2 ** (8 * size) - 1)) return false;
    return this.handle(offset, size);
  }

  /** Whether `offset` falls on one of the registers (its 32-bit word). */
  covers(offset: number): boolean {
    return Number.isSafeInteger(offset) && offset >= 0 && this.byWord.has(offset - (offset % 4));
  }

  private handle(offset: number, size: AccessSize): boolean {
    if (!ACCESS_SIZES.includes(size) || !this.covers(offset)) return false;
    const name = this.byWord.get(offset - (offset % 4))!;
    const time = this.scheduler.now();
    if (!this.sizes.includes(size) || (offset % 4) + size > 4) {
      this.sink.record({ kind: 'guest-error', time, source: this.device, offset, size, reason: 'bad-size', detail: `${name} takes ${this.sizes.join('/')}-byte accesses, not ${size}` });
    } else if (offset % size !== 0) {
      this.sink.record({ kind: 'guest-error', time, source: this.device, offset, size, reason: 'misaligned', detail: `${name}: a ${size}-byte access at ${hex(offset)} is not aligned to ${size}` });
    } else {
      this.sink.record({ kind: 'unimplemented', time, source: this.device, offset, feature: `${name} (${this.what})` });
    }
    return true;
  }

  private readonly device: string;
  private readonly scheduler: SchedulerLike;
  private readonly sink: TraceSink;
  private readonly what: string;
  private readonly sizes: readonly AccessSize[];
  /** Register names by the offset of their 32-bit word. */
  private readonly byWord = new Map<number, string>();
}
