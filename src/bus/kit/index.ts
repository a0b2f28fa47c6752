export { checkDeviceOptions, type DeviceOptionRule } from './checkDeviceOptions';
export { CounterRate } from './CounterRate';
export { deviceTimer, type DeviceTimerOptions } from './deviceTimer';
export { EventOutlet } from './EventOutlet';
export { TRIGGER_DELIVERIES, type TriggerDelivery } from './TriggerDelivery';
export { UnmodelledRegisters, type ModelledRegisterSpan, type UnmodelledRegister, type UnmodelledRegistersOptions } from './UnmodelledRegisters';
export { timerProbe, type ProbeState, type TimerProbeOptions } from './timerProbe';
export { cycleCounterProbe, type CycleCounterOrigin, type CycleCounterProbeOptions } from './cycleCounterProbe';
export { KitDevice, type KitBankOptions, type KitSnapshotFormat, type KitSnapshotHead } from './KitDevice';
