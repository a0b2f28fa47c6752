import { describe, expect, it } from 'vitest';
import { UnmodelledRegisters, VirtualClock, type TraceEvent } from '../../../index';

/** Two left-out registers at 0x08 and 0x2c of a device 'dev', its events logged. */
const rig = (sizes?: readonly (1 | 2 | 4 | 8)[]) => {
  const clock = new VirtualClock({ start: 7 });
  const events: TraceEvent[] = [];
  const rest = new UnmodelledRegisters({
    device: 'dev',
    scheduler: clock,
    sink: { record: (e) => void events.push(e) },
    registers: [
      { name: 'CURDESC', offset: 0x08 },
      { name: 'SG_CTL', offset: 0x2c },
    ],
    what: 'descriptor engine',
    ...(sizes === undefined ? {} : { sizes }),
  });
  return { rest, events };
};

describe('UnmodelledRegisters', () => {
  it('a read of a left-out register is an unimplemented event and reads 0; a write too, and changes nothing', () => {
    const { rest, events } = rig();
    expect(rest.read(0x08, 4)).toBe(0);
    expect(rest.write(0x2c, 4, 0xffff_ffff)).toBe(true);
    expect(events).toEqual([
      { kind: 'unimplemented', time: 7, source: 'dev', offset: 0x08, feature: 'CURDESC (descriptor engine)' },
      { kind: 'unimplemented', time: 7, source: 'dev', offset: 0x2c, feature: 'SG_CTL (descriptor engine)' },
    ]);
  });

  it('other offsets are not its business: undefined / false, no event (the register bank answers them)', () => {
    const { rest, events } = rig();
    expect([rest.read(0x04, 4), rest.read(0x0c, 4), rest.write(0x30, 4, 1), rest.covers(0x04), rest.covers(0x0a)]).toEqual([undefined, undefined, false, false, true]);
    expect(events).toEqual([]);
  });

  it('a size the registers do not take is a bad-size guest error; a misaligned one a misaligned guest error', () => {
    const { rest, events } = rig([2, 4]);
    expect(rest.read(0x09, 1)).toBe(0);
    expect(rest.write(0x2d, 2, 1)).toBe(true);
    expect(rest.read(0x2a + 0x02, 8)).toBe(0);
    expect(rest.read(0x0a, 2)).toBe(0); // a halfword at +2: taken
    expect(events.map((e) => [e.kind, (e as { reason?: string }).reason])).toEqual([
      ['guest-error', 'bad-size'],
      ['guest-error', 'misaligned'],
      ['guest-error', 'bad-size'],
      ['unimplemented', undefined],
    ]);
  });

  it('calls no bus could carry are left to the bank (which throws): a bad offset, size or value is not handled', () => {
    const { rest, events } = rig();
    expect([rest.read(-8, 4), rest.read(0x08, 3 as never), rest.write(0x08, 4, -1), rest.write(0x08, 4, 2 ** 32), rest.write(0x08, 1, 0x100)]).toEqual([
      undefined,
      undefined,
      false,
      false,
      false,
    ]);
    expect(events).toEqual([]);
  });

  it('a 4-byte access at a word offset +2 is misaligned, not a bad size (a size the register takes)', () => {
    const { rest, events } = rig();
    expect(rest.read(0x0a, 4)).toBe(0);
    expect(rest.write(0x2e, 4, 1)).toBe(true);
    expect(events).toEqual([
      { kind: 'guest-error', time: 7, source: 'dev', offset: 0x0a, size: 4, reason: 'misaligned', detail: 'CURDESC: a 4-byte access at 0xa is not aligned to 4' },
      { kind: 'guest-error', time: 7, source: 'dev', offset: 0x2e, size: 4, reason: 'misaligned', detail: 'SG_CTL: a 4-byte access at 0x2e is not aligned to 4' },
    ]);
  });

  it('an aligned access that runs past the register is a bad size', () => {
    const { rest, events } = rig([4, 8]);
    expect(rest.read(0x08, 8)).toBe(0);
    expect(events.map((e) => (e as { reason?: string }).reason)).toEqual(['bad-size']);
  });

  it('a window (bytes) answers at each of its words under one name; a modelled register inside it stays the bank\'s', () => {
    const clock = new VirtualClock({ start: 3 });
    const events: TraceEvent[] = [];
    const rest = new UnmodelledRegisters({
      device: 'nic',
      scheduler: clock,
      sink: { record: (e) => void events.push(e) },
      registers: [
        { name: 'RX_DATA_FIFO', offset: 0x00, bytes: 0x20 },
        { name: 'RX_BUFFERS', offset: 0x100, bytes: 0x100 },
      ],
      modelled: [{ offset: 0x10c, size: 4 }],
      what: 'not modelled',
    });
    expect([rest.read(0x00, 4), rest.read(0x1c, 4), rest.read(0x20, 4)]).toEqual([0, 0, undefined]);
    expect([rest.read(0x108, 4), rest.read(0x10c, 4), rest.write(0x10e, 2, 1), rest.read(0x110, 4), rest.covers(0x10c)]).toEqual([0, undefined, false, 0, false]);
    expect(events.map((e) => (e.kind === 'unimplemented' ? `${e.offset}:${e.feature}` : e.kind))).toEqual([
      '0:RX_DATA_FIFO (not modelled)',
      '28:RX_DATA_FIFO (not modelled)',
      '264:RX_BUFFERS (not modelled)',
      '272:RX_BUFFERS (not modelled)',
    ]);
  });
});
