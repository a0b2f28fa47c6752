import type { RegisterInfo } from './Device';
import { BusRangeError, RegisterMapError } from './errors';
import { FIELD_MODES, type FieldMode } from './FieldMode';
import type { AccessSize } from './GuestAccess';
import type { ChannelGroup, ChannelsSpec, FieldSpecs, ManySpec, RegisterAccess, RegisterSpec, RegisterWidth } from './registers';

/** A map as written: register (or bank) descriptions by TRM mnemonic. */
export type MapSpec = { readonly [name: string]: RegisterSpec | ManySpec | ChannelsSpec };

/** The shape of a built map, as types: each register's name and the union of its field names (`never` when it has none). */
export type RegisterShape = { readonly [register: string]: string };

/** The banks of a built map, as types: each bank's base name and the union of its member names. */
export type BankShape = { readonly [bank: string]: string };

/** One channel of a channel bank: its registers' names by member name (`{ Load: 'Timer1Load', … }`). */
export type ChannelNames = { readonly [member: string]: string };

/** The channel banks of a built map, as types: each bank's channels in order (a tuple for a literal count). */
export type ChannelShape = { readonly [bank: string]: readonly ChannelNames[] };

/** The names of the registers of a map. */
export type RegisterName<R extends RegisterShape> = keyof R & string;

/** The names of the fields of register `K`. */
export type FieldName<R extends RegisterShape, K extends RegisterName<R>> = R[K];

/** 0 | 1 | … | N-1 for a literal N; `number` when N is not a literal. */
type Indices<N extends number, Acc extends number[] = []> = number extends N
  ? number
  : Acc['length'] extends N
    ? Acc[number]
    : Indices<N, [...Acc, Acc['length']]>;

/** A tuple of N elements (N a literal). */
type Tuple<N extends number, Acc extends unknown[] = []> = Acc['length'] extends N ? Acc : Tuple<N, [...Acc, unknown]>;

/** A + B for literals; `number` otherwise. */
type Add<A extends number, B extends number> = number extends A | B ? number : [...Tuple<A>, ...Tuple<B>]['length'] & number;

/**
 * The name of member `R` of channel number `Num` under pattern `P`:
 * `ChannelRegisterName<'Timer{n}{reg}', 1, 'Load'>` is `'Timer1Load'`.
 */
export type ChannelRegisterName<P extends string, Num extends number, R extends string> = P extends `${infer A}{n}${infer B}`
  ? `${A}${Num}${B}` extends `${infer C}{reg}${infer D}`
    ? `${C}${R}${D}`
    : never
  : never;

/** A group member's register in the channel at position J (a per-channel list gives its J-th). */
type MemberAt<M, J extends number> = M extends readonly RegisterSpec[] ? (number extends J ? M[number] : M[J]) : M;

/** The field names of a register spec. */
type FieldsOf<M> = M extends RegisterSpec<infer F> ? keyof F & string : never;

/** The registers of the channel at position J of a channel bank. */
type ChannelRegisters<G extends ChannelGroup, J extends number, P extends string, First extends number> = {
  [R in keyof G & string]: { readonly name: ChannelRegisterName<P, Add<J, First>, R>; readonly fields: FieldsOf<MemberAt<G[R], J>> };
}[keyof G & string];

/** The registers one entry of a map spec stands for: each a name (or a union of names that share the fields) and its field names. */
type EntryRegisters<K extends string, E> =
  E extends ChannelsSpec<infer G extends ChannelGroup, infer N extends number, infer P extends string, infer First extends number>
    ? { [J in Indices<N>]: ChannelRegisters<G, J, P, First> }[Indices<N>]
    : E extends ManySpec<infer F, infer N extends number>
      ? { readonly name: `${K}${Indices<N>}`; readonly fields: keyof F & string }
      : E extends RegisterSpec<infer F>
        ? { readonly name: K; readonly fields: keyof F & string }
        : never;

