/**
 * A path into a JSON value as `a.b[2].c`; `(root)` for the empty path.
 * The one notation every schema error of the project names a field with.
 * @param path - object keys and array indices, outermost first
 */
export const formatFieldPath = (path: readonly PropertyKey[]): string => {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(root)' : text;
};

/** The value at `path` in `input`, or `undefined` where there is none. */
export const valueAtPath = (input: unknown, path: readonly PropertyKey[]): unknown => {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
};
