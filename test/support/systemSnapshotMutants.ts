// Mutations of a real system snapshot, for the restore fuzz (test/system/systemSnapshot.fuzz.spec.ts):
// each changes one part (or swaps two) and says which paths it touched, so a refusal can be checked
// to name the part that was changed.
import fc from 'fast-check';
import { formatPath } from '../../system';

type Key = string | number;
type Json = unknown;

/** A mutation, as data (fast-check prints it on failure): what to do, where (`pick` chooses among candidates), and with what. */
export type Mutation =
  | { readonly op: 'number'; readonly scope: Scope; readonly pick: number; readonly to: NumberChange }
  | { readonly op: 'string'; readonly scope: Scope; readonly pick: number; readonly to: StringChange }
  | { readonly op: 'boolean'; readonly pick: number }
  | { readonly op: 'remove'; readonly scope: Scope; readonly pick: number }
  | { readonly op: 'add'; readonly scope: Scope; readonly pick: number; readonly key: string; readonly value: Json }
  | { readonly op: 'type'; readonly scope: Scope; readonly pick: number; readonly value: Json }
  | { readonly op: 'swap-names'; readonly record: 'devices' | 'guests'; readonly a: number; readonly b: number; readonly rename: boolean }
  | { readonly op: 'pending'; readonly how: 'swap' | 'duplicate' | 'drop' | 'move'; readonly i: number; readonly j: number }
  | { readonly op: 'wake'; readonly pick: number; readonly field: 'time' | 'after' | 'rank'; readonly delta: number }
  | { readonly op: 'wake-add' | 'wake-drop'; readonly pick: number; readonly event: number }
  | { readonly op: 'state'; readonly pick: number; readonly to: 'done' | 'not-started' | 'waiting'; readonly keep: boolean };

/** Where a leaf mutation looks: inside the devices' own snapshots, or the system's parts (time, guests, pending). */
type Scope = 'device' | 'system';
type NumberChange = { readonly kind: 'set'; readonly value: number } | { readonly kind: 'shift'; readonly by: number };
type StringChange = { readonly kind: 'set'; readonly value: string } | { readonly kind: 'name'; readonly index: number } | { readonly kind: 'append' };

/** A mutant: the changed snapshot and the paths the change touched (as `a.b[2].c`). */
export interface Mutant {
  readonly snapshot: Record<string, Json>;
  readonly touched: readonly string[];
}

const NUMBERS = [0, -0, 1, -1, 0.5, -0.5, 2 ** 31, 2 ** 32, 2 ** 53, -(2 ** 53), 1e300, -1e300, Number.NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER];
const STRINGS = ['', 'x', '__proto__', 'constructor', 'toString', '0', '-1', '1e3', '0x10', ' 5', '12.5', 'NaN', 'waiting', 'guest', 'expiry', 'periodic'];
const WRONG = [null, [], {}, 'str', 1, true, [1, 2], { device: 'x', version: 1 }];
const EXTRA_KEYS = ['extra', '__proto__', 'constructor', 'device', 'version', 'wake', 'position', 'time', 'state'];

