import type { SchedulerLike } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  bit,
  defineRegisterMap,
  IrqLine,
  PartialKitDevice,
  reg32,
  registerInfoOf,
  VirtualClock,
  type AccessSize,
  type DeviceProbe,
  type DeviceSnapshot,
  type RegisterShapeOf,
  type TraceEvent,
} from '../../../index';

// A timer inside a larger block: CTRL.IRQ drives the line; KEY refuses a write of 0; MACCFG (0x100) and a FIFO window (0x200, 16 bytes) are left out.
const MAP = defineRegisterMap({
  CTRL: reg32(0x0, { IRQ: bit(0) }),
  KEY: reg32(0x4),
});

class EthTimer extends PartialKitDevice<RegisterShapeOf<typeof MAP>, { irq: IrqLine }> {
  constructor(scheduler: SchedulerLike) {
    super(scheduler, 'eth-timer');
    this.attachBank(MAP);
    this.attachUnmodelled({ registers: [{ name: 'MACCFG', offset: 0x100 }, { name: 'FIFO', offset: 0x200, bytes: 16 }], what: 'the MAC', sizes: [2, 4] });
    this.reset();
  }

  snapshot(): DeviceSnapshot {
    return { ...this.snapshotHead(1) };
  }

  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'EthTimer', version: 1 }, () => ({}));
    this.bank.restore(s.registers);
    this.updateIrq();
  }

  readonly irq = new IrqLine('eth-timer.irq');
  readonly registers = registerInfoOf(MAP);
  updates = 0;

  protected override writeModelled(offset: number, size: AccessSize, value: number): void {
    if (offset === 0x4 && value === 0) return; // refused before the bank, like a watchdog's wrong key
    super.writeModelled(offset, size, value);
  }

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

const setUp = () => {
  const clock = new VirtualClock();
  const dev = new EthTimer(clock);
  const events: TraceEvent[] = [];
  dev.traceTo({ record: (e) => events.push(e) });
  return { clock, dev, events };
};

describe('PartialKitDevice', () => {
  it('a modelled register is the bank’s: written, read back, outputs recomputed once per write', () => {
    const { dev, events } = setUp();
    const before = dev.updates;
    dev.write(0x0, 4, 1);
    expect(dev.read(0x0, 4)).toBe(1);
    expect(dev.irq.level).toBe(true);
    expect(dev.updates).toBe(before + 1);
    expect(events).toEqual([]);
  });

  it('a left-out register reads 0 and ignores writes with one unimplemented report each, without reaching the bank or updateIrq', () => {
    const { clock, dev, events } = setUp();
    clock.advanceTo(7);
    const before = dev.updates;
    dev.write(0x100, 4, 0xffff);
    expect(dev.read(0x208, 2)).toBe(0);
    expect(dev.updates).toBe(before);
    expect(events).toEqual([
      { kind: 'unimplemented', time: 7, source: 'eth-timer', offset: 0x100, feature: 'MACCFG (the MAC)' },
      { kind: 'unimplemented', time: 7, source: 'eth-timer', offset: 0x208, feature: 'FIFO (the MAC)' },
    ]);
  });

  it('a bad access to a left-out register is a guest error of its own; an offset in neither goes to the bank (unmapped)', () => {
    const { dev, events } = setUp();
    dev.write(0x100, 1, 1);
    expect(dev.read(0x300, 4)).toBe(0);
    expect(events.map((e) => (e.kind === 'guest-error' ? `${e.reason}@${e.offset}` : e.kind))).toEqual(['bad-size@256', 'unmapped@768']);
  });

  it('writeModelled sees only the modelled writes: a refused one changes nothing', () => {
    const { dev } = setUp();
    dev.write(0x4, 4, 5);
    dev.write(0x4, 4, 0);
    expect(dev.read(0x4, 4)).toBe(5);
  });

  it('a snapshot restores through the kit plumbing', () => {
    const { dev } = setUp();
    dev.write(0x0, 4, 1);
    const snap = JSON.parse(JSON.stringify(dev.snapshot())) as unknown;
    dev.reset();
    expect(dev.irq.level).toBe(false);
    dev.restore(snap);
    expect(dev.read(0x0, 4)).toBe(1);
    expect(dev.irq.level).toBe(true);
  });
});
