export * from './shared';
export * from './clock';
export * from './ptimer';
export * from './bus';
export * from './irq';
export * from './trace';
