// defineChannels: a bank of channels, each a group of registers, in a register
// map (defineMany for a group; issue #13, device kit item 6). What the map
// builds (names from the pattern, offsets, order, the channel lookup), every
// rule it enforces with a RegisterMapError naming the bank or register, and the
// names its type carries (expectTypeOf and @ts-expect-error lines fail `tsc`).
import { describe, expect, expectTypeOf, it } from 'vitest';
import { VirtualClock } from '../../src/clock';
import {
  bit,
  bits,
  BusRangeError,
  defineChannels,
  defineMany,
  defineRegisterMap,
  reg16,
  reg32,
  RegisterBank,
  registerInfoOf,
  RegisterMapError,
  type ChannelRegisterName,
  type MapSpec,
  type RegisterShapeOf,
  type RegisterSpec,
} from '../../src/bus';
import { thrown } from '../support/errors';

/** An SP804-like block: three registers per timer, timers numbered from 1, then an ID register. */
const DUAL = defineRegisterMap({
  Timer: defineChannels(
    {
      Load: reg32(0x00),
      Value: reg32(0x04, {}, { access: 'ro', reset: 0xffff_ffff }),
      Control: reg32(0x08, { OneShot: bit(0), TimerEn: bit(7) }),
    },
    2,
    0x20,
    { name: 'Timer{n}{reg}', first: 1 },
  ),
  PeriphID0: reg32(0xfe0, {}, { access: 'ro', reset: 0x04 }),
});

