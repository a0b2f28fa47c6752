import type { z } from 'zod';
import { formatFieldPath, valueAtPath } from './fieldPath';
import { scopedFlag } from './scopedFlag';

/** The first problem a schema found: where, what was there, and the rule it breaks. */
export interface SchemaProblem {
  /** The field's path, e.g. `timers[0].delta` (`(root)` for the whole value). */
  readonly path: string;
  /** The value found there (`undefined` for a missing field). */
  readonly value: unknown;
  /** The rule, in words. */
  readonly rule: string;
}

const ruleOf = (issue: z.core.$ZodIssue): string => {
  if (issue.code === 'invalid_type' && issue.input === undefined) return `is required: ${issue.message}`;
  return issue.message;
};

/** Held while a {@link trustingData} load runs: {@link parseWithSchema} does not check then. */
const trusting = scopedFlag();

/**
 * Runs `load` with {@link parseWithSchema} taking its input as valid: it
 * returns the input itself, unchecked. Only for data the same code produced
 * (a device's own snapshot put back in place, as the ordering explorer's
 * rewind does), where the checks can find nothing; pass it frozen, so that
 * code that would change what it parsed fails loudly rather than changing
 * the data for the next load. What `load` checks itself beyond the schema
 * still runs.
 * @param load - the restore to run
 * @returns what `load` returns
 */
export const trustingData = <T>(load: () => T): T => trusting.within(load);

/**
 * Whether a {@link trustingData} load is running now (its parses are not
 * checked): a cache of what a frozen input parsed to may then be used even
 * if that parse was not checked either.
 * @returns whether parses are taken as valid now
 */
export const trustingDataNow = (): boolean => trusting.held();

/**
 * Checks untrusted data against a zod schema and returns it typed, or
 * throws the error `fail` builds from the first problem (its full path, the
 * value and the rule). An unknown key is reported at its own path.
 * @param schema - the schema (strict objects refuse unknown keys)
 * @param input - untrusted data, e.g. parsed JSON
 * @param fail - builds the typed error to throw
 * @param rules - words for issues the schema gave none of its own (a zod error map); then every rule, an unknown key's too, is the issue's message
 */
export const parseWithSchema = <S extends z.ZodType>(
  schema: S,
  input: unknown,
  fail: (problem: SchemaProblem) => Error,
  rules?: (issue: z.core.$ZodRawIssue) => string,
): z.output<S> => {
  if (trusting.held()) return input as z.output<S>;
  const result = rules === undefined ? schema.safeParse(input) : schema.safeParse(input, { error: rules });
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const path = [...issue.path, issue.keys[0]!];
    throw fail({ path: formatFieldPath(path), value: valueAtPath(input, path), rule: rules === undefined ? 'is not a field of this snapshot' : issue.message });
  }
  throw fail({ path: formatFieldPath(issue.path), value: valueAtPath(input, issue.path), rule: rules === undefined ? ruleOf(issue) : issue.message });
};
