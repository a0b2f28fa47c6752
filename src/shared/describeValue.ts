import { escapeInvisible } from './escapeInvisible';

/**
 * How many characters of a value {@link describeValue} shows at most; past
 * it, the rendering is cut with `…` and followed by the value's size.
 */
export const DESCRIBE_VALUE_MAX_LENGTH = 160;

/** Thrown inside the renderer when the budget is spent; never escapes. */
const FULL: unique symbol = Symbol('full');

/** The value's size, for a cut rendering `text` of it: `1000000 items`, `12 keys`, … */
const sizeOf = (value: unknown, text: string): string => {
  if (Array.isArray(value)) return count(value.length, 'item');
  if (value instanceof Map || value instanceof Set) return count(value.size, 'entry', 'entries');
  if (value instanceof Error) return `a message of ${count(value.message.length, 'char')}`;
  if (typeof value === 'object' && value !== null) return count(Object.keys(value).length, 'key');
  return count(text.length, 'char');
};

const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The first `room` characters of `text`, not splitting a surrogate pair. */
const head = (text: string, room: number): string => {
  const cut = text.slice(0, room);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
};

/** `text` quoted, with every character that would not show as itself escaped (a no-break space as `\u00a0`). */
const quoted = (text: string): string => escapeInvisible(JSON.stringify(text));

/** A quoted string of at most `room` characters, counting the quotes (the end is cut when it is longer). */
const quote = (text: string, room: number): string => {
  const whole = quoted(head(text, room));
  if (whole.length <= room) return whole;
  // Escapes make the quoted form longer than the text: shorten until it fits.
  let keep = Math.min(text.length, room);
  while (keep > 0 && quoted(head(text, keep)).length > room) keep--;
  return quoted(head(text, keep));
};

/** `[object Object]` and the like; `[unreadable]` for a value even that throws on (a revoked proxy). */
const tagOf = (value: unknown): string => {
  try {
    return Object.prototype.toString.call(value);
  } catch {
    return '[unreadable]';
  }
};

const isPlain = (value: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

const className = (value: object): string => {
  const ctor = (value as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : 'Object';
};

/**
 * Writes `value` as JSON-like text, stopping once more than `max` characters
 * are written (`cut`), so a huge value costs no more than a small one.
 */
const render = (value: unknown, max: number): { readonly text: string; readonly cut: boolean } => {
  let out = '';
  const put = (text: string): void => {
    out += text;
    if (out.length > max) throw FULL;
  };
  const ancestors: object[] = [];
  const write = (v: unknown): void => {
    switch (typeof v) {
      case 'string':
        // Only as much of a long string as could still be shown.
        put(quoted(head(v, max - out.length + 1)));
        return;
      case 'number':
        put(Object.is(v, -0) ? '-0' : String(v));
        return;
      case 'bigint':
        put(`${v}n`);
        return;
      case 'boolean':
      case 'symbol':
      case 'undefined':
        put(String(v));
        return;
      case 'function':
        put(`function ${v.name === '' ? '(anonymous)' : v.name}`);
        return;
      default:
        break;
    }
    if (v === null) return put('null');
    const o = v as object;
    if (ancestors.includes(o)) return put('[Circular]');
    if (o instanceof Error) return put(`${o.name}(${JSON.stringify(head(o.message, max))})`);
    if (o instanceof Date) return put(`Date(${Number.isNaN(o.getTime()) ? 'Invalid' : o.toISOString()})`);
    ancestors.push(o);
    if (Array.isArray(o)) {
      put('[');
      for (let i = 0; i < o.length; i++) {
        if (i > 0) put(',');
        // As JSON.stringify: members it cannot show are null in an array.
        const item: unknown = o[i];
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') put('null');
        else write(item);
      }
      put(']');
    } else if (o instanceof Map || o instanceof Set) {
      put(`${className(o)}(${o.size}) [`);
      let first = true;
      for (const entry of o instanceof Map ? o.entries() : o.values()) {
        if (!first) put(',');
        first = false;
        write(entry);
      }
      put(']');
    } else {
      if (!isPlain(o)) put(`${className(o)} `);
      put('{');
      let first = true;
      for (const key of Object.keys(o)) {
        const item: unknown = (o as Record<string, unknown>)[key];
        // As JSON.stringify: members it cannot show are left out of an object.
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
        if (!first) put(',');
        first = false;
        put(`${quoted(head(key, max))}:`);
        write(item);
      }
      put('}');
    }
    ancestors.pop();
  };
  try {
    write(value);
  } catch (error) {
    if (error !== FULL) throw error;
    return { text: out, cut: true };
  }
  return { text: out, cut: false };
};

/**
 * The one rendering of a value in the project's messages (errors name the
 * value that broke a rule): short, readable and safe on any input.
 *
 * - strings are quoted (`"abc"`), bigints end in `n` (`5n`), numbers keep
 *   `-0`, `NaN` and `Infinity`, symbols read `Symbol(desc)`, functions
 *   `function name`;
 * - arrays and objects are shown as `JSON.stringify` would (members it
 *   cannot show are left out of objects and are `null` in arrays), except
 *   that bigints and non-finite numbers are written as above, an object
 *   that is not a plain one is prefixed with its class name
 *   (`Subject {"closed":false,…}`), a cycle reads `[Circular]`, an `Error`
 *   reads `RangeError("message")`, a `Date` `Date(2024-…Z)`, a `Map` or `Set`
 *   `Map(2) [["a",1],["b",2]]`;
 * - every rendering longer than {@link DESCRIBE_VALUE_MAX_LENGTH} characters
 *   is cut there with `…` and followed by the value's size, so a huge value
 *   makes a short message and costs no more time than a small one.
 *
 * It never throws: a value whose properties cannot be read (a throwing
 * getter) is shown by its tag, e.g. `[object Object]`, and one that cannot
 * even be tagged (a revoked proxy) as `[unreadable]`.
 *
 * ## Example
 * ```ts
 * describeValue('abc');                 // '"abc"'
 * describeValue(5n);                    // '5n'
 * describeValue({ kind: 'read', size: 3 }); // '{"kind":"read","size":3}'
 * describeValue('a'.repeat(5_242_880)); // '"aaaa…aaaa…" (5242880 chars)': 160 characters, then the size
 * ```
 *
 * @param value - anything
 * @returns its rendering, at most {@link DESCRIBE_VALUE_MAX_LENGTH} characters plus `…` and the size
 * @see ArgumentError
 */
export const describeValue = (value: unknown): string => {
  const max = DESCRIBE_VALUE_MAX_LENGTH;
  try {
    if (typeof value === 'string') {
      if (value.length <= max) {
        const whole = quoted(value);
        if (whole.length <= max) return whole;
      }
      return `${quote(value, max - 1).slice(0, -1)}…" (${count(value.length, 'char')})`;
    }
    const { text, cut } = render(value, max);
    if (!cut) return text;
    const shown = head(text, max);
    if (typeof value === 'bigint') return `${shown}…n (${text.length - (value < 0n ? 2 : 1)} digits)`;
    return `${shown}… (${sizeOf(value, text)})`;
  } catch {
    return tagOf(value);
  }
};
