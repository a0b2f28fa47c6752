// The expiry path every catalogue device shares (#13, items 1 and 2), checked on every
// channel of every catalogue device type:
// - G3: an interrupt handler listening to the device's line that acknowledges and
//   reprograms the device synchronously during a sync expiry leaves the same device
//   state and trace as the same writes made by a guest right after the expiry;
// - G5: an error thrown on the expiry path (a line listener, a trace sink) surfaces from
//   the clock call that ran it as a PTimerCallbackError, and the device carries on with
//   no trigger lost or doubled.
import { describe, expect, it } from 'vitest';
import { ClockInput, PTimerCallbackError, VirtualClock, type Device, type GuestAccess, type IrqLine, type TraceEvent } from '../../index';
import { DEVICE_TYPES } from '../../system/catalogue/catalogue';
import { divisorOf, ticksAtLeast, type CatalogueChannel, type CatalogueDeviceType } from '../../system/catalogue/CatalogueChannel';
import type { TriggerDelivery } from '../../src/bus/kit/TriggerDelivery';
import { thrown } from '../support/errors';

const perform = (device: Device, accesses: readonly GuestAccess[]): void => {
  for (const a of accesses) {
    if (a.kind === 'read') device.read(a.offset, a.size);
    else device.write(a.offset, a.size, a.value);
  }
};

/** A device of `type` on a fresh clock, its events and line levels logged with their times. */
const build = (type: CatalogueDeviceType, channel: CatalogueChannel, delivery: TriggerDelivery = 'sync') => {
  const clock = new VirtualClock();
  const clocks = Object.fromEntries(type.clocks.map((c) => [c.name, new ClockInput(c.name, c.hz)]));
  const device = type.create(clock, { name: 'dut', clocks, delivery });
  const log: string[] = [];
  device.events$.subscribe((e: TraceEvent) => log.push(`${clock.now()} ${e.kind}`));
  const line = device.lines![channel.line] as IrqLine;
  line.watch((level) => log.push(`${clock.now()} ${channel.line}=${level}`));
  const hz = clocks[channel.clock]!.hz;
  const ticks = ticksAtLeast(channel, 5);
  return { clock, clocks, device, line, log, ticks, periodNs: Math.ceil((ticks * divisorOf(channel) * 1e9) / hz) };
};

const channels = DEVICE_TYPES.flatMap((type) => type.channels.map((channel) => [`${type.type}.${channel.name}`, type, channel] as const));

describe.each(channels)('%s: the expiry path (#13)', (_name, type, channel) => {
  it('G3: a line listener that acknowledges and reprograms during a sync expiry gives the state and trace of a guest doing it right after', () => {
    const run = (inStep: boolean) => {
      const rig = build(type, channel);
      const { clock, device, line, ticks } = rig;
      let round = 0;
      // Every rising edge: acknowledge, then restart with another count (alternating), up to 4 times.
      const handler = (): void => {
        round++;
        perform(device, channel.acknowledge);
        perform(device, channel.start(ticksAtLeast(channel, ticks + (round % 2))));
      };
      line.watch((level) => {
        if (!level || round >= 4) return;
        if (inStep) handler();
        else clock.schedule(handler, 0); // a guest step at the same instant, after the expiry step
      });
      perform(device, channel.start(ticks));
      const states: unknown[] = [];
      for (let k = 1; k <= 12; k++) {
        clock.advanceTo(Math.ceil((k * rig.periodNs) / 2));
        states.push(JSON.parse(JSON.stringify(device.snapshot())));
      }
      return { states, log: rig.log, rounds: round };
    };
    const inListener = run(true);
    const byGuest = run(false);
    expect(inListener.rounds).toBeGreaterThan(0);
    expect(inListener.rounds).toBe(byGuest.rounds);
    expect(inListener.log).toEqual(byGuest.log);
    expect(inListener.states).toEqual(byGuest.states);
  });

  it.each(['sync', 'bottom-half'] as const)('G5 (%s): a throwing line listener surfaces from the clock as PTimerCallbackError; the device carries on, no trigger lost or doubled', (delivery) => {
    const reference = build(type, channel, delivery);
    const faulty = build(type, channel, delivery);
    let failed = false;
    faulty.line.watch((level) => {
      if (level && !failed) {
        failed = true;
        throw new Error('listener failed');
      }
    });
    for (const rig of [reference, faulty]) perform(rig.device, channel.start(rig.ticks));
    const end = 6 * reference.periodNs;
    reference.clock.advanceTo(end);
    const error = thrown(() => faulty.clock.advanceTo(end));
    expect(error).toBeInstanceOf(PTimerCallbackError);
    expect((error as PTimerCallbackError).errors[0]).toEqual(new Error('listener failed'));
    // Thrown at the failing instant: the first rising edge of the reference run.
    const firstRise = reference.log.find((l) => l.endsWith(`${channel.line}=true`))!;
    expect(`${faulty.clock.now()} ${channel.line}=true`).toBe(firstRise);
    faulty.clock.advanceTo(end);
    expect(faulty.log).toEqual(reference.log);
    expect(faulty.device.snapshot()).toEqual(reference.device.snapshot());
  });

  it('G5: a throwing trace sink surfaces from the clock as PTimerCallbackError at the expiry', () => {
    const rig = build(type, channel);
    let once = true;
    rig.device.traceTo!({
      record: (event) => {
        if (event.kind === 'expiry' && once) {
          once = false;
          throw new Error('sink failed');
        }
      },
    });
    perform(rig.device, channel.start(rig.ticks));
    expect(() => rig.clock.advanceTo(6 * rig.periodNs)).toThrow(PTimerCallbackError);
    const expiries = rig.log.filter((l) => l.endsWith(' expiry'));
    expect(expiries).toHaveLength(1);
    expect(expiries[0]).toBe(`${rig.clock.now()} expiry`);
  });

  it('dispose() releases everything: no work left on the clock, clock inputs no longer reach it, events$ completes (#13)', () => {
    const rig = build(type, channel, 'bottom-half');
    const { clock, clocks, device } = rig;
    let completed = false;
    device.events$.subscribe({ complete: () => (completed = true) });
    perform(device, channel.start(rig.ticks));
    // Stop just past the first expiry: under bottom-half delivery its bottom half may still be pending.
    const firstRise = () => rig.log.findIndex((l) => l.endsWith(' expiry'));
    for (let steps = 0; firstRise() < 0 && clock.nextDeadline() !== undefined && steps < 1_000; steps++) clock.step();
    expect(firstRise()).toBeGreaterThanOrEqual(0);
    const before = rig.log.length;
    device.dispose!();
    expect(completed).toBe(true);
    expect(clock.pending).toBe(0);
    for (const input of Object.values(clocks)) input.setHz(input.hz * 2 + 1);
    expect(clock.pending).toBe(0);
    clock.advanceTo(clock.now() + 10 * rig.periodNs);
    expect(rig.log.length).toBe(before);
  });
});

