// The order of a guest write's callbacks and reports, as the RegisterBank
// TSDoc states it (STYLE.md 16): field modes applied -> field write callbacks
// in map order -> change callbacks -> register callback -> reports of
// unimplemented fields and undeclared bits. Plus read hooks, rc change
// callbacks, and what runs no hook at all.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock';
import { bit, bits, BusRangeError, defineRegisterMap, reg32, RegisterBank, type RegisterShapeOf } from '../../src/bus';
import { thrown } from '../support/errors';

const MAP = defineRegisterMap({
  CTRL: reg32(
    0x00,
    {
      // Declared out of bit order on purpose: callbacks follow the map's order, not the bits'.
      IRQEN: bit(3),
      EN: bit(0),
      SEL: bit(1, 'unimplemented'),
      ST: bits(4, 2, 'w1c'),
      ID: bits(8, 4, 'ro'),
      RES: bits(12, 4, 'reserved'),
      EXT: bit(16, 'unimplemented'),
    },
    { sizes: [1, 4] },
  ),
  COUNT: reg32(0x04, {}, { sizes: [1, 4] }),
  FLAGS: reg32(0x08, { A: bit(0, 'rc'), B: bit(1, 'rc'), C: bit(2) }),
});

describe('the order of a guest write', () => {
  it('modes applied, then field writes in map order, then changes, then the register callback, then reports', () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    let bank: RegisterBank<RegisterShapeOf<typeof MAP>>;
    // Each callback also records what it sees of the register: step 1 is complete before any of them runs.
    const seen = () => `@${bank.get('CTRL').toString(16)}`;
    const field = (name: string) => ({
      write: (v: number, old: number) => log.push(`${name}.write(${v},${old})${seen()}`),
      change: (v: number, old: number) => log.push(`${name}.change(${v},${old})${seen()}`),
    });
    bank = new RegisterBank(MAP, {
      name: 'dut',
      scheduler: clock,
      hooks: {
        CTRL: {
          write: (v, old) => log.push(`CTRL.write(${v.toString(16)},${old.toString(16)})`),
          fields: { IRQEN: field('IRQEN'), EN: field('EN'), SEL: field('SEL'), ST: field('ST'), ID: field('ID'), RES: field('RES'), EXT: field('EXT') },
        },
      },
    });
    bank.events$.subscribe((e) => log.push(`${e.kind}:${e.kind === 'unimplemented' ? e.feature : ''}`));
    bank.set('CTRL', 0x0000_0939); // IRQEN=1, EN=1, ST=3, ID=9
    clock.advanceTo(10);

    // Write: IRQEN 1 (same), EN 0 (change), SEL 1, ST 0b01 (clears bit 4), ID 0 (ro: ignored),
    // RES 0xf (ignored), EXT 1, and undeclared bits 2, 6 and 31 (bit 7 and 17..30 written 0).
    bank.write(0x00, 4, 0x8001_f05e);

    expect(log).toEqual([
      // 2. field write callbacks, map order, every writable field covered (changed or not); not ro/reserved
      'IRQEN.write(1,1)@1092a',
      'EN.write(0,1)@1092a',
      'SEL.write(1,0)@1092a',
      'ST.write(2,3)@1092a',
      'EXT.write(1,0)@1092a',
      // 3. change callbacks, map order, only what changed
      'EN.change(0,1)@1092a',
      'SEL.change(1,0)@1092a',
      'ST.change(2,3)@1092a',
      'EXT.change(1,0)@1092a',
      // 4. the register callback
      'CTRL.write(1092a,939)',
      // 5. reports: unimplemented fields written non-zero, in map order, then undeclared runs written with a 1
      'unimplemented:CTRL.SEL',
      'unimplemented:CTRL.EXT',
      'unimplemented:CTRL[2]',
      'unimplemented:CTRL[7:6]',
      'unimplemented:CTRL[31:17]',
    ]);
    expect(bank.get('CTRL')).toBe(0x0001_092a);
  });

  it('a narrow write runs the callbacks of the fields in the bytes it writes only', () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    const bank = new RegisterBank(MAP, {
      name: 'dut',
      scheduler: clock,
      hooks: {
        CTRL: {
          write: () => log.push('CTRL.write'),
          fields: {
            EN: { write: () => log.push('EN.write') },
            EXT: { write: () => log.push('EXT.write') },
          },
        },
      },
    });
    bank.write(0x02, 1, 0x01); // byte 2: EXT only
    bank.write(0x00, 1, 0x00); // byte 0: EN (and IRQEN, SEL, ST)
    expect(log).toEqual(['EXT.write', 'CTRL.write', 'EN.write', 'CTRL.write']);
  });

  it('callbacks get the values of step 1 even after a callback set() the register, and what they set is final', () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    const bank: RegisterBank<RegisterShapeOf<typeof MAP>> = new RegisterBank(MAP, {
        name: 'dut',
        scheduler: clock,
        hooks: {
          CTRL: {
            fields: {
              IRQEN: { write: (v) => (log.push(`IRQEN ${v}`), bank.setField('CTRL', 'EN', 0)) },
              EN: { write: (v) => log.push(`EN ${v}`) },
            },
            write: (v) => log.push(`CTRL ${v}`),
          },
        },
      });
    bank.write(0, 4, 0x9);
    expect(log).toEqual(['IRQEN 1', 'EN 1', 'CTRL 9']);
    expect(bank.get('CTRL')).toBe(0x8);
  });

  it('a throwing callback propagates, and the value stays stored', () => {
    const bank = new RegisterBank(MAP, {
      name: 'dut',
      scheduler: new VirtualClock(),
      hooks: {
        CTRL: {
          fields: {
            EN: {
              write: () => {
                throw new Error('device bug');
              },
            },
          },
        },
      },
    });
    expect((thrown(() => bank.write(0, 4, 1)) as Error).message).toBe('device bug');
    expect(bank.get('CTRL')).toBe(1);
  });
});

