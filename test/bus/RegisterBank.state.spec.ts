// RegisterBank state: reset from the map's reset values (STYLE.md 21), the
// device-side accessors and their errors, and snapshot/restore: plain
// versioned JSON, validated register by register, all or nothing.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock';
import {
  bit,
  bits,
  BusRangeError,
  defineMany,
  defineRegisterMap,
  reg16,
  reg32,
  reg8,
  REGISTER_BANK_SNAPSHOT_VERSION,
  RegisterBank,
  RegisterSnapshotError,
} from '../../src/bus';
import { thrown } from '../support/errors';

const MAP = defineRegisterMap({
  CTRL: reg32(0x00, { EN: bit(0), MODE: bits(4, 3), RES: bits(8, 8, 'reserved') }, { reset: 0x21 }),
  LOAD: reg32(0x04, {}, { reset: 0xffff_ffff }),
  B: reg8(0x08, {}, { reset: 0x5a }),
  H: reg16(0x0a),
  CH: defineMany(reg32(0x10, { GO: bit(0), LEN: bits(8, 8) }, { reset: 0x100 }), 2, 4),
});

const bankOf = (name = 'dut') => new RegisterBank(MAP, { name, scheduler: new VirtualClock() });

describe('reset()', () => {
  it('starts from, and returns to, the map reset values', () => {
    const bank = bankOf();
    const fresh = bank.snapshot();
    expect(fresh.registers).toEqual({ CTRL: 0x21, LOAD: 0xffff_ffff, B: 0x5a, H: 0, CH0: 0x100, CH1: 0x100 });
    bank.write(0x00, 4, 0x51);
    bank.write(0x04, 4, 3);
    bank.set('H', 0xffff);
    bank.setField('CH1', 'LEN', 9);
    bank.reset();
    expect(bank.snapshot()).toEqual(fresh);
  });
});

describe('device-side accessors', () => {
  it('get/set a register, field/setField a field (leaving the other bits)', () => {
    const bank = bankOf();
    expect(bank.field('CTRL', 'MODE')).toBe(2);
    bank.setField('CTRL', 'MODE', 7);
    expect(bank.get('CTRL')).toBe(0x71);
    bank.setField('CTRL', 'EN', 0);
    expect(bank.get('CTRL')).toBe(0x70);
    bank.set('CH1', 0xff01);
    expect([bank.field('CH1', 'GO'), bank.field('CH1', 'LEN'), bank.get('CH0')]).toEqual([1, 0xff, 0x100]);
  });

  it.each<readonly [string, (bank: RegisterBank<never>) => unknown, string]>([
    ['set: a value wider than the register', (b) => b.set('B' as never, 0x100), "set('B'): 256 is invalid: must be an unsigned integer that fits in 8 bits"],
    ['set: a negative value', (b) => b.set('LOAD' as never, -1), "set('LOAD'): -1 is invalid: must be an unsigned integer that fits in 32 bits"],
    [
      'set: reserved bits',
      (b) => b.set('CTRL' as never, 0x100),
      "set('CTRL'): 256 is invalid: must not set bits that hold nothing (reserved or undeclared) in CTRL",
    ],
    [
      'set: undeclared bits',
      (b) => b.set('CTRL' as never, 0x2),
      "set('CTRL'): 2 is invalid: must not set bits that hold nothing (reserved or undeclared) in CTRL",
    ],
    ['set: an unknown register', (b) => b.set('NOPE' as never, 0), 'set(name): "NOPE" is invalid: is not a register of the map'],
    ['get: an unknown register', (b) => b.get('NOPE' as never), 'get(name): "NOPE" is invalid: is not a register of the map'],
    ['field: an unknown field', (b) => b.field('CTRL' as never, 'NOPE' as never), 'field(field): "NOPE" is invalid: is not a field of CTRL'],
    [
      'setField: a value wider than the field',
      (b) => b.setField('CTRL' as never, 'MODE' as never, 8),
      "setField('CTRL', 'MODE'): 8 is invalid: must be an unsigned integer that fits in 3 bit(s)",
    ],
    [
      'setField: a fractional value',
      (b) => b.setField('CTRL' as never, 'EN' as never, 0.5),
      "setField('CTRL', 'EN'): 0.5 is invalid: must be an unsigned integer that fits in 1 bit(s)",
    ],
    [
      'setField: non-zero into a reserved field',
      (b) => b.setField('CTRL' as never, 'RES' as never, 1),
      "setField('CTRL', 'RES'): 1 is invalid: a reserved field holds nothing: only 0",
    ],
    [
      'setField: an unknown register',
      (b) => b.setField('NOPE' as never, 'EN' as never, 1),
      'setField(name): "NOPE" is invalid: is not a register of the map',
    ],
  ])('%s: BusRangeError, nothing changes', (_, call, message) => {
    const bank = bankOf();
    const before = bank.snapshot();
    const e = thrown(() => call(bank as unknown as RegisterBank<never>));
    expect(e).toBeInstanceOf(BusRangeError);
    expect((e as Error).message).toBe(message);
    expect(bank.snapshot()).toEqual(before);
  });

  it('types: names are checked by the compiler', () => {
    const bank = bankOf();
    // @ts-expect-error LOAD has no fields
    expect(thrown(() => bank.field('LOAD', 'EN'))).toBeInstanceOf(BusRangeError);
    // @ts-expect-error GO is a field of the bank members, not of CTRL
    expect(thrown(() => bank.setField('CTRL', 'GO', 1))).toBeInstanceOf(BusRangeError);
    // @ts-expect-error the bank has two members
    expect(thrown(() => bank.get('CH2'))).toBeInstanceOf(BusRangeError);
    expect(bank.field('CH1', 'LEN')).toBe(1);
  });
});

