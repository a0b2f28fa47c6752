// CMSDK_APB_DUALTIMER_REGISTERS, register by register, must stay the map recorded in CMSDK_APB_DUALTIMER_REGISTERS.before.json,
// taken while every channel's registers were still written out by hand: writing
// them with defineChannels changes nothing a user sees (#13).
import { CMSDK_APB_DUALTIMER_REGISTERS } from '../../../devices/cmsdk-apb-dualtimer';
import { describeUnchangedMap, type RegisterDump } from '../../support/registerMapDump';
import before from './CMSDK_APB_DUALTIMER_REGISTERS.before.json';

describeUnchangedMap('CMSDK_APB_DUALTIMER_REGISTERS: the same map as before the channel bank (#13)', CMSDK_APB_DUALTIMER_REGISTERS, before as readonly RegisterDump[]);
