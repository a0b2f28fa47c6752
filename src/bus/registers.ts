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
  /**
   * Whether a guest read changes the device's state (a latch, a
   * read-to-clear, a FIFO pop), so that tools which reorder work (the
   * explorer's dynamic partial-order reduction) count the read as a write.
   * Default: true when a field is `rc`, false otherwise; set it for a
   * register whose read handler changes state in device code.
   */
  readonly readEffects?: boolean;
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

/**
 * One channel's registers, by member name (the TRM's name without the
 * channel's number: `Load`, `Control`), for {@link defineChannels}. A member
 * is the same register in every channel, or, where the channels differ (a
 * field only channel 0 has, field names carrying the channel's number), a
 * list of `count` registers, one per channel, at the same offset.
 */
export type ChannelGroup = { readonly [member: string]: RegisterSpec | readonly RegisterSpec[] };

/** How {@link defineChannels} names a channel's registers. */
export interface ChannelNaming<P extends string = string, First extends number = number> {
  /**
   * The name pattern: `{n}` is the channel's number and `{reg}` the member's
   * name, each exactly once (`'Timer{n}{reg}'` gives `Timer1Load`). Default
   * `'{reg}{n}'`, `defineMany`'s rule: `TCSR0`, `TCSR1`.
   */
  readonly name?: P;
  /** The number of the first channel in names (default 0): 1 for TRMs that count timers from 1. */
  readonly first?: First;
}

/** `count` copies of a group of registers (one channel), `stride` bytes apart (see {@link defineChannels}). */
export interface ChannelsSpec<
  G extends ChannelGroup = ChannelGroup,
  N extends number = number,
  P extends string = string,
  First extends number = number,
> {
  /** Discriminant: a bank of channels (one register is {@link RegisterSpec}, a bank of one register {@link ManySpec}). */
  readonly kind: 'channels';
  /** The first channel's registers by member name, in the order the map lists them within a channel. */
  readonly registers: G;
  /** Number of channels; a positive integer. */
  readonly count: N;
  /** Bytes from one channel's registers to the next's; at least the span of one channel. */
  readonly stride: number;
  /** The name pattern, with `{n}` and `{reg}` once each. */
  readonly name: P;
  /** The number of the first channel in names. */
  readonly first: First;
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
 * @see defineChannels for a bank of a group of registers (one per timer or DMA channel)
 */
export const defineMany = <F extends FieldSpecs, N extends number>(
  register: RegisterSpec<F>,
  count: N,
  stride: number,
): ManySpec<F, N> => Object.freeze({ kind: 'many', register, count, stride });

/**
 * A bank of `count` identical channels, each a group of registers, `stride`
 * bytes apart: `defineMany` for a TRM that repeats a set of registers per
 * timer or DMA channel. The registers keep the TRM's own names, built from
 * the pattern: `Timer: defineChannels({ Load: reg32(0x00), Control: reg32(0x08) }, 2, 0x20, { name: 'Timer{n}{reg}', first: 1 })`
 * gives `Timer1Load` at 0x00, `Timer1Control` at 0x08, `Timer2Load` at 0x20
 * and `Timer2Control` at 0x28, listed channel by channel (each in the
 * group's order) where the bank stands in the map. With a literal `count`
 * the names are literal types, so `bank.get('Timer2Load')` type-checks and
 * `'Timer3Load'` does not; `map.channel('Timer', i)` gives channel `i`'s
 * register names by member (`.Load`), so device code addresses a channel by
 * index instead of building names.
 *
 * A member that differs between channels (a field only one channel has, or
 * field names carrying the channel's number) is given as a list of `count`
 * registers, one per channel, at the same offset.
 *
 * Ordering: none of G1–G5 applies (plain data).
 *
 * ## Example
 * ```ts
 * const SP804 = defineRegisterMap({
 *   Timer: defineChannels(
 *     { Load: reg32(0x00), Value: reg32(0x04, {}, { access: 'ro' }), Control: reg32(0x08, { TimerEn: bit(7) }) },
 *     2, 0x20, { name: 'Timer{n}{reg}', first: 1 },
 *   ),
 *   TimerITCR: reg32(0xf00, { ITEN: bit(0) }),
 * });
 * SP804.byName.Timer2Control.offset;  // 0x28
 * SP804.channel('Timer', 1).Control;  // 'Timer2Control'
 * SP804.channels.Timer[0].Load;       // 'Timer1Load'
 * ```
 *
 * @param registers - the first channel's registers by member name (their offsets are the first channel's)
 * @param count - number of channels, at least 1
 * @param stride - bytes from one channel to the next, at least the span of one channel's registers
 * @param naming - the name pattern (default `'{reg}{n}'`) and the first channel's number (default 0)
 * @returns the bank's description
 * @see defineMany for a bank of one register
 */
export const defineChannels = <const G extends ChannelGroup, N extends number, P extends string = '{reg}{n}', First extends number = 0>(
  registers: G,
  count: N,
  stride: number,
  naming: ChannelNaming<P, First> = {},
  // NoInfer: inside a map literal the expected entry type (`ChannelsSpec<…, string, number>`) would
  // otherwise infer P and First as `string` and `number`, and every name would lose its literal type.
): ChannelsSpec<G, N, NoInfer<P>, NoInfer<First>> =>
  Object.freeze({
    kind: 'channels',
    registers: Object.freeze({ ...registers }),
    count,
    stride,
    name: naming.name ?? ('{reg}{n}' as P),
    first: naming.first ?? (0 as First),
  });