/** Register names and field names of a map spec, with each bank expanded into its members and each channel bank into its channels' registers. */
export type RegistersOf<S extends MapSpec> = {
  readonly [D in { [K in keyof S & string]: EntryRegisters<K, S[K]> }[keyof S & string] as D['name' & keyof D]]: D['fields' & keyof D];
};

/** The banks of a map spec and their member names. */
export type BanksOf<S extends MapSpec> = {
  readonly [K in keyof S & string as S[K] extends ManySpec ? K : never]: S[K] extends ManySpec<FieldSpecs, infer N>
    ? `${K}${Indices<N>}`
    : never;
};

/** The channel at position J: its registers' names by member. */
type ChannelAt<G extends ChannelGroup, J extends number, P extends string, First extends number> = {
  readonly [R in keyof G & string]: ChannelRegisterName<P, Add<J, First>, R>;
};

/** The channels of a bank, in order: a tuple for a literal count. */
type ChannelList<G extends ChannelGroup, N extends number, P extends string, First extends number, Acc extends unknown[] = []> = number extends N
  ? readonly ChannelAt<G, number, P, First>[]
  : Acc['length'] extends N
    ? Readonly<Acc>
    : ChannelList<G, N, P, First, [...Acc, ChannelAt<G, Acc['length'], P, First>]>;

/** The channel banks of a map spec and each one's channels (their registers' names by member). */
export type ChannelsOf<S extends MapSpec> = {
  readonly [K in keyof S & string as S[K] extends ChannelsSpec ? K : never]: S[K] extends ChannelsSpec<
    infer G extends ChannelGroup,
    infer N extends number,
    infer P extends string,
    infer First extends number
  >
    ? ChannelList<G, N, P, First>
    : never;
};

/** Channel `I` of a channel list: the exact channel for a literal index in range, any of them otherwise. */
export type ChannelOf<L extends readonly ChannelNames[], I extends number> = number extends I
  ? L[number]
  : `${I}` extends keyof L
    ? L[`${I}` & keyof L]
    : L[number];

/** A field of a built map, checked, with its mask in register position. */
export interface FieldDef<N extends string = string> {
  /** The field's name (its key in the register's fields). */
  readonly name: N;
  /** Position of the field's lowest bit in the register. */
  readonly lsb: number;
  /** Number of bits, at least 1. */
  readonly width: number;
  /** The field's bits in the register. */
  readonly mask: number;
  /** How guest accesses treat the field (its own mode, or the register's access when it states none). */
  readonly mode: FieldMode;
}

/** A run of adjacent bits that no field covers, in a register that declares fields. */
export interface UndeclaredBits {
  /** Position of the run's lowest bit in the register. */
  readonly lsb: number;
  /** Number of bits in the run. */
  readonly width: number;
  /** The run's bits in the register. */
  readonly mask: number;
  /** How events name it: `CTRL[7:4]`, or `CTRL[9]` for one bit. */
  readonly label: string;
}

/** A register of a built map, checked, with the masks the bank works from. */
export interface RegisterDef<N extends string = string, F extends string = string> {
  /** The register's name: its map key, a bank's key followed by the member's index, or a channel bank's pattern filled in (`Timer2Load`). */
  readonly name: N;
  /** Byte offset in the device's region. */
  readonly offset: number;
  /** Width in bits. */
  readonly width: RegisterWidth;
  /** Size in bytes. */
  readonly bytes: 1 | 2 | 4;
  /** Value after reset (default 0). */
  readonly reset: number;
  /** Whole-register access (default `rw`). */
  readonly access: RegisterAccess;
  /** The access sizes the register accepts, in bytes (default: its size only). */
  readonly sizes: readonly AccessSize[];
  /** Fields in map order (the order their callbacks run). Empty: the whole register is one value in `access` mode. */
  readonly fields: readonly FieldDef<F>[];
  /** The same fields, by name. */
  readonly fieldByName: { readonly [K in F]: FieldDef<K> };
  /** Bits a guest read returns (the rest read as 0). */
  readonly readMask: number;
  /** A guest read changes state (the map says so, or a field is `rc`): reordering tools count it as a write. */
  readonly readEffects: boolean;
  /** Bits that hold a value (not reserved, not undeclared). */
  readonly storeMask: number;
  /** Bits no field covers, reported when the guest writes a 1 to them (empty when the register declares no fields). */
  readonly undeclared: readonly UndeclaredBits[];
  /** Set for a member of a bank made by `defineMany` or `defineChannels`. */
  readonly bank:
    | {
        /** The bank's map key. */
        readonly name: string;
        /** The member's position in the bank (for `defineChannels`, its channel's), from 0. */
        readonly index: number;
        /** For `defineChannels`: the register's member name in the channel (`Load`); absent for `defineMany`. */
        readonly member?: string;
      }
    | undefined;
}

