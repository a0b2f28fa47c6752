import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  againstAllowlist,
  coreViolations,
  gitSourceFiles,
  importCycles,
  importEdges,
  internalUses,
  layerViolations,
  type ImportEdge,
  type SourceTree,
} from './checks';

/**
 * The rules of DESIGN.md ("Layers") that CI enforces (see `checks.ts` for how
 * each is read). Each check fails on a violation that is not listed here, and
 * on a listed one that no longer occurs, so the lists can only shrink.
 *
 * Being removed by the core redesign (issue 13); must end empty.
 */
const KNOWN_VIOLATIONS = {
  /** Import cycles, by their files. */
  cycles: [],
  /** Imports into a higher layer: `file` imports `name`. */
  layers: [],
  /** Uses of an `@internal` declaration of src outside its folder: `file` uses `name`. */
  internal: [],
} as const;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let tree: SourceTree;
let edges: ImportEdge[];

beforeAll(() => {
  tree = { root: ROOT, files: gitSourceFiles(ROOT) };
  edges = importEdges(tree);
});

const byFiles = (entry: { readonly files: readonly string[] }): string => entry.files.join(' <-> ');
const byFileAndName = (entry: { readonly file: string; readonly name: string }): string => `${entry.file}: ${entry.name}`;

describe('architecture (DESIGN.md, Layers)', () => {
  it('reads the project: the source folders are there, the tests are not', () => {
    expect(tree.files).toContain('src/clock/VirtualClock.ts');
    expect(tree.files).toContain('cli/main.ts');
    expect(tree.files.some((f) => f.startsWith('test/') || f.endsWith('.spec.ts'))).toBe(false);
    expect(edges.length).toBeGreaterThan(100);
  });

  it('no file-level import cycles', () => {
    const cycles = importCycles(edges);
    const { unexpected, stale } = againstAllowlist(cycles, KNOWN_VIOLATIONS.cycles, byFiles);
    const loops = cycles.filter((c) => unexpected.includes(byFiles(c))).map((c) => c.loop.join(' -> '));
    expect(loops, 'import cycles (each shown as one loop through its files)').toEqual([]);
    expect(stale, 'KNOWN_VIOLATIONS.cycles lists cycles that are gone: remove them').toEqual([]);
  });

  it('layers: cli -> explore -> system -> devices -> operators -> src (src/shared lowest); testing -> src', () => {
    const found = layerViolations(edges).map(({ from, to }) => ({ file: from, name: to }));
    const { unexpected, stale } = againstAllowlist(found, KNOWN_VIOLATIONS.layers, byFileAndName);
    expect(unexpected, 'imports into a higher layer (file: imported file)').toEqual([]);
    expect(stale, 'KNOWN_VIOLATIONS.layers lists imports that are gone: remove them').toEqual([]);
  });

  it('inside src, clock and ptimer import nothing from bus, irq or trace', () => {
    expect(coreViolations(edges).map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
  });

  it('an @internal declaration of src is used only inside the folder that defines it', () => {
    const found = internalUses(tree);
    const { unexpected, stale } = againstAllowlist(found, KNOWN_VIOLATIONS.internal, byFileAndName);
    const where = new Map(found.map((u) => [byFileAndName(u), u.declaredIn]));
    expect(
      unexpected.map((k) => `${k} (declared @internal in ${where.get(k)})`),
      '@internal declarations used outside their folder (file: declaration)',
    ).toEqual([]);
    expect(stale, 'KNOWN_VIOLATIONS.internal lists uses that are gone: remove them').toEqual([]);
  });
});
