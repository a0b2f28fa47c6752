// SP804_REGISTERS, register by register, must stay the map recorded in SP804_REGISTERS.before.json,
// taken while every channel's registers were still written out by hand: writing
// them with defineChannels changes nothing a user sees (#13).
import { SP804_REGISTERS } from '../../../devices/sp804';
import { describeUnchangedMap, type RegisterDump } from '../../support/registerMapDump';
import before from './SP804_REGISTERS.before.json';

describeUnchangedMap('SP804_REGISTERS: the same map as before the channel bank (#13)', SP804_REGISTERS, before as readonly RegisterDump[]);