/**
 * A checked register map: plain, frozen data that any number of
 * `RegisterBank`s (device instances) share. Its type carries the register,
 * field and bank member names, so a device's accesses to it are checked by
 * the compiler.
 */
export interface RegisterMap<R extends RegisterShape = RegisterShape, B extends BankShape = BankShape, C extends ChannelShape = ChannelShape> {
  /** Every register in map order (bank members in place of their bank, by index). */
  readonly registers: readonly RegisterDef<RegisterName<R>>[];
  /** The same registers, by name. */
  readonly byName: { readonly [K in RegisterName<R>]: RegisterDef<K, R[K]> };
  /** Each bank's member names, by index. */
  readonly banks: { readonly [K in keyof B & string]: readonly B[K][] };
  /**
   * The name of member `index` of bank `bank`.
   * @throws BusRangeError for an unknown bank or an index out of range
   */
  member<K extends keyof B & string>(bank: K, index: number): B[K];
  /** Each channel bank's channels, in order: each channel's register names by member name. */
  readonly channels: { readonly [K in keyof C & string]: C[K] };
  /**
   * Channel `index` (from 0) of channel bank `bank`: its register names by
   * member name (`map.channel('Timer', 1).Load` is `'Timer2Load'`). With a
   * literal index the type is that channel's names exactly.
   * @throws BusRangeError for an unknown channel bank or an index out of range
   */
  channel<K extends keyof C & string, I extends number>(bank: K, index: I): ChannelOf<C[K], I>;
}

/** The register shape of a built map (for typing a `RegisterBank` field: `RegisterBank<RegisterShapeOf<typeof REGISTERS>>`). */
export type RegisterShapeOf<M> = M extends RegisterMap<infer R, infer _B, infer _C> ? R : never;

const WIDTHS: readonly number[] = [8, 16, 32];
const ACCESSES: readonly string[] = ['rw', 'ro', 'wo'];
const hex = (n: number): string => `0x${n.toString(16)}`;
const span = (lsb: number, width: number): string => (width === 1 ? `[${lsb}]` : `[${lsb + width - 1}:${lsb}]`);

/** The low `width` bits set (width 0..32). @internal */
export const lowMask = (width: number): number => (width >= 32 ? 0xffff_ffff : (LOW_MASKS[width] ?? 2 ** width - 1));

/** {@link lowMask} of 0 to 31, worked out once: it checks field values on register stores (`2 ** width` is a pow call). */
const LOW_MASKS: readonly number[] = Array.from({ length: 32 }, (_, width) => 2 ** width - 1);

/** `width` bits set from bit `lsb` (within 32 bits). */
const maskOf = (lsb: number, width: number): number => (lowMask(width) * 2 ** lsb) >>> 0;

const isIndex = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** Field modes that need guest writes to mean anything, and those that need guest reads. */
const WRITE_MODES: readonly FieldMode[] = ['rw', 'wo', 'w1c', 'w0c'];
const READ_MODES: readonly FieldMode[] = ['ro', 'rc'];
/** Field modes whose value a guest read returns. */
const READABLE: readonly FieldMode[] = ['rw', 'ro', 'w1c', 'w0c', 'rc', 'unimplemented'];

