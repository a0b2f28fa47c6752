import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../../operators/driverCommands';
import type { Device } from '../../src/bus/Device';
import { guestRead, guestWrite } from '../../src/bus/GuestAccess';
import type { VirtualClock } from '../../src/clock';
import { PTimer } from '../../src/ptimer';
import type { TraceEvent } from '../../src/trace';
import { DEVICE_TYPES, System } from '../../system';
import { exploreRace } from '../../explore/exploreRace';
import { exploreSchedules, type ExplorerRun } from '../../explore/exploreSchedules';

// A hidden count (the CSU DMA's) cannot disagree with the status: such channels are not raced.
const racing = DEVICE_TYPES.filter((t) => t.channels.some((c) => c.kind === 'timer' && c.counter !== undefined)).map((t) => t.type);

describe('exploreRace: the seed race under every order of each expiry instant (3 expiries)', () => {
  describe.each(racing)('%s', (device) => {
    it('bottom-half delivery: an order exists where a read sees the expiry with the status clear', () => {
      const r = exploreRace({ device, delivery: 'bottom-half' });
      expect(r.violation?.message).toMatch(/^G1 at \d+ ns \(expiry \d+ ns\): counter \d+ after the expiry with the status clear$/);
      expect(r.exhausted).toBe(false);
    });

    it('G1: synchronous delivery: the whole space is explored and no order breaks it', () => {
      const r = exploreRace({ device, delivery: 'sync' });
      expect(r).toMatchObject({ exhausted: true, pruned: 0 });
      expect(r.violation).toBeUndefined();
      // three readers-or-expiry orders at each of the 3 expiry instants: 3! ** 3
      expect(r.schedules).toBe(216);
    });
  });
});

/**
 * A planted bug: a timer device whose callback sets its status one event late (it queues the
 * update on the clock instead of making it in the expiry step). VALUE 0x4 is the count,
 * INTSTATUS 0xc the status; LOAD 0x0 starts it periodic. Not a model of any hardware.
 */
class LateStatusTimer implements Device {
  readonly name = 'late';
  readonly events$ = new Subject<TraceEvent>();
  private status = 0;
  private readonly timer: PTimer;
  constructor(clock: VirtualClock) {
    this.timer = new PTimer(clock, {
      name: 'late.timer',
      onTrigger: () => void clock.scheduleLabeled('late status', () => (this.status = 1), 0),
    });
  }
  read(offset: number): number {
    return offset === 0x4 ? Number(this.timer.getCount()) : offset === 0xc ? this.status : 0;
  }
  write(offset: number, _size: number, value: number): void {
    if (offset === 0x0) this.timer.transaction((t) => (t.setPeriod(100), t.setLimit(value, true), t.run(false)));
    if (offset === 0xc) this.status &= ~value;
  }
  reset(): void {}
  snapshot(): { device: string; version: number } {
    return { device: this.name, version: 1 };
  }
  restore(): void {}
}

describe('a planted bug: the status set one event after the expiry', () => {
  const build = (): ExplorerRun => {
    const system = new System();
    system.addDevice(new LateStatusTimer(system.clock), { base: 0 });
    const seen: [number, number][] = [];
    // The reader is added first: its wake-up at 400 ns is queued before the timer is armed.
    system.addGuest('reader', function* () {
      yield waitUntil(400);
      seen.push([(yield guestRead(0x4)) ?? -1, (yield guestRead(0xc)) ?? -1]);
    });
    system.addGuest('writer', function* () {
      yield guestWrite(0x0, 4);
    });
    return {
      clock: system.clock,
      run: () => void system.run(500),
      check: () => (seen.some(([v, s]) => v === 4 && s === 0) ? 'G1: VALUE reloaded (4) with INTSTATUS 0' : undefined),
    };
  };

  it('is found, with the schedule that shows it: expiry, then the read, then the late status', () => {
    const r = exploreSchedules(build);
    expect(r.violation?.message).toBe('G1: VALUE reloaded (4) with INTSTATUS 0');
    expect(r.violation!.schedule).toEqual(["ptimer 'late.timer' expiry", 'guest:reader']);
  });

  it('the normal (FIFO) order alone does not show it: the reader was queued first', () => {
    const run = build();
    run.run();
    expect(run.check()).toBeUndefined();
  });
});
