/**
 * ptimer-rx: emulated hardware timers and the devices built on them, as
 * reactive streams on explicit virtual-time schedulers. Everything public is
 * exported from here (test helpers: `ptimer-rx/testing`).
 * @packageDocumentation
 */
export * from './src';
export * from './operators';
export * from './devices';
export * from './system';
export * from './explore';
