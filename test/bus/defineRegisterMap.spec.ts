// defineRegisterMap: a register map is checked data (STYLE.md 15). What it
// builds (offsets, masks, banks, defaults), every rule it enforces with a
// RegisterMapError naming the register or field, and the names its type
// carries (the @ts-expect-error lines fail `tsc` if a wrong name type-checks).
import { describe, expect, it } from 'vitest';
import {
  bit,
  bits,
  BusRangeError,
  defineMany,
  defineRegisterMap,
  reg16,
  reg32,
  reg8,
  RegisterMapError,
  type FieldMode,
  type MapSpec,
  type RegisterSpec,
} from '../../src/bus';
import { thrown } from '../support/errors';

const CMSDK = defineRegisterMap({
  CTRL: reg32(0x000, { EN: bit(0), SELEXTEN: bit(1, 'unimplemented'), IRQEN: bit(3) }),
  RELOAD: reg32(0x008),
  INTSTATUS: reg32(0x00c, { IRQ: bit(0, 'w1c') }),
  PID4: reg32(0xfd0, {}, { access: 'ro', reset: 0x04 }),
});

describe('defineRegisterMap: what it builds', () => {
  it('keeps map order and gives each register its offset, width, size, reset, access and sizes', () => {
    expect(CMSDK.registers.map((r) => [r.name, r.offset, r.width, r.bytes, r.reset, r.access, r.sizes])).toEqual([
      ['CTRL', 0x000, 32, 4, 0, 'rw', [4]],
      ['RELOAD', 0x008, 32, 4, 0, 'rw', [4]],
      ['INTSTATUS', 0x00c, 32, 4, 0, 'rw', [4]],
      ['PID4', 0xfd0, 32, 4, 0x04, 'ro', [4]],
    ]);
    expect(CMSDK.byName.PID4).toBe(CMSDK.registers[3]);
  });

  it('gives fields their masks and modes in map order; a field without a mode takes the register access', () => {
    const ctrl = CMSDK.byName.CTRL;
    expect(ctrl.fields.map((f) => [f.name, f.lsb, f.width, f.mask, f.mode])).toEqual([
      ['EN', 0, 1, 0x1, 'rw'],
      ['SELEXTEN', 1, 1, 0x2, 'unimplemented'],
      ['IRQEN', 3, 1, 0x8, 'rw'],
    ]);
    expect(ctrl.fieldByName.IRQEN.mask).toBe(0x8);
    const ro = defineRegisterMap({ ID: reg32(0, { REV: bits(0, 4), PART: bits(4, 12, 'reserved') }, { access: 'ro' }) });
    expect(ro.byName.ID.fields.map((f) => f.mode)).toEqual(['ro', 'reserved']);
  });

  it('computes read and store masks and the runs of undeclared bits', () => {
    const ctrl = CMSDK.byName.CTRL;
    expect(ctrl.readMask).toBe(0xb);
    expect(ctrl.storeMask).toBe(0xb);
    expect(ctrl.undeclared.map((u) => [u.label, u.mask])).toEqual([
      ['CTRL[2]', 0x4],
      ['CTRL[31:4]', 0xffff_fff0],
    ]);
    // A register without fields is one value in its access mode, with nothing undeclared.
    expect([CMSDK.byName.RELOAD.readMask, CMSDK.byName.RELOAD.storeMask, CMSDK.byName.RELOAD.undeclared]).toEqual([
      0xffff_ffff,
      0xffff_ffff,
      [],
    ]);
    const wo = defineRegisterMap({ KEY: reg16(0, {}, { access: 'wo' }), M: reg8(2, { A: bit(0, 'wo'), R: bits(1, 7, 'reserved') }) });
    expect([wo.byName.KEY.readMask, wo.byName.KEY.storeMask]).toEqual([0, 0xffff]);
    expect([wo.byName.M.readMask, wo.byName.M.storeMask, wo.byName.M.undeclared]).toEqual([0, 0x1, []]);
  });

  it('takes 8-, 16- and 32-bit registers and narrower access sizes', () => {
    const map = defineRegisterMap({
      B: reg8(0x1),
      H: reg16(0x2, {}, { sizes: [1, 2] }),
      W: reg32(0x4, {}, { sizes: [4, 2, 1] }),
    });
    expect(map.registers.map((r) => [r.name, r.width, r.bytes, r.sizes])).toEqual([
      ['B', 8, 1, [1]],
      ['H', 16, 2, [1, 2]],
      ['W', 32, 4, [4, 2, 1]],
    ]);
  });

  it('expands a bank into NAME0..NAMEn-1, stride bytes apart, in place and in index order', () => {
    const map = defineRegisterMap({
      CTRL: reg32(0x000),
      CH: defineMany(reg32(0x100, { GO: bit(0) }, { reset: 1 }), 3, 0x10),
      ID: reg32(0xffc, {}, { access: 'ro' }),
    });
    expect(map.registers.map((r) => [r.name, r.offset, r.reset, r.bank])).toEqual([
      ['CTRL', 0x000, 0, undefined],
      ['CH0', 0x100, 1, { name: 'CH', index: 0 }],
      ['CH1', 0x110, 1, { name: 'CH', index: 1 }],
      ['CH2', 0x120, 1, { name: 'CH', index: 2 }],
      ['ID', 0xffc, 0, undefined],
    ]);
    expect(map.banks.CH).toEqual(['CH0', 'CH1', 'CH2']);
    expect(map.byName.CH2.fieldByName.GO.mask).toBe(1);
    expect(map.member('CH', 2)).toBe('CH2');
  });

  it('member() refuses an index outside the bank and an unknown bank (BusRangeError)', () => {
    const map = defineRegisterMap({ CH: defineMany(reg32(0x100), 2, 4) });
    const e = thrown(() => map.member('CH', 2));
    expect(e).toBeInstanceOf(BusRangeError);
    expect((e as Error).message).toBe("member('CH', index): 2 is invalid: must be an integer index from 0 to 1");
    expect((thrown(() => map.member('CH', 0.5)) as Error).message).toContain('0.5 is invalid');
    // @ts-expect-error not a bank of the map
    const f = thrown(() => map.member('XX', 0));
    expect(f).toBeInstanceOf(BusRangeError);
    expect((f as Error).message).toBe('member(bank): "XX" is invalid: is not a bank of the map');
  });

  it('is frozen data', () => {
    expect(Object.isFrozen(CMSDK)).toBe(true);
    expect(Object.isFrozen(CMSDK.registers)).toBe(true);
    expect(Object.isFrozen(CMSDK.byName.CTRL)).toBe(true);
    expect(Object.isFrozen(CMSDK.byName.CTRL.fields[0])).toBe(true);
  });

  it('types: register, field and bank member names are checked by the compiler', () => {
    const map = defineRegisterMap({ CTRL: reg32(0, { EN: bit(0) }), CH: defineMany(reg32(0x10), 2, 4) });
    const member: 'CH0' | 'CH1' = map.member('CH', 1);
    expect(member).toBe('CH1');
    expect(map.byName.CTRL.fieldByName.EN.name).toBe('EN');
    // @ts-expect-error no field NOPE in CTRL
    expect(map.byName.CTRL.fieldByName.NOPE).toBeUndefined();
    // @ts-expect-error the bank has two members
    expect(map.byName.CH2).toBeUndefined();
  });
});

