export {
  XLNX_CAN_TIMESTAMP_POLICY,
  XLNX_CAN_TIMESTAMP_SNAPSHOT_VERSION,
  XLNX_CAN_TIMESTAMP_VARIANTS,
  XlnxCanTimestamp,
  type XlnxCanTimestampOptions,
  type XlnxCanTimestampSnapshot,
  type XlnxCanTimestampVariant,
} from './XlnxCanTimestamp';
export { XLNX_ZYNQMP_CAN_REGISTERS } from './XLNX_ZYNQMP_CAN_REGISTERS';
export { XLNX_VERSAL_CANFD_REGISTERS } from './XLNX_VERSAL_CANFD_REGISTERS';
export { XLNX_VERSAL_CANFD_NOT_MODELLED, XLNX_ZYNQMP_CAN_NOT_MODELLED, type XlnxCanUnmodelledRegister } from './XLNX_CAN_NOT_MODELLED';
