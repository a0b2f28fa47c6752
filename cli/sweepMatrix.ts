import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { ArgumentError } from '../src/shared/ArgumentError';
import { schemaIssue, formatPath } from '../system/schemaIssue';

/**
 * A sweep's matrix as refused: `path` names the field (`modes[1]`, in the
 * matrix file, or the option it came from), the message
 * `<where>: <value> is invalid: <rule>`.
 */
export class SweepMatrixError extends ArgumentError {
  /** Always `'SweepMatrixError'`. */
  override readonly name: string = 'SweepMatrixError';
  /**
   * @param path - the field, as `a.b[2]` (prefixed with the file, or an option's name)
   * @param value - the offending value
   * @param rule - the rule it breaks
   */
  constructor(
    readonly path: string,
    value: unknown,
    rule: string,
  ) {
    super(path, value, rule);
  }
}

const MODE = z.enum(['sync', 'bottom-half']);

/** The matrix: a JSON file's fields, or the options of the same names. */
export const SWEEP_MATRIX_SCHEMA = z.strictObject({
  /** Catalogue devices to run the race explorer on (a cell per device and mode). */
  devices: z.array(z.string().min(1)).min(1).optional(),
  /** Scenario files to explore (a cell per scenario, mode and seed); in a file, relative to it. */
  scenarios: z.array(z.string().min(1)).min(1).optional(),
  /** Delivery modes (default both). */
  modes: z.array(MODE).min(1).optional(),
  /** Scenario seeds (the scenario's `seed`, for programs that draw random numbers; default: the file's own). */
  seeds: z.array(z.number().int().min(0)).min(1).optional(),
  /** Race: expiries to read around (default 3). */
  expiries: z.number().int().min(1).max(8).optional(),
  /** Bound on schedules per cell (default 10 000). */
  max: z.number().int().min(1).max(10_000_000).optional(),
});

/** The matrix, validated, with its defaults. */
export interface SweepMatrix {
  readonly devices: readonly string[];
  readonly scenarios: readonly string[];
  readonly modes: readonly ('sync' | 'bottom-half')[];
  readonly seeds: readonly (number | undefined)[];
  readonly expiries: number;
  readonly max: number;
}

/**
 * Validates a sweep's matrix: a file's fields, overridden by the options given.
 * @param file - the matrix file's parsed JSON and path, if one was given
 * @param options - the fields given as options (`devices` for `--devices`, …)
 * @returns the matrix with defaults (the race on sp804 when neither devices nor scenarios are given)
 * @throws SweepMatrixError naming the file and field, or the option
 */
export const sweepMatrix = (file: { readonly path: string; readonly json: unknown } | undefined, options: Readonly<Record<string, unknown>>): SweepMatrix => {
  if (file !== undefined) check(file.json, (path) => `${file.path}: ${path}`);
  check(options, (path) => `--${path}`);
  const fromFile = (file?.json ?? {}) as z.infer<typeof SWEEP_MATRIX_SCHEMA>;
  const given = options as z.infer<typeof SWEEP_MATRIX_SCHEMA>;
  const base = file === undefined ? process.cwd() : dirname(resolve(file.path));
  const scenarios = given.scenarios ?? fromFile.scenarios?.map((s) => resolve(base, s)) ?? [];
  const devices = given.devices ?? fromFile.devices ?? (scenarios.length === 0 ? ['sp804'] : []);
  return {
    devices,
    scenarios,
    modes: given.modes ?? fromFile.modes ?? ['bottom-half', 'sync'],
    seeds: given.seeds ?? fromFile.seeds ?? [undefined],
    expiries: given.expiries ?? fromFile.expiries ?? 3,
    max: given.max ?? fromFile.max ?? 10_000,
  };
};

const check = (input: unknown, where: (path: string) => string): void => {
  const checked = SWEEP_MATRIX_SCHEMA.safeParse(input);
  if (checked.success) return;
  const { path, value, rule } = schemaIssue(checked.error, input, SWEEP_MATRIX_SCHEMA);
  throw new SweepMatrixError(where(formatPath(path)), value, rule);
};