const buildRegister = (
  name: string,
  spec: RegisterSpec,
  offset: number,
  bank: RegisterDef['bank'],
): RegisterDef => {
  const width = spec.width;
  if (!WIDTHS.includes(width)) throw new RegisterMapError(name, width, 'a register is 8, 16 or 32 bits wide (use reg8/reg16/reg32)');
  const bytes = (width / 8) as 1 | 2 | 4;
  if (!isIndex(offset)) throw new RegisterMapError(name, offset, 'an offset must be a non-negative safe integer');
  if (offset % bytes !== 0) {
    throw new RegisterMapError(name, offset, `a ${width}-bit register's offset must be a multiple of ${bytes} (${hex(offset)} is not)`);
  }
  const options = spec.options;
  const access = options.access ?? 'rw';
  if (!ACCESSES.includes(access)) throw new RegisterMapError(name, access, "access must be 'rw', 'ro' or 'wo'");

  const sizes = options.sizes ?? [bytes];
  if (!Array.isArray(sizes) || sizes.length === 0) {
    throw new RegisterMapError(name, sizes, 'sizes must list at least one access size');
  }
  sizes.forEach((size, i) => {
    if (size !== 1 && size !== 2 && size !== 4) {
      throw new RegisterMapError(name, size, `an access size must be 1, 2 or 4 bytes and at most the register's ${bytes}`);
    }
    if (size > bytes) throw new RegisterMapError(name, size, `an access size must be at most the register's ${bytes} byte(s)`);
    if (sizes.indexOf(size) !== i) throw new RegisterMapError(name, size, 'sizes must not repeat a size');
  });

  const fields: FieldDef[] = [];
  let covered = 0;
  for (const [fieldName, f] of Object.entries(spec.fields)) {
    const where = `${name}.${fieldName}`;
    const mode = f.mode ?? access;
    if (!FIELD_MODES.includes(mode)) throw new RegisterMapError(where, mode, `mode must be one of ${FIELD_MODES.join(', ')}`);
    if (!isIndex(f.lsb) || !Number.isSafeInteger(f.width) || f.width < 1) {
      throw new RegisterMapError(where, f, 'a field needs a non-negative integer lsb and a width of at least 1');
    }
    if (f.lsb + f.width > width) {
      throw new RegisterMapError(where, f, `a field must lie within its ${width}-bit register (it spans ${span(f.lsb, f.width)})`);
    }
    const mask = maskOf(f.lsb, f.width);
    if ((covered & mask) !== 0) {
      const other = fields.find((g) => (g.mask & mask) !== 0);
      const otherText = other === undefined ? 'another field' : `${name}.${other.name} ${span(other.lsb, other.width)}`;
      throw new RegisterMapError(where, f, `fields must not overlap: it spans ${span(f.lsb, f.width)} and overlaps ${otherText}`);
    }
    if (access === 'ro' && WRITE_MODES.includes(mode)) {
      throw new RegisterMapError(where, mode, `in a read-only register the guest can never write it`);
    }
    if (access === 'wo' && READ_MODES.includes(mode)) {
      throw new RegisterMapError(where, mode, `in a write-only register the guest can never read it`);
    }
    covered = (covered | mask) >>> 0;
    fields.push(Object.freeze({ name: fieldName, lsb: f.lsb, width: f.width, mask, mode }));
  }

  const full = lowMask(width);
  const hasFields = fields.length > 0;
  const storeMask = hasFields ? fields.reduce((m, f) => (f.mode === 'reserved' ? m : (m | f.mask) >>> 0), 0) : full;
  const readMask = hasFields
    ? fields.reduce((m, f) => (READABLE.includes(f.mode) ? (m | f.mask) >>> 0 : m), 0)
    : access === 'wo'
      ? 0
      : full;
  const undeclared: UndeclaredBits[] = [];
  if (hasFields) {
    for (let b = 0; b < width; ) {
      if ((covered & (2 ** b)) !== 0) {
        b++;
        continue;
      }
      let end = b;
      while (end < width && (covered & (2 ** end)) === 0) end++;
      undeclared.push(Object.freeze({ lsb: b, width: end - b, mask: maskOf(b, end - b), label: `${name}${span(b, end - b)}` }));
      b = end;
    }
  }

  const readEffects = options.readEffects ?? fields.some((f) => f.mode === 'rc');
  if (typeof readEffects !== 'boolean') throw new RegisterMapError(name, readEffects, 'readEffects must be true or false');
  const reset = options.reset ?? 0;
  if (!Number.isSafeInteger(reset) || reset < 0 || reset > full) {
    throw new RegisterMapError(name, reset, `a reset value must be an unsigned integer that fits in ${width} bits`);
  }
  if ((reset & ~storeMask) !== 0) {
    throw new RegisterMapError(
      name,
      reset,
      `a reset value must not set bits that hold nothing (reserved or undeclared): ${hex(reset)} sets ${hex((reset & ~storeMask) >>> 0)}`,
    );
  }

  return Object.freeze({
    name,
    offset,
    width,
    bytes,
    reset,
    access,
    sizes: Object.freeze([...sizes]),
    fields: Object.freeze(fields),
    fieldByName: Object.freeze(Object.fromEntries(fields.map((f) => [f.name, f]))),
    readMask,
    readEffects,
    storeMask,
    undeclared: Object.freeze(undeclared),
    bank,
  });
};

