/**
 * What one catalogue device instance is made of: a heap-snapshot diff of `n`
 * instances of each given type, grouped by what each gained node is
 * (constructor, closure name, string kind, hidden array) and by the property
 * that holds it (its first retainer's class and edge), per instance. A tool
 * for issue 19's device-size item, not a benchmark. Run bundled:
 *
 *   npx esbuild bench/deviceParts.ts --bundle --platform=node --format=esm --target=node20 --outfile=/tmp/parts.mjs
 *   node --expose-gc /tmp/parts.mjs <n> <type,type,...> [rows]
 */
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { ClockInput } from '../src/clock/ClockInput';
import { VirtualClock } from '../src/clock/VirtualClock';
import { DEVICE_TYPES } from '../system/catalogue/catalogue';

const gc = globalThis.gc;
if (typeof gc !== 'function') throw new Error('bench/deviceParts.ts needs node --expose-gc');
const settle = (): void => {
  for (let i = 0; i < 6; i++) gc();
};

interface Snapshot {
  readonly nf: number;
  readonly ef: number;
  readonly nodes: number[];
  readonly edges: number[];
  readonly strings: string[];
  readonly nodeTypes: string[];
  readonly edgeTypes: string[];
  readonly fields: string[];
  readonly efields: string[];
  /** (node offset, script id, line, column) per closure. */
  readonly locations: number[];
}

const load = (file: string): Snapshot => {
  const s = JSON.parse(readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
    nodes: number[];
    edges: number[];
    strings: string[];
    locations?: number[];
  };
  const m = s.snapshot.meta;
  return {
    nf: m.node_fields.length,
    ef: m.edge_fields.length,
    nodes: s.nodes,
    edges: s.edges,
    strings: s.strings,
    nodeTypes: m.node_types[0],
    edgeTypes: m.edge_types[0],
    fields: m.node_fields,
    efields: m.edge_fields,
    locations: s.locations ?? [],
  };
};

interface Row {
  count: number;
  size: number;
}

const parts = (before: Snapshot, after: Snapshot, n: number, rows: number): void => {
  const iId = before.fields.indexOf('id');
  const seen = new Set<number>();
  for (let i = 0; i < before.nodes.length; i += before.nf) seen.add(before.nodes[i + iId]!);
  const { nf, ef, nodes, edges, strings, nodeTypes, edgeTypes } = after;
  const iType = after.fields.indexOf('type');
  const iName = after.fields.indexOf('name');
  const iSize = after.fields.indexOf('self_size');
  const iEdges = after.fields.indexOf('edge_count');
  const eType = after.efields.indexOf('type');
  const eName = after.efields.indexOf('name_or_index');
  const eTo = after.efields.indexOf('to_node');
  const count = nodes.length / nf;
  // First retainer of each node (by a non-weak edge), as (retainer node index, edge index).
  const retainer = new Int32Array(count).fill(-1);
  const retEdge = new Int32Array(count).fill(-1);
  let e = 0;
  for (let ni = 0; ni < count; ni++) {
    const ec = nodes[ni * nf + iEdges]!;
    for (let k = 0; k < ec; k++, e += ef) {
      const et = edgeTypes[edges[e + eType]!]!;
      if (et === 'weak' || et === 'shortcut') continue;
      const to = edges[e + eTo]! / nf;
      if (retainer[to] === -1 || (!seen.has(nodes[ni * nf + iId]!) && seen.has(nodes[retainer[to]! * nf + iId]!))) {
        retainer[to] = ni;
        retEdge[to] = e;
      }
    }
  }
  const where = new Map<number, string>();
  for (let i = 0; i < after.locations.length; i += 4) where.set(after.locations[i]! / nf, `@${after.locations[i + 2]! + 1}:${after.locations[i + 3]! + 1}`);
  const what = (ni: number): string => {
    const type = nodeTypes[nodes[ni * nf + iType]!]!;
    const name = strings[nodes[ni * nf + iName]!]!;
    if (type === 'closure') return `closure ${name.slice(0, 40)}${where.get(ni) ?? ''}`;
    if (type === 'object' || type === 'native') return `${type} ${name.slice(0, 40)}`;
    if (type === 'hidden' || type === 'array' || type === 'object shape') return `${type} ${name.slice(0, 40)}`;
    return `(${type})`;
  };
  const edgeName = (ei: number): string => {
    const et = edgeTypes[edges[ei + eType]!]!;
    const v = edges[ei + eName]!;
    return et === 'element' || et === 'hidden' ? `[${et}]` : strings[v]!;
  };
  const byWhat = new Map<string, Row>();
  const byHolder = new Map<string, Row>();
  let total = 0;
  for (let ni = 0; ni < count; ni++) {
    if (seen.has(nodes[ni * nf + iId]!)) continue;
    const size = nodes[ni * nf + iSize]!;
    total += size;
    const w = what(ni);
    let r = retainer[ni]!;
    let path = r < 0 ? '?' : edgeName(retEdge[ni]!);
    for (let hops = 0; r >= 0 && hops < 4 && /^(object Array|array |object system \/ Context|object Object)/.test(what(r)); hops++) {
      const up = retainer[r]!;
      if (up < 0) break;
      path = `${edgeName(retEdge[r]!)}${path.startsWith('[') ? '' : '.'}${path}`;
      r = up;
    }
    const holder = r < 0 ? `${w} <- ?` : `${w} <- ${what(r).replace(/^object /, '')}.${path}`;
    for (const [map, key] of [
      [byWhat, w],
      [byHolder, holder],
    ] as const) {
      const row = map.get(key) ?? { count: 0, size: 0 };
      row.count++;
      row.size += size;
      map.set(key, row);
    }
  }
  const print = (title: string, map: Map<string, Row>): void => {
    console.log(`  ${title}`);
    const sorted = [...map.entries()].sort((a, b) => b[1].size - a[1].size).slice(0, rows);
    for (const [k, r] of sorted) console.log(`    ${(r.size / n).toFixed(0).padStart(6)} B ${(r.count / n).toFixed(2).padStart(6)}x  ${k}`);
  };
  console.log(`  total ${(total / n).toFixed(0)} B per instance (self sizes of gained nodes)`);
  print('by what', byWhat);
  print('by what <- holder.edge', byHolder);
};

const [nText, typesText, rowsText] = process.argv.slice(2);
const n = Number(nText ?? 200);
const rows = Number(rowsText ?? 30);
const dir = mkdtempSync(path.join(os.tmpdir(), 'ptimer-parts-'));
try {
  for (const t of (typesText ?? '').split(',')) {
    const type = DEVICE_TYPES.find((d) => d.type === t);
    if (type === undefined) throw new Error(`deviceParts: unknown type '${t}'`);
    const clock = new VirtualClock();
    const clocks = Object.fromEntries(type.clocks.map((c) => [c.name, new ClockInput(c.name, c.hz)]));
    const make = (i: number): unknown => type.create(clock, { name: `${type.type}${i}`, clocks, delivery: 'sync' });
    const warm = make(0);
    const devices: unknown[] = new Array<unknown>(n).fill(null);
    settle();
    const s0 = v8.writeHeapSnapshot(path.join(dir, '0.heapsnapshot'));
    for (let i = 0; i < n; i++) devices[i] = make(i + 1);
    settle();
    const s1 = v8.writeHeapSnapshot(path.join(dir, '1.heapsnapshot'));
    console.log(`${t} (${type.channels.length} channels), ${n} instances`);
    parts(load(s0), load(s1), n, rows);
    rmSync(s0);
    rmSync(s1);
    if (warm === null || devices.length !== n) throw new Error('unreachable');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
