export { SP804_POLICY, SP804_SNAPSHOT_VERSION, Sp804, type Sp804Options, type Sp804Snapshot } from './Sp804';
export { SP804_REGISTERS } from './SP804_REGISTERS';
export { Sp804Block, type Sp804BlockKind, type Sp804BlockOptions, type Sp804BlockSnapshot } from './Sp804Block';
