export type { CounterSample, CounterSampleSink } from './CounterSample';
export type { WaveChange, WaveKind, WaveSignal, WaveformModel, WaveformPanel } from './WaveformModel';
export { WaveformError } from './errors';
export { buildWaveform, DEFAULT_MAX_CHANGES, type BuildWaveformOptions, type WaveformInput } from './buildWaveform';
export { toVcd, type ToVcdOptions } from './toVcd';
export { toWaveDrom, type ToWaveDromOptions, type WaveDromDiagram, type WaveDromGroup, type WaveDromLane } from './toWaveDrom';
export { toSvg, type SvgPanel, type ToSvgOptions } from './toSvg';
export { VcdStream, type VcdSpool, type VcdStreamOptions } from './VcdStream';
