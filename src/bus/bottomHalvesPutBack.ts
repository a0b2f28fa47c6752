/**
 * Restores that a legacy bottom half will follow. Under `bottom-half`
 * delivery a device whose timer runs one countdown at a time (the i.MX GPT,
 * the Exynos MCT) is stopped between a countdown's expiry and its bottom
 * half, which plans the next one. A pending bottom half is not device state:
 * restored on its own, that state would wait for a bottom half that never
 * comes, so such a device refuses it. A tool that notes the pending bottom
 * halves with the devices and puts them back after restoring them (the
 * ordering explorer's forks, `checkpointSystem`) runs its restores inside
 * {@link withBottomHalvesPutBack}; a device rule then accepts the state
 * when {@link bottomHalvesPutBack} says so.
 * @module
 */

import { scopedFlag } from '../shared/scopedFlag';
import { DeviceConfigError } from './errors';

const putBack = scopedFlag();

/**
 * Runs `restore` as a restore after which the bottom halves pending at the
 * snapshot are put back (see the module doc).
 *
 * ## Example
 * ```ts
 * withBottomHalvesPutBack(() => gpt.restore(taken)); // then put back the bottom halves noted with `taken`
 * ```
 * @param restore - the restores
 * @returns what `restore` returns
 * @throws DeviceConfigError for a `restore` that is not a function
 */
export const withBottomHalvesPutBack = <T>(restore: () => T): T => {
  if (typeof restore !== 'function') throw new DeviceConfigError(restore, 'must be a function (the restores to run)', 'withBottomHalvesPutBack(restore)');
  return putBack.within(restore);
};

/**
 * Whether a restore running now is followed by the bottom halves pending at
 * its snapshot (inside {@link withBottomHalvesPutBack}): a device may then
 * accept its state between a timer's expiry and its bottom half.
 * @returns whether they are put back
 */
export const bottomHalvesPutBack = (): boolean => putBack.held();
