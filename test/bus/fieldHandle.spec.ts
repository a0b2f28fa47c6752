// Field and register handles: looked up once, then read and stored as the named accessors do,
// with the same refusals; a handle of another map is refused.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock';
import { bit, bits, BusRangeError, defineMany, defineRegisterMap, fieldHandle, reg32, RegisterBank, registerHandle } from '../../src/bus';
import { thrown } from '../support/errors';

const MAP = defineRegisterMap({
  CTRL: reg32(0x00, { EN: bit(0), MODE: bits(4, 3), RES: bits(8, 8, 'reserved') }, { reset: 0x21 }),
  LOAD: reg32(0x04, {}, { reset: 0xffff_ffff }),
  CH: defineMany(reg32(0x10, { GO: bit(0), LEN: bits(8, 8) }, { reset: 0x100 }), 2, 4),
});
const OTHER = defineRegisterMap({ CTRL: reg32(0x00, { EN: bit(0) }) });

const bankOf = () => new RegisterBank(MAP, { name: 'dut', scheduler: new VirtualClock() });

describe('fieldHandle / registerHandle', () => {
  it('read what field() and get() read, for every field and register of the map', () => {
    const bank = bankOf();
    bank.write(0x00, 4, 0x51);
    bank.write(0x14, 4, 0x0701);
    for (const r of MAP.registers) {
      expect(bank.getAt(registerHandle(MAP, r.name))).toBe(bank.get(r.name));
      for (const f of r.fields) expect(bank.fieldAt(fieldHandle(MAP, r.name, f.name as never))).toBe(bank.field(r.name, f.name as never));
    }
    expect(bank.fieldAt(fieldHandle(MAP, 'CH1', 'LEN'))).toBe(7);
  });

  it('setFieldAt stores as setField does, leaving the rest of the register', () => {
    const a = bankOf();
    const b = bankOf();
    a.setFieldAt(fieldHandle(MAP, 'CTRL', 'MODE'), 5);
    b.setField('CTRL', 'MODE', 5);
    a.setFieldAt(fieldHandle(MAP, 'CH0', 'LEN'), 0xff);
    b.setField('CH0', 'LEN', 0xff);
    expect(a.snapshot()).toEqual(b.snapshot());
    expect(a.get('CTRL')).toBe(0x51);
  });

  it('setFieldAt refuses what setField refuses, and changes nothing', () => {
    const bank = bankOf();
    const before = bank.snapshot();
    const tooBig = thrown(() => bank.setFieldAt(fieldHandle(MAP, 'CTRL', 'MODE'), 8));
    expect(tooBig).toBeInstanceOf(BusRangeError);
    expect((tooBig as Error).message).toBe('setFieldAt(CTRL.MODE): 8 is invalid: must be an unsigned integer that fits in 3 bit(s)');
    expect(thrown(() => bank.setFieldAt(fieldHandle(MAP, 'CTRL', 'MODE'), 1.5))).toBeInstanceOf(BusRangeError);
    expect(thrown(() => bank.setFieldAt(fieldHandle(MAP, 'CTRL', 'MODE'), -1))).toBeInstanceOf(BusRangeError);
    expect((thrown(() => bank.setFieldAt(fieldHandle(MAP, 'CTRL', 'RES'), 1)) as Error).message).toBe(
      'setFieldAt(CTRL.RES): 1 is invalid: a reserved field holds nothing: only 0',
    );
    expect(bank.snapshot()).toEqual(before);
  });

  it('setAt stores as set does, and refuses what set refuses, changing nothing', () => {
    const a = bankOf();
    const b = bankOf();
    a.setAt(registerHandle(MAP, 'LOAD'), 0x1234);
    b.set('LOAD', 0x1234);
    a.setAt(registerHandle(MAP, 'CH1'), 0x0501);
    b.set('CH1', 0x0501);
    expect(a.snapshot()).toEqual(b.snapshot());
    const before = a.snapshot();
    const tooBig = thrown(() => a.setAt(registerHandle(MAP, 'LOAD'), 2 ** 32));
    expect(tooBig).toBeInstanceOf(BusRangeError);
    expect((tooBig as Error).message).toBe('setAt(LOAD): 4294967296 is invalid: must be an unsigned integer that fits in 32 bits');
    expect(thrown(() => a.setAt(registerHandle(MAP, 'LOAD'), 1.5))).toBeInstanceOf(BusRangeError);
    expect((thrown(() => a.setAt(registerHandle(MAP, 'CTRL'), 0x100)) as Error).message).toBe(
      'setAt(CTRL): 256 is invalid: must not set bits that hold nothing (reserved or undeclared) in CTRL',
    );
    expect(thrown(() => a.setAt(registerHandle(OTHER, 'CTRL') as never, 1))).toBeInstanceOf(BusRangeError);
    expect(a.snapshot()).toEqual(before);
  });

  it('refuse a name the map does not have, when the handle is made', () => {
    expect((thrown(() => registerHandle(MAP, 'NOPE' as never)) as Error).message).toBe('registerHandle(register): "NOPE" is invalid: is not a register of the map');
    expect((thrown(() => fieldHandle(MAP, 'CTRL', 'NOPE' as never)) as Error).message).toBe('fieldHandle(field): "NOPE" is invalid: is not a field of CTRL');
    expect(thrown(() => fieldHandle(MAP, 'LOAD', 'EN' as never))).toBeInstanceOf(BusRangeError);
    // Inherited names are no registers or fields.
    expect(thrown(() => registerHandle(MAP, 'toString' as never))).toBeInstanceOf(BusRangeError);
    expect(thrown(() => fieldHandle(MAP, 'CTRL', '__proto__' as never))).toBeInstanceOf(BusRangeError);
  });

  it("a bank refuses another map's handle (it would read another register)", () => {
    const bank = bankOf();
    const foreign = thrown(() => bank.fieldAt(fieldHandle(OTHER, 'CTRL', 'EN') as never));
    expect(foreign).toBeInstanceOf(BusRangeError);
    expect((foreign as Error).message).toContain("fieldAt(handle): \"CTRL\" is invalid: is a handle to another register map's register");
    expect(thrown(() => bank.setFieldAt(fieldHandle(OTHER, 'CTRL', 'EN') as never, 1))).toBeInstanceOf(BusRangeError);
    expect(thrown(() => bank.getAt(registerHandle(OTHER, 'CTRL') as never))).toBeInstanceOf(BusRangeError);
    expect(bank.get('CTRL')).toBe(0x21);
  });

  it('are frozen: one handle serves every bank of the map', () => {
    const handle = fieldHandle(MAP, 'CTRL', 'EN');
    expect(Object.isFrozen(handle)).toBe(true);
    const [a, b] = [bankOf(), bankOf()];
    a.setFieldAt(handle, 0);
    expect([a.fieldAt(handle), b.fieldAt(handle)]).toEqual([0, 1]);
  });
});
