import type { SchedulerLike } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  bit,
  ClockInput,
  defineRegisterMap,
  deviceTimer,
  IrqLine,
  KitDevice,
  reg32,
  RegisterSnapshotError,
  registerInfoOf,
  restoreParts,
  snapshotHz,
  snapshotPart,
  timerProbe,
  VirtualClock,
  type DeviceProbe,
  type PTimer,
  type RegisterShapeOf,
  type TraceEvent,
} from '../../../index';

// A two-register device: CTRL.IRQ drives the line; LOAD starts a one-shot count; STATUS is read-only.
const MAP = defineRegisterMap({
  CTRL: reg32(0x0, { IRQ: bit(0) }),
  LOAD: reg32(0x4),
  STATUS: reg32(0x8, {}, { access: 'ro', reset: 0x5 }),
});

class Blinker extends KitDevice<RegisterShapeOf<typeof MAP>, { irq: IrqLine }> {
  constructor(scheduler: SchedulerLike, readonly clk = new ClockInput('blinker.clk', 1_000_000_000)) {
    super(scheduler, 'blinker');
    this.timer = deviceTimer(scheduler, {
      device: this.name,
      name: `${this.name}.timer`,
      policy: [],
      onExpiry: () => this.bank.setField('CTRL', 'IRQ', 1),
      events: this.outlet,
      lifetime: this.lifetime,
    });
    this.attachBank(MAP, { LOAD: { write: (v) => this.timer.transaction((t) => (t.setPeriod(1), t.setCount(v), t.run(true))) } });
    this.reset();
  }

  snapshot() {
    return { ...this.snapshotHead(1), timer: this.timer.snapshot(), clkHz: this.clk.hz };
  }

  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'Blinker', version: 1 }, () => ({ timer: snapshotPart(), clkHz: snapshotHz() }));
    this.checkTimer(this.timer, s.timer, 'timer');
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.timer, s.timer, 'timer'],
    ]);
    this.updateIrq();
  }

  readonly irq = new IrqLine('blinker.irq');
  readonly registers = registerInfoOf(MAP);
  readonly timer: PTimer;
  updates = 0;
  probesBuilt = 0;

  protected createLines() {
    return { irq: this.irq };
  }

  protected createProbes(): readonly DeviceProbe[] {
    this.probesBuilt++;
    return [timerProbe(this.timer, { name: 'count', width: 32 })];
  }

  protected updateIrq(): void {
    this.updates++;
    this.irq.set(this.bank.field('CTRL', 'IRQ') === 1);
  }
}

const setUp = () => {
  const clock = new VirtualClock();
  const dev = new Blinker(clock);
  const events: TraceEvent[] = [];
  dev.traceTo({ record: (e) => events.push(e) });
  const levels: boolean[] = [];
  dev.irq.level$.subscribe((l) => levels.push(l));
  return { clock, dev, events, levels };
};

