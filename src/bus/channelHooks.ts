import type { BankShape, ChannelNames, ChannelShape, RegisterMap, RegisterShape } from './defineRegisterMap';
import { fileChannelHooks, type ChannelIndex } from './fileChannelHooks';
import type { BankHooks, RegisterHooks } from './RegisterBank';

export type { ChannelIndex } from './fileChannelHooks';

/**
 * One channel's hooks by member name (`Load`, `Control`), each typed with the
 * fields its registers have (in every channel; a per-channel register offers
 * the fields of any of its channels).
 */
export type ChannelHooks<R extends RegisterShape, Ch extends ChannelNames> = {
  readonly [M in keyof Ch & string]?: RegisterHooks<R[Ch[M] & keyof R]>;
};

/**
 * A `RegisterBank`'s hooks for every channel of a channel bank, written once
 * for a channel by member name: `hooks(i, names)` gives channel `i`'s hooks,
 * and they are filed under its registers' names (`Load` of channel 1 under
 * `Timer2Load`). Spread the result into the bank's `hooks` next to the other
 * registers' hooks.
 *
 * Ordering: none of G1–G5 applies (it builds data; the hooks run as `RegisterBank` says).
 *
 * ## Example
 * ```ts
 * this.bank = new RegisterBank(SP804_REGISTERS, {
 *   name: this.name,
 *   scheduler,
 *   hooks: channelHooks(SP804_REGISTERS, 'Timer', (i) => ({
 *     Load: { write: (v) => this.writeLoad(i, v) },
 *     Value: { read: () => this.value(i) },
 *   })),
 * });
 * ```
 *
 * @param map - the register map
 * @param bank - a channel bank of it (made by `defineChannels`)
 * @param hooks - channel `i`'s hooks by member name, given its position from 0 and its register names
 * @returns the hooks by register name, for `RegisterBankOptions.hooks`
 * @throws BusRangeError for a bank that is not a channel bank of the map, or a member it does not have
 */
export const channelHooks = <R extends RegisterShape, C extends ChannelShape, K extends keyof C & string>(
  map: RegisterMap<R, BankShape, C>,
  bank: K,
  hooks: (index: ChannelIndex<C[K]>, names: C[K][number]) => ChannelHooks<R, C[K][number]>,
): BankHooks<R> => fileChannelHooks(map, bank, hooks as never, 'channelHooks') as BankHooks<R>;
