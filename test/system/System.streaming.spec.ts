// A long run keeps only what its outputs need (#15 item 6, #19 item 2): the
// trace and the recorded inputs are opt-in to keep, and can stream to sinks.
import { describe, expect, it } from 'vitest';
import { MinimalTimer } from '../../devices/minimal-timer/MinimalTimer';
import { waitUntil } from '../../operators/driverCommands';
import { guestRead, guestWrite } from '../../src/bus/GuestAccess';
import { Trace, type TraceEvent } from '../../src/trace';
import type { CounterSample } from '../../src/trace/waveform';
import { System, SystemConfigError, type RecordedStep, type SystemOptions } from '../../system';
import { thrown } from '../support/errors';

// MinimalTimer: LOAD 0x0, VALUE 0x4, CTRL 0x8 (EN, IRQEN), INTSTATUS 0xc (w1c); an expiry every 9 ticks of 100 ns.
const BASE = 0x1000;

const build = (options: SystemOptions = {}): System => {
  const system = new System(options);
  system.addDevice(new MinimalTimer(system.clock, { name: 'timer0', periodNs: 100 }), { base: BASE });
  system.addGuest('g', function* () {
    yield guestWrite(BASE, 9);
    yield guestWrite(BASE + 8, 3);
    for (let t = 450; t <= 4_500; t += 450) {
      yield waitUntil(t);
      yield guestRead(BASE + 4);
      if ((yield guestRead(BASE + 0xc)) === 1) yield guestWrite(BASE + 0xc, 1);
    }
  });
  return system;
};

