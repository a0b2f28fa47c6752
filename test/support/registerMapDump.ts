/**
 * A register map as plain data, register by register, for comparing a map
 * with a copy of it taken earlier (test/devices/<device>/<MAP>.before.json):
 * `registerInfoOf`'s entry, then everything a `RegisterDef` states except the
 * `bank` it came from (how the map was written, not what it is).
 */
import { describe, expect, it } from 'vitest';
import { registerInfoOf, type RegisterMap } from '../../src/bus';

/** One register of {@link dumpRegisterMap}. */
export interface RegisterDump {
  readonly info: { readonly name: string; readonly offset: number; readonly size: number };
  readonly offset: number;
  readonly width: number;
  readonly bytes: number;
  readonly reset: number;
  readonly access: string;
  readonly sizes: readonly number[];
  readonly fields: readonly { readonly name: string; readonly lsb: number; readonly width: number; readonly mask: number; readonly mode: string }[];
  readonly readMask: number;
  readonly storeMask: number;
  readonly undeclared: readonly string[];
}

/** Every register of `map` in map order, as plain data (JSON round-trips it unchanged). */
export const dumpRegisterMap = (map: RegisterMap): readonly RegisterDump[] => {
  const info = registerInfoOf(map);
  return map.registers.map((r, i) => ({
    info: { ...info[i]! },
    offset: r.offset,
    width: r.width,
    bytes: r.bytes,
    reset: r.reset,
    access: r.access,
    sizes: [...r.sizes],
    fields: r.fields.map((f) => ({ name: f.name, lsb: f.lsb, width: f.width, mask: f.mask, mode: f.mode })),
    readMask: r.readMask,
    storeMask: r.storeMask,
    undeclared: r.undeclared.map((u) => u.label),
  }));
};

/**
 * The tests that `map` is, register by register, the map recorded in `before`
 * (a {@link dumpRegisterMap} of it taken before a rewrite of its source): the
 * same registers in the same order, each with the same offset, width, reset
 * value, access, sizes and fields.
 */
export const describeUnchangedMap = (title: string, map: RegisterMap, before: readonly RegisterDump[]): void => {
  describe(title, () => {
    const now = dumpRegisterMap(map);
    it('has the same registers in the same order (registerInfoOf)', () => {
      expect(now.map((r) => r.info)).toEqual(before.map((r) => r.info));
    });
    it.each(before.map((r) => [r.info.name, r] as const))('%s: same offset, width, reset, access, sizes and fields', (name, r) => {
      expect(now.find((n) => n.info.name === name)).toEqual(r);
    });
  });
};
