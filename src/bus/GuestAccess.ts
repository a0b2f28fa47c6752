import { ACCESS_SIZES, isAccessValue, maxAccessValue, type AccessSize } from '../shared/AccessSize';
import type { GuestErrorReason } from '../shared/GuestErrorReason';
import { BusRangeError } from './errors';

// The access vocabulary lives in src/shared, so that trace events can name it without the bus.
export { ACCESS_SIZES, isAccessValue, maxAccessValue, type AccessSize, type GuestErrorReason };

/** A guest load from a device register. */
export interface GuestRead {
  /** Discriminant: a load. */
  readonly kind: 'read';
  /** Byte offset into the device's region. */
  readonly offset: number;
  /** Width of the access in bytes. */
  readonly size: AccessSize;
}

/** A guest store to a device register. */
export interface GuestWrite {
  /** Discriminant: a store. */
  readonly kind: 'write';
  /** Byte offset into the device's region. */
  readonly offset: number;
  /** Width of the access in bytes. */
  readonly size: AccessSize;
  /** The value stored: an unsigned integer that fits in `size` bytes (and in a safe integer). */
  readonly value: number;
}

/**
 * One register access by the guest. Accesses carry no time of their own: the
 * virtual time at which one happens is the time its stream emits it on the
 * scheduler, and it is recorded in the {@link AccessResult}.
 */
export type GuestAccess = GuestRead | GuestWrite;


const checkOffsetAndSize = (offset: number, size: AccessSize, what: string): void => {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new BusRangeError(offset, 'must be a non-negative safe integer byte offset', `${what}(offset)`);
  }
  if (!ACCESS_SIZES.includes(size)) throw new BusRangeError(size, 'must be 1, 2, 4 or 8 bytes', `${what}(size)`);
};

/**
 * A guest read access.
 * @param offset - byte offset into the device's region
 * @param size - bytes, default 4
 * @throws BusRangeError for a negative or non-integer offset, or a size other than 1/2/4/8
 */
export const guestRead = (offset: number, size: AccessSize = 4): GuestRead => {
  checkOffsetAndSize(offset, size, 'guestRead');
  return { kind: 'read', offset, size };
};

/**
 * A guest write access.
 * @param offset - byte offset into the device's region
 * @param value - unsigned value that fits in `size` bytes
 * @param size - bytes, default 4
 * @throws BusRangeError for a bad offset or size, or a value that does not fit
 */
export const guestWrite = (offset: number, value: number, size: AccessSize = 4): GuestWrite => {
  checkOffsetAndSize(offset, size, 'guestWrite');
  if (!isAccessValue(value, size)) {
    throw new BusRangeError(value, `must be an unsigned integer that fits in ${size} byte(s)`, 'guestWrite(value)');
  }
  return { kind: 'write', offset, size, value };
};

/** What a guest access did, as the guest saw it. */
export interface AccessResult {
  /** Virtual time (ns) of the access. */
  readonly time: number;
  /** Name of the device accessed. */
  readonly device: string;
  /** Whether the guest loaded or stored. */
  readonly kind: 'read' | 'write';
  /** Byte offset of the access in the device's region. */
  readonly offset: number;
  /** Width of the access in bytes. */
  readonly size: AccessSize;
  /** The value read, or the value written. A bad read returns 0. */
  readonly value: number;
  /** Set when the device reported the access as a guest error (and ignored it). */
  readonly error?: GuestErrorReason;
}