describe('System: what a run keeps', () => {
  it('keepTrace: false keeps no trace, but the digest and the count are those of the kept trace', () => {
    const kept = build();
    kept.run(5_000);
    const lean = build({ keepTrace: false });
    lean.run(5_000);
    expect(lean.digest()).toBe(kept.digest());
    expect(lean.traceLength).toBe(kept.trace.events.length);
    expect(thrown(() => lean.trace)).toMatchObject({ name: 'SystemConfigError', message: expect.stringContaining('keepTrace: false') as unknown });
  });

  it('with nothing kept or streamed (accesses only counted), the count and what the guest reads are those of a traced run, refused accesses included', () => {
    const run = (options: SystemOptions): { length: number; seen: (number | undefined)[] } => {
      const system = build(options);
      const seen: (number | undefined)[] = [];
      system.addGuest('odd', function* () {
        yield waitUntil(1_000);
        seen.push(yield guestRead(BASE + 4)); // the counter
        seen.push(yield guestRead(BASE + 0x40)); // no register there: a guest error, reads 0
        seen.push(yield guestWrite(BASE + 4, 1)); // VALUE is read-only: a guest error
        seen.push(yield guestRead(0x9000_0000)); // no device: the bus's guest error
        yield waitUntil(3_000);
        seen.push(yield guestRead(BASE + 4));
      });
      system.run(5_000);
      return { length: options.keepTrace === false ? system.traceLength : system.trace.events.length, seen };
    };
    const kept = run({});
    const counted = run({ keepTrace: false, digest: false });
    expect(counted).toEqual(kept);
    expect(kept.seen).toEqual([expect.any(Number), 0, undefined, 0, expect.any(Number)]);
  });

  it('keepTrace: false with digest: false hashes nothing: the count stays, sinks and watchers still get every event, digest() refuses', () => {
    const kept = build();
    kept.run(5_000);
    const streamed = new Trace();
    const watched: TraceEvent[] = [];
    const bare = build({ keepTrace: false, digest: false, traceSinks: [streamed] });
    bare.watchTrace((e) => void watched.push(e));
    bare.run(5_000);
    expect(bare.traceLength).toBe(kept.trace.events.length);
    expect(streamed.digest()).toBe(kept.digest());
    expect(watched.length).toBe(kept.trace.events.length);
    expect(thrown(() => bare.digest())).toMatchObject({ name: 'SystemConfigError', message: expect.stringContaining('digest: false') as unknown });
    // With the trace kept, digest: false changes nothing: the trace has its digest.
    const both = build({ digest: false });
    both.run(5_000);
    expect(both.digest()).toBe(kept.digest());
    expect(thrown(() => new System({ digest: 'no' as unknown as boolean }))).toMatchObject({ name: 'SystemConfigError', message: expect.stringContaining('new System(digest)') as unknown });
  });

  it('traceSinks get every event in trace order; a streamed trace equals the kept one', () => {
    const kept = build();
    kept.run(5_000);
    const streamed = new Trace();
    const seen: TraceEvent[] = [];
    const lean = build({ keepTrace: false, traceSinks: [streamed, { record: (e) => void seen.push(e) }] });
    lean.run(5_000);
    expect(streamed.events).toEqual(kept.trace.events);
    expect(seen.length).toBe(kept.trace.events.length);
  });

  it('sampleSinks get the samples sampleProbes keeps, without keeping them', () => {
    const kept = build({ sampleProbes: true });
    kept.run(5_000);
    const samples: CounterSample[] = [];
    const lean = build({ sampleSinks: [{ sample: (s) => void samples.push(s) }] });
    lean.run(5_000);
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.map(({ forecast: _, ...s }) => s)).toEqual(kept.samples.map(({ forecast: _, ...s }) => s));
    expect(lean.samples).toEqual([]);
  });

  it('a sink that declines a source (sample returns false) gets no more of it; other sinks and kept samples still do', () => {
    const kept = build({ sampleProbes: true });
    kept.run(5_000);
    const sources = [...new Set(kept.samples.map((s) => s.source))];
    expect(sources.length).toBeGreaterThan(0);
    const declining: CounterSample[] = [];
    const all: CounterSample[] = [];
    const declineFirst = {
      sample: (s: CounterSample): boolean => {
        declining.push(s);
        return false;
      },
    };
    const both = build({ sampleSinks: [declineFirst, { sample: (s) => void all.push(s) }] });
    both.run(5_000);
    // Each source once (the first sample, then declined), while the other sink gets them all.
    expect(declining.map((s) => s.source)).toEqual(sources);
    expect(all.map(({ forecast: _, ...s }) => s)).toEqual(kept.samples.map(({ forecast: _, ...s }) => s));
    // With sampleProbes on, the samples are still kept whole though every sink declined.
    const keep = build({ sampleProbes: true, sampleSinks: [{ sample: () => false }] });
    keep.run(5_000);
    expect(keep.samples.length).toBe(kept.samples.length);
  });

  it('records no inputs unless asked: recording then refuses, naming the option', () => {
    const system = build();
    system.run(5_000);
    expect(thrown(() => system.recording)).toMatchObject({ name: 'SystemConfigError', message: expect.stringContaining('recordInputs: true') as unknown });
  });

  it('recordInputs with a sink streams each complete step, the same steps a kept recording holds, and a replay of them gives the same digest', () => {
    const kept = build({ recordInputs: true });
    kept.run(2_000);
    kept.run(5_000);
    const steps: RecordedStep[] = [];
    const streamed = build({ recordInputs: { record: (s) => void steps.push(s) } });
    streamed.run(2_000);
    const atFirstEnd = steps.length;
    streamed.run(5_000);
    expect(atFirstEnd).toBeGreaterThan(0); // handed on by the end of each run, not kept to the end
    expect(steps).toEqual(kept.recording.steps);
    expect(thrown(() => streamed.recording)).toBeInstanceOf(SystemConfigError);
    const replay = new System();
    replay.addDevice(new MinimalTimer(replay.clock, { name: 'timer0', periodNs: 100 }), { base: BASE });
    replay.replay({ steps });
    replay.run(5_000);
    expect(replay.digest()).toBe(kept.digest());
  });

  it.each<[string, SystemOptions, string]>([
    ['keepTrace', { keepTrace: 'no' as unknown as boolean }, 'new System(keepTrace): "no" is invalid: must be a boolean'],
    ['traceSinks', { traceSinks: [{}] as never }, 'new System(traceSinks[0])'],
    ['sampleSinks', { sampleSinks: [{ record() {} }] as never }, 'new System(sampleSinks[0])'],
    ['recordInputs', { recordInputs: 'yes' as never }, 'new System(recordInputs): "yes" is invalid: must be a boolean or an object with a record() method'],
  ])('refuses a bad %s, naming the field and the rule', (_name, options, message) => {
    const error = thrown(() => new System(options));
    expect(error).toBeInstanceOf(SystemConfigError);
    expect((error as Error).message).toContain(message);
  });
});
