/**
 * Why a device refused a guest access (the access then reads 0 and changes
 * nothing): an offset no register covers, a size the register does not
 * accept, an offset not aligned to the size, a write to a read-only or locked
 * register, or a read of a write-only one.
 */
export type GuestErrorReason = 'unmapped' | 'bad-size' | 'misaligned' | 'read-only' | 'write-only' | 'locked';
