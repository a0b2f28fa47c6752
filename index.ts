/**
 * ptimer-rx: emulated hardware timers as reactive streams on explicit
 * virtual-time schedulers. Everything public is exported from here.
 * @packageDocumentation
 */
export * from './src';
