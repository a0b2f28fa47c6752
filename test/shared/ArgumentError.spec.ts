import { describe, expect, it } from 'vitest';
import * as api from '../../index';
import {
  ArgumentError,
  ArgumentTypeError,
  BusRangeError,
  ClockObserverError,
  ClockRangeError,
  DeviceConfigError,
  describeValue,
  DriverCommandError,
  IrqArgumentError,
  isArgumentError,
  MarbleDiagramError,
  OperatorArgumentError,
  PTimerPolicyError,
  PTimerRangeError,
  PTimerSnapshotError,
  RecordingFormatError,
  RegisterMapError,
  RegisterSnapshotError,
  ScenarioError,
  SystemConfigError,
  SystemSnapshotError,
  TimedAccessError,
  TraceFormatError,
  WaveformError,
} from '../../index';

type Base = typeof ArgumentError | typeof ArgumentTypeError;
type AnyClass = abstract new (...args: never[]) => Error;

/** [class, its base, how to build one from (value, rule), the `what` it should name]. */
const CLASSES: ReadonlyArray<readonly [AnyClass, Base, (value: unknown, rule: string) => Error, string]> = [
  [ArgumentError, ArgumentError, (v, r) => new ArgumentError('f(x)', v, r), 'f(x)'],
  [ArgumentTypeError, ArgumentTypeError, (v, r) => new ArgumentTypeError('f(x)', v, r), 'f(x)'],
  [ClockRangeError, ArgumentError, (v, r) => new ClockRangeError(v, r, 'delay'), 'delay'],
  [ClockObserverError, ArgumentTypeError, (v, r) => new ClockObserverError(v, r, 'observe(observer)'), 'observe(observer)'],
  [PTimerRangeError, ArgumentError, (v, r) => new PTimerRangeError(v, r, 'setCount(count)'), 'setCount(count)'],
  [PTimerPolicyError, ArgumentTypeError, (v, r) => new PTimerPolicyError(v, r), 'policy'],
  [PTimerSnapshotError, ArgumentTypeError, (v, r) => new PTimerSnapshotError('limit', v, r), "snapshot field 'limit'"],
  [BusRangeError, ArgumentError, (v, r) => new BusRangeError(v, r, 'read(offset)'), 'read(offset)'],
  [RegisterMapError, ArgumentTypeError, (v, r) => new RegisterMapError('CTRL.EN', v, r), 'register map CTRL.EN'],
  [RegisterSnapshotError, ArgumentTypeError, (v, r) => new RegisterSnapshotError('registers.CTRL', v, r), "snapshot field 'registers.CTRL'"],
  [DeviceConfigError, ArgumentError, (v, r) => new DeviceConfigError(v, r, 'Sp804(options.name)'), 'Sp804(options.name)'],
  [IrqArgumentError, ArgumentTypeError, (v, r) => new IrqArgumentError(v, r, 'anyOf(name)'), 'anyOf(name)'],
  [TraceFormatError, ArgumentTypeError, (v, r) => new TraceFormatError(3, 'size', v, r), "trace line 3, field 'size'"],
  [WaveformError, ArgumentError, (v, r) => new WaveformError('toVcd(options.date)', v, r), 'toVcd(options.date)'],
  [OperatorArgumentError, ArgumentError, (v, r) => new OperatorArgumentError(v, r, 'traceAs(label)'), 'traceAs(label)'],
  [TimedAccessError, ArgumentError, (v, r) => new TimedAccessError(2, 'at', v, r), 'accessesFrom(timed[2].at)'],
  [DriverCommandError, ArgumentError, (v, r) => new DriverCommandError(v, r, 'wait(ns)'), 'wait(ns)'],
  [SystemConfigError, ArgumentError, (v, r) => new SystemConfigError(v, r, 'addDevice(base)'), 'addDevice(base)'],
  [SystemSnapshotError, ArgumentTypeError, (v, r) => new SystemSnapshotError('devices.timer0.registers.CTRL', v, r), 'devices.timer0.registers.CTRL'],
  [ScenarioError, ArgumentError, (v, r) => new ScenarioError('devices[1].type', v, r), 'devices[1].type'],
  [MarbleDiagramError, ArgumentError, (v, r) => new MarbleDiagramError(v, r, 'toMarbleDiagram(from)'), 'toMarbleDiagram(from)'],
  [RecordingFormatError, ArgumentTypeError, (v, r) => new RecordingFormatError(2, 'size', v, r), 'recording line 2, size'],
];

