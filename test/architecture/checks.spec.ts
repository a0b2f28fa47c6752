import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  againstAllowlist,
  coreViolations,
  importCycles,
  importEdges,
  internalUses,
  layerViolations,
  walkSourceFiles,
  type ImportEdge,
  type SourceTree,
} from './checks';

/**
 * A small tree with one of each planted violation, and as many uses that are
 * allowed, so each checker is seen to report exactly what breaks a rule.
 */
const FIXTURE: Readonly<Record<string, string>> = {
  'index.ts': "export * from './src/clock/Clock';\nexport * from './cli/main';\n",
  'src/shared/leaf.ts': 'export const leaf = 1;\n',
  // planted: the leaf imports the rest of src
  'src/shared/climbs.ts': "import { Clock } from '../clock/Clock';\nexport const climbs = Clock;\n",
  'src/clock/Clock.ts': [
    "import { leaf } from '../shared/leaf';",
    'export class Clock {',
    '  /** @internal */',
    '  poke(): number {',
    '    return leaf;',
    '  }',
    '  /** Public. */',
    '  tick(): void {}',
    '}',
    '/** @internal */',
    'export const secret = 1;',
    '/** Public. */',
    'export const open = 2;',
    '',
  ].join('\n'),
  // allowed: an @internal used inside the folder that defines it
  'src/clock/user.ts': "import { Clock, secret } from './Clock';\nexport const used = new Clock().poke() + secret;\n",
  // planted: ptimer knows a trace type; and uses clock's @internal member
  'src/ptimer/Timer.ts': [
    "import { Clock } from '../clock/Clock';",
    "import type { TraceEvent } from '../trace/TraceEvent';",
    'export const fire = (clock: Clock, e: TraceEvent): number => clock.poke() + e.time;',
    '',
  ].join('\n'),
  'src/trace/TraceEvent.ts': 'export interface TraceEvent {\n  readonly time: number;\n}\n',
  // planted: an operator imports an @internal export, and a layer above it
  'operators/op.ts': "import { secret, open } from '../src/clock/Clock';\nimport { s } from '../system/a';\nexport const op = secret + open + s;\n",
  // planted: a cycle of two files; and an @internal member reached through destructuring
  'system/a.ts': "import { b } from './b';\nexport const s = 1;\nexport const a = (): number => b();\n",
  'system/b.ts': [
    "import { a } from './a';",
    "import { Clock } from '../src/clock/Clock';",
    'export const b = (): number => a();',
    'export const reach = (c: Clock): number => {',
    '  const { poke } = c;',
    '  return poke.call(c);',
    '};',
    '',
  ].join('\n'),
  // planted: testing may import operators and src only
  'testing/helper.ts': "import { op } from '../operators/op';\nimport { s } from '../system/a';\nexport const helper = op + s;\n",
  // allowed: cli imports every lower layer
  'cli/main.ts': "import { op } from '../operators/op';\nimport { Clock } from '../src/clock/Clock';\nexport const main = (): number => op + new Clock().poke();\n",
  // not a source file: tests may use anything
  'test/clock.spec.ts': "import { Clock } from '../src/clock/Clock';\nnew Clock().poke();\n",
};

let root = '';
let tree: SourceTree;
let edges: ImportEdge[];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ptimer-rx-architecture-'));
  for (const [path, text] of Object.entries(FIXTURE)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  tree = { root, files: walkSourceFiles(root) };
  edges = importEdges(tree);
});

afterAll(() => {
  if (root !== '') rmSync(root, { recursive: true, force: true });
});

describe('architecture checkers, on a planted tree', () => {
  it('reads the source folders and the root index, not the tests', () => {
    expect(tree.files).toContain('index.ts');
    expect(tree.files).toContain('src/clock/Clock.ts');
    expect(tree.files).not.toContain('test/clock.spec.ts');
  });

  it('finds the import cycle and names its files, with a loop through them', () => {
    expect(importCycles(edges)).toEqual([{ files: ['system/a.ts', 'system/b.ts'], loop: ['system/a.ts', 'system/b.ts', 'system/a.ts'] }]);
  });

  it('finds a file that imports itself, and a longer loop', () => {
    const loop: ImportEdge[] = [
      { from: 'x.ts', to: 'x.ts' },
      { from: 'a.ts', to: 'b.ts' },
      { from: 'b.ts', to: 'c.ts' },
      { from: 'c.ts', to: 'a.ts' },
      { from: 'c.ts', to: 'd.ts' },
    ];
    expect(importCycles(loop)).toEqual([
      { files: ['a.ts', 'b.ts', 'c.ts'], loop: ['a.ts', 'b.ts', 'c.ts', 'a.ts'] },
      { files: ['x.ts'], loop: ['x.ts', 'x.ts'] },
    ]);
  });

  it('finds each import into a higher layer, and the leaf importing the rest of src', () => {
    expect(layerViolations(edges)).toEqual([
      { from: 'operators/op.ts', to: 'system/a.ts' },
      { from: 'src/shared/climbs.ts', to: 'src/clock/Clock.ts' },
      { from: 'testing/helper.ts', to: 'system/a.ts' },
    ]);
  });

  it('finds clock or ptimer importing bus, irq or trace', () => {
    expect(coreViolations(edges)).toEqual([{ from: 'src/ptimer/Timer.ts', to: 'src/trace/TraceEvent.ts' }]);
  });

  it('finds every use of an @internal declaration of src outside its folder: members, imports, destructuring', () => {
    expect(internalUses(tree).map((u) => `${u.file}: ${u.name} (${u.declaredIn})`)).toEqual([
      'cli/main.ts: Clock.poke (src/clock/Clock.ts)',
      'operators/op.ts: secret (src/clock/Clock.ts)',
      'src/ptimer/Timer.ts: Clock.poke (src/clock/Clock.ts)',
      'system/b.ts: Clock.poke (src/clock/Clock.ts)',
    ]);
  });
});

describe('againstAllowlist: the list of known violations can only shrink', () => {
  const key = (e: { readonly file: string; readonly name: string }): string => `${e.file}: ${e.name}`;

  it('a violation not on the list is unexpected', () => {
    const result = againstAllowlist([{ file: 'a.ts', name: 'x' }, { file: 'b.ts', name: 'y' }], [{ file: 'a.ts', name: 'x' }], key);
    expect(result).toEqual({ unexpected: ['b.ts: y'], stale: [] });
  });

  it('an entry that no longer occurs is stale (so the test fails until it is removed)', () => {
    const result = againstAllowlist([{ file: 'a.ts', name: 'x' }], [{ file: 'a.ts', name: 'x' }, { file: 'c.ts', name: 'z' }], key);
    expect(result).toEqual({ unexpected: [], stale: ['c.ts: z'] });
  });
});
