// InterruptController end to end with IrqLine inputs, walked through like a
// datasheet: program ENABLE, drive the lines, read what the guest would see.
// Test titles in quotes are the ones the module header's contract points to.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock';
import { DeviceConfigError, RegisterSnapshotError, type Device } from '../../src/bus';
import { anyOf } from '../../src/irq/anyOf';
import { InterruptController } from '../../src/irq/InterruptController';
import { irqEvents } from '../../src/irq/irqEvents';
import { IrqLine } from '../../src/irq/IrqLine';
import type { IrqEvent, TraceEvent } from '../../src/trace/TraceEvent';
import { thrown } from '../support/errors';

const PENDING = 0x00;
const ENABLE = 0x04;
const STATUS = 0x08;

/** Three input lines (timer0, uart0, gpio0) into one controller; `edge` lists edge-triggered inputs. */
const rig = (edge: readonly number[] = []) => {
  const clock = new VirtualClock();
  const lines = [new IrqLine('timer0'), new IrqLine('uart0'), new IrqLine('gpio0')] as const;
  const sunk: TraceEvent[] = [];
  const intc = new InterruptController(clock, lines, { edge, sink: { record: (e) => sunk.push(e) } });
  const events: TraceEvent[] = [];
  intc.events$.subscribe((e) => events.push(e));
  const levels: boolean[] = [];
  intc.irq$.subscribe((l) => levels.push(l));
  const irqs: IrqEvent[] = [];
  irqEvents(intc.output, clock).subscribe((e) => irqs.push(e));
  const regs = () => ({ pending: intc.read(PENDING, 4), enable: intc.read(ENABLE, 4), status: intc.read(STATUS, 4) });
  return { clock, lines, intc, events, sunk, levels, irqs, regs };
};

