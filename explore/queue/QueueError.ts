/**
 * The explorer's queue failed: Redis cannot be reached (in time), or a
 * worker failed a part (its message says why). Bad input (a malformed
 * `redis://` URL) is a `SystemConfigError` instead.
 */
export class QueueError extends Error {
  /** Always `'QueueError'`. */
  override readonly name: string = 'QueueError';
}
