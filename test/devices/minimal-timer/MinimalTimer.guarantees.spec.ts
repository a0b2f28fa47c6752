// G1-G5 at pipeline level: the minimal device, a guest's accesses, the device's IRQ line and
// its timer's triggers, as one labelled stream (ptimer-rx/testing devicePipeline).
//
// 1 frame = NS_PER_FRAME ns = 1 timer tick. 'ms' in marbles would mean frames: don't use it.
// The device is started in the set-up (LOAD 4, EN|IRQEN at frame 0) before the guest queues its
// accesses, so at an expiry frame the expiry runs before the guest (same-frame work is FIFO, G4).
import { describe, expect, it } from 'vitest';
import { MINIMAL_TIMER_REGISTERS, MinimalTimer } from '../../../devices';
import { guestRead, guestWrite, Trace, VirtualClock, type GuestAccess } from '../../../index';
import { devicePipeline, marbles, NS_PER_FRAME, nsScheduler, type Context } from '../../../testing';

const ACCESSES: Record<string, GuestAccess> = {
  s: guestRead(0xc), //      INTSTATUS
  v: guestRead(0x4), //      VALUE
  z: guestWrite(0x0, 0), //  LOAD := 0
  k: guestWrite(0xc, 1), //  INTSTATUS := 1 (write 1 to clear)
};

const started = (m: Context, frames: number, delivery: 'sync' | 'bottom-half' = 'sync', load = 4) => {
  m.scheduler.maxFrames = frames;
  const ns = nsScheduler(m);
  const device = new MinimalTimer(ns, { periodNs: NS_PER_FRAME, delivery });
  device.write(0x0, 4, load);
  device.write(0x8, 4, 0b11);
  return { ns, device };
};

const pipeline = (m: Context, d: ReturnType<typeof started>, guest: string) =>
  devicePipeline(d.ns, {
    device: d.device,
    accesses$: m.cold(guest, ACCESSES),
    registers: MINIMAL_TIMER_REGISTERS,
    irq: d.device.irq,
    timers: [d.device.timer],
  });

describe('MinimalTimer pipeline guarantees', () => {
  it('G1: the rollover and the interrupt it raises are one step: reads around it always agree', marbles((m) => {
    const d = started(m, 15, 'sync', 8); // LOAD 8: expiries at frames 8, 16
    // A sync group takes as many frames as it has characters: (vs) at 3 spans 3-6, so the
    // next group starts at 8 (the expiry) and the last at 15.
    const guest =              '---(vs)-(vs)---(vs)';
    const expected =           '---(ab)-(itvp)-(cd)';
    // frame 3: counting down (legacy reads 5 at the boundary), nothing pending;
    // frame 8: the expiry's step (IRQ up, counter reloaded to 8) comes before the reads, so both see it;
    // frame 15: one tick before the next expiry, still pending (the guest never cleared it).
    m.expect(pipeline(m, d, guest)).toBeObservable(expected, {
      a: 'VALUE=5', b: 'INTSTATUS=0', i: 'irq=1', t: 'expiry', v: 'VALUE=8', p: 'INTSTATUS=1',
      c: 'VALUE=1', d: 'INTSTATUS=1',
    });
  }));

  it('G2: a write that makes the timer trigger delivers it inside the write, once, before the next access', marbles((m) => {
    const d = started(m, 4);
    const guest =              '--(zs)';
    const expected =           '--(iczp)';
    // LOAD := 0 on the running legacy timer: the zero count triggers at commit, inside the write
    // (IRQ up, cause 'commit'), before the write returns; the read right after sees it pending.
    m.expect(pipeline(m, d, guest)).toBeObservable(expected, {
      i: 'irq=1', c: 'commit', z: 'LOAD:=0', p: 'INTSTATUS=1',
    });
  }));

  it('G3: a callback that reprograms its own timer: the change applies when it returns, its trigger comes later, not nested', marbles((m) => {
    const d = started(m, 14);
    const seen: string[] = [];
    let depth = 0;
    d.device.timer.triggers$.subscribe(({ timer, time, cause }) => {
      depth++;
      seen.push(`${cause}@${time / NS_PER_FRAME} depth=${depth} limit=${timer.getLimit()}`);
      // The callback context needs no transaction; the change applies when the callback returns.
      if (cause === 'commit') timer.setLimit(6, true);
      depth--;
    });
    const guest =              '--z';
    const expected =           '--(icz)-t-----t';
    // frame 2: LOAD := 0 triggers at commit, inside the write; the callback sees the write applied
    // (limit 0) and sets 6, so the countdown restarts from 6 at frame 2: expiries at 8 and 14,
    // each delivered in its own step (depth 1), never inside the callback that caused it.
    m.expect(pipeline(m, d, guest)).toBeObservable(expected, { i: 'irq=1', c: 'commit', z: 'LOAD:=0', t: 'expiry' });
    m.flush();
    expect(seen).toEqual(['commit@2 depth=1 limit=0', 'expiry@8 depth=1 limit=6', 'expiry@14 depth=1 limit=6']);
  }));

  it('G4: two devices expiring at one instant run in the order their timers were armed, the same on every run', () => {
    const run = (): string => {
      const clock = new VirtualClock();
      const trace = new Trace();
      const a = new MinimalTimer(clock, { name: 'a', periodNs: 1_000 });
      const b = new MinimalTimer(clock, { name: 'b', periodNs: 1_000 });
      for (const dev of [b, a]) {
        dev.timer.triggers$.subscribe(({ time }) => trace.record({ kind: 'expiry', time, source: dev.name, timer: dev.timer.name, cause: 'expiry' }));
        dev.write(0x0, 4, 5);
        dev.write(0x8, 4, 0b11); // b is armed first
      }
      clock.advanceTo(20_000);
      expect(trace.events.slice(0, 2).map((e) => e.source)).toEqual(['b', 'a']);
      return trace.digest();
    };
    expect(run()).toBe(run());
  });

  it('G5: exactly one trigger per expiry, also when a subscriber unsubscribes during a delivery', marbles((m) => {
    const d = started(m, 10, 'sync', 2); // LOAD 2: an expiry every 2 frames
    let seenByQuitter = 0;
    const quitter = d.device.timer.triggers$.subscribe(() => {
      if (++seenByQuitter === 2) quitter.unsubscribe(); // leaves in the middle of the second delivery
    });
    const expected =           '--t-t-t-t-t';
    // one 'expiry' per expiry, none dropped or doubled by the subscriber that left
    const triggers$ = devicePipeline(d.ns, { device: d.device, accesses$: m.cold(''), timers: [d.device.timer] });
    m.expect(triggers$).toBeObservable(expected, { t: 'expiry' });
    m.flush();
    expect(seenByQuitter).toBe(2);
    expect(d.device.read(0xc, 4)).toBe(1);
  }));
});
