// ALLWINNER_A10_PIT_REGISTERS, register by register, must stay the map recorded in ALLWINNER_A10_PIT_REGISTERS.before.json,
// taken while every channel's registers were still written out by hand: writing
// them with defineChannels changes nothing a user sees (#13).
import { ALLWINNER_A10_PIT_REGISTERS } from '../../../devices/allwinner-a10-pit';
import { describeUnchangedMap, type RegisterDump } from '../../support/registerMapDump';
import before from './ALLWINNER_A10_PIT_REGISTERS.before.json';

describeUnchangedMap('ALLWINNER_A10_PIT_REGISTERS: the same map as before the channel bank (#13)', ALLWINNER_A10_PIT_REGISTERS, before as readonly RegisterDump[]);
