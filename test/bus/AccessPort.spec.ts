// AccessPort: the one place a guest access is performed and its refusal reported (#13, item 8).
import { describe, expect, it } from 'vitest';
import { AccessPort } from '../../src/bus/AccessPort';
import { VirtualClock } from '../../src/clock';
import type { TraceEvent } from '../../src/trace/TraceEvent';
import { thrown } from '../support/errors';
import { FAKE, FAKE_ID, fakeDevice } from '../support/fakeDevice';
import { Sp804 } from '../../devices/sp804/Sp804';
import type { TraceSink } from '../../src/trace/TraceSink';

const rig = () => {
  const clock = new VirtualClock({ start: 100 });
  const device = fakeDevice(clock);
  const trace: TraceEvent[] = [];
  device.events$.subscribe((e) => trace.push(e));
  const port = new AccessPort(device);
  return { clock, device, trace, port, sink: { record: (e: TraceEvent) => trace.push(e) } };
};

describe('AccessPort', () => {
  it('performs a load or a store and returns what the guest saw', () => {
    const { port } = rig();
    expect(port.perform('write', FAKE.DATA, 4, 5, 100)).toEqual({ time: 100, device: 'fake', kind: 'write', offset: FAKE.DATA, size: 4, value: 5 });
    expect(port.perform('read', FAKE.DATA, 4, 0, 100)).toEqual({ time: 100, device: 'fake', kind: 'read', offset: FAKE.DATA, size: 4, value: 5 });
    expect(port.perform('read', FAKE.ID, 4, 0, 100).value).toBe(FAKE_ID);
  });

  it("reports the device's refusal on the result, and records the access after the device's events", () => {
    const { port, trace, sink } = rig();
    const result = port.perform('write', FAKE.ID, 4, 1, 100, sink);
    expect(result).toMatchObject({ value: 1, error: 'read-only' });
    expect(trace.map((e) => e.kind)).toEqual(['guest-error', 'write']);
    expect(trace[1]).toEqual({ time: 100, source: 'fake', kind: 'write', offset: FAKE.ID, size: 4, value: 1, error: 'read-only' });
  });

  it('attributes to an access only what the device reports during it', () => {
    const { port, device } = rig();
    device.emit({ time: 100, source: 'fake', kind: 'guest-error', offset: 0x40, size: 4, reason: 'unmapped', detail: 'elsewhere' });
    expect(port.perform('read', FAKE.DATA, 4, 0, 100).error).toBeUndefined();
  });

  it('a nested access on the same device gets its own refusal; the outer one keeps its own', () => {
    const { port, device } = rig();
    const results: unknown[] = [];
    device.irq.watch((level) => {
      if (level) results.push(port.perform('read', FAKE.CMD, 4, 0, 100)); // write-only: refused
    });
    results.push(port.perform('write', FAKE.IRQ, 4, 1, 100));
    expect(results).toEqual([
      expect.objectContaining({ offset: FAKE.CMD, error: 'write-only' }),
      expect.not.objectContaining({ error: expect.anything() as unknown }),
    ]);
  });

  it("a device that throws: the error passes, and the next access is judged on its own", () => {
    const { port } = rig();
    expect(thrown(() => port.perform('read', FAKE.BROKEN, 4, 0, 100))).toBeInstanceOf(Error);
    expect(port.perform('read', FAKE.DATA, 4, 0, 100).error).toBeUndefined();
    expect(port.perform('read', FAKE.DATA, 2, 0, 100).error).toBe('bad-size');
  });

  it('close() stops listening to the device', () => {
    const { device, port } = rig();
    const before = device.eventObservers();
    port.close();
    port.close();
    expect(device.eventObservers()).toBe(before - 1);
  });

  it('hears a device that takes sinks through traceTo, not events$ (whose observers cost every event an rxjs chain)', () => {
    const clock = new VirtualClock();
    const device = new Sp804(clock, { name: 'sp' });
    const sinks: TraceSink[] = [];
    const traceTo = device.traceTo.bind(device);
    const spied = Object.create(device, {
      events$: { get: () => { throw new Error('events$ must not be read'); } },
      traceTo: { value: (sink: TraceSink) => { sinks.push(sink); const stop = traceTo(sink); return () => { sinks.splice(sinks.indexOf(sink), 1); stop(); }; } },
    }) as Sp804;
    const port = new AccessPort(spied);
    expect(sinks).toHaveLength(1);
    expect(port.perform('write', 0xfe0, 4, 1, 0).error).toBe('read-only'); // a peripheral ID register
    expect(port.perform('read', 0x000, 4, 0, 0).error).toBeUndefined();
    port.close();
    port.close();
    expect(sinks).toHaveLength(0);
  });
});
