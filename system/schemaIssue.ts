import type { z } from 'zod';
import { formatFieldPath, valueAtPath } from '../src/shared/fieldPath';

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

/** A path as `a.b[2].c`; `(root)` for the empty path (the project's one notation, src/shared/fieldPath). */
export const formatPath = formatFieldPath;

/** The value at `path` in `input`, or `undefined` where there is none (own properties only: `constructor` is no entry). */
export const valueAt = valueAtPath;

/** One refusal of a validation, in words: where, what was found there, and the rule. */
export interface SchemaIssue {
  /** Where, as keys from the root. */
  readonly path: readonly PathKey[];
  /** The value found there in the input (`undefined` when missing). */
  readonly value: unknown;
  /** The rule it breaks, in words. */
  readonly rule: string;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  int: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  record: 'an object',
};

type Def = Record<string, unknown>;
const defOf = (schema: unknown): Def | undefined => (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;

/**
 * The keys `root` allows at `path` of `input`, following a discriminated union
 * by the input's discriminator (then named, e.g. `state "done"`: the keys
 * depend on it).
 */
const knownKeysAt = (root: z.ZodType, input: unknown, path: readonly PathKey[]): { keys: readonly string[]; by?: string } | undefined => {
  let schema: unknown = root;
  let by: string | undefined;
  for (let i = 0; i <= path.length; i++) {
    // Unwrap wrappers (optional, default, the output side of a pipe); pick the union member the input's discriminator names.
    for (;;) {
      const def = defOf(schema);
      if (def === undefined) return undefined;
      if (def['type'] === 'optional' || def['type'] === 'default') schema = def['innerType'];
      else if (def['type'] === 'pipe') schema = def['out'];
      else if (def['type'] === 'union' && typeof def['discriminator'] === 'string') {
        const key = def['discriminator'];
        const wanted = valueAt(input, [...path.slice(0, i), key]);
        by = `${key} ${JSON.stringify(wanted)}`;
        schema = (def['options'] as unknown[]).find((o) => {
          const shape = (o as { shape?: Record<string, unknown> }).shape;
          const values = defOf(shape?.[key])?.['values'];
          return Array.isArray(values) && values.includes(wanted);
        });
      } else break;
    }
    if (i === path.length) break;
    const def = defOf(schema)!;
    const key = path[i]!;
    by = undefined;
    if (def['type'] === 'object') {
      const shape = def['shape'] as Record<PropertyKey, unknown>;
      schema = Object.hasOwn(shape, key) ? shape[key] : undefined;
    } else if (def['type'] === 'array') schema = def['element'];
    else if (def['type'] === 'record') schema = def['valueType'];
    else return undefined;
  }
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape === undefined ? undefined : { keys: Object.keys(shape), ...(by === undefined ? {} : { by }) };
};

const quoteAll = (values: readonly unknown[]): string => values.map((v) => JSON.stringify(v)).join(', ');

/** The rule an issue reports, in words. */
const ruleOf = (issue: Issue, value: unknown): string => {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      return value === undefined ? `is required (${expected})` : `must be ${expected}`;
    }
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${quoteAll(issue.values)}` : `must be one of: ${quoteAll(issue.values)}`;
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      if (options !== undefined) return value === undefined ? `is required: one of ${quoteAll(options)}` : `must be one of: ${quoteAll(options)}`;
      return value === undefined ? `is required: ${issue.message}` : issue.message;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'array') return `must have at least ${min} item${min === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return min === 1 ? 'must not be empty' : `must have at least ${min} characters`;
      return issue.inclusive === false ? `must be more than ${min}` : `must be at least ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'array') return `must have at most ${max} item${max === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return `must have at most ${max} characters`;
      return issue.inclusive === false ? `must be less than ${max}` : `must be at most ${max}`;
    }
    case 'invalid_key':
      return `is not a valid key: ${issue.issues[0]?.message ?? issue.message}`;
    default:
      return value === undefined ? `is required: ${issue.message}` : issue.message;
  }
};

/**
 * The first issue of a failed validation in words: the path, the value found
 * there in the input, and the rule. An unknown key is reported at its own path
 * (`guests[0].colour`), listing the keys that object allows; a refused record
 * key at its own path too, with the key as the value.
 * @param error - the validation's error
 * @param input - what was validated
 * @param root - the schema it was validated with (to list the keys an object allows)
 * @returns the issue's parts
 */
export const schemaIssue = (error: z.ZodError, input: unknown, root: z.ZodType): SchemaIssue => {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const path = [...issue.path, issue.keys[0]!];
    const known = knownKeysAt(root, input, issue.path);
    const here = known === undefined ? '' : `; known keys here${known.by === undefined ? '' : ` (with ${known.by})`}: ${known.keys.join(', ')}`;
    return { path, value: valueAt(input, path), rule: `unknown key${here}` };
  }
  if (issue.code === 'invalid_key') return { path: issue.path, value: issue.path[issue.path.length - 1], rule: ruleOf(issue, undefined) };
  const value = valueAt(input, issue.path);
  return { path: issue.path, value, rule: ruleOf(issue, value) };
};
