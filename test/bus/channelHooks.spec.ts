// channelHooks: a RegisterBank's hooks for every channel of a channel bank, written once
// by member name (#13, device kit item 6): filed under each channel's register names,
// typed by member and field, and refused (BusRangeError) for what the map does not have.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { VirtualClock } from '../../src/clock';
import { bit, BusRangeError, channelHooks, defineChannels, defineRegisterMap, reg32, RegisterBank } from '../../src/bus';
import { thrown } from '../support/errors';

const MAP = defineRegisterMap({
  CTRL: reg32(0x00, { GO: bit(0) }),
  Timer: defineChannels(
    { Load: reg32(0x10), Control: reg32(0x14, { En: bit(0), IntEn: bit(1) }) },
    3,
    0x10,
    { name: 'Timer{n}{reg}', first: 1 },
  ),
});

describe('channelHooks', () => {
  it("files each channel's hooks under its register names; the bank runs them like hand-written ones", () => {
    const log: string[] = [];
    const hooks = channelHooks(MAP, 'Timer', (i, names) => ({
      Load: { write: (v) => log.push(`${names.Load} (channel ${i}) = ${v}`) },
      Control: { fields: { En: { change: (v) => log.push(`${names.Control}.En ${v}`) } } },
    }));
    expect(Object.keys(hooks)).toEqual(['Timer1Load', 'Timer1Control', 'Timer2Load', 'Timer2Control', 'Timer3Load', 'Timer3Control']);
    const bank = new RegisterBank(MAP, { name: 'dut', scheduler: new VirtualClock(), hooks: { ...hooks, CTRL: { write: () => log.push('CTRL') } } });
    bank.write(0x30, 4, 7); // Timer3Load
    bank.write(0x24, 4, 1); // Timer2Control
    bank.write(0x00, 4, 1);
    expect(log).toEqual(['Timer3Load (channel 2) = 7', 'Timer2Control.En 1', 'CTRL']);
  });

  it('leaves out the members a channel gives no hooks for (and undefined ones)', () => {
    const hooks = channelHooks(MAP, 'Timer', (i) => (i === 1 ? { Load: { read: () => 5 }, Control: undefined } : {}));
    expect(Object.keys(hooks)).toEqual(['Timer2Load']);
  });

  it('types: the index is a channel position, members and fields are checked', () => {
    channelHooks(MAP, 'Timer', (i, names) => {
      expectTypeOf(i).toEqualTypeOf<0 | 1 | 2>();
      expectTypeOf(names.Load).toEqualTypeOf<'Timer1Load' | 'Timer2Load' | 'Timer3Load'>();
      return { Control: { fields: { IntEn: {} } } };
    });
    // @ts-expect-error Load has no fields
    expect(() => channelHooks(MAP, 'Timer', () => ({ Load: { fields: { En: {} } } }))).not.toThrow(); // the bank refuses it
    // @ts-expect-error no field Nope in Control
    expect(() => channelHooks(MAP, 'Timer', () => ({ Control: { fields: { Nope: {} } } }))).not.toThrow();
    // @ts-expect-error no member Reload
    expect(() => channelHooks(MAP, 'Timer', () => ({ Reload: {} }))).toThrow(BusRangeError);
  });

  it('refuses a bank that is not a channel bank, and a member a channel does not have (BusRangeError)', () => {
    // @ts-expect-error CTRL is a register, not a channel bank
    const e = thrown(() => channelHooks(MAP, 'CTRL', () => ({})));
    expect(e).toBeInstanceOf(BusRangeError);
    expect((e as Error).message).toBe('channelHooks(bank): "CTRL" is invalid: is not a channel bank of the map');
    const f = thrown(() => channelHooks(MAP, 'Timer', () => ({ Reload: {} }) as object));
    expect((f as Error).message).toBe('channelHooks(hooks): "Reload" is invalid: is not a register of a channel of Timer (Load, Control)');
  });
});
