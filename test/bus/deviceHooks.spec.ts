// deviceHooks: a device class's register hooks built once and shared by every instance's
// bank, each callback taking the device first (#19 item 3, a device instance within 4 KB):
// the same order and values as per-instance hooks, each bank calling its own device, and
// refusals (BusRangeError) for names the map lacks, a table of another map, a missing device.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock';
import { bit, BusRangeError, defineChannels, defineRegisterMap, deviceHooks, reg32, RegisterBank } from '../../src/bus';
import { thrown } from '../support/errors';

const MAP = defineRegisterMap({
  CTRL: reg32(0x00, { GO: bit(0), IRQ: bit(1, 'w1c') }),
  COUNT: reg32(0x04, {}, { access: 'ro' }),
  Timer: defineChannels({ Load: reg32(0x10), Control: reg32(0x14, { En: bit(0) }) }, 2, 0x10, { name: 'Timer{n}{reg}', first: 1 }),
});

/** A stand-in device: what its hooks do is logged under its name. */
class Dev {
  constructor(readonly name: string) {}
  readonly log: string[] = [];
  count = 0;
}

const build = deviceHooks<Dev>();
const HOOKS = build.of(MAP, {
  CTRL: {
    write: (d, v, old) => d.log.push(`${d.name} CTRL ${old}->${v}`),
    fields: { GO: { write: (d, v) => d.log.push(`${d.name} GO write ${v}`), change: (d, v, old) => d.log.push(`${d.name} GO ${old}->${v}`) } },
  },
  COUNT: { read: (d) => d.count },
  ...build.channels(MAP, 'Timer', (i) => ({
    Load: { write: (d, v) => d.log.push(`${d.name} Load${i} ${v}`) },
    Control: { fields: { En: { change: (d, v) => d.log.push(`${d.name} En${i} ${v}`) } } },
  })),
});

const bankOf = (device: Dev) => new RegisterBank(MAP, { name: device.name, scheduler: new VirtualClock(), hooks: HOOKS, device });

describe('deviceHooks', () => {
  it('runs one table for every bank, each call with that bank\'s device, in the documented order', () => {
    const a = new Dev('a');
    const b = new Dev('b');
    const bankA = bankOf(a);
    const bankB = bankOf(b);
    bankA.write(0x00, 4, 1); // CTRL: field write, change, then register write
    bankB.write(0x20, 4, 9); // Timer2Load, of b only
    bankB.write(0x24, 4, 1);
    a.count = 7;
    b.count = 3;
    expect(a.log).toEqual(['a GO write 1', 'a GO 0->1', 'a CTRL 0->1']);
    expect(b.log).toEqual(['b Load1 9', 'b En1 1']);
    expect([bankA.read(0x04, 4), bankB.read(0x04, 4)]).toEqual([7, 3]);
  });

  it('files channel hooks under each channel\'s register names', () => {
    expect(Object.keys(build.channels(MAP, 'Timer', () => ({ Load: { read: (_d) => 1 } })))).toEqual(['Timer1Load', 'Timer2Load']);
  });

  it('refuses a register or field the map does not have, when the table is built', () => {
    const reg = thrown(() => build.of(MAP, { NOPE: { read: () => 0 } } as never));
    expect(reg).toBeInstanceOf(BusRangeError);
    expect((reg as Error).message).toBe('deviceHooks(hooks): "NOPE" is invalid: is not a register of the map');
    const field = thrown(() => build.of(MAP, { CTRL: { fields: { X: { write: () => {} } } } } as never));
    expect((field as Error).message).toBe('deviceHooks(hooks.CTRL.fields): "X" is invalid: is not a field of CTRL');
    const member = thrown(() => build.channels(MAP, 'Timer', () => ({ Nope: {} }) as never));
    expect((member as Error).message).toMatch(/^deviceHooks\(\)\.channels\(hooks\): "Nope" is invalid: is not a register of a channel of Timer/);
  });

  it('a bank refuses a table of another map, a table without its device, and a device without a table', () => {
    const other = defineRegisterMap({ CTRL: reg32(0x00) });
    const scheduler = new VirtualClock();
    const wrongMap = thrown(() => new RegisterBank(other, { name: 'x', scheduler, hooks: HOOKS as never, device: new Dev('x') }));
    expect((wrongMap as Error).message).toBe('RegisterBank(hooks): "hooks" is invalid: is a DeviceHooks table of another register map');
    const noDevice = thrown(() => new RegisterBank(MAP, { name: 'x', scheduler, hooks: HOOKS }));
    expect(noDevice).toBeInstanceOf(BusRangeError);
    expect((noDevice as Error).message).toMatch(/^RegisterBank\(device\): .* must be the instance a DeviceHooks table calls$/);
    const stray = thrown(() => new RegisterBank(MAP, { name: 'x', scheduler, hooks: {}, device: new Dev('x') }));
    expect((stray as Error).message).toMatch(/^RegisterBank\(device\): .*is only for a DeviceHooks table/);
  });
});
