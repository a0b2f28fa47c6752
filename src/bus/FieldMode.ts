/**
 * How the guest sees one field of a register. The set and its meanings follow
 * Renode's field modes (behaviour only); every mode applies bit by bit to the
 * bits of the field that an access covers (a narrow access covers only the
 * bytes it addresses).
 *
 * - `rw`: reads return the field, writes store into it.
 * - `ro`: reads return the field; writes are ignored without complaint (the
 *   device changes it through `RegisterBank.set`/`setField`).
 * - `wo`: writes store into it; reads return 0 (the device reads the value).
 * - `w1c`: reads return the field; each bit written as 1 clears, a 0 keeps it
 *   (interrupt-status bits).
 * - `w0c`: reads return the field; each bit written as 0 clears, a 1 keeps it.
 * - `rc`: a read returns the field, then clears the bits it returned; writes
 *   are ignored.
 * - `reserved`: the TRM's reserved bits: always 0, writes ignored silently
 *   (no event: drivers that write back what they read, or write 0s over a
 *   whole register, are correct, and hardware ignores these bits too).
 * - `unimplemented`: a field the model knows but does not act on: it stores
 *   and reads back like `rw` (so a driver that checks what it wrote is not
 *   misled), and every guest write of a non-zero value to it is reported as
 *   an `unimplemented` trace event named `REGISTER.FIELD`.
 *
 * The write-side modes (`rw`, `wo`, `w1c`, `w0c`, `unimplemented`) are the
 * ones whose field write callbacks run (see `RegisterBank`).
 */
export type FieldMode = 'rw' | 'ro' | 'wo' | 'w1c' | 'w0c' | 'rc' | 'reserved' | 'unimplemented';

/** Every field mode, for validation and sweeps. */
export const FIELD_MODES: readonly FieldMode[] = Object.freeze([
  'rw',
  'ro',
  'wo',
  'w1c',
  'w0c',
  'rc',
  'reserved',
  'unimplemented',
]);
