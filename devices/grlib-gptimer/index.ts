export {
  GRLIB_GPTIMER_POLICY,
  GRLIB_GPTIMER_SNAPSHOT_VERSION,
  GrlibGptimer,
  type GrlibGptimerOptions,
  type GrlibGptimerSnapshot,
} from './GrlibGptimer';
export {
  GRLIB_GPTIMER_DEFAULT_LAYOUT,
  GRLIB_GPTIMER_REGISTERS,
  grlibGptimerConfig,
  grlibGptimerRegisters,
  grlibGptimerUnmodelled,
  type GrlibGptimerLayout,
  type GrlibGptimerRegisterMap,
} from './GRLIB_GPTIMER_REGISTERS';
