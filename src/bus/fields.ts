import type { FieldMode } from './FieldMode';

/**
 * A field of a register as written in a map: its position (least
 * significant bit and width, the way Renode's `WithValueField(position,
 * width)` and QEMU's `FIELD(reg, name, shift, length)` state it) and its
 * mode. Plain data; `defineRegisterMap` checks it.
 */
export interface FieldSpec {
  /** Position of the field's least significant bit in the register. */
  readonly lsb: number;
  /** Number of bits, at least 1. */
  readonly width: number;
  /** How the guest sees it; absent means the register's `access` (default `rw`). */
  readonly mode?: FieldMode;
}

/**
 * A one-bit field (a flag).
 *
 * Ordering: none of G1–G5 applies (plain data).
 *
 * ## Example
 * ```ts
 * reg32(0x000, { EN: bit(0), SELEXTEN: bit(1, 'unimplemented'), IRQEN: bit(3) })
 * ```
 *
 * @param n - the bit's position (0 = least significant)
 * @param mode - how the guest sees it (default: the register's `access`)
 * @returns the field's description
 * @see bits for wider fields
 */
export const bit = (n: number, mode?: FieldMode): FieldSpec =>
  Object.freeze(mode === undefined ? { lsb: n, width: 1 } : { lsb: n, width: 1, mode });

/**
 * A field of `width` bits starting at bit `lsb`: a TRM's `[msb:lsb]` is
 * `bits(lsb, msb - lsb + 1)`.
 *
 * Ordering: none of G1–G5 applies (plain data).
 *
 * ## Example
 * ```ts
 * reg32(0x008, { PRESCALE: bits(2, 2), MODE: bits(6, 2, 'unimplemented') }) // [3:2] and [7:6]
 * ```
 *
 * @param lsb - position of the least significant bit
 * @param width - number of bits (at least 1)
 * @param mode - how the guest sees it (default: the register's `access`)
 * @returns the field's description
 * @see bit for a one-bit field
 */
export const bits = (lsb: number, width: number, mode?: FieldMode): FieldSpec =>
  Object.freeze(mode === undefined ? { lsb, width } : { lsb, width, mode });
