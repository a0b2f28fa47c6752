// Helpers for the program specs: a system with one catalogue device, and the snapshot/restore check.
import { expect } from 'vitest';
import { ClockInput } from '../../../src/clock/ClockInput';
import { Trace, type TraceEvent } from '../../../src/trace';
import { System } from '../../../system';
import { deviceType, type CatalogueChannel, type CatalogueDeviceType } from '../../../system/catalogue';

export const BASE = 0x4000_0000;
export const DEVICE = 'dut';

export interface Rig {
  readonly system: System;
  readonly type: CatalogueDeviceType;
  readonly channel: CatalogueChannel;
  /** The channel's clock rate (Hz). */
  readonly clockHz: number;
}

/**
 * A system at `start` with device `dut` of type `typeName` at {@link BASE}, its clocks at the
 * type's defaults or `clocks`.
 */
export const rig = (typeName: string, channelName?: string, options: { start?: number; clocks?: Record<string, number> } = {}): Rig => {
  const type = deviceType(typeName);
  const channel = channelName === undefined ? type.channels[0]! : type.channels.find((c) => c.name === channelName)!;
  const system = new System({ start: options.start ?? 0 });
  const hz = (name: string, fallback: number): number => options.clocks?.[name] ?? fallback;
  const clocks = Object.fromEntries(type.clocks.map((c) => [c.name, new ClockInput(`${DEVICE}.${c.name}`, hz(c.name, c.hz))]));
  system.addDevice(type.create(system.clock, { name: DEVICE, clocks, delivery: 'sync' }), { base: BASE });
  return { system, type, channel, clockHz: clocks[channel.clock]!.hz };
};

/** The digest of the events after `time` (what a system restored at `time` records). */
export const digestAfter = (events: readonly TraceEvent[], time: number): string => {
  const t = new Trace();
  for (const e of events) if (e.time > time) t.record(e);
  return t.digest();
};

/**
 * Runs a system built by `build` to `mid`, snapshots it (through JSON, as a file would), runs on
 * to `end`; builds a fresh one at the snapshot's time, restores and runs it to `end`; expects the
 * same continuation (digest) and returns both builds for further checks.
 */
export const expectResumes = <T extends { system: System }>(build: (start: number) => T, mid: number, end: number): { original: T; restored: T } => {
  const original = build(0);
  original.system.run(mid);
  const snapshot = JSON.parse(JSON.stringify(original.system.snapshot())) as ReturnType<System['snapshot']>;
  original.system.run(end);
  const restored = build(snapshot.time);
  restored.system.restore(snapshot);
  restored.system.run(end);
  const continuation = original.system.trace.events.filter((e) => e.time > mid);
  expect(continuation.length).toBeGreaterThan(0);
  expect(restored.system.trace.events.length).toBe(continuation.length);
  expect(restored.system.digest()).toBe(digestAfter(original.system.trace.events, mid));
  return { original, restored };
};
