// RegisterBank: what the guest reads and what a guest write stores, for every
// field mode (FieldMode's TSDoc), for registers without fields, and for
// narrow accesses (the bytes addressed, little-endian).
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock';
import {
  bits,
  defineRegisterMap,
  reg16,
  reg32,
  reg8,
  RegisterBank,
  type RegisterMap,
  type RegisterShape,
} from '../../src/bus';
import type { TraceEvent } from '../../src/trace/TraceEvent';

const bankOf = <R extends RegisterShape>(map: RegisterMap<R>) => {
  const clock = new VirtualClock();
  const bank = new RegisterBank(map, { name: 'dut', scheduler: clock });
  const events: TraceEvent[] = [];
  bank.events$.subscribe((e) => events.push(e));
  return { clock, bank, events };
};

// One 4-bit field F at [3:0] per mode, each in its own register (so a write to
// one never touches another mode's bits).
const MODES = defineRegisterMap({
  RW: reg32(0x00, { F: bits(0, 4, 'rw') }),
  RO: reg32(0x04, { F: bits(0, 4, 'ro') }),
  WO: reg32(0x08, { F: bits(0, 4, 'wo') }),
  W1C: reg32(0x0c, { F: bits(0, 4, 'w1c') }),
  W0C: reg32(0x10, { F: bits(0, 4, 'w0c') }),
  RC: reg32(0x14, { F: bits(0, 4, 'rc') }),
  RES: reg32(0x18, { F: bits(0, 4, 'reserved') }),
  UNIMP: reg32(0x1c, { F: bits(0, 4, 'unimplemented') }),
});
type ModeRegister = keyof typeof MODES.byName;

describe('field modes: a guest write of 0b0110 over a field holding 0b1010', () => {
  // [register, field after the write, what a guest read then returns]
  it.each<readonly [ModeRegister, number, number]>([
    ['RW', 0b0110, 0b0110], // stores
    ['RO', 0b1010, 0b1010], // ignores the write
    ['WO', 0b0110, 0b0000], // stores, reads 0
    ['W1C', 0b1000, 0b1000], // the 1s written clear: 1010 & ~0110
    ['W0C', 0b0010, 0b0010], // the 0s written clear: 1010 & 0110
    ['RC', 0b1010, 0b1010], // ignores the write (the read then clears: next test)
    ['UNIMP', 0b0110, 0b0110], // stores like rw (and reports: next tests)
  ])('%s: field becomes %i, the guest reads %i', (name, stored, read) => {
    const { bank, events } = bankOf(MODES);
    bank.setField(name, 'F', 0b1010);
    bank.write(MODES.byName[name].offset, 4, 0b0110);
    expect(bank.field(name, 'F')).toBe(stored);
    expect(bank.read(MODES.byName[name].offset, 4)).toBe(read);
    expect(events.filter((e) => e.kind === 'guest-error')).toEqual([]);
  });

  it('rc: a read returns the field, then the field is 0', () => {
    const { bank } = bankOf(MODES);
    bank.setField('RC', 'F', 0b1010);
    expect(bank.read(0x14, 4)).toBe(0b1010);
    expect(bank.field('RC', 'F')).toBe(0);
    expect(bank.read(0x14, 4)).toBe(0);
  });

  it('reserved: always reads 0, ignores writes, and reports nothing', () => {
    const { bank, events } = bankOf(MODES);
    bank.write(0x18, 4, 0b1111);
    expect(bank.field('RES', 'F')).toBe(0);
    expect(bank.read(0x18, 4)).toBe(0);
    expect(events).toEqual([]);
  });

  it('unimplemented: a non-zero write is reported as REGISTER.FIELD; writing 0 is not', () => {
    const { clock, bank, events } = bankOf(MODES);
    clock.advanceTo(700);
    bank.write(0x1c, 4, 0b0100);
    bank.write(0x1c, 4, 0);
    expect(events).toEqual([{ kind: 'unimplemented', time: 700, source: 'dut', offset: 0x1c, feature: 'UNIMP.F' }]);
    expect(bank.field('UNIMP', 'F')).toBe(0);
  });
});

describe('field modes apply bit by bit, all in one write', () => {
  const MIXED = defineRegisterMap({
    R: reg32(0x0, {
      RW: bits(0, 4),
      RO: bits(4, 4, 'ro'),
      WO: bits(8, 4, 'wo'),
      W1C: bits(12, 4, 'w1c'),
      W0C: bits(16, 4, 'w0c'),
      RC: bits(20, 4, 'rc'),
      RES: bits(24, 4, 'reserved'),
      UNIMP: bits(28, 4, 'unimplemented'),
    }),
  });

  it('one write, every mode: each field as in the per-mode table', () => {
    const { bank } = bankOf(MIXED);
    bank.set('R', 0xa0aa_aaaa); // every field but RES holds 0b1010
    bank.write(0, 4, 0x6666_6666); // 0b0110 into every field
    expect(bank.get('R')).toBe(0x60a2_86a6);
    expect({
      RW: bank.field('R', 'RW'),
      RO: bank.field('R', 'RO'),
      WO: bank.field('R', 'WO'),
      W1C: bank.field('R', 'W1C'),
      W0C: bank.field('R', 'W0C'),
      RC: bank.field('R', 'RC'),
      RES: bank.field('R', 'RES'),
      UNIMP: bank.field('R', 'UNIMP'),
    }).toEqual({ RW: 0b0110, RO: 0b1010, WO: 0b0110, W1C: 0b1000, W0C: 0b0010, RC: 0b1010, RES: 0, UNIMP: 0b0110 });
    // The read hides WO and RES, then clears RC.
    expect(bank.read(0, 4)).toBe(0x60a2_80a6);
    expect(bank.field('R', 'RC')).toBe(0);
  });
});

