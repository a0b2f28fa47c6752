export {
  IMX_GPT_POLICY,
  IMX_GPT_SNAPSHOT_VERSION,
  IMX_GPT_VARIANTS,
  ImxGpt,
  type ImxGptCaptureEdge,
  type ImxGptOptions,
  type ImxGptSnapshot,
  type ImxGptVariant,
} from './ImxGpt';
export { IMX_GPT_REGISTERS } from './IMX_GPT_REGISTERS';
export { IMX6DL_GPT_REGISTERS } from './IMX6DL_GPT_REGISTERS';
