/**
 * Names a plain object answers without holding them: `__proto__` (writing it
 * replaces the object's prototype, so the entry vanishes), `constructor`,
 * `toString`, `hasOwnProperty` and the rest of `Object.prototype`, and
 * `prototype`. A record indexed by such a name would silently lose or misread
 * the entry, so the system refuses them as device, guest, clock and
 * controller names.
 */
const RESERVED: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** The rule a reserved name breaks, in words. */
export const RESERVED_NAME_RULE =
  'must not be a name plain objects reserve (__proto__, constructor, prototype, toString, hasOwnProperty, valueOf, ...): a record indexed by it would lose or misread the entry';

/**
 * Whether `name` is one of the names plain objects reserve (see the module doc).
 * @param name - a device, guest, clock or controller name
 * @returns `true` for `__proto__`, `constructor`, `prototype`, `toString`, …
 */
export const isReservedName = (name: string): boolean => RESERVED.has(name);