describe('defineChannels: what the map builds', () => {
  it('names each register from the pattern and lists them channel by channel, in the group order, where the bank stands', () => {
    expect(DUAL.registers.map((r) => [r.name, r.offset, r.reset, r.access, r.bank])).toEqual([
      ['Timer1Load', 0x00, 0, 'rw', { name: 'Timer', index: 0, member: 'Load' }],
      ['Timer1Value', 0x04, 0xffff_ffff, 'ro', { name: 'Timer', index: 0, member: 'Value' }],
      ['Timer1Control', 0x08, 0, 'rw', { name: 'Timer', index: 0, member: 'Control' }],
      ['Timer2Load', 0x20, 0, 'rw', { name: 'Timer', index: 1, member: 'Load' }],
      ['Timer2Value', 0x24, 0xffff_ffff, 'ro', { name: 'Timer', index: 1, member: 'Value' }],
      ['Timer2Control', 0x28, 0, 'rw', { name: 'Timer', index: 1, member: 'Control' }],
      ['PeriphID0', 0xfe0, 4, 'ro', undefined],
    ]);
    // registerInfoOf keeps that order.
    expect(registerInfoOf(DUAL).map((r) => r.name)).toEqual(DUAL.registers.map((r) => r.name));
    expect(DUAL.byName.Timer2Control.fieldByName.TimerEn.mask).toBe(0x80);
  });

  it('gives each channel its register names by member, by index (channels, channel())', () => {
    expect(DUAL.channels.Timer).toEqual([
      { Load: 'Timer1Load', Value: 'Timer1Value', Control: 'Timer1Control' },
      { Load: 'Timer2Load', Value: 'Timer2Value', Control: 'Timer2Control' },
    ]);
    expect(DUAL.channel('Timer', 1)).toBe(DUAL.channels.Timer[1]);
    expect(DUAL.channel('Timer', 0).Control).toBe('Timer1Control');
  });

  it("names like defineMany by default: '{reg}{n}' from channel 0", () => {
    const map = defineRegisterMap({ T: defineChannels({ TCSR: reg32(0x00), TLR: reg32(0x04) }, 2, 0x10) });
    expect(map.registers.map((r) => [r.name, r.offset])).toEqual([
      ['TCSR0', 0x00],
      ['TLR0', 0x04],
      ['TCSR1', 0x10],
      ['TLR1', 0x14],
    ]);
  });

  it('puts the number and the member anywhere in the pattern', () => {
    const map = defineRegisterMap({
      TMR: defineChannels({ CTRL: reg32(0x10), INTV_VALUE: reg32(0x14) }, 3, 0x10, { name: 'TMR{n}_{reg}_REG' }),
      UART: defineChannels({ DR: reg16(0x100) }, 2, 0x100, { name: '{reg}_UART{n}', first: 7 }),
    });
    expect(map.registers.map((r) => r.name)).toEqual([
      'TMR0_CTRL_REG',
      'TMR0_INTV_VALUE_REG',
      'TMR1_CTRL_REG',
      'TMR1_INTV_VALUE_REG',
      'TMR2_CTRL_REG',
      'TMR2_INTV_VALUE_REG',
      'DR_UART7',
      'DR_UART8',
    ]);
    expect(map.byName.DR_UART8.offset).toBe(0x200);
  });

  it('takes a per-channel register (one spec per channel, one offset) where the channels differ', () => {
    const map = defineRegisterMap({
      T: defineChannels(
        {
          TCSR: [reg32(0x00, { MDT0: bit(0), CASC: bit(11, 'unimplemented') }), reg32(0x00, { MDT1: bit(0) })],
          TLR: reg32(0x04),
        },
        2,
        0x10,
      ),
    });
    expect(map.byName.TCSR0.fields.map((f) => f.name)).toEqual(['MDT0', 'CASC']);
    expect(map.byName.TCSR1.fields.map((f) => f.name)).toEqual(['MDT1']);
    expect(map.byName.TCSR1.offset).toBe(0x10);
  });

  it('works beside defineMany: member() for one-register banks, channel() for channel banks', () => {
    const map = defineRegisterMap({ CH: defineMany(reg32(0x00), 2, 4), T: defineChannels({ A: reg32(0x10) }, 2, 4) });
    expect(map.member('CH', 1)).toBe('CH1');
    expect(map.channel('T', 1)).toEqual({ A: 'A1' });
    expect(map.banks).toEqual({ CH: ['CH0', 'CH1'] });
    expect(Object.keys(map.channels)).toEqual(['T']);
  });

  it('is frozen data', () => {
    expect(Object.isFrozen(DUAL.channels)).toBe(true);
    expect(Object.isFrozen(DUAL.channels.Timer)).toBe(true);
    expect(Object.isFrozen(DUAL.channels.Timer[0])).toBe(true);
    expect(Object.isFrozen(DUAL.byName.Timer1Load.bank)).toBe(true);
    const spec = defineChannels({ A: reg32(0) }, 1, 4);
    expect(Object.isFrozen(spec)).toBe(true);
    expect(Object.isFrozen(spec.registers)).toBe(true);
  });

  it('channel() refuses an index outside the bank and an unknown bank (BusRangeError); member() points to it', () => {
    const e = thrown(() => DUAL.channel('Timer', 2));
    expect(e).toBeInstanceOf(BusRangeError);
    expect((e as Error).message).toBe("channel('Timer', index): 2 is invalid: must be an integer index from 0 to 1");
    expect((thrown(() => DUAL.channel('Timer', -1)) as Error).message).toContain('-1 is invalid');
    expect((thrown(() => DUAL.channel('Timer', 0.5)) as Error).message).toContain('0.5 is invalid');
    // @ts-expect-error not a channel bank of the map
    const f = thrown(() => DUAL.channel('Nope', 0));
    expect(f).toBeInstanceOf(BusRangeError);
    expect((f as Error).message).toBe('channel(bank): "Nope" is invalid: is not a channel bank of the map');
    // @ts-expect-error a channel bank is not a bank of one register
    expect((thrown(() => DUAL.member('Timer', 0)) as Error).message).toBe(
      'member(bank): "Timer" is invalid: is not a bank of the map (it is a channel bank: use channel())',
    );
    const many = defineRegisterMap({ CH: defineMany(reg32(0), 2, 4) });
    // @ts-expect-error a bank of one register is not a channel bank
    expect((thrown(() => many.channel('CH', 0)) as Error).message).toBe(
      'channel(bank): "CH" is invalid: is not a channel bank of the map (it is a bank of one register: use member())',
    );
  });
});

