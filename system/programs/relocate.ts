import { guestRead, guestWrite, type GuestAccess } from '../../src/bus/GuestAccess';

/**
 * A recipe's access (offset relative to its device) at its absolute bus address.
 * @param base - the device's base address
 * @param access - the access, offset relative to the device
 * @returns the same access at `base + offset`
 */
export const relocate = (base: number, access: GuestAccess): GuestAccess =>
  access.kind === 'read' ? guestRead(base + access.offset, access.size) : guestWrite(base + access.offset, access.value, access.size);