const RULE = 'must be something else';

describe('ArgumentError and ArgumentTypeError: one grammar, two JavaScript families', () => {
  it('ArgumentError is a RangeError; its message is `<what>: <value> is invalid: <rule>`', () => {
    const cause = new Error('found by another check');
    const e = new ArgumentError('setCount(count)', -1n, 'must not be negative', { cause });
    expect(e).toBeInstanceOf(RangeError);
    expect(e).not.toBeInstanceOf(TypeError);
    expect(e.name).toBe('ArgumentError');
    expect(e.message).toBe('setCount(count): -1n is invalid: must not be negative');
    expect(e).toMatchObject({ what: 'setCount(count)', value: -1n, rule: 'must not be negative', cause });
  });

  it('ArgumentTypeError is a TypeError with the same constructor, fields and message', () => {
    const e = new ArgumentTypeError('irqEvents(signal)', { name: 'x' }, 'must be an IrqSignal');
    expect(e).toBeInstanceOf(TypeError);
    expect(e).not.toBeInstanceOf(RangeError);
    expect(e.name).toBe('ArgumentTypeError');
    expect(e.message).toBe('irqEvents(signal): {"name":"x"} is invalid: must be an IrqSignal');
    expect(e).toMatchObject({ what: 'irqEvents(signal)', value: { name: 'x' }, rule: 'must be an IrqSignal' });
    expect(e.cause).toBeUndefined();
  });

  it('isArgumentError recognises both families and nothing else', () => {
    expect(isArgumentError(new ArgumentError('a', 1, 'r'))).toBe(true);
    expect(isArgumentError(new ArgumentTypeError('a', 1, 'r'))).toBe(true);
    expect(isArgumentError(new ClockRangeError(1, 'r', 'delay'))).toBe(true);
    expect(isArgumentError(new RangeError('x'))).toBe(false);
    expect(isArgumentError(new TypeError('x'))).toBe(false);
    expect(isArgumentError(new api.RunawayError(0, 'w', 1, 'instant'))).toBe(false);
    expect(isArgumentError({ what: 'a', value: 1, rule: 'r' })).toBe(false);
    expect(isArgumentError(undefined)).toBe(false);
  });
});

describe('every argument error class of the project', () => {
  it('is in this table: every class exported from the root that derives from a base', () => {
    const derived = Object.entries(api)
      .filter(([, v]) => typeof v === 'function' && (v.prototype instanceof ArgumentError || v.prototype instanceof ArgumentTypeError))
      .map(([name]) => name)
      .sort();
    const listed = CLASSES.map(([cls]) => cls.name)
      .filter((name) => name !== 'ArgumentError' && name !== 'ArgumentTypeError')
      .sort();
    expect(listed).toEqual(derived);
  });

  describe.each(CLASSES.map((row) => [row[0].name, ...row] as const))('%s', (name, cls, base, make, what) => {
    it('keeps its name and its JavaScript family, and is an argument error', () => {
      const e = make(5, RULE);
      expect(e).toBeInstanceOf(cls);
      expect(e).toBeInstanceOf(base);
      expect(e).toBeInstanceOf(base === ArgumentError ? RangeError : TypeError);
      expect(e.name).toBe(name);
      expect(isArgumentError(e)).toBe(true);
    });

    it.each<readonly [string, unknown]>([
      ['a number', 5],
      ['a string', 'five'],
      ['a bigint', 5n],
      ['undefined', undefined],
      ['an object', { kind: 'read', size: 3 }],
      ['a function', function five() {}],
    ])('gives the one grammar for %s', (_kind, value) => {
      const e = make(value, RULE) as ArgumentError;
      expect(e.message).toBe(`${what}: ${describeValue(value)} is invalid: ${RULE}`);
      expect(e).toMatchObject({ what, rule: RULE });
      expect(Object.is(e.value, value)).toBe(true);
    });

    it('keeps its message short for a 5 MB string and a 1e6-element array', () => {
      for (const [value, size] of [
        ['a'.repeat(5 * 1024 * 1024), '(5242880 chars)'],
        [Array.from({ length: 1_000_000 }, (_, i) => i), '(1000000 items)'],
      ] as const) {
        const e = make(value, RULE);
        expect(e.message.length).toBeLessThan(300);
        expect(e.message.endsWith(` ${size} is invalid: ${RULE}`)).toBe(true);
      }
    });
  });
});
