// Bad guest accesses are events, not exceptions (STYLE.md 19): each refused
// access emits one guest-error event with the device, time, offset, size,
// reason and a detail naming the register; a refused read returns 0; nothing
// changes (the snapshot is the same) and no hook runs. Calls that no bus
// could make are our caller's bugs and throw BusRangeError.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock';
import {
  bit,
  BusRangeError,
  defineRegisterMap,
  reg16,
  reg32,
  RegisterBank,
  type AccessSize,
  type Device,
  type GuestErrorReason,
} from '../../src/bus';
import type { TraceEvent } from '../../src/trace/TraceEvent';
import { thrown } from '../support/errors';

const MAP = defineRegisterMap({
  CTRL: reg32(0x00, { EN: bit(0), DONE: bit(1, 'rc') }, { reset: 0x2 }),
  W: reg32(0x04, {}, { sizes: [1, 2, 4], reset: 0x0403_0201 }),
  ID: reg32(0x08, {}, { access: 'ro', reset: 0x41 }),
  KEY: reg32(0x0c, {}, { access: 'wo' }),
  LOCKED: reg32(0x10, {}, { reset: 7 }),
  H: reg16(0x14, {}, { sizes: [1, 2] }),
  // 0x16..0x1f: a hole
  LAST: reg32(0x20),
});

const setup = () => {
  const clock = new VirtualClock();
  const hooked: string[] = [];
  let lock = true;
  const events: TraceEvent[] = [];
  const sunk: TraceEvent[] = [];
  const bank = new RegisterBank(MAP, {
    name: 'dut',
    scheduler: clock,
    locked: (r) => lock && r === 'LOCKED',
    sink: { record: (e) => sunk.push(e) },
    hooks: {
      CTRL: {
        write: () => hooked.push('CTRL.write'),
        fields: { EN: { write: () => hooked.push('EN.write'), change: () => hooked.push('EN.change') } },
      },
      W: { write: () => hooked.push('W.write') },
      LOCKED: { write: () => hooked.push('LOCKED.write') },
      H: { write: () => hooked.push('H.write') },
      ID: { read: () => 0x41 },
    },
  });
  bank.events$.subscribe((e) => events.push(e));
  clock.advanceTo(1_500);
  return { clock, bank, events, sunk, hooked, unlock: () => (lock = false) };
};

type Access = readonly ['read', number, AccessSize] | readonly ['write', number, AccessSize, number];

describe('refused guest accesses', () => {
  it.each<readonly [string, Access, GuestErrorReason, string]>([
    ['a read of an unmapped offset', ['read', 0x100, 4], 'unmapped', 'no register at 0x100'],
    ['a write to an unmapped offset', ['write', 0x100, 4, 1], 'unmapped', 'no register at 0x100'],
    ['a read in a hole between registers', ['read', 0x18, 4], 'unmapped', 'no register at 0x18'],
    ['a write in a hole between registers', ['write', 0x16, 2, 0xffff], 'unmapped', 'no register at 0x16'],
    ['a 2-byte read of a 4-byte-only register', ['read', 0x00, 2], 'bad-size', 'CTRL accepts 4-byte accesses, not 2'],
    ['a 1-byte write to a 4-byte-only register', ['write', 0x01, 1, 1], 'bad-size', 'CTRL accepts 4-byte accesses, not 1'],
    ['an 8-byte read of a 32-bit register', ['read', 0x04, 8], 'bad-size', 'W accepts 1/2/4-byte accesses, not 8'],
    ['an 8-byte write of a 32-bit register', ['write', 0x00, 8, 2 ** 40], 'bad-size', 'CTRL accepts 4-byte accesses, not 8'],
    ['a 4-byte read of a 16-bit register', ['read', 0x14, 4], 'bad-size', 'H accepts 1/2-byte accesses, not 4'],
    ['a misaligned 2-byte read', ['read', 0x05, 2], 'misaligned', 'W: a 2-byte access at 0x5 is not aligned to 2'],
    ['a misaligned 4-byte write', ['write', 0x06, 4, 1], 'misaligned', 'W: a 4-byte access at 0x6 is not aligned to 4'],
    ['a misaligned 2-byte write to a 16-bit register', ['write', 0x15, 2, 1], 'misaligned', 'H: a 2-byte access at 0x15 is not aligned to 2'],
    ['a write to a read-only register', ['write', 0x08, 4, 0], 'read-only', 'ID is read-only'],
    ['a read of a write-only register', ['read', 0x0c, 4], 'write-only', 'KEY is write-only'],
    ['a write to a locked register', ['write', 0x10, 4, 9], 'locked', 'LOCKED is locked'],
    // Precedence: the first rule that applies is the one reported.
    ['a bad-size write to a read-only register (size first)', ['write', 0x08, 2, 0], 'bad-size', 'ID accepts 4-byte accesses, not 2'],
    ['a misaligned write to a locked register (alignment first)', ['write', 0x12, 4, 0], 'misaligned', 'LOCKED: a 4-byte access at 0x12 is not aligned to 4'],
  ])('%s: one guest-error event, reads 0, changes nothing, runs no hook', (_, access, reason, detail) => {
    const { bank, events, sunk, hooked } = setup();
    const before = bank.snapshot();
    const result = access[0] === 'read' ? bank.read(access[1], access[2]) : bank.write(access[1], access[2], access[3]);
    const expected: TraceEvent = { kind: 'guest-error', time: 1_500, source: 'dut', offset: access[1], size: access[2], reason, detail };
    expect(events).toEqual([expected]);
    expect(sunk).toEqual([expected]);
    expect(result).toBe(access[0] === 'read' ? 0 : undefined);
    expect(bank.snapshot()).toEqual(before);
    expect(hooked).toEqual([]);
  });

  it('a refused read of a register with an rc field does not clear it', () => {
    const { bank } = setup();
    expect(bank.read(0x00, 2)).toBe(0);
    expect(bank.field('CTRL', 'DONE')).toBe(1);
    expect(bank.read(0x00, 4)).toBe(0x2);
    expect(bank.field('CTRL', 'DONE')).toBe(0);
  });

  it('a locked register can still be read, and is written once unlocked', () => {
    const { bank, events, hooked, unlock } = setup();
    expect(bank.read(0x10, 4)).toBe(7);
    unlock();
    bank.write(0x10, 4, 9);
    expect(bank.get('LOCKED')).toBe(9);
    expect(hooked).toEqual(['LOCKED.write']);
    expect(events).toEqual([]);
  });

  it('the lock is asked about the register being written, on each write', () => {
    const clock = new VirtualClock();
    const asked: string[] = [];
    const bank = new RegisterBank(MAP, {
      name: 'dut',
      scheduler: clock,
      locked: (r) => {
        asked.push(r);
        return false;
      },
    });
    bank.write(0x00, 4, 1);
    bank.read(0x10, 4);
    bank.write(0x14, 2, 1);
    bank.write(0x08, 4, 1); // refused as read-only before the lock is asked
    expect(asked).toEqual(['CTRL', 'H']);
  });

  it('accepted accesses emit nothing', () => {
    const { bank, events } = setup();
    bank.write(0x00, 4, 1);
    bank.read(0x04, 1);
    bank.write(0x14, 1, 0xff);
    bank.read(0x08, 4);
    expect(events).toEqual([]);
  });
});

