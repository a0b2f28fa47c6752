import type { BankShape, ChannelNames, ChannelShape, RegisterMap, RegisterShape } from './defineRegisterMap';
import { BusRangeError } from './errors';

/** The positions of a channel list: 0 | 1 | … for a tuple, `number` otherwise. */
export type ChannelIndex<L extends readonly unknown[]> = number extends L['length'] ? number : Exclude<Partial<L>['length'], L['length']> & number;

/**
 * Files each channel's hooks under its registers' names (both kinds of hooks: `channelHooks`, `deviceHooks().channels`).
 * @internal
 */
export const fileChannelHooks = (
  map: RegisterMap<RegisterShape, BankShape, ChannelShape>,
  bank: string,
  hooks: (index: number, names: ChannelNames) => object,
  caller: string,
): Record<string, unknown> => {
  const channels = (Object.hasOwn(map.channels, bank) ? map.channels[bank] : undefined) as readonly ChannelNames[] | undefined;
  if (channels === undefined) throw new BusRangeError(bank, 'is not a channel bank of the map', `${caller}(bank)`);
  const byName: Record<string, unknown> = {};
  channels.forEach((names, i) => {
    const given = hooks(i, names) as Readonly<Record<string, unknown>>;
    for (const [member, h] of Object.entries(given)) {
      const register = Object.hasOwn(names, member) ? names[member] : undefined;
      if (register === undefined) {
        throw new BusRangeError(member, `is not a register of a channel of ${bank} (${Object.keys(names).join(', ')})`, `${caller}(hooks)`);
      }
      if (h !== undefined) byName[register] = h;
    }
  });
  return byName;
};
