import type { SchedulerLike } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  bit,
  defineRegisterMap,
  IrqLine,
  PartlyModelledDevice,
  reg32,
  registerInfoOf,
  VirtualClock,
  type DeviceProbe,
  type RegisterShapeOf,
  type TraceEvent,
} from '../../../index';

// CTRL.IRQ drives the line; the descriptor words at 0x10-0x17 are left out.
const MAP = defineRegisterMap({
  CTRL: reg32(0x0, { IRQ: bit(0) }),
});

class Dma extends PartlyModelledDevice<RegisterShapeOf<typeof MAP>, { irq: IrqLine }> {
  constructor(scheduler: SchedulerLike) {
    super(scheduler, 'dma');
    this.attachBank(MAP);
    this.attachUnmodelled({ registers: [{ name: 'CURDESC', offset: 0x10, bytes: 8 }], what: 'descriptor engine' });
  }

  snapshot() {
    return { ...this.snapshotHead(1) };
  }

  restore(): void {}

  readonly irq = new IrqLine('dma.irq');
  readonly registers = registerInfoOf(MAP);
  updates = 0;

  protected createLines() {
    return { irq: this.irq };
  }

  protected createProbes(): readonly DeviceProbe[] {
    return [];
  }

  protected updateIrq(): void {
    this.updates++;
    this.irq.set(this.bank.field('CTRL', 'IRQ') === 1);
  }
}

const make = () => {
  const clock = new VirtualClock();
  const dma = new Dma(clock);
  const events: TraceEvent[] = [];
  dma.events$.subscribe((e) => events.push(e));
  return { clock, dma, events };
};

describe('PartlyModelledDevice', () => {
  it('a left-out register reads 0 with an unimplemented event naming it, and a write to it changes nothing and skips updateIrq', () => {
    const { clock, dma, events } = make();
    clock.advanceTo(7);
    expect(dma.read(0x14, 4)).toBe(0);
    dma.write(0x10, 4, 1);
    expect(events).toEqual([
      { kind: 'unimplemented', time: 7, source: 'dma', offset: 0x14, feature: 'CURDESC (descriptor engine)' },
      { kind: 'unimplemented', time: 7, source: 'dma', offset: 0x10, feature: 'CURDESC (descriptor engine)' },
    ]);
    expect(dma.updates).toBe(0);
    expect(dma.read(0x0, 4)).toBe(0);
  });

  it('every other access is the bank\'s: a modelled write is applied and the outputs recomputed; an unmapped one is a guest error', () => {
    const { dma, events } = make();
    dma.write(0x0, 4, 1);
    expect(dma.read(0x0, 4)).toBe(1);
    expect(dma.irq.level).toBe(true);
    expect(dma.updates).toBe(1);
    expect(dma.read(0x20, 4)).toBe(0);
    expect(events.map((e) => [e.kind, 'reason' in e ? e.reason : undefined])).toEqual([['guest-error', 'unmapped']]);
  });

  it('a bad size on a left-out register is a bad-size guest error, as on a modelled one', () => {
    const { dma, events } = make();
    expect(dma.read(0x10, 2)).toBe(0);
    expect(events.map((e) => [e.kind, 'reason' in e ? e.reason : undefined])).toEqual([['guest-error', 'bad-size']]);
  });

  it('keeps the routing on the prototype: an instance owns no read or write (#19)', () => {
    const { dma } = make();
    expect(Object.hasOwn(dma, 'read')).toBe(false);
    expect(Object.hasOwn(dma, 'write')).toBe(false);
  });
});
