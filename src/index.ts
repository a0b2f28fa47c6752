export * from './clock';
export * from './ptimer';
