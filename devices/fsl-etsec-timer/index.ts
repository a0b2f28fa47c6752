export {
  FSL_ETSEC_TIMER_POLICY,
  FSL_ETSEC_TIMER_SNAPSHOT_VERSION,
  FslEtsecTimer,
  type FslEtsecTimerOptions,
  type FslEtsecTimerSnapshot,
  type FslEtsecTxRing,
} from './FslEtsecTimer';
export { FSL_ETSEC_NOT_MODELLED, FSL_ETSEC_RX_EVENTS, FSL_ETSEC_TIMER_REGISTERS, FSL_ETSEC_TX_EVENTS } from './FSL_ETSEC_TIMER_REGISTERS';