describe('defineChannels: types', () => {
  it('carries every register name as a literal type, and each channel as its names by member', () => {
    expectTypeOf<keyof typeof DUAL.byName>().toEqualTypeOf<
      'Timer1Load' | 'Timer1Value' | 'Timer1Control' | 'Timer2Load' | 'Timer2Value' | 'Timer2Control' | 'PeriphID0'
    >();
    expectTypeOf(DUAL.channel('Timer', 1)).toEqualTypeOf<{
      readonly Load: 'Timer2Load';
      readonly Value: 'Timer2Value';
      readonly Control: 'Timer2Control';
    }>();
    expectTypeOf(DUAL.channels.Timer[0].Load).toEqualTypeOf<'Timer1Load'>();
    const i: number = 1;
    expectTypeOf(DUAL.channel('Timer', i).Load).toEqualTypeOf<'Timer1Load' | 'Timer2Load'>();
    expectTypeOf<ChannelRegisterName<'TMR{n}_{reg}_REG', 5, 'CTRL'>>().toEqualTypeOf<'TMR5_CTRL_REG'>();
    // @ts-expect-error two channels: there is no Timer3Load
    expect(DUAL.byName.Timer3Load).toBeUndefined();
    // @ts-expect-error no member Reload in a channel
    expect(DUAL.channel('Timer', 0).Reload).toBeUndefined();
  });

  it('carries field names per register, per channel for a per-channel register', () => {
    const map = defineRegisterMap({
      T: defineChannels({ TCSR: [reg32(0x00, { MDT0: bit(0), CASC: bit(11) }), reg32(0x00, { MDT1: bit(0) })], TLR: reg32(0x04) }, 2, 0x10),
    });
    type R = RegisterShapeOf<typeof map>;
    expectTypeOf<R['TCSR0']>().toEqualTypeOf<'MDT0' | 'CASC'>();
    expectTypeOf<R['TCSR1']>().toEqualTypeOf<'MDT1'>();
    expectTypeOf<R['TLR1']>().toEqualTypeOf<never>();
    const bank = new RegisterBank(map, { name: 'dut', scheduler: new VirtualClock() });
    bank.setField('TCSR1', 'MDT1', 1);
    expect(bank.get('TCSR1')).toBe(1);
    // @ts-expect-error CASC is a field of TCSR0 only
    expect(() => bank.setField('TCSR1', 'CASC', 1)).toThrow(BusRangeError);
    // @ts-expect-error TLR has no fields
    expect(() => bank.field('TLR0', 'MDT0')).toThrow(BusRangeError);
  });

  it('a count that is not a literal gives names with `${number}` in them', () => {
    const n: number = 2;
    const map = defineRegisterMap({ T: defineChannels({ A: reg32(0) }, n, 4) });
    expectTypeOf<keyof typeof map.byName>().toEqualTypeOf<`A${number}`>();
    expect(map.byName.A1?.offset).toBe(4); // a template key: possibly absent
  });
});

/** The error `spec` throws when built, checked for its class. */
const refusal = (spec: MapSpec): RegisterMapError => {
  const e = thrown(() => defineRegisterMap(spec));
  expect(e).toBeInstanceOf(RegisterMapError);
  return e as RegisterMapError;
};

const TWO = { Load: reg32(0x00), Control: reg32(0x08) };

