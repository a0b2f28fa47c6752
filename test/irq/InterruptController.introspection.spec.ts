// The interrupt controller's introspection members (Device.lines, probes, registers): its one
// line is the output, it has no counter and so no probes, and the register list is the map's.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock';
import { InterruptController } from '../../src/irq/InterruptController';
import { IrqLine } from '../../src/irq/IrqLine';
import type { TraceEvent } from '../../src/trace/TraceEvent';
import { expectLines, expectProbes, expectRegistersAreTheMap } from '../support/introspection';

const ENABLE = 0x04;

const rig = () => {
  const clock = new VirtualClock();
  const inputs = [new IrqLine('timer0'), new IrqLine('uart0')] as const;
  const intc = new InterruptController(clock, inputs);
  const events: TraceEvent[] = [];
  intc.events$.subscribe((e) => events.push(e));
  return { clock, inputs, intc, events };
};

describe('InterruptController introspection', () => {
  it('lines: exactly output, the public output line itself, following the inputs', () => {
    const { inputs, intc } = rig();
    expectLines(intc, { output: intc.output });
    intc.write(ENABLE, 4, 0b10);
    inputs[1].raise();
    expect(intc.lines.output.level).toBe(true);
  });

  it('probes: none (the controller has no counter), and the same frozen empty list for every instance', () => {
    const { intc } = rig();
    expectProbes(intc, []);
    expect(rig().intc.probes).toBe(intc.probes);
  });

  it('registers: the full InterruptController.REGISTERS list in map order, with offsets and sizes in bytes', () => {
    const { intc } = rig();
    expectRegistersAreTheMap(intc, rig().intc, InterruptController.REGISTERS, { at: {} });
    expect(intc.registers).toEqual([
      { name: 'PENDING', offset: 0x00, size: 4 },
      { name: 'ENABLE', offset: 0x04, size: 4 },
      { name: 'STATUS', offset: 0x08, size: 4 },
    ]);
  });

  it('reading the introspection members changes nothing: same snapshot, no event, the output level kept', () => {
    const { inputs, intc, events } = rig();
    intc.write(ENABLE, 4, 0b01);
    inputs[0].raise();
    const before = { snapshot: intc.snapshot(), events: events.length, level: intc.output.level };
    for (let i = 0; i < 100; i++) {
      for (const p of intc.probes) p.read();
      void intc.lines.output.level;
      void intc.registers.length;
    }
    expect({ snapshot: intc.snapshot(), events: events.length, level: intc.output.level }).toEqual(before);
  });
});
