/**
 * ptimer-rx/testing: marble-test helpers for vitest users (rxjs-marbles
 * configured for vitest, the frame-to-nanosecond mapping, and a labelled
 * device pipeline for one-line ordering assertions).
 * @packageDocumentation
 * @module ptimer-rx/testing
 */
export { DEFAULT_HORIZON_FRAMES, marbles, type Context } from './marbles';
export { NS_PER_FRAME, nsScheduler } from './nsScheduler';
export { accessLabel, devicePipeline, type DevicePipelineOptions } from './devicePipeline';