describe('calls no bus could make (BusRangeError)', () => {
  it.each<readonly [string, () => unknown, string]>([
    ['a negative offset', () => setup().bank.read(-4, 4), 'read(offset): -4 is invalid: must be a non-negative safe integer byte offset'],
    ['a fractional offset', () => setup().bank.write(0.5, 4, 0), 'write(offset): 0.5 is invalid: must be a non-negative safe integer byte offset'],
    ['a size of 3', () => setup().bank.read(0, 3 as AccessSize), 'read(size): 3 is invalid: must be 1, 2, 4 or 8 bytes'],
    ['a negative value', () => setup().bank.write(0, 4, -1), 'write(value): -1 is invalid: must be an unsigned integer that fits in 4 byte(s)'],
    ['a value wider than the access', () => setup().bank.write(4, 1, 0x100), 'write(value): 256 is invalid: must be an unsigned integer that fits in 1 byte(s)'],
    ['a fractional value', () => setup().bank.write(0, 4, 1.5), 'write(value): 1.5 is invalid: must be an unsigned integer that fits in 4 byte(s)'],
  ])('%s', (_, call, message) => {
    const e = thrown(call);
    expect(e).toBeInstanceOf(BusRangeError);
    expect((e as Error).message).toBe(message);
  });

  it('a malformed call changes nothing and emits nothing', () => {
    const { bank, events } = setup();
    const before = bank.snapshot();
    thrown(() => bank.write(0, 4, 2 ** 32));
    expect(bank.snapshot()).toEqual(before);
    expect(events).toEqual([]);
  });
});

describe('events$', () => {
  it('is hot: a subscriber sees only the events after it subscribed', () => {
    const { bank } = setup();
    bank.read(0x100, 4);
    const late: TraceEvent[] = [];
    bank.events$.subscribe((e) => late.push(e));
    bank.read(0x104, 4);
    expect(late.map((e) => (e.kind === 'guest-error' ? e.offset : -1))).toEqual([0x104]);
  });

  it('the sink records each event before events$ emits it', () => {
    const clock = new VirtualClock();
    const order: string[] = [];
    const bank = new RegisterBank(MAP, { name: 'dut', scheduler: clock, sink: { record: () => order.push('sink') } });
    bank.events$.subscribe(() => order.push('events$'));
    bank.read(0x100, 4);
    expect(order).toEqual(['sink', 'events$']);
  });

  it('a RegisterBank is a Device', () => {
    const device: Device = setup().bank;
    expect(device.name).toBe('dut');
  });
});
