import type { FieldSpec } from './fields';
import type { AccessSize } from './GuestAccess';

/** Width of a register in bits. (64-bit registers are out of scope: values are JS numbers.) */
export type RegisterWidth = 8 | 16 | 32;

/**
 * Whole-register access: whether the guest may read (`ro`), write (`wo`) or
 * both (`rw`). A write to an `ro` register and a read of a `wo` register are
 * refused as guest errors. It is also the mode of every field that does not
 * state one, and of the whole register when it declares no fields.
 */
export type RegisterAccess = 'rw' | 'ro' | 'wo';

/** Options of one register (see {@link reg32}). */
export interface RegisterOptions {
  /** Value after reset (default 0). It must fit the width and have no bit set where nothing is stored (reserved or undeclared bits). */
  readonly reset?: number;
  /** Whole-register access and default field mode (default `rw`). */
  readonly access?: RegisterAccess;
  /**
   * Access sizes the register accepts, in bytes (default: its width only).
   * A narrower access reads or writes the bytes it addresses, little-endian:
   * a 1-byte access at offset + 1 is bits 15:8.
   */
  readonly sizes?: readonly AccessSize[];
}

/** The fields of one register, by TRM mnemonic. */
export type FieldSpecs = { readonly [field: string]: FieldSpec };

/** A register as written in a map: offset, width, fields and options. Plain data; `defineRegisterMap` checks it. */
export interface RegisterSpec<F extends FieldSpecs = FieldSpecs> {
  /** Discriminant: one register (a bank is {@link ManySpec}). */
  readonly kind: 'register';
  /** Byte offset in the device's region; a multiple of the register's size in bytes. */
  readonly offset: number;
  /** Width in bits, set by the factory used ({@link reg8}, {@link reg16} or {@link reg32}). */
  readonly width: RegisterWidth;
  /** The fields by TRM mnemonic; empty when the register is one value. */
  readonly fields: F;
  /** Reset value, access and accepted sizes, as given (defaults are applied by `defineRegisterMap`). */
  readonly options: RegisterOptions;
}

/** `count` copies of a register, `stride` bytes apart (see {@link defineMany}). */
export interface ManySpec<F extends FieldSpecs = FieldSpecs, N extends number = number> {
  /** Discriminant: a bank of registers (one register is {@link RegisterSpec}). */
  readonly kind: 'many';
  /** The first member; the others are the same register at `offset + i * stride`. */
  readonly register: RegisterSpec<F>;
  /** Number of members; a positive integer. */
  readonly count: N;
  /** Bytes from one member's offset to the next; a positive integer. */
  readonly stride: number;
}

/** Makes a register of one width: with no fields, or with fields by name. */
export interface RegisterFactory {
  // `{}` is the type of "no fields": its keys (none) are the field names a bank accepts for the register.
  (offset: number): RegisterSpec<{}>;
  <F extends FieldSpecs>(offset: number, fields: F, options?: RegisterOptions): RegisterSpec<F>;
}

const register =
  (width: RegisterWidth): RegisterFactory =>
  (offset: number, fields: FieldSpecs = {}, options: RegisterOptions = {}): RegisterSpec =>
    Object.freeze({
      kind: 'register',
      offset,
      width,
      fields: Object.freeze({ ...fields }),
      options: Object.freeze({ ...options }),
    });

/**
 * A 32-bit register at `offset`.
 *
 * Ordering: none of G1–G5 applies (plain data).
 *
 * ## Example
 * ```ts
 * CTRL:      reg32(0x000, { EN: bit(0), IRQEN: bit(3) }),
 * INTSTATUS: reg32(0x00c, { IRQ: bit(0, 'w1c') }),
 * PID4:      reg32(0xfd0, {}, { access: 'ro', reset: 0x04 }),
 * ```
 *
 * @param offset - byte offset, a multiple of 4
 * @param fields - the fields by TRM mnemonic; none (or `{}`) makes the whole register one value in its `access` mode
 * @param options - reset value, access, accepted sizes
 * @returns the register's description
 */
export const reg32 = register(32);

/** A 16-bit register at `offset` (a multiple of 2); see {@link reg32}. */
export const reg16 = register(16);

/** An 8-bit register at `offset`; see {@link reg32}. */
export const reg8 = register(8);

/**
 * A bank of `count` identical registers, `stride` bytes apart, named by
 * appending the index to the map key: `CH: defineMany(reg32(0x100), 4, 0x10)`
 * gives `CH0` at 0x100 … `CH3` at 0x130. With a literal `count` the member
 * names are literal types, so `bank.get('CH3')` type-checks and `'CH4'` does
 * not; `map.member('CH', i)` gives a member's name from an index.
 *
 * Ordering: none of G1–G5 applies (plain data).
 *
 * ## Example
 * ```ts
 * const DMA = defineRegisterMap({
 *   CTRL: reg32(0x000, { EN: bit(0) }),
 *   CH:   defineMany(reg32(0x100, { GO: bit(0), LEN: bits(8, 16) }), 4, 0x10), // CH0..CH3
 * });
 * DMA.byName.CH3.offset;  // 0x130
 * DMA.member('CH', 2);    // 'CH2'
 * ```
 *
 * @param register - the first member (its offset is the bank's base)
 * @param count - number of members, at least 1
 * @param stride - bytes from one member to the next, at least the register's size
 * @returns the bank's description
 */
export const defineMany = <F extends FieldSpecs, N extends number>(
  register: RegisterSpec<F>,
  count: N,
  stride: number,
): ManySpec<F, N> => Object.freeze({ kind: 'many', register, count, stride });
