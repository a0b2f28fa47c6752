import type { SchedulerLike } from 'rxjs';
import { isAccessValue, type AccessSize } from '../../shared/AccessSize';
import type { TraceSink } from '../../trace/TraceSink';

/** One register of the larger peripheral that a device model leaves out. */
export interface UnmodelledRegister {
  /** The manual's mnemonic (`MM2S_CURDESC`). */
  readonly name: string;
  /** Byte offset in the device's region; a multiple of 4 (the registers are 32-bit words). */
  readonly offset: number;
  /**
   * Bytes it covers from `offset` (default 4): more for a window over which one register is
   * aliased (a FIFO port answering at every word of 32 bytes), or a block of registers
   * reported under one name. A multiple of 4.
   */
  readonly bytes?: number;
}

/** A modelled register inside an unmodelled block: where it is and how wide (a `RegisterInfo` fits). */
export interface ModelledRegisterSpan {
  /** Byte offset in the device's region. */
  readonly offset: number;
  /** Its width in bytes. */
  readonly size: number;
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
  /**
   * The device's modelled registers that lie inside an unmodelled block (a message buffer's
   * timestamp word): an access that starts in one of them is the register bank's, never
   * reported here. Default: none.
   */
  readonly modelled?: readonly ModelledRegisterSpan[];
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/** Each byte's register (the first listed that holds it), per list: built once, shared by every instance given the same list. */
const BYTE_LOOKUPS = new WeakMap<readonly UnmodelledRegister[], ReadonlyMap<number, UnmodelledRegister>>();

const byteLookupOf = (registers: readonly UnmodelledRegister[]): ReadonlyMap<number, UnmodelledRegister> => {
  let found = BYTE_LOOKUPS.get(registers);
  if (found === undefined) {
    const byByte = new Map<number, UnmodelledRegister>();
    for (const r of registers) {
      for (let b = 0; b < (r.bytes ?? 4); b++) if (!byByte.has(r.offset + b)) byByte.set(r.offset + b, r);
    }
    BYTE_LOOKUPS.set(registers, (found = byByte));
  }
  return found;
};

/**
 * The registers of a larger peripheral that a device model of its timer part leaves out (a
 * device kit piece): an access to one of them is not the guest's fault, so it is an
 * `unimplemented` event (feature `<NAME> (<what>)`), a read returns 0 and a write changes
 * nothing. An access of a size the registers do not take (or that runs past the register) is
 * a `bad-size` guest error, and one of a size they take but not aligned to it a `misaligned`
 * one, as on a modelled register. A register may cover a window of several words (`bytes`),
 * and a block may hold modelled registers (`modelled`), which stay the bank's. Calls no bus
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
    this.registers = options.registers;
    this.modelled = options.modelled ?? [];
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
    if (!isAccessValue(value, size)) return false;
    return this.handle(offset, size);
  }

  /** Whether `offset` falls on one of the registers (within its `bytes`), and not on a modelled register inside it. */
  covers(offset: number): boolean {
    return this.at(offset) !== undefined;
  }

  /** The unmodelled register `offset` falls on, if any (a modelled one inside a block is not). */
  private at(offset: number): UnmodelledRegister | undefined {
    // Most accesses go to modelled registers: one lookup answers them.
    const register = (this.byByte ??= byteLookupOf(this.registers)).get(offset);
    if (register === undefined) return undefined;
    if (this.modelled.some((m) => offset >= m.offset && offset < m.offset + m.size)) return undefined;
    return register;
  }

  private handle(offset: number, size: AccessSize): boolean {
    if (size !== 4 && size !== 1 && size !== 2 && size !== 8) return false;
    const register = this.at(offset);
    if (register === undefined) return false;
    const name = register.name;
    const time = this.scheduler.now();
    // A size the registers take at an offset that is not a multiple of it is misaligned, not a bad size.
    if (!this.sizes.includes(size) || (offset % size === 0 && offset + size > register.offset + (register.bytes ?? 4))) {
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
  /** The registers as given (shared by every instance of the device: no per-instance index). */
  private readonly registers: readonly UnmodelledRegister[];
  private readonly modelled: readonly ModelledRegisterSpan[];
  /** The list's byte lookup, found at the first access and kept (not looked up in the shared table at every access, #19). */
  private byByte: ReadonlyMap<number, UnmodelledRegister> | undefined = undefined;
}
