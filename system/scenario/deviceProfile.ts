import type { RegisterInfo } from '../../src/bus/Device';
import { ClockInput } from '../../src/clock/ClockInput';
import { VirtualClock } from '../../src/clock/VirtualClock';
import type { DeviceType } from '../catalogue/DeviceType';

/** What a scenario needs to know of a device type before it builds one: its bus footprint, lines and registers. */
export interface DeviceProfile {
  /** Bytes the device spans: its registers' extent rounded up to 4 KiB pages, at least one page. */
  readonly size: number;
  /** Its line names (keys of `lines`). */
  readonly lines: readonly string[];
  /** Its registers, for names in timed accesses. */
  readonly registers: readonly RegisterInfo[];
}

const PAGE = 0x1000;
const profiles = new Map<DeviceType, DeviceProfile>();

/**
 * The profile of a device type, read from a throwaway instance on its own
 * clock (once per type). Systems built from scenarios map each device with
 * this `size`, so the scenario's overlap check and the bus agree.
 * @param type - the catalogue type
 * @returns its profile
 */
export const deviceProfile = (type: DeviceType): DeviceProfile => {
  const known = profiles.get(type);
  if (known !== undefined) return known;
  const clocks = Object.fromEntries(type.clocks.map((c) => [c.name, new ClockInput(`profile.${c.name}`, c.hz)]));
  const device = type.create(new VirtualClock(), { name: 'profile', clocks, delivery: 'sync' });
  const registers = device.registers ?? [];
  const end = registers.reduce((max, r) => Math.max(max, r.offset + r.size), 0);
  const profile: DeviceProfile = {
    size: Math.max(PAGE, Math.ceil(end / PAGE) * PAGE),
    lines: Object.keys(device.lines ?? {}),
    registers,
  };
  profiles.set(type, profile);
  return profile;
};