describe('InterruptController', () => {
  it('comes out of construction with everything masked and the output low', () => {
    const { intc, regs, levels } = rig();
    expect(regs()).toEqual({ pending: 0, enable: 0, status: 0 });
    expect(intc.output.level).toBe(false);
    expect(levels).toEqual([false]);
    expect(intc.output.name).toBe('intc');
  });

  it('level input: PENDING follows the line, and a 1 written to it has no lasting effect while the line is high', () => {
    const { lines, intc, regs } = rig();
    lines[1].raise();
    expect(regs().pending).toBe(0b010);
    intc.write(PENDING, 4, 0b010); // the guest tries to clear it here: the line still holds it
    expect(regs().pending).toBe(0b010);
    lines[1].lower(); // cleared at the source device
    expect(regs().pending).toBe(0);
  });

  it('enable mask: PENDING does not depend on ENABLE; enabling a pending input raises the output at once', () => {
    const { clock, lines, intc, regs, levels, irqs } = rig();
    clock.advanceTo(100);
    lines[2].raise();
    expect(regs()).toEqual({ pending: 0b100, enable: 0, status: 0 });
    expect(intc.output.level).toBe(false);
    clock.advanceTo(200);
    intc.write(ENABLE, 4, 0b100);
    expect(regs()).toEqual({ pending: 0b100, enable: 0b100, status: 0b100 });
    expect(intc.output.level).toBe(true);
    clock.advanceTo(300);
    intc.write(ENABLE, 4, 0b011); // mask it again
    expect(regs().status).toBe(0);
    expect(levels).toEqual([false, true, false]);
    expect(irqs).toEqual([
      { kind: 'irq', time: 200, source: 'intc', level: true },
      { kind: 'irq', time: 300, source: 'intc', level: false },
    ]);
  });

  it("the output's changes are on its line: they are not among the controller's own events (#13)", () => {
    const { lines, intc, events, sunk, irqs } = rig();
    intc.write(ENABLE, 4, 0b001);
    lines[0].raise();
    lines[0].lower();
    expect(irqs.map((e) => e.level)).toEqual([true, false]);
    expect(events).toEqual([]);
    expect(sunk).toEqual([]);
  });

  it('propagates synchronously: inside the input change, the output and STATUS already show it (G1)', () => {
    const { lines, intc } = rig();
    intc.write(ENABLE, 4, 0b111);
    const seen: string[] = [];
    // A CPU model that takes the interrupt the moment the output rises and reads STATUS.
    intc.irq$.subscribe((level) => {
      if (level) seen.push(`cpu: irq, STATUS=${intc.read(STATUS, 4)}`);
    });
    lines[0].raise();
    seen.push(`after raise: output ${intc.output.level}`);
    expect(seen).toEqual(['cpu: irq, STATUS=1', 'after raise: output true']);
  });

  it('a guest ISR finds each source as the lowest set bit of STATUS and clears it at the device', () => {
    const { lines, intc, levels } = rig();
    intc.write(ENABLE, 4, 0b111);
    lines[2].raise();
    lines[1].raise();
    const served: string[] = [];
    // The ISR: while STATUS is not 0, take the lowest bit, acknowledge at the source.
    for (let status = intc.read(STATUS, 4); status !== 0; status = intc.read(STATUS, 4)) {
      const source = Math.log2(status & -status);
      served.push(lines[source]!.name);
      lines[source]!.lower();
    }
    expect(served).toEqual(['uart0', 'gpio0']);
    expect(intc.output.level).toBe(false);
    expect(levels).toEqual([false, true, false]);
  });

  it('edge input: a rising edge (or a pulse) latches until the guest writes 1 to its PENDING bit', () => {
    const { lines, intc, regs } = rig([0]);
    intc.write(ENABLE, 4, 0b001);
    lines[0].pulse(); // high and low again within the instant
    expect(regs().pending).toBe(0b001);
    expect(intc.output.level).toBe(true);
    lines[0].pulse(); // another edge while latched: still one pending bit
    intc.write(PENDING, 4, 0b110); // other bits: no effect on the latch
    expect(regs().pending).toBe(0b001);
    intc.write(PENDING, 4, 0b001); // acknowledge
    expect(regs()).toEqual({ pending: 0, enable: 0b001, status: 0 });
    expect(intc.output.level).toBe(false);
  });

  it('edge input: acknowledging while the line stays high clears it until the next rising edge', () => {
    const { lines, intc, regs } = rig([0]);
    lines[0].raise();
    intc.write(PENDING, 4, 0b001);
    expect(regs().pending).toBe(0);
    lines[0].lower();
    expect(regs().pending).toBe(0);
    lines[0].raise();
    expect(regs().pending).toBe(0b001);
  });

  it('edge input: a line already high when the controller is created is not an edge', () => {
    const clock = new VirtualClock();
    const line = new IrqLine('dma0', true);
    const intc = new InterruptController(clock, [line], { edge: [0] });
    expect(intc.read(PENDING, 4)).toBe(0);
    line.lower();
    line.raise();
    expect(intc.read(PENDING, 4)).toBe(1);
  });

  it('ENABLE: bits of absent inputs read as 0 and ignore writes, so writing all ones counts the inputs', () => {
    const { intc } = rig();
    intc.write(ENABLE, 4, 0xffff_ffff);
    expect(intc.read(ENABLE, 4)).toBe(0b111);
    const clock = new VirtualClock();
    const lines = Array.from({ length: 32 }, (_, i) => new IrqLine(`in${i}`));
    const wide = new InterruptController(clock, lines);
    wide.write(ENABLE, 4, 0xffff_ffff);
    expect(wide.read(ENABLE, 4)).toBe(0xffff_ffff);
    lines[31]!.raise();
    expect(wide.read(STATUS, 4)).toBe(0x8000_0000);
    expect(wide.output.level).toBe(true);
  });

  it('bad guest accesses are guest-error events from the controller, reading 0 and changing nothing', () => {
    const { clock, lines, intc, events, sunk } = rig();
    lines[0].raise();
    intc.write(ENABLE, 4, 1);
    events.length = 0;
    sunk.length = 0;
    clock.advanceTo(50);
    const before = intc.snapshot();
    intc.write(STATUS, 4, 0);
    expect(intc.read(0x0c, 4)).toBe(0);
    expect(intc.read(PENDING, 2)).toBe(0);
    const expected: TraceEvent[] = [
      { kind: 'guest-error', time: 50, source: 'intc', offset: STATUS, size: 4, reason: 'read-only', detail: 'STATUS is read-only' },
      { kind: 'guest-error', time: 50, source: 'intc', offset: 0x0c, size: 4, reason: 'unmapped', detail: 'no register at 0xc' },
      { kind: 'guest-error', time: 50, source: 'intc', offset: PENDING, size: 2, reason: 'bad-size', detail: 'PENDING accepts 4-byte accesses, not 2' },
    ];
    expect(events).toEqual(expected);
    expect(sunk).toEqual(expected);
    expect(intc.snapshot()).toEqual(before);
    expect(intc.output.level).toBe(true);
  });

  it('reset() clears ENABLE and the edge latches, re-samples the level inputs, and lowers the output', () => {
    const { clock, lines, intc, regs, irqs } = rig([0]);
    intc.write(ENABLE, 4, 0b111);
    lines[0].pulse();
    lines[1].raise();
    clock.advanceTo(40);
    intc.reset();
    expect(regs()).toEqual({ pending: 0b010, enable: 0, status: 0 });
    expect(intc.output.level).toBe(false);
    expect(irqs.at(-1)).toEqual({ kind: 'irq', time: 40, source: 'intc', level: false });
  });

  it('snapshot/restore: ENABLE and the edge latches come from the snapshot, level inputs from the lines', () => {
    const a = rig([0]);
    a.intc.write(ENABLE, 4, 0b011);
    a.lines[0].pulse();
    a.lines[2].raise();
    const snap = JSON.parse(JSON.stringify(a.intc.snapshot())) as unknown;
    expect(a.intc.snapshot()).toEqual({ device: 'intc', version: 1, registers: { PENDING: 0b101, ENABLE: 0b011, STATUS: 0b001 } });

    const b = rig([0]);
    b.lines[1].raise(); // b's lines are as b's devices left them
    b.intc.restore(snap);
    expect(b.regs()).toEqual({ pending: 0b011, enable: 0b011, status: 0b011 });
    expect(b.intc.output.level).toBe(true);
  });

  it('restore refuses ENABLE or PENDING bits of absent inputs, changing nothing', () => {
    const { intc } = rig();
    intc.write(ENABLE, 4, 0b001);
    const before = intc.snapshot();
    for (const registers of [
      { PENDING: 0, ENABLE: 0b1000, STATUS: 0 },
      { PENDING: 0x8000_0000, ENABLE: 0, STATUS: 0 },
    ]) {
      const e = thrown(() => intc.restore({ ...before, registers }));
      expect(e).toBeInstanceOf(RegisterSnapshotError);
      expect((e as Error).message).toMatch(/^snapshot field 'registers\.(ENABLE|PENDING)': \d+ is invalid: must not set bits of absent inputs \(this controller has 3\)$/);
      expect(intc.snapshot()).toEqual(before);
    }
    const e = thrown(() => intc.restore({ ...before, version: 9 }));
    expect(e).toBeInstanceOf(RegisterSnapshotError);
    expect(intc.snapshot()).toEqual(before);
  });

  it.each<readonly [string, (s: Record<string, unknown>) => unknown, string, RegExp]>([
    ['a STATUS that is not PENDING & ENABLE', (s) => ({ ...s, registers: { PENDING: 0b1, ENABLE: 0b1, STATUS: 0 } }), 'registers.STATUS', /must be registers\.PENDING & registers\.ENABLE \(1\)/],
    ['another device name', (s) => ({ ...s, device: 'intc9' }), 'device', /must be "intc", the name of the device restoring it/],
    ['a field the format does not have', (s) => ({ ...s, levels: 0 }), 'levels', /is not a field of this snapshot/],
    ['a register the map does not have', (s) => ({ ...s, registers: { ...(s.registers as object), MASK: 0 } }), 'registers.MASK', /is not a register of the map/],
    ['a register missing', (s) => ({ ...s, registers: { PENDING: 0, ENABLE: 0 } }), 'registers.STATUS', /is missing/],
  ])('restore refuses %s at its full path, changing nothing (#14)', (_what, mutate, field, rule) => {
    const { intc } = rig([0]);
    intc.write(ENABLE, 4, 0b011);
    const before = intc.snapshot();
    const e = thrown(() => intc.restore(mutate(JSON.parse(JSON.stringify(before)) as Record<string, unknown>)));
    expect(e).toBeInstanceOf(RegisterSnapshotError);
    expect((e as RegisterSnapshotError).field).toBe(field);
    expect((e as RegisterSnapshotError).rule).toMatch(rule);
    expect(intc.snapshot()).toEqual(before);
    intc.restore(before); // and it restores afterwards
    expect(intc.snapshot()).toEqual(before);
  });

  it('its output is an IrqSignal: controllers cascade', () => {
    const clock = new VirtualClock();
    const leaf = new IrqLine('leaf');
    const inner = new InterruptController(clock, [leaf], { name: 'intc1' });
    const root = new InterruptController(clock, [new IrqLine('other'), inner.output], { name: 'intc0' });
    inner.write(ENABLE, 4, 1);
    root.write(ENABLE, 4, 0b10);
    leaf.raise();
    expect(root.read(STATUS, 4)).toBe(0b10);
    expect(root.output.level).toBe(true);
    leaf.lower();
    expect(root.output.level).toBe(false);
  });

  it('dispose() stops following the inputs and completes events$', () => {
    const { lines, intc, regs } = rig();
    let completed = false;
    intc.events$.subscribe({ complete: () => (completed = true) });
    intc.dispose();
    lines[0].raise();
    expect(regs().pending).toBe(0);
    expect(completed).toBe(true);
  });

  it('follows any IrqSignal through its watch, an OR of lines too', () => {
    const clock = new VirtualClock();
    const [a, b] = [new IrqLine('a'), new IrqLine('b')];
    const or = anyOf('ab', a, b);
    const intc = new InterruptController(clock, [or]);
    intc.write(ENABLE, 4, 1);
    b.raise();
    expect(intc.output.level).toBe(true);
    b.lower();
    expect(intc.output.level).toBe(false);
    intc.dispose();
    a.raise();
    expect(intc.read(PENDING, 4)).toBe(0);
  });

  it('is a Device', () => {
    const device: Device = rig().intc;
    expect(device.name).toBe('intc');
  });
});

