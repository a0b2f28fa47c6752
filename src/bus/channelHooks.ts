import type { BankShape, ChannelNames, ChannelShape, RegisterMap, RegisterShape } from './defineRegisterMap';
import { BusRangeError } from './errors';
import type { BankHooks, RegisterHooks } from './RegisterBank';

/** The positions of a channel list: 0 | 1 | … for a tuple, `number` otherwise. */
export type ChannelIndex<L extends readonly unknown[]> = number extends L['length'] ? number : Exclude<Partial<L>['length'], L['length']> & number;

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
): BankHooks<R> => {
  const channels = (Object.hasOwn(map.channels, bank) ? map.channels[bank] : undefined) as readonly ChannelNames[] | undefined;
  if (channels === undefined) throw new BusRangeError(bank, 'is not a channel bank of the map', 'channelHooks(bank)');
  const byName: Record<string, RegisterHooks> = {};
  channels.forEach((names, i) => {
    const given = hooks(i as ChannelIndex<C[K]>, names as C[K][number]) as Readonly<Record<string, RegisterHooks | undefined>>;
    for (const [member, h] of Object.entries(given)) {
      const register = Object.hasOwn(names, member) ? names[member] : undefined;
      if (register === undefined) {
        throw new BusRangeError(member, `is not a register of a channel of ${bank} (${Object.keys(names).join(', ')})`, 'channelHooks(hooks)');
      }
      if (h !== undefined) byName[register] = h;
    }
  });
  return byName as BankHooks<R>;
};