/** The channel bank `name`'s checks that do not need its registers built: count, stride, naming, members. */
const checkChannels = (name: string, entry: ChannelsSpec): void => {
  if (!Number.isSafeInteger(entry.count) || entry.count < 1) {
    throw new RegisterMapError(name, entry.count, 'a channel bank count must be a positive integer');
  }
  if (!Number.isSafeInteger(entry.stride) || entry.stride < 1) {
    throw new RegisterMapError(name, entry.stride, 'a channel bank stride must be a positive integer number of bytes');
  }
  const pattern: unknown = entry.name;
  const once = (p: string, placeholder: string): boolean => p.split(placeholder).length === 2;
  if (typeof pattern !== 'string' || !once(pattern, '{n}') || !once(pattern, '{reg}')) {
    throw new RegisterMapError(name, pattern, "a channel name pattern must contain '{n}' and '{reg}' once each");
  }
  if (!isIndex(entry.first)) throw new RegisterMapError(name, entry.first, 'the first channel number must be a non-negative safe integer');
  const members = typeof entry.registers === 'object' && entry.registers !== null ? Object.entries(entry.registers) : [];
  if (members.length === 0) throw new RegisterMapError(name, entry.registers, 'a channel bank needs at least one register');
  for (const [member, spec] of members) {
    const where = `${name}.${member}`;
    if (Array.isArray(spec)) {
      const list = spec as readonly (RegisterSpec | undefined)[];
      if (list.length !== entry.count) {
        throw new RegisterMapError(where, list.length, `a per-channel register must be given once per channel (${entry.count})`);
      }
      const offset = list[0]?.offset;
      list.forEach((s, i) => {
        if (s?.kind !== 'register') throw new RegisterMapError(`${where}[${i}]`, s, 'must be made by reg8, reg16 or reg32');
        if (s.offset !== offset) {
          throw new RegisterMapError(`${where}[${i}]`, s.offset, `a per-channel register has one offset in every channel (${hex(offset ?? 0)}, not ${hex(s.offset)})`);
        }
      });
    } else if ((spec as RegisterSpec | undefined)?.kind !== 'register') {
      throw new RegisterMapError(where, spec, 'must be made by reg8, reg16 or reg32, or be a list of them (one per channel)');
    }
  }
};