/** The error `spec` throws when built, checked for its class, `where` and message. */
const refusal = (spec: MapSpec): RegisterMapError => {
  const e = thrown(() => defineRegisterMap(spec));
  expect(e).toBeInstanceOf(RegisterMapError);
  return e as RegisterMapError;
};

describe('defineRegisterMap: every rule (RegisterMapError naming the register or field)', () => {
  it.each<readonly [string, MapSpec, string, string]>([
    [
      'a field outside its register',
      { CTRL: reg32(0, { EN: bit(0), WIDE: bits(30, 4) }) },
      'CTRL.WIDE',
      'register map CTRL.WIDE: {"lsb":30,"width":4} is invalid: a field must lie within its 32-bit register (it spans [33:30])',
    ],
    [
      'a field outside an 8-bit register',
      { B: reg8(0, { TOP: bit(8) }) },
      'B.TOP',
      'register map B.TOP: {"lsb":8,"width":1} is invalid: a field must lie within its 8-bit register (it spans [8])',
    ],
    [
      'a negative lsb',
      { CTRL: reg32(0, { X: bits(-1, 2) }) },
      'CTRL.X',
      'register map CTRL.X: {"lsb":-1,"width":2} is invalid: a field needs a non-negative integer lsb and a width of at least 1',
    ],
    [
      'a zero width',
      { CTRL: reg32(0, { X: bits(3, 0) }) },
      'CTRL.X',
      'register map CTRL.X: {"lsb":3,"width":0} is invalid: a field needs a non-negative integer lsb and a width of at least 1',
    ],
    [
      'a fractional width',
      { CTRL: reg32(0, { X: bits(3, 1.5) }) },
      'CTRL.X',
      'register map CTRL.X: {"lsb":3,"width":1.5} is invalid: a field needs a non-negative integer lsb and a width of at least 1',
    ],
    [
      'overlapping fields',
      { CTRL: reg32(0, { MODE: bits(4, 4), EN: bit(0), PRE: bits(6, 4) }) },
      'CTRL.PRE',
      'register map CTRL.PRE: {"lsb":6,"width":4} is invalid: fields must not overlap: it spans [9:6] and overlaps CTRL.MODE [7:4]',
    ],
    [
      'an unknown field mode',
      { CTRL: reg32(0, { EN: bit(0, 'rw1s' as FieldMode) }) },
      'CTRL.EN',
      'register map CTRL.EN: "rw1s" is invalid: mode must be one of rw, ro, wo, w1c, w0c, rc, reserved, unimplemented',
    ],
    [
      'a writable field in a read-only register',
      { ST: reg32(0, { IRQ: bit(0, 'w1c') }, { access: 'ro' }) },
      'ST.IRQ',
      'register map ST.IRQ: "w1c" is invalid: in a read-only register the guest can never write it',
    ],
    [
      'a read-clear field in a write-only register',
      { CMD: reg32(0, { DONE: bit(0, 'rc') }, { access: 'wo' }) },
      'CMD.DONE',
      'register map CMD.DONE: "rc" is invalid: in a write-only register the guest can never read it',
    ],
    [
      'overlapping registers',
      { A: reg32(0x10), B: reg16(0x12) },
      'B',
      'register map B: 18 is invalid: registers must not overlap: 0x12 is inside A (0x10..0x13)',
    ],
    [
      'bank members closer than their size (so misaligned)',
      { CH: defineMany(reg32(0x100), 2, 2) },
      'CH1',
      'register map CH1: 258 is invalid: a 32-bit register\'s offset must be a multiple of 4 (0x102 is not)',
    ],
    [
      'a bank member that overlaps another register',
      { CH: defineMany(reg32(0x100), 4, 8), STATUS: reg32(0x118) },
      'STATUS',
      'register map STATUS: 280 is invalid: registers must not overlap: 0x118 is inside CH3 (0x118..0x11b)',
    ],
    [
      'a bank member named like another register',
      { CH1: reg32(0x0), CH: defineMany(reg32(0x100), 2, 4) },
      'CH1',
      'register map CH1: "CH1" is invalid: register names must be unique (a bank member repeats a name)',
    ],
    [
      'a misaligned 32-bit register',
      { CTRL: reg32(0x2) },
      'CTRL',
      "register map CTRL: 2 is invalid: a 32-bit register's offset must be a multiple of 4 (0x2 is not)",
    ],
    [
      'a misaligned 16-bit register',
      { H: reg16(0x5) },
      'H',
      "register map H: 5 is invalid: a 16-bit register's offset must be a multiple of 2 (0x5 is not)",
    ],
    [
      'a negative offset',
      { CTRL: reg32(-4) },
      'CTRL',
      'register map CTRL: -4 is invalid: an offset must be a non-negative safe integer',
    ],
    [
      'a reset value wider than the register',
      { B: reg8(0, {}, { reset: 0x100 }) },
      'B',
      'register map B: 256 is invalid: a reset value must be an unsigned integer that fits in 8 bits',
    ],
    [
      'a negative reset value',
      { W: reg32(0, {}, { reset: -1 }) },
      'W',
      'register map W: -1 is invalid: a reset value must be an unsigned integer that fits in 32 bits',
    ],
    [
      'a reset value with undeclared bits set',
      { CTRL: reg32(0, { EN: bit(0) }, { reset: 0x5 }) },
      'CTRL',
      'register map CTRL: 5 is invalid: a reset value must not set bits that hold nothing (reserved or undeclared): 0x5 sets 0x4',
    ],
    [
      'a reset value with reserved bits set',
      { CTRL: reg32(0, { EN: bit(0), RES: bits(1, 31, 'reserved') }, { reset: 0x8000_0001 }) },
      'CTRL',
      'register map CTRL: 2147483649 is invalid: a reset value must not set bits that hold nothing (reserved or undeclared): 0x80000001 sets 0x80000000',
    ],
    [
      'an unknown access',
      { CTRL: reg32(0, {}, { access: 'rx' as 'rw' }) },
      'CTRL',
      "register map CTRL: \"rx\" is invalid: access must be 'rw', 'ro' or 'wo'",
    ],
    [
      'an empty size list',
      { CTRL: reg32(0, {}, { sizes: [] }) },
      'CTRL',
      'register map CTRL: [] is invalid: sizes must list at least one access size',
    ],
    [
      'an access size wider than the register',
      { H: reg16(0, {}, { sizes: [2, 4] }) },
      'H',
      "register map H: 4 is invalid: an access size must be at most the register's 2 byte(s)",
    ],
    [
      'an 8-byte access size',
      { W: reg32(0, {}, { sizes: [8] }) },
      'W',
      "register map W: 8 is invalid: an access size must be 1, 2 or 4 bytes and at most the register's 4",
    ],
    [
      'a repeated access size',
      { W: reg32(0, {}, { sizes: [4, 1, 4] }) },
      'W',
      'register map W: 4 is invalid: sizes must not repeat a size',
    ],
    [
      'a bank count of 0',
      { CH: defineMany(reg32(0x100), 0, 4) },
      'CH',
      'register map CH: 0 is invalid: a bank count must be a positive integer',
    ],
    [
      'a fractional bank stride',
      { CH: defineMany(reg32(0x100), 2, 4.5) },
      'CH',
      'register map CH: 4.5 is invalid: a bank stride must be a positive integer number of bytes',
    ],
    [
      'an entry not made by reg*/defineMany/defineChannels',
      { CTRL: { offset: 0 } as unknown as RegisterSpec },
      'CTRL',
      'register map CTRL: {"offset":0} is invalid: must be made by reg8, reg16, reg32, defineMany or defineChannels',
    ],
    [
      'a register width other than 8/16/32',
      { Q: { ...reg32(0), width: 64 } as unknown as RegisterSpec },
      'Q',
      'register map Q: 64 is invalid: a register is 8, 16 or 32 bits wide (use reg8/reg16/reg32)',
    ],
  ])('refuses %s', (_, spec, where, message) => {
    const e = refusal(spec);
    expect(e.where).toBe(where);
    expect(e.message).toBe(message);
  });

  it('carries the offending value and the rule as fields', () => {
    const e = refusal({ B: reg8(0, {}, { reset: 0x1ff }) });
    expect([e.name, e.value, e.rule]).toEqual(['RegisterMapError', 0x1ff, 'a reset value must be an unsigned integer that fits in 8 bits']);
  });

  it('accepts the edge cases that fit: a full-width field, adjacent registers, the top reset value', () => {
    const map = defineRegisterMap({
      A: reg32(0x0, { ALL: bits(0, 32) }, { reset: 0xffff_ffff }),
      B: reg8(0x4, {}, { reset: 0xff }),
      C: reg8(0x5),
      D: reg16(0x6),
    });
    expect(map.registers.map((r) => r.reset)).toEqual([0xffff_ffff, 0xff, 0, 0]);
    expect(map.byName.A.undeclared).toEqual([]);
  });
});
