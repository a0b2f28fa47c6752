import { waitUntil, type DriverCommand, type DriverInput } from '../../operators/driverCommands';
import { guestRead, guestWrite, type AccessSize, type GuestAccess } from '../../src/bus/GuestAccess';
import { BusRangeError } from '../../src/bus/errors';
import { SystemConfigError } from '../errors';
import type { GuestProgram } from '../GuestProgram';
import { checkPosition } from './checkPosition';
import { isWhole, requireOption } from './requireOption';

/** One access of a {@link timedAccesses} list. */
export interface TimedBusAccess {
  /** Virtual time of the access (ns, absolute). */
  readonly at: number;
  /** Whether the access reads or writes. */
  readonly kind: 'read' | 'write';
  /** Absolute bus address. */
  readonly address: number;
  /** Bytes (default 4). */
  readonly size?: AccessSize;
  /** The value a write stores (required for a write, absent for a read). */
  readonly value?: number;
}

/** Where a {@link timedAccesses} program is: plain data, see `GuestProgram.position`. */
export interface TimedAccessesPosition {
  /** Index of the next access: it waits for that access's `at`. */
  readonly index: number;
  /** The last value read (0 before any read). */
  readonly lastRead: number;
}

/** What a {@link timedAccesses} program has done. */
export interface TimedAccessesStats {
  /** Accesses made so far. */
  readonly executed: number;
  /** Accesses in the list. */
  readonly total: number;
  /** The last value read (0 before any read). */
  readonly lastRead: number;
}

/** A timed access list (see {@link timedAccesses}). */
export interface TimedAccesses extends GuestProgram {
  position(): TimedAccessesPosition;
  /** What it has done so far. */
  stats(): TimedAccessesStats;
}

/**
 * A guest that makes a fixed list of accesses at fixed instants: it waits until
 * each access's `at` and makes it; accesses with the same `at` run in one guest
 * step, in list order.
 *
 * Resumable: its whole state is a {@link TimedAccessesPosition}; it only ever
 * suspends in `waitUntil(at)` of the next access.
 *
 * Ordering: preserves G4: same-instant accesses keep their list order.
 *
 * ## Example
 * ```ts
 * system.addGuest('acc', timedAccesses({ accesses: [
 *   { at: 1_000, kind: 'write', address: 0x4000_0008, value: 100 },
 *   { at: 5_000, kind: 'read', address: 0x4000_0004 },
 * ] }));
 * ```
 *
 * @param options - the accesses, sorted by `at`
 * @returns the program
 * @throws SystemConfigError for an unsorted list or a bad access (time, address, size, value)
 */
export const timedAccesses = (options: { readonly accesses: readonly TimedBusAccess[] }): TimedAccesses => {
  const list = options.accesses;
  requireOption(Array.isArray(list), list, 'must be an array of timed accesses', 'timedAccesses(options.accesses)');
  const built: { readonly at: number; readonly access: GuestAccess }[] = list.map((a, i) => {
    const what = `timedAccesses(options.accesses[${i}])`;
    requireOption(typeof a === 'object' && a !== null, a, 'must be { at, kind, address, size?, value? }', what);
    requireOption(isWhole(a.at), a.at, 'must be a whole, non-negative number of ns', `${what}.at`);
    const before = list[i - 1];
    requireOption(before === undefined || before.at <= a.at, a.at, `must not be before the access before it (at ${before?.at} ns): the list is sorted by time`, `${what}.at`);
    requireOption(a.kind === 'read' || a.kind === 'write', a.kind, "must be 'read' or 'write'", `${what}.kind`);
    requireOption(a.kind === 'write' ? a.value !== undefined : a.value === undefined, a.value, a.kind === 'write' ? 'a write needs a value' : 'a read takes no value', `${what}.value`);
    try {
      const access = a.kind === 'read' ? guestRead(a.address, a.size ?? 4) : guestWrite(a.address, a.value!, a.size ?? 4);
      return { at: a.at, access };
    } catch (error) {
      if (error instanceof BusRangeError) throw new SystemConfigError(error.value, error.rule, what);
      throw error;
    }
  });
  let state: TimedAccessesPosition = { index: 0, lastRead: 0 };

  return {
    *start(position?: unknown): Generator<DriverCommand, void, DriverInput> {
      state =
        position === undefined
          ? { index: 0, lastRead: 0 }
          : checkPosition<TimedAccessesPosition>(position, { index: (v) => isWhole(v) && v < built.length, lastRead: isWhole }, 'timedAccesses');
      while (state.index < built.length) {
        const at = built[state.index]!.at;
        yield waitUntil(at);
        for (let next = built[state.index]; next !== undefined && next.at === at; next = built[state.index]) {
          const value = yield next.access;
          state = { index: state.index + 1, lastRead: next.access.kind === 'read' ? (value ?? 0) : state.lastRead };
        }
      }
    },
    position: () => ({ ...state }),
    stats: () => ({ executed: state.index, total: built.length, lastRead: state.lastRead }),
  };
};