/** A channel bank's registers in map order (channel by channel), and each channel's names by member. */
const buildChannels = (name: string, entry: ChannelsSpec): { registers: RegisterDef[]; channels: ChannelNames[] } => {
  checkChannels(name, entry);
  const members = Object.entries(entry.registers as ChannelGroup);
  const specAt = (spec: RegisterSpec | readonly RegisterSpec[], i: number): RegisterSpec => (Array.isArray(spec) ? spec[i]! : (spec as RegisterSpec));
  const registers: RegisterDef[] = [];
  const channels: ChannelNames[] = [];
  for (let i = 0; i < entry.count; i++) {
    const names: Record<string, string> = {};
    for (const [member, spec] of members) {
      const register = entry.name.replace('{n}', String(entry.first + i)).replace('{reg}', member);
      const s = specAt(spec, i);
      registers.push(buildRegister(register, s, s.offset + i * entry.stride, Object.freeze({ name, index: i, member })));
      names[member] = register;
    }
    channels.push(Object.freeze(names));
    if (i === 0) {
      // Checked on the first channel's built registers (their widths are known good by now).
      const from = Math.min(...registers.map((r) => r.offset));
      const span = Math.max(...registers.map((r) => r.offset + r.bytes)) - from;
      if (entry.stride < span) {
        throw new RegisterMapError(name, entry.stride, `a channel bank stride must be at least the span of one channel's registers (${hex(span)} bytes)`);
      }
    }
  }
  return { registers, channels };
};

/**
 * Checks a register map and builds it: the registers of one kind of device,
 * by TRM mnemonic, with their fields by bit range and mode (STYLE.md 15).
 * The result is frozen data that every instance of the device shares; a
 * `RegisterBank` gives it state.
 *
 * Register names are the map's keys; a bank `CH: defineMany(reg32(0x100), 4, 0x10)`
 * becomes `CH0` … `CH3`, and a channel bank
 * `Timer: defineChannels({ Load: reg32(0x00), Control: reg32(0x08) }, 2, 0x20, { name: 'Timer{n}{reg}', first: 1 })`
 * becomes `Timer1Load`, `Timer1Control`, `Timer2Load`, `Timer2Control` (each
 * in place, in index order, a channel's registers in the group's order).
 *
 * Ordering: none of G1–G5 applies (no time, no callbacks: this is data).
 *
 * ## Example
 * ```ts
 * export const REGISTERS = defineRegisterMap({
 *   CTRL:      reg32(0x000, { EN: bit(0), SELEXTEN: bit(1, 'unimplemented'), IRQEN: bit(3) }),
 *   RELOAD:    reg32(0x008),
 *   INTSTATUS: reg32(0x00c, { IRQ: bit(0, 'w1c') }),
 *   PID4:      reg32(0xfd0, {}, { access: 'ro', reset: 0x04 }),
 * });
 * REGISTERS.byName.CTRL.fieldByName.IRQEN.mask; // 0x8
 * ```
 *
 * @param spec - the registers and banks by name
 * @returns the checked map
 * @throws RegisterMapError naming the register or field and the rule when: a
 *   field lies outside its register or overlaps another; a field's mode is
 *   unknown or pointless in its register (a writable mode in an `ro`
 *   register, `ro`/`rc` in a `wo` register); two registers (bank members
 *   included) overlap or share a name; an offset is negative, not an integer
 *   or not a multiple of the register's size; a reset value does not fit
 *   (too wide, or sets reserved or undeclared bits); the access or the sizes
 *   are not allowed; a bank's count or stride is not a positive integer; a
 *   channel bank's stride is less than one channel's span, its name pattern
 *   lacks `{n}` or `{reg}` (or repeats one), its first number is not a
 *   non-negative integer, it has no register, or a per-channel register is
 *   not given once per channel at one offset.
 */
