export {
  LAN9118_GPT_HZ,
  LAN9118_GPT_POLICY,
  LAN9118_GPT_SNAPSHOT_VERSION,
  LAN9118_ID_REV,
  Lan9118Gpt,
  type Lan9118GptOptions,
  type Lan9118GptSnapshot,
} from './Lan9118Gpt';
export { LAN9118_GPT_REGISTERS } from './LAN9118_GPT_REGISTERS';
export { LAN9118_NOT_MODELLED, notModelledAt, type NotModelledRegister } from './LAN9118_NOT_MODELLED';