describe('read hooks', () => {
  const counting = () => {
    let counter = 0x1122_3344;
    const log: string[] = [];
    const bank = new RegisterBank(MAP, {
      name: 'dut',
      scheduler: new VirtualClock(),
      hooks: {
        COUNT: { read: () => counter, write: (v, old) => log.push(`${v.toString(16)} ${old.toString(16)}`) },
      },
    });
    return { bank, log, setCounter: (v: number) => (counter = v) };
  };

  it('give the value of each guest read, computed at the read (narrow reads too)', () => {
    const { bank, setCounter } = counting();
    expect(bank.read(0x04, 4)).toBe(0x1122_3344);
    expect(bank.read(0x05, 1)).toBe(0x33);
    setCounter(7);
    expect(bank.read(0x04, 4)).toBe(7);
  });

  it('are not run by get(): the device reads the stored value', () => {
    const { bank } = counting();
    expect(bank.get('COUNT')).toBe(0);
  });

  it('give the value a guest write starts from', () => {
    const { bank, log } = counting();
    bank.write(0x04, 1, 0xff);
    expect(log).toEqual(['112233ff 11223344']);
    expect(bank.get('COUNT')).toBe(0x1122_33ff);
  });

  it('read through the read masks: wo fields stay hidden, rc fields are not cleared', () => {
    const bank = new RegisterBank(MAP, { name: 'dut', scheduler: new VirtualClock(), hooks: { FLAGS: { read: () => 0x7 } } });
    bank.set('FLAGS', 0x3);
    expect(bank.read(0x08, 4)).toBe(0x7);
    expect(bank.get('FLAGS')).toBe(0x3);
  });

  it('that return a value that does not fit are the device bug: BusRangeError', () => {
    const bank = new RegisterBank(MAP, { name: 'dut', scheduler: new VirtualClock(), hooks: { COUNT: { read: () => 2 ** 32 } } });
    const e = thrown(() => bank.read(0x04, 4));
    expect(e).toBeInstanceOf(BusRangeError);
    expect((e as Error).message).toBe('read hook of COUNT: 4294967296 is invalid: must be an unsigned integer that fits in 32 bits');
  });
});

describe('rc fields: a read that clears runs the change callbacks', () => {
  it('of the fields it cleared, in map order, after taking the value; not the write callbacks', () => {
    const log: string[] = [];
    const cb = (name: string) => ({
      write: () => log.push(`${name}.write`),
      change: (v: number, old: number) => log.push(`${name}.change(${v},${old})`),
    });
    const bank = new RegisterBank(MAP, {
      name: 'dut',
      scheduler: new VirtualClock(),
      hooks: { FLAGS: { write: () => log.push('FLAGS.write'), fields: { A: cb('A'), B: cb('B'), C: cb('C') } } },
    });
    bank.set('FLAGS', 0x6); // B and C
    expect(bank.read(0x08, 4)).toBe(0x6);
    expect(log).toEqual(['B.change(0,1)']);
    expect(bank.get('FLAGS')).toBe(0x4);
    expect(bank.read(0x08, 4)).toBe(0x4);
    expect(log).toEqual(['B.change(0,1)']);
  });
});

describe('what runs no hook', () => {
  it('set, setField, reset and restore', () => {
    const log: string[] = [];
    const bank = new RegisterBank(MAP, {
      name: 'dut',
      scheduler: new VirtualClock(),
      hooks: {
        CTRL: {
          write: () => log.push('CTRL.write'),
          fields: { EN: { write: () => log.push('EN.write'), change: () => log.push('EN.change') } },
        },
      },
    });
    const snap = bank.snapshot();
    bank.set('CTRL', 1);
    bank.setField('CTRL', 'EN', 0);
    bank.setField('CTRL', 'EN', 1);
    bank.reset();
    bank.setField('CTRL', 'EN', 1);
    bank.restore(snap);
    expect(log).toEqual([]);
    expect(bank.get('CTRL')).toBe(0);
  });
});

describe('hooks that name what the map does not have (BusRangeError at construction)', () => {
  it('an unknown register', () => {
    // @ts-expect-error NOPE is not a register of the map
    const e = thrown(() => new RegisterBank(MAP, { name: 'dut', scheduler: new VirtualClock(), hooks: { NOPE: {} } }));
    expect(e).toBeInstanceOf(BusRangeError);
    expect((e as Error).message).toBe('RegisterBank(hooks): "NOPE" is invalid: is not a register of the map');
  });

  it('an unknown field', () => {
    const e = thrown(
      // @ts-expect-error COUNT has no fields
      () => new RegisterBank(MAP, { name: 'dut', scheduler: new VirtualClock(), hooks: { COUNT: { fields: { X: {} } } } }),
    );
    expect(e).toBeInstanceOf(BusRangeError);
    expect((e as Error).message).toBe('RegisterBank(hooks.COUNT.fields): "X" is invalid: is not a field of COUNT');
  });
});