export const defineRegisterMap = <S extends MapSpec>(spec: S): RegisterMap<RegistersOf<S>, BanksOf<S>, ChannelsOf<S>> => {
  const registers: RegisterDef[] = [];
  const banks: Record<string, readonly string[]> = {};
  const channels: Record<string, readonly ChannelNames[]> = {};
  const add = (def: RegisterDef): void => {
    if (registers.some((r) => r.name === def.name)) {
      throw new RegisterMapError(def.name, def.name, 'register names must be unique (a bank member repeats a name)');
    }
    registers.push(def);
  };
  for (const [name, entry] of Object.entries(spec)) {
    if (entry?.kind === 'register') {
      add(buildRegister(name, entry, entry.offset, undefined));
    } else if (entry?.kind === 'many') {
      if (!Number.isSafeInteger(entry.count) || entry.count < 1) {
        throw new RegisterMapError(name, entry.count, 'a bank count must be a positive integer');
      }
      if (!Number.isSafeInteger(entry.stride) || entry.stride < 1) {
        throw new RegisterMapError(name, entry.stride, 'a bank stride must be a positive integer number of bytes');
      }
      const members: string[] = [];
      for (let i = 0; i < entry.count; i++) {
        const member = `${name}${i}`;
        add(buildRegister(member, entry.register, entry.register.offset + i * entry.stride, Object.freeze({ name, index: i })));
        members.push(member);
      }
      banks[name] = Object.freeze(members);
    } else if (entry?.kind === 'channels') {
      const built = buildChannels(name, entry);
      built.registers.forEach(add);
      channels[name] = Object.freeze(built.channels);
    } else {
      throw new RegisterMapError(name, entry, 'must be made by reg8, reg16, reg32, defineMany or defineChannels');
    }
  }

  const byOffset = [...registers].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < byOffset.length; i++) {
    const prev = byOffset[i - 1]!;
    const next = byOffset[i]!;
    if (next.offset < prev.offset + prev.bytes) {
      throw new RegisterMapError(
        next.name,
        next.offset,
        `registers must not overlap: ${hex(next.offset)} is inside ${prev.name} (${hex(prev.offset)}..${hex(prev.offset + prev.bytes - 1)})`,
      );
    }
  }

  const map: RegisterMap = {
    registers: Object.freeze(registers),
    byName: Object.freeze(Object.fromEntries(registers.map((r) => [r.name, r]))),
    banks: Object.freeze(banks),
    member(bank: string, index: number): string {
      const members = Object.hasOwn(banks, bank) ? banks[bank] : undefined;
      if (members === undefined) {
        const hint = Object.hasOwn(channels, bank) ? ' (it is a channel bank: use channel())' : '';
        throw new BusRangeError(bank, `is not a bank of the map${hint}`, 'member(bank)');
      }
      const member = Number.isSafeInteger(index) ? members[index] : undefined;
      if (member === undefined) {
        throw new BusRangeError(index, `must be an integer index from 0 to ${members.length - 1}`, `member('${bank}', index)`);
      }
      return member;
    },
    channels: Object.freeze(channels),
    channel(bank: string, index: number): ChannelNames {
      const list = Object.hasOwn(channels, bank) ? channels[bank] : undefined;
      if (list === undefined) {
        const hint = Object.hasOwn(banks, bank) ? ' (it is a bank of one register: use member())' : '';
        throw new BusRangeError(bank, `is not a channel bank of the map${hint}`, 'channel(bank)');
      }
      const channel = Number.isSafeInteger(index) ? list[index] : undefined;
      if (channel === undefined) {
        throw new BusRangeError(index, `must be an integer index from 0 to ${list.length - 1}`, `channel('${bank}', index)`);
      }
      return channel;
    },
  };
  return Object.freeze(map) as unknown as RegisterMap<RegistersOf<S>, BanksOf<S>, ChannelsOf<S>>;
};

/**
 * The map's registers as {@link RegisterInfo} (name, offset, size in bytes),
 * for a device's `registers` member.
 */
export const registerInfoOf = (map: RegisterMap): readonly RegisterInfo[] =>
  Object.freeze(map.registers.map((r) => Object.freeze({ name: r.name, offset: r.offset, size: r.bytes, ...(r.readEffects ? { readEffects: true as const } : {}) })));