describe('defineChannels: every rule (RegisterMapError naming the bank or register)', () => {
  it.each<readonly [string, MapSpec, string, string]>([
    [
      'a count of 0',
      { T: defineChannels(TWO, 0, 0x10) },
      'T',
      'register map T: 0 is invalid: a channel bank count must be a positive integer',
    ],
    [
      'a fractional count',
      { T: defineChannels(TWO, 1.5, 0x10) },
      'T',
      'register map T: 1.5 is invalid: a channel bank count must be a positive integer',
    ],
    [
      'a stride of 0',
      { T: defineChannels(TWO, 2, 0) },
      'T',
      'register map T: 0 is invalid: a channel bank stride must be a positive integer number of bytes',
    ],
    [
      'a fractional stride',
      { T: defineChannels(TWO, 2, 16.5) },
      'T',
      'register map T: 16.5 is invalid: a channel bank stride must be a positive integer number of bytes',
    ],
    [
      "a stride shorter than one channel's span (the channels would interleave)",
      { T: defineChannels(TWO, 2, 0x8) },
      'T',
      "register map T: 8 is invalid: a channel bank stride must be at least the span of one channel's registers (0xc bytes)",
    ],
    [
      'a channel overlapping another register',
      { T: defineChannels(TWO, 2, 0x10), ID: reg32(0x18) },
      'ID',
      'register map ID: 24 is invalid: registers must not overlap: 0x18 is inside Control1 (0x18..0x1b)',
    ],
    [
      'a pattern without {n}',
      { T: defineChannels(TWO, 2, 0x10, { name: 'Timer{reg}' }) },
      'T',
      `register map T: "Timer{reg}" is invalid: a channel name pattern must contain '{n}' and '{reg}' once each`,
    ],
    [
      'a pattern without {reg}',
      { T: defineChannels(TWO, 2, 0x10, { name: 'Timer{n}' }) },
      'T',
      `register map T: "Timer{n}" is invalid: a channel name pattern must contain '{n}' and '{reg}' once each`,
    ],
    [
      'a pattern with {n} twice',
      { T: defineChannels(TWO, 2, 0x10, { name: 'T{n}{reg}{n}' }) },
      'T',
      `register map T: "T{n}{reg}{n}" is invalid: a channel name pattern must contain '{n}' and '{reg}' once each`,
    ],
    [
      'a negative first number',
      { T: defineChannels(TWO, 2, 0x10, { first: -1 }) },
      'T',
      'register map T: -1 is invalid: the first channel number must be a non-negative safe integer',
    ],
    [
      'no register in the group',
      { T: defineChannels({}, 2, 0x10) },
      'T',
      'register map T: {} is invalid: a channel bank needs at least one register',
    ],
    [
      'a per-channel register not given once per channel',
      { T: defineChannels({ A: [reg32(0), reg32(0), reg32(0)] }, 2, 0x10) },
      'T.A',
      'register map T.A: 3 is invalid: a per-channel register must be given once per channel (2)',
    ],
    [
      'a per-channel register at two offsets',
      { T: defineChannels({ A: [reg32(0), reg32(4)] }, 2, 0x10) },
      'T.A[1]',
      'register map T.A[1]: 4 is invalid: a per-channel register has one offset in every channel (0x0, not 0x4)',
    ],
    [
      'a member not made by reg*',
      { T: defineChannels({ A: defineMany(reg32(0), 2, 4) as unknown as RegisterSpec }, 2, 0x10) },
      'T.A',
      'register map T.A: {"kind":"many","register":{"kind":"register","offset":0,"width":32,"fields":{},"options":{}},"count":2,"stride":4} is invalid: must be made by reg8, reg16 or reg32, or be a list of them (one per channel)',
    ],
    [
      'a register rule broken in a channel (named by its register)',
      { T: defineChannels({ Load: reg32(0x02) }, 2, 0x10, { name: 'Timer{n}{reg}', first: 1 }) },
      'Timer1Load',
      "register map Timer1Load: 2 is invalid: a 32-bit register's offset must be a multiple of 4 (0x2 is not)",
    ],
    [
      'a channel register named like another register',
      { Load1: reg32(0x100), T: defineChannels(TWO, 2, 0x10) },
      'Load1',
      'register map Load1: "Load1" is invalid: register names must be unique (a bank member repeats a name)',
    ],
  ])('refuses %s', (_, spec, where, message) => {
    const e = refusal(spec);
    expect(e.where).toBe(where);
    expect(e.message).toBe(message);
  });

  it('accepts a stride of exactly one span, and a bank of one channel', () => {
    const map = defineRegisterMap({ T: defineChannels(TWO, 2, 0xc), U: defineChannels({ X: reg32(0x40, { B: bits(0, 2) }) }, 1, 4) });
    expect(map.registers.map((r) => [r.name, r.offset])).toEqual([
      ['Load0', 0x00],
      ['Control0', 0x08],
      ['Load1', 0x0c],
      ['Control1', 0x14],
      ['X0', 0x40],
    ]);
  });
});
