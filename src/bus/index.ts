export { AccessPort } from './AccessPort';
export type { Device, DeviceProbe, DeviceSnapshot, RegisterInfo } from './Device';
export {
  ACCESS_SIZES,
  guestRead,
  isAccessValue,
  maxAccessValue,
  guestWrite,
  type AccessResult,
  type AccessSize,
  type GuestAccess,
  type GuestErrorReason,
  type GuestRead,
  type GuestWrite,
} from './GuestAccess';
export { BusRangeError, DeviceConfigError, RegisterMapError, RegisterSnapshotError } from './errors';
export { fieldHandle, registerHandle, type FieldHandle, type RegisterHandle } from './fieldHandle';
export { FIELD_MODES, type FieldMode } from './FieldMode';
export { bit, bits, type FieldSpec } from './fields';
export {
  defineChannels,
  defineMany,
  reg8,
  reg16,
  reg32,
  type ChannelGroup,
  type ChannelNaming,
  type ChannelsSpec,
  type FieldSpecs,
  type ManySpec,
  type RegisterAccess,
  type RegisterFactory,
  type RegisterOptions,
  type RegisterSpec,
  type RegisterWidth,
} from './registers';
export {
  defineRegisterMap,
  registerInfoOf,
  type BankShape,
  type BanksOf,
  type ChannelNames,
  type ChannelOf,
  type ChannelRegisterName,
  type ChannelShape,
  type ChannelsOf,
  type FieldDef,
  type FieldName,
  type MapSpec,
  type RegisterDef,
  type RegisterMap,
  type RegisterName,
  type RegisterShape,
  type RegisterShapeOf,
  type RegistersOf,
  type UndeclaredBits,
} from './defineRegisterMap';
export {
  REGISTER_BANK_SNAPSHOT_VERSION,
  RegisterBank,
  type BankHooks,
  type FieldHooks,
  type RegisterBankOptions,
  type RegisterBankSnapshot,
  type RegisterHooks,
} from './RegisterBank';
export { channelHooks, type ChannelHooks, type ChannelIndex } from './channelHooks';
export {
  DeviceHooks,
  deviceHooks,
  type DeviceBankHooks,
  type DeviceChannelHooks,
  type DeviceFieldHooks,
  type DeviceHooksBuilder,
  type DeviceRegisterHooks,
} from './deviceHooks';
export { expectSame, openSnapshot, restoreAtomically, restoreParts, type SnapshotLoad, type SnapshotPart } from './deviceSnapshot';
export {
  deviceSnapshotSchema,
  formatSnapshotPath,
  joinSnapshotPath,
  parseSnapshot,
  snapshotBoolean,
  snapshotDeviceName,
  snapshotField,
  snapshotHz,
  snapshotInteger,
  snapshotObject,
  snapshotPart,
  snapshotSame,
  snapshotTuple,
  snapshotVersion,
  type DeviceSnapshotFormat,
  type DeviceSnapshotShape,
} from './snapshotSchema';
export { bottomHalvesPutBack, withBottomHalvesPutBack } from './bottomHalvesPutBack';
export { checkTimerPart, snapshotPartError, type TimerPartView } from './timerPart';
export {
  expectBottomHalfPutBack,
  expectResetValues,
  expectRunningMode,
  expectTimerCountAtMost,
  expectTimerLimit,
  expectTimerMode,
  expectTimerPeriod,
  expectTimerPeriodNs,
  refuseSnapshot,
  registerPath,
  type SnapshotReason,
} from './snapshotRules';
export * from './kit';
