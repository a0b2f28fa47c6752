import { WaveformError } from './errors';
import type { WaveformModel } from './WaveformModel';

const KINDS: readonly string[] = ['wire', 'vector', 'event'];

/** True for a time the waveform code accepts: a non-negative safe integer (ns). */
export const isWaveTime = (time: unknown): time is number => Number.isSafeInteger(time) && (time as number) >= 0;

/**
 * Checks a model given to an exporter (it may be hand-made), so a bad one
 * fails with a message naming the field instead of producing a file a
 * viewer rejects.
 *
 * Rules: `start` and `end` are non-negative safe integers with
 * `start <= end`; names are non-empty and unique; a wire or event has width
 * 1 and a vector a positive safe-integer width; change times are
 * non-negative safe integers that never go backwards within a signal; wire
 * values are `0n`/`1n`, vector values fit their width unsigned (or are
 * `undefined`: unknown), event values are `1n`; labels are strings.
 *
 * @internal
 * @param model - the model to check
 * @param caller - the exporter's name, for messages (`toVcd`)
 * @param path - how the model is named in messages (`model`, `panels[1].model`)
 * @throws WaveformError naming the field, its value and the rule
 */
export const checkWaveformModel = (model: WaveformModel, caller: string, path = 'model'): void => {
  const fail = (field: string, value: unknown, rule: string): never => {
    throw new WaveformError(`${caller}(${field.replace(/^model/, path)})`, value, rule);
  };
  if (typeof model !== 'object' || model === null) fail('model', model, 'must be a WaveformModel object');
  if (!Array.isArray(model.signals)) fail('model.signals', model.signals, 'must be an array of signals');
  if (!isWaveTime(model.start)) fail('model.start', model.start, 'must be a non-negative safe integer (ns)');
  if (!isWaveTime(model.end)) fail('model.end', model.end, 'must be a non-negative safe integer (ns)');
  if (model.start > model.end) fail('model.start', model.start, `must not be after model.end (${model.end})`);
  const names = new Set<string>();
  model.signals.forEach((signal, i) => {
    const at = `model.signals[${i}]`;
    if (typeof signal !== 'object' || signal === null) fail(at, signal, 'must be a WaveSignal object');
    if (typeof signal.name !== 'string' || signal.name === '') fail(`${at}.name`, signal.name, 'must be a non-empty string');
    if (names.has(signal.name)) fail(`${at}.name`, signal.name, 'must be unique among the signals');
    names.add(signal.name);
    if (!KINDS.includes(signal.kind)) fail(`${at}.kind`, signal.kind, "must be 'wire', 'vector' or 'event'");
    if (signal.kind === 'vector') {
      if (!Number.isSafeInteger(signal.width) || signal.width < 1) {
        fail(`${at}.width`, signal.width, 'must be a positive safe integer for a vector');
      }
    } else if (signal.width !== 1) {
      fail(`${at}.width`, signal.width, `must be 1 for a ${signal.kind}`);
    }
    if (!Array.isArray(signal.changes)) fail(`${at}.changes`, signal.changes, 'must be an array of changes');
    const limit = 1n << BigInt(signal.width);
    let previous = 0;
    signal.changes.forEach((change, j) => {
      const c = `${at}.changes[${j}]`;
      if (typeof change !== 'object' || change === null) fail(c, change, 'must be a WaveChange object');
      if (!isWaveTime(change.time)) fail(`${c}.time`, change.time, 'must be a non-negative safe integer (ns)');
      if (change.time < previous) {
        fail(`${c}.time`, change.time, `must not be before the signal's previous change (${previous})`);
      }
      previous = change.time;
      const { value } = change;
      if (signal.kind === 'vector' && value === undefined) {
        // an unknown span (see WaveChange.value)
      } else if (typeof value !== 'bigint') {
        fail(`${c}.value`, value, signal.kind === 'vector' ? 'must be a bigint, or undefined for an unknown span' : 'must be a bigint');
      } else if (signal.kind === 'wire' && value !== 0n && value !== 1n) {
        fail(`${c}.value`, value, 'must be 0n or 1n for a wire');
      } else if (signal.kind === 'vector' && (value < 0n || value >= limit)) {
        fail(`${c}.value`, value, `must be an unsigned value that fits ${signal.width} bits`);
      }
      if (signal.kind === 'event' && value !== 1n) fail(`${c}.value`, value, 'must be 1n for an event');
      if (change.label !== undefined && typeof change.label !== 'string') {
        fail(`${c}.label`, change.label, 'must be a string when present');
      }
    });
  });
};
