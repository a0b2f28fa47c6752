// The order in which a system records line changes (#13, item 8): a change is recorded once,
// after the change that caused it. Found by tracing the default scenario: the dual timer's
// TIMINTC was recorded before the TIMINT1 change that raised it, and each change of the
// interrupt controller's output was recorded twice (as `intc` and as `intc.output`).
import { describe, expect, it } from 'vitest';
import { waitForIrq, waitUntil } from '../../operators/driverCommands';
import { guestWrite, type GuestAccess } from '../../src/bus/GuestAccess';
import { ClockInput } from '../../src/clock/ClockInput';
import type { IrqEvent, TraceEvent } from '../../src/trace/TraceEvent';
import { buildSystem, DEFAULT_SCENARIO, deviceType, parseScenario, System } from '../../system';

const DUAL = 0x4000_2000;
const INTC = 0x4000_f000;
const ENABLE = INTC + 0x04;
const TICKS = 10; // at 1 MHz: an expiry every 10 µs
const LATENCY = 2_000; // the handler acknowledges 2 µs after the line rises

const absolute = (base: number, a: GuestAccess): ReturnType<typeof guestWrite> | GuestAccess =>
  a.kind === 'read' ? { ...a, offset: base + a.offset } : guestWrite(base + a.offset, a.value, a.size);

/** A dual timer whose TIMINT1 and TIMINTC feed an interrupt controller; a guest ticks on timer 1. */
const dualWithController = (): System => {
  const system = new System();
  const type = deviceType('cmsdk-apb-dualtimer');
  const channel = type.channels[0]!;
  const timclk = new ClockInput('dual.timclk', 1_000_000);
  system.addDevice(type.create(system.clock, { name: 'dual', clocks: { timclk }, delivery: 'sync' }), { base: DUAL });
  system.addInterruptController('intc', ['dual.timint1', 'dual.timintc'], { base: INTC });
  const line = system.line('dual.timint1');
  system.addGuest('tick', function* () {
    yield guestWrite(ENABLE, 0b11);
    for (const a of channel.start(TICKS)) yield absolute(DUAL, a);
    for (let i = 0; i < 2; i++) {
      yield waitForIrq(line);
      yield waitUntil(system.clock.now() + LATENCY);
      for (const a of channel.acknowledge) yield absolute(DUAL, a);
    }
  });
  return system;
};

const irqs = (events: readonly TraceEvent[]): string[] =>
  events.filter((e): e is IrqEvent => e.kind === 'irq').map((e) => `${e.time} ${e.source}=${e.level ? 1 : 0}`);

describe('System trace order (#13)', () => {
  it('G4: an OR line is recorded after the input change that caused it, and the controller output after both', () => {
    const system = dualWithController();
    system.run(25_000);
    expect(irqs(system.trace.events)).toEqual([
      '10000 dual.timint1=1',
      '10000 dual.timintc=1',
      '10000 intc.output=1',
      '12000 dual.timint1=0',
      '12000 dual.timintc=0',
      '12000 intc.output=0',
      '20000 dual.timint1=1',
      '20000 dual.timintc=1',
      '20000 intc.output=1',
      '22000 dual.timint1=0',
      '22000 dual.timintc=0',
      '22000 intc.output=0',
    ]);
  });

  it("each change of an interrupt controller's output is recorded once, as its line", () => {
    const { system, until } = buildSystem(parseScenario(DEFAULT_SCENARIO));
    const changes: boolean[] = [];
    system.line('intc.output').watch((level) => changes.push(level));
    system.run(until / 10);
    const recorded = system.trace.events.filter((e): e is IrqEvent => e.kind === 'irq' && e.source.startsWith('intc'));
    expect(changes.length).toBeGreaterThan(4);
    expect(recorded.map((e) => [e.source, e.level])).toEqual(changes.map((level) => ['intc.output', level]));
  });

  it('in the default scenario, every OR line change comes right after a change of one of its inputs at the same instant', () => {
    const { system, until } = buildSystem(parseScenario(DEFAULT_SCENARIO));
    system.run(until / 10);
    const ors = { 'dual.timintc': 'dual.timint', 'sp804.timintc': 'sp804.timint', 'pit.irq': 'pit.irq', 'axi.interrupt': 'axi.timer' };
    const lines = system.trace.events.filter((e): e is IrqEvent => e.kind === 'irq');
    let checked = 0;
    lines.forEach((e, i) => {
      const input = ors[e.source as keyof typeof ors];
      if (input === undefined) return;
      const previous = lines.slice(0, i).reverse().find((p) => p.source.startsWith(input) && p.source !== e.source);
      expect({ or: e, previous }).toMatchObject({ previous: { time: e.time, level: e.level } });
      checked++;
    });
    expect(checked).toBeGreaterThan(4);
  });
});
