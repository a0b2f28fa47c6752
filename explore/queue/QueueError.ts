/**
 * The explorer's queue failed: Redis cannot be reached (refused, a wrong or
 * missing password, no answer in time), Redis went away for longer than
 * the search or worker allows (`lostMillis`), or a worker failed a part
 * (its message says why). Bad input (a malformed `redis://` URL, a bad
 * option) is a `SystemConfigError` instead.
 */
export class QueueError extends Error {
  /** Always `'QueueError'`. */
  override readonly name: string = 'QueueError';
}