describe('registers without fields', () => {
  const PLAIN = defineRegisterMap({
    LOAD: reg32(0x0, {}, { reset: 0x1234 }),
    ID: reg32(0x4, {}, { access: 'ro', reset: 0x41 }),
    KEY: reg32(0x8, {}, { access: 'wo' }),
  });

  it('rw stores the whole value and reads it back; ro reads its value; wo stores (the device reads it)', () => {
    const { bank, events } = bankOf(PLAIN);
    expect(bank.read(0x0, 4)).toBe(0x1234);
    bank.write(0x0, 4, 0xdead_beef);
    expect(bank.read(0x0, 4)).toBe(0xdead_beef);
    expect(bank.read(0x4, 4)).toBe(0x41);
    bank.write(0x8, 4, 0x1acce551);
    expect(bank.get('KEY')).toBe(0x1acce551);
    // No field, so nothing is undeclared: nothing reported.
    expect(events).toEqual([]);
  });
});

describe('undeclared bits of a register that declares fields', () => {
  const SPARSE = defineRegisterMap({ CTRL: reg32(0x0, { EN: bits(0, 1), MODE: bits(4, 2) }) });

  it('read as 0 and ignore writes; each run written with a 1 is reported by its bit range', () => {
    const { bank, events } = bankOf(SPARSE);
    bank.write(0, 4, 0x8000_003d); // EN=1, bits 3:2 written 1s, MODE=3, bit 31 written 1
    expect(bank.get('CTRL')).toBe(0x31);
    expect(bank.read(0, 4)).toBe(0x31);
    expect(events.map((e) => (e.kind === 'unimplemented' ? e.feature : e.kind))).toEqual(['CTRL[3:1]', 'CTRL[31:6]']);
  });
});

describe('narrow accesses: the addressed bytes, little-endian', () => {
  const NARROW = defineRegisterMap({
    W: reg32(0x0, {}, { sizes: [1, 2, 4] }),
    H: reg16(0x4, {}, { sizes: [1, 2] }),
    B: reg8(0x6),
    ST: reg32(0x8, { LO: bits(0, 4, 'w1c'), MID: bits(4, 8, 'w1c'), HI: bits(12, 20, 'w0c') }, { sizes: [1, 2, 4] }),
    RC: reg32(0xc, { V: bits(0, 16, 'rc') }, { sizes: [1, 4] }),
  });

  it('reads return the addressed bytes', () => {
    const { bank } = bankOf(NARROW);
    bank.set('W', 0x4433_2211);
    expect([bank.read(0, 1), bank.read(1, 1), bank.read(2, 1), bank.read(3, 1)]).toEqual([0x11, 0x22, 0x33, 0x44]);
    expect([bank.read(0, 2), bank.read(2, 2), bank.read(0, 4)]).toEqual([0x2211, 0x4433, 0x4433_2211]);
    bank.set('H', 0xbbaa);
    expect([bank.read(4, 1), bank.read(5, 1), bank.read(4, 2)]).toEqual([0xaa, 0xbb, 0xbbaa]);
  });

  it('writes replace only the addressed bytes', () => {
    const { bank } = bankOf(NARROW);
    bank.set('W', 0x4433_2211);
    bank.write(2, 1, 0xaa);
    expect(bank.get('W')).toBe(0x44aa_2211);
    bank.write(0, 2, 0xbeef);
    expect(bank.get('W')).toBe(0x44aa_beef);
    bank.write(3, 1, 0xff);
    expect(bank.get('W')).toBe(0xffaa_beef);
    bank.write(5, 1, 0x12);
    expect(bank.get('H')).toBe(0x1200);
    bank.write(6, 1, 0x99);
    expect(bank.get('B')).toBe(0x99);
  });

  it('w1c and w0c act only on the bits of the addressed bytes', () => {
    const { bank } = bankOf(NARROW);
    bank.set('ST', 0xffff_ffff);
    bank.write(0x8, 1, 0xf0); // MID[3:0] (bits 7:4) cleared; LO written 0: kept; byte 1 not written
    expect(bank.get('ST')).toBe(0xffff_ff0f);
    bank.write(0xa, 2, 0x0ff0); // HI bits 19:16 and 31:28 written 0: cleared; bits 27:20 written 1: kept
    expect(bank.get('ST')).toBe(0x0ff0_ff0f);
    // A 0 in bytes not written is not a write of 0: HI's bits 15:12 (byte 1) survived both writes.
    expect(bank.field('ST', 'HI') & 0xf).toBe(0xf);
  });

  it('an rc read clears only the bits it returned', () => {
    const { bank } = bankOf(NARROW);
    bank.setField('RC', 'V', 0xabcd);
    expect(bank.read(0xd, 1)).toBe(0xab);
    expect(bank.field('RC', 'V')).toBe(0x00cd);
    expect(bank.read(0xc, 4)).toBe(0xcd);
    expect(bank.field('RC', 'V')).toBe(0);
  });
});
