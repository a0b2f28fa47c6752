// XILINX_AXI_TIMER_REGISTERS, register by register, must stay the map recorded in XILINX_AXI_TIMER_REGISTERS.before.json,
// taken while every channel's registers were still written out by hand: writing
// them with defineChannels changes nothing a user sees (#13).
import { XILINX_AXI_TIMER_REGISTERS } from '../../../devices/xilinx-axi-timer';
import { describeUnchangedMap, type RegisterDump } from '../../support/registerMapDump';
import before from './XILINX_AXI_TIMER_REGISTERS.before.json';

describeUnchangedMap('XILINX_AXI_TIMER_REGISTERS: the same map as before the channel bank (#13)', XILINX_AXI_TIMER_REGISTERS, before as readonly RegisterDump[]);