/** The arbitrary of mutations; candidates are picked by index modulo their number. */
export const mutationArb: fc.Arbitrary<Mutation> = (() => {
  const scope = fc.constantFrom<Scope>('device', 'system', 'system');
  const pick = fc.nat();
  const numberChange: fc.Arbitrary<NumberChange> = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), value: fc.constantFrom(...NUMBERS) }),
    fc.record({ kind: fc.constant('set' as const), value: fc.oneof(fc.integer(), fc.double()) }),
    fc.record({ kind: fc.constant('shift' as const), by: fc.constantFrom(1, -1, 2, -2, 0.5, 1000, -1000, 2 ** 32) }),
  );
  const stringChange: fc.Arbitrary<StringChange> = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), value: fc.oneof(fc.constantFrom(...STRINGS), fc.string({ maxLength: 6 })) }),
    fc.record({ kind: fc.constant('name' as const), index: fc.nat() }),
    fc.record({ kind: fc.constant('append' as const) }),
  );
  const value = fc.oneof(fc.constantFrom(...WRONG), fc.constantFrom(...NUMBERS), fc.constantFrom(...STRINGS));
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ op: fc.constant('number' as const), scope, pick, to: numberChange }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('string' as const), scope, pick, to: stringChange }) },
    // The only booleans are inside device snapshots.
    { weight: 1, arbitrary: fc.record({ op: fc.constant('boolean' as const), pick }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('remove' as const), scope, pick }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('add' as const), scope, pick, key: fc.constantFrom(...EXTRA_KEYS), value }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('type' as const), scope, pick, value: fc.constantFrom(...WRONG) }) },
    {
      weight: 2,
      arbitrary: fc.record({ op: fc.constant('swap-names' as const), record: fc.constantFrom('devices' as const, 'guests' as const), a: fc.nat(), b: fc.nat(), rename: fc.boolean() }),
    },
    {
      weight: 3,
      arbitrary: fc.record({ op: fc.constant('pending' as const), how: fc.constantFrom('swap' as const, 'duplicate' as const, 'drop' as const, 'move' as const), i: fc.nat(), j: fc.nat() }),
    },
    {
      weight: 3,
      arbitrary: fc.record({ op: fc.constant('wake' as const), pick, field: fc.constantFrom('time' as const, 'after' as const, 'rank' as const), delta: fc.constantFrom(1, -1, 2, -1000, 1000) }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('wake-add' as const, 'wake-drop' as const), pick, event: fc.nat() }) },
    {
      weight: 2,
      arbitrary: fc.record({ op: fc.constant('state' as const), pick, to: fc.constantFrom('done' as const, 'not-started' as const, 'waiting' as const), keep: fc.boolean() }),
    },
  );
})();

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every node's path under `root` (not the root itself), depth first. */
const nodes = (root: Json, base: readonly Key[] = []): Key[][] => {
  const out: Key[][] = [];
  const walk = (v: Json, path: Key[]): void => {
    if (Array.isArray(v)) v.forEach((item, i) => (out.push([...path, i]), walk(item, [...path, i])));
    else if (isObject(v)) for (const k of Object.keys(v)) (out.push([...path, k]), walk(v[k], [...path, k]));
  };
  walk(root, [...base]);
  return out;
};

const get = (root: Json, path: readonly Key[]): Json => path.reduce<Json>((v, k) => (v as Record<Key, Json>)[k], root);

/** Sets an own property, even `__proto__` (as JSON.parse would make it). */
const put = (o: Record<Key, Json>, key: Key, value: Json): void => {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
};

const set = (root: Json, path: readonly Key[], value: Json): void => put(get(root, path.slice(0, -1)) as Record<Key, Json>, path[path.length - 1]!, value);

const remove = (root: Json, path: readonly Key[]): void => {
  const parent = get(root, path.slice(0, -1));
  const key = path[path.length - 1]!;
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete (parent as Record<Key, Json>)[key];
};

/** A record with its entries in a new order (keys and values as given). */
const rebuilt = (entries: readonly [string, Json][]): Record<string, Json> => {
  const o: Record<string, Json> = {};
  for (const [k, v] of entries) put(o, k, v);
  return o;
};

/**
 * Applies `m` to a copy of `original`. Returns `undefined` when the mutation
 * has nothing to act on in this snapshot (e.g. no boolean, no guest with a wake).
 */