describe('InterruptController configuration errors (DeviceConfigError)', () => {
  const clock = new VirtualClock();
  const line = () => new IrqLine('x');
  it.each<readonly [string, () => unknown, string]>([
    ['no inputs', () => new InterruptController(clock, []), 'InterruptController(inputs.length): 0 is invalid: must be 1 to 32 input lines (one bit each of 32-bit registers)'],
    [
      '33 inputs',
      () => new InterruptController(clock, Array.from({ length: 33 }, line)),
      'InterruptController(inputs.length): 33 is invalid: must be 1 to 32 input lines (one bit each of 32-bit registers)',
    ],
    [
      'an input that is not an IrqSignal',
      () => new InterruptController(clock, [line(), { name: 'fake' } as unknown as IrqLine]),
      'InterruptController(inputs[1]): {"name":"fake"} is invalid: must be an IrqSignal (name, level, level$ and watch)',
    ],
    [
      'an edge index that is not an input',
      () => new InterruptController(clock, [line(), line()], { edge: [2] }),
      'InterruptController(edge[0]): 2 is invalid: must be the index of an input, 0 to 1',
    ],
    [
      'a repeated edge index',
      () => new InterruptController(clock, [line(), line()], { edge: [1, 1] }),
      'InterruptController(edge[1]): 1 is invalid: must not repeat an input',
    ],
  ])('refuses %s', (_, make, message) => {
    const e = thrown(make);
    expect(e).toBeInstanceOf(DeviceConfigError);
    expect((e as Error).message).toBe(message);
  });
});