describe('KitDevice', () => {
  it('reads and writes through the bank, recomputing the outputs after each write', () => {
    const { dev, levels } = setUp();
    const before = dev.updates;
    dev.write(0x0, 4, 1);
    expect(dev.read(0x0, 4)).toBe(1);
    expect(dev.read(0x8, 4)).toBe(5);
    expect(dev.updates).toBe(before + 1);
    expect(levels).toEqual([false, true]);
  });

  it('a bad access is a guest-error event that changes nothing, and the outputs are recomputed anyway', () => {
    const { dev, events } = setUp();
    dev.write(0x8, 4, 7); // read-only
    dev.write(0x0, 2, 1); // CTRL takes 32-bit accesses only
    expect(dev.read(0x40, 4)).toBe(0);
    expect(dev.read(0x8, 4)).toBe(5);
    expect(dev.read(0x0, 4)).toBe(0);
    expect(events.map((e) => (e.kind === 'guest-error' ? e.reason : e.kind))).toEqual(['read-only', 'bad-size', 'unmapped']);
  });

  it('events reach traceTo sinks and events$ observers; dispose completes events$ and releases the timer', () => {
    const { clock, dev, events } = setUp();
    const seen: string[] = [];
    let completed = false;
    dev.events$.subscribe({ next: (e) => seen.push(e.kind), complete: () => (completed = true) });
    expect(dev.events$).toBe(dev.events$);
    dev.write(0x4, 4, 3);
    clock.advanceTo(3);
    expect(dev.read(0x0, 4)).toBe(1); // the expiry set CTRL.IRQ
    expect(events.map((e) => e.kind)).toEqual(['expiry']);
    expect(seen).toEqual(['expiry']);
    dev.write(0x4, 4, 3);
    dev.dispose();
    expect(completed).toBe(true);
    clock.advanceTo(100);
    expect(events.map((e) => e.kind)).toEqual(['expiry']);
  });

  it('reset puts the registers back and recomputes the outputs', () => {
    const { dev, levels } = setUp();
    dev.write(0x0, 4, 1);
    dev.reset();
    expect(dev.read(0x0, 4)).toBe(0);
    expect(levels).toEqual([false, true, false]);
  });

  it('builds lines and probes once, on first use, and keeps them frozen', () => {
    const { dev } = setUp();
    expect(dev.probesBuilt).toBe(0);
    const probes = dev.probes;
    expect(dev.probes).toBe(probes);
    expect(dev.probesBuilt).toBe(1);
    expect(Object.isFrozen(probes)).toBe(true);
    expect(probes.map((p) => p.name)).toEqual(['count']);
    expect(dev.lines).toBe(dev.lines);
    expect(dev.lines.irq).toBe(dev.irq);
    expect(Object.isFrozen(dev.lines)).toBe(true);
  });

  it('keeps the shell on the prototype: an instance owns no function', () => {
    const { dev } = setUp();
    const own = Object.getOwnPropertyNames(dev).filter((k) => typeof (dev as unknown as Record<string, unknown>)[k] === 'function');
    expect(own).toEqual([]);
    for (const m of ['read', 'write', 'reset', 'traceTo', 'dispose']) expect(Object.hasOwn(KitDevice.prototype, m)).toBe(true);
  });

  it('a snapshot starts with device, version, registers and restores into a fresh instance', () => {
    const { clock, dev } = setUp();
    dev.write(0x4, 4, 10);
    clock.advanceTo(4);
    const snap = dev.snapshot();
    expect(Object.keys(snap)).toEqual(['device', 'version', 'registers', 'timer', 'clkHz']);
    expect(snap.device).toBe('blinker');
    const other = new Blinker(clock);
    other.restore(JSON.parse(JSON.stringify(snap)));
    expect(other.snapshot()).toEqual(snap);
    clock.advanceTo(10);
    expect(other.read(0x0, 4)).toBe(1);
  });

  it('refuses a snapshot at the field at fault, with the typed error, and changes nothing', () => {
    const { clock, dev } = setUp();
    dev.write(0x4, 4, 10);
    const snap = dev.snapshot();
    const other = new Blinker(clock);
    const before = other.snapshot();
    const refused = (s: unknown, path: string) => {
      const error = (() => {
        try {
          other.restore(s);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(RegisterSnapshotError);
      expect((error as RegisterSnapshotError).field).toBe(path);
      expect(other.snapshot()).toEqual(before);
    };
    refused({ ...snap, version: 2 }, 'version');
    refused({ ...snap, device: 'other' }, 'device');
    refused({ ...snap, extra: 1 }, 'extra');
    refused({ ...snap, clkHz: -1 }, 'clkHz');
    refused(42, '(root)');
  });
});

/** A device following three inputs, two of them the same object, logging each handler call. */
class Follower extends Blinker {
  constructor(
    scheduler: SchedulerLike,
    readonly a: ClockInput,
    readonly b: ClockInput,
  ) {
    super(scheduler);
    this.followClock(a, Follower.first);
    this.followClock(b, Follower.second);
    this.followClock(a, Follower.third);
  }

  readonly calls: string[] = [];
  failOn: string | undefined;

  private log(what: string, hz: number, clock: ClockInput): void {
    this.calls.push(`${what} ${clock.name} ${hz}`);
    if (this.failOn === what) throw new Error(`${what} failed`);
  }

  private static readonly first = (d: Follower, hz: number, clock: ClockInput): void => d.log('first', hz, clock);
  private static readonly second = (d: Follower, hz: number, clock: ClockInput): void => d.log('second', hz, clock);
  private static readonly third = (d: Follower, hz: number, clock: ClockInput): void => d.log('third', hz, clock);
}

describe('KitDevice.followClock', () => {
  it('runs the handlers of the input that changed, in follow order, with the device, the rate and the input', () => {
    const a = new ClockInput('a', 10);
    const b = new ClockInput('b', 20);
    const dev = new Follower(new VirtualClock(), a, b);
    a.setHz(11);
    b.setHz(21);
    a.setHz(11); // no change: no call
    expect(dev.calls).toEqual(['first a 11', 'third a 11', 'second b 21']);
  });

  it('gives each input one listener, whatever the number of follows, and dispose removes it', () => {
    const a = new ClockInput('a', 10);
    const b = new ClockInput('b', 20);
    const seen: number[] = [];
    const stop = a.watch((hz) => seen.push(hz));
    const dev = new Follower(new VirtualClock(), a, b);
    dev.dispose();
    a.setHz(12);
    b.setHz(22);
    expect(dev.calls).toEqual([]);
    expect(seen).toEqual([12]); // other listeners of the input stay
    stop();
  });

  it("two devices on one input each see each change once; one's dispose leaves the other", () => {
    const a = new ClockInput('a', 10);
    const b = new ClockInput('b', 20);
    const one = new Follower(new VirtualClock(), a, b);
    const two = new Follower(new VirtualClock(), b, a);
    a.setHz(5);
    one.dispose();
    b.setHz(6);
    expect(one.calls).toEqual(['first a 5', 'third a 5']);
    expect(two.calls).toEqual(['second a 5', 'first b 6', 'third b 6']);
  });

  it("a handler's error surfaces from setHz after the device's other handlers ran (the rate is set)", () => {
    const a = new ClockInput('a', 10);
    const dev = new Follower(new VirtualClock(), a, new ClockInput('b', 20));
    dev.failOn = 'first';
    expect(() => a.setHz(7)).toThrow('first failed');
    expect(a.hz).toBe(7);
    expect(dev.calls).toEqual(['first a 7', 'third a 7']);
    dev.failOn = undefined;
    a.setHz(8); // the failed call does not replay
    expect(dev.calls).toEqual(['first a 7', 'third a 7', 'first a 8', 'third a 8']);
  });
});