describe('snapshot() / restore()', () => {
  it('is plain versioned JSON: the stored value of every register by name', () => {
    const bank = bankOf('timer0');
    bank.set('LOAD', 1234);
    expect(bank.snapshot()).toEqual({
      device: 'timer0',
      version: REGISTER_BANK_SNAPSHOT_VERSION,
      registers: { CTRL: 0x21, LOAD: 1234, B: 0x5a, H: 0, CH0: 0x100, CH1: 0x100 },
    });
    expect(REGISTER_BANK_SNAPSHOT_VERSION).toBe(1);
  });

  it('round-trips through JSON into another instance of the same name: same state, same guest reads', () => {
    const a = bankOf('a');
    a.write(0x00, 4, 0x50);
    a.write(0x0a, 2, 0xbeef);
    a.setField('CH0', 'LEN', 0x42);
    const b = bankOf('a');
    b.restore(JSON.parse(JSON.stringify(a.snapshot())));
    expect(b.snapshot().registers).toEqual(a.snapshot().registers);
    for (const offset of [0x00, 0x04, 0x10, 0x14]) expect(b.read(offset, 4)).toBe(a.read(offset, 4));
    expect(b.read(0x0a, 2)).toBe(0xbeef);
  });

  const valid = () => bankOf().snapshot();
  const withRegisters = (registers: Record<string, unknown>) => ({ ...valid(), registers: { ...valid().registers, ...registers } });

  it.each<readonly [string, unknown, string, string]>([
    ['null', null, '(root)', 'must be an object made by snapshot()'],
    ['an array', [], '(root)', 'must be an object made by snapshot()'],
    ['a number', 5, '(root)', 'must be an object made by snapshot()'],
    ['another version', { ...valid(), version: 2 }, 'version', 'must be 1'],
    ['no device name', { ...valid(), device: undefined }, 'device', 'must be a string'],
    ['another device name (#14)', { ...valid(), device: 'other' }, 'device', 'must be "dut", the name of the device restoring it'],
    ['a field the format does not have (#14)', { ...valid(), extra: 1 }, 'extra', 'is not a field of this snapshot (a snapshot has exactly the fields its device writes)'],
    [
      'an own __proto__ key, as JSON.parse makes it (#14)',
      JSON.parse(JSON.stringify(valid()).replace(/}$/, ',"__proto__":{"version":1}}')),
      '__proto__',
      'is not a field of this snapshot (a snapshot has exactly the fields its device writes)',
    ],
    ['no registers', { ...valid(), registers: undefined }, 'registers', 'must be an object of register values by name'],
    ['registers as an array', { ...valid(), registers: [1, 2] }, 'registers', 'must be an object of register values by name'],
    ['an unknown register', withRegisters({ NOPE: 0 }), 'registers.NOPE', 'is not a register of the map'],
    ['a missing register', { ...valid(), registers: { CTRL: 0, LOAD: 0, B: 0, H: 0, CH0: 0 } }, 'registers.CH1', 'is missing'],
    ['a string value', withRegisters({ LOAD: '5' }), 'registers.LOAD', 'must be an unsigned integer that fits in 32 bits'],
    ['a negative value', withRegisters({ H: -1 }), 'registers.H', 'must be an unsigned integer that fits in 16 bits'],
    ['a fractional value', withRegisters({ LOAD: 0.5 }), 'registers.LOAD', 'must be an unsigned integer that fits in 32 bits'],
    ['a value too wide', withRegisters({ B: 0x100 }), 'registers.B', 'must be an unsigned integer that fits in 8 bits'],
    [
      'reserved bits set',
      withRegisters({ CTRL: 0x121 }),
      'registers.CTRL',
      'must not set bits that hold nothing (reserved or undeclared): 0x100',
    ],
    [
      'undeclared bits set',
      withRegisters({ CH1: 0x8000_0001 }),
      'registers.CH1',
      'must not set bits that hold nothing (reserved or undeclared): 0x80000000',
    ],
  ])('refuses %s (RegisterSnapshotError naming the part), changing nothing', (_, data, field, rule) => {
    const bank = bankOf();
    bank.set('LOAD', 77); // not the snapshot's value: a partial restore would show
    const before = bank.snapshot();
    const e = thrown(() => bank.restore(data));
    expect(e).toBeInstanceOf(RegisterSnapshotError);
    expect((e as RegisterSnapshotError).field).toBe(field);
    expect((e as RegisterSnapshotError).rule).toBe(rule);
    expect((e as Error).message).toContain(`snapshot field '${field}': `);
    expect(bank.snapshot()).toEqual(before);
  });

  it('prints untrusted values that JSON cannot (bigints) in its message', () => {
    const e = thrown(() => bankOf().restore(withRegisters({ LOAD: 5n })));
    expect((e as Error).message).toBe(
      "snapshot field 'registers.LOAD': 5n is invalid: must be an unsigned integer that fits in 32 bits",
    );
  });
});