export const applyMutation = (original: Json, m: Mutation): Mutant | undefined => {
  const s = structuredClone(original) as Record<string, Json>;
  const inScope = (scope: Scope): Key[][] => (scope === 'device' ? nodes(s['devices'], ['devices']).filter((p) => p.length > 2) : nodes(s).filter((p) => p[0] !== 'devices' || p.length <= 2));
  const chosen = <T>(list: readonly T[], pick: number): T | undefined => (list.length === 0 ? undefined : list[pick % list.length]);
  const names = [...Object.keys(s['devices'] as object), ...Object.keys(s['guests'] as object)];
  const done = (paths: readonly Key[][]): Mutant => ({ snapshot: s, touched: paths.map(formatPath) });
  const guestNames = Object.keys(s['guests'] as object);
  const guest = (name: string): Record<string, Json> => (s['guests'] as Record<string, Record<string, Json>>)[name]!;
  const pending = s['pending'] as Json[];

  switch (m.op) {
    case 'number': {
      const path = chosen(inScope(m.scope).filter((p) => typeof get(s, p) === 'number'), m.pick);
      if (path === undefined) return undefined;
      const old = get(s, path) as number;
      set(s, path, m.to.kind === 'set' ? m.to.value : old + m.to.by);
      return done([path]);
    }
    case 'string': {
      const path = chosen(inScope(m.scope).filter((p) => typeof get(s, p) === 'string'), m.pick);
      if (path === undefined) return undefined;
      const old = get(s, path) as string;
      set(s, path, m.to.kind === 'set' ? m.to.value : m.to.kind === 'name' ? names[m.to.index % names.length]! : `${old}x`);
      return done([path]);
    }
    case 'boolean': {
      const path = chosen(inScope('device').filter((p) => typeof get(s, p) === 'boolean'), m.pick);
      if (path === undefined) return undefined;
      set(s, path, !(get(s, path) as boolean));
      return done([path]);
    }
    case 'remove': {
      const path = chosen(inScope(m.scope), m.pick);
      if (path === undefined) return undefined;
      remove(s, path);
      return done([path]);
    }
    case 'add': {
      const parents = [[], ...inScope(m.scope)].filter((p) => isObject(get(s, p)) && !Object.hasOwn(get(s, p) as object, m.key));
      const path = chosen(parents, m.pick);
      if (path === undefined) return undefined;
      put(get(s, path) as Record<Key, Json>, m.key, structuredClone(m.value));
      return done([[...path, m.key]]);
    }
    case 'type': {
      const path = chosen(inScope(m.scope), m.pick);
      if (path === undefined) return undefined;
      set(s, path, structuredClone(m.value));
      return done([path]);
    }
    case 'swap-names': {
      const record = s[m.record] as Record<string, Json>;
      const entries = Object.entries(record);
      const a = m.a % entries.length;
      const b = m.b % entries.length;
      if (a === b && !m.rename) return undefined;
      if (m.rename) {
        // Give entry `a` another name: one of the other record's, or its own with a suffix.
        const to = a === b ? `${entries[a]![0]}2` : names.find((n) => !Object.hasOwn(record, n)) ?? `${entries[a]![0]}2`;
        const old = entries[a]![0];
        entries[a] = [to, entries[a]![1]];
        s[m.record] = rebuilt(entries);
        return done([[m.record, old], [m.record, to]]);
      }
      const [ka, va] = entries[a]!;
      const [kb, vb] = entries[b]!;
      entries[a] = [ka, vb];
      entries[b] = [kb, va];
      s[m.record] = rebuilt(entries);
      return done([[m.record, ka], [m.record, kb]]);
    }
    case 'pending': {
      if (pending.length === 0) return undefined;
      const i = m.i % pending.length;
      const j = m.j % pending.length;
      if (m.how === 'drop') {
        pending.splice(i, 1);
        return done([['pending', i]]);
      }
      if (m.how === 'duplicate') {
        pending.splice(j, 0, structuredClone(pending[i]));
        return done([['pending', i], ['pending', j]]);
      }
      if (i === j) return undefined;
      if (m.how === 'swap') [pending[i], pending[j]] = [pending[j], pending[i]];
      else pending.splice(j, 0, ...pending.splice(i, 1));
      return done([['pending', i], ['pending', j]]);
    }
    case 'wake': {
      const name = chosen(guestNames.filter((g) => isObject(guest(g)['wake'])), m.pick);
      if (name === undefined) return undefined;
      const wake = guest(name)['wake'] as Record<string, number>;
      wake[m.field] = wake[m.field]! + m.delta;
      return done([['guests', name, 'wake', m.field]]);
    }
    case 'wake-add': {
      const name = chosen(guestNames.filter((g) => guest(g)['state'] === 'waiting' && guest(g)['wake'] === undefined), m.pick);
      if (name === undefined || pending.length === 0) return undefined;
      const rank = m.event % pending.length;
      guest(name)['wake'] = { time: (pending[rank] as { time: number }).time, after: 0, rank };
      return done([['guests', name, 'wake']]);
    }
    case 'wake-drop': {
      const name = chosen(guestNames.filter((g) => isObject(guest(g)['wake'])), m.pick);
      if (name === undefined) return undefined;
      delete guest(name)['wake'];
      return done([['guests', name, 'wake']]);
    }
    case 'state': {
      const name = chosen(guestNames, m.pick);
      if (name === undefined) return undefined;
      const g = guest(name);
      if (g['state'] === m.to) return undefined;
      g['state'] = m.to;
      if (m.keep) return done([['guests', name, 'state']]);
      delete g['wake'];
      if (m.to !== 'waiting') {
        delete g['position'];
        return done([['guests', name, 'state']]);
      }
      g['position'] = { next: 0 };
      return done([['guests', name, 'state'], ['guests', name, 'position']]);
    }
  }
};
