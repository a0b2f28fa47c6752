/**
 * The architecture rules of DESIGN.md ("Layers"), as functions over a tree of
 * TypeScript files, so that `architecture.spec.ts` runs them on the project
 * and `checks.spec.ts` on small planted trees:
 *
 * - no file-level import cycles;
 * - layers: cli -> explore -> system -> devices -> operators -> src, and
 *   testing -> operators -> src (a departure: the marble helpers compose operators); a file imports only its own layer or lower ones, and
 *   src/shared (the leaf) nothing else of the project;
 * - inside src, clock and ptimer import nothing from bus, irq or trace;
 * - an `@internal` declaration of src/ is used only inside the folder that
 *   defines it (src/clock, src/ptimer, src/bus, src/irq, src/trace, src/shared).
 *
 * Imports are read and resolved with the TypeScript compiler (type-only
 * imports count: they tie files together as much as value imports do), and
 * `@internal` uses are found with its type checker, so a use through a
 * property access, a destructuring or an import is seen alike.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** The folders whose files the rules govern (tests, benchmarks and examples are not). */
export const SOURCE_FOLDERS = ['src', 'operators', 'devices', 'system', 'explore', 'cli', 'testing'] as const;

/** A tree to check: its root and its source files, as paths relative to the root with `/`. */
export interface SourceTree {
  readonly root: string;
  readonly files: readonly string[];
  /** Compiler options (path aliases, module resolution); default: the tree's tsconfig.json if any. */
  readonly options?: ts.CompilerOptions;
}

/** One import between two files of the tree. */
export interface ImportEdge {
  readonly from: string;
  readonly to: string;
}

/** One use of an `@internal` declaration outside the folder that defines it. */
export interface InternalUse {
  /** The using file. */
  readonly file: string;
  /** The declaration, `Class.member` or a top-level name. */
  readonly name: string;
  /** The file that declares it. */
  readonly declaredIn: string;
}

const posix = (path: string): string => path.split(sep).join('/');

const isSource = (file: string): boolean => file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.endsWith('.spec.ts');

const underSourceFolder = (file: string): boolean =>
  file === 'index.ts' || SOURCE_FOLDERS.some((folder) => file.startsWith(`${folder}/`));

/**
 * The source files of a git work tree: tracked, or new and not ignored, under
 * {@link SOURCE_FOLDERS} (and the root `index.ts`).
 */
export const gitSourceFiles = (root: string): string[] =>
  execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z', '--', 'index.ts', ...SOURCE_FOLDERS], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file !== '' && isSource(file) && underSourceFolder(file))
    .filter((file, i, all) => all.indexOf(file) === i)
    .sort();

/** The source files below `root` found by walking it (for trees that are not git work trees). */
export const walkSourceFiles = (root: string): string[] => {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (isSource(entry.name)) found.push(posix(relative(root, path)));
    }
  };
  walk(root);
  return found.filter(underSourceFolder).sort();
};

const optionsOf = (tree: SourceTree): ts.CompilerOptions => {
  if (tree.options !== undefined) return tree.options;
  const configPath = ts.findConfigFile(tree.root, ts.sys.fileExists, 'tsconfig.json');
  if (configPath === undefined || resolve(configPath, '..') !== resolve(tree.root)) {
    return { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, strict: true, noEmit: true, skipLibCheck: true };
  }
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (parsed === undefined) throw new Error(`cannot read ${configPath}`);
  return parsed.options;
};

/** The module specifiers a file names: static imports and re-exports, `import x = require()`, and `import('…')`. */
const specifiersOf = (source: ts.SourceFile): string[] => {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      found.push(node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [first] = node.arguments;
      if (first !== undefined && ts.isStringLiteralLike(first)) found.push(first.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
};

/** Every import from one file of the tree to another (packages such as rxjs are left out). */
export const importEdges = (tree: SourceTree): ImportEdge[] => {
  const options = optionsOf(tree);
  const host = ts.createCompilerHost(options);
  const edges: ImportEdge[] = [];
  for (const from of tree.files) {
    const path = join(tree.root, from);
    const text = ts.sys.readFile(path);
    if (text === undefined) throw new Error(`cannot read ${path}`);
    const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
    for (const specifier of specifiersOf(source)) {
      const resolved = ts.resolveModuleName(specifier, path, options, host).resolvedModule;
      if (resolved === undefined || resolved.isExternalLibraryImport === true) continue;
      const to = posix(relative(tree.root, resolved.resolvedFileName));
      if (to.startsWith('..') || to.includes('node_modules/')) continue;
      if (!edges.some((e) => e.from === from && e.to === to)) edges.push({ from, to });
    }
  }
  return edges;
};

/**
 * The import cycles: each a set of files that all reach one another (a
 * strongly connected component of more than one file, or a file that imports
 * itself), sorted, with one loop through them to show how.
 */
export const importCycles = (edges: readonly ImportEdge[]): { readonly files: readonly string[]; readonly loop: readonly string[] }[] => {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const nodes = [...new Set(edges.flatMap((e) => [e.from, e.to]))].sort();
  // Tarjan's algorithm, iterative enough for a few hundred files.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      components.push(component.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) connect(v);
  return components
    .filter((c) => c.length > 1 || (next.get(c[0]!) ?? []).includes(c[0]!))
    .map((files) => ({ files, loop: loopThrough(files, next) }))
    .sort((a, b) => a.files.join().localeCompare(b.files.join()));
};

/** A shortest loop from the component's first file back to it, staying inside the component. */
const loopThrough = (files: readonly string[], next: ReadonlyMap<string, readonly string[]>): string[] => {
  const start = files[0]!;
  const inside = new Set(files);
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of next.get(v) ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const loop = [start];
        for (let u: string | undefined = v; u !== undefined && u !== start; u = previous.get(u)) loop.splice(1, 0, u);
        return [...loop, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
};

/** The layer a file belongs to: its top-level folder, or `src/shared` for the leaf. */
export const layerOf = (file: string): string | undefined => {
  if (file.startsWith('src/shared/')) return 'src/shared';
  const top = file.split('/')[0]!;
  return (SOURCE_FOLDERS as readonly string[]).includes(top) && file.includes('/') ? top : undefined;
};

/** What each layer may import (DESIGN.md: cli -> explore -> system -> devices -> operators -> src; testing -> operators -> src). */
export const LAYERS_ALLOWED: Readonly<Record<string, readonly string[]>> = {
  cli: ['cli', 'explore', 'system', 'devices', 'operators', 'src', 'src/shared'],
  explore: ['explore', 'system', 'devices', 'operators', 'src', 'src/shared'],
  system: ['system', 'devices', 'operators', 'src', 'src/shared'],
  devices: ['devices', 'operators', 'src', 'src/shared'],
  operators: ['operators', 'src', 'src/shared'],
  src: ['src', 'src/shared'],
  'src/shared': ['src/shared'],
  // A departure from DESIGN.md (testing -> src): the marble helpers compose the pipeline operators users compose.
  testing: ['testing', 'operators', 'src', 'src/shared'],
};

/**
 * The imports that break the layer rule: a file imports a file of a layer
 * above its own (or the root index, or anything outside the layers).
 */
export const layerViolations = (edges: readonly ImportEdge[]): ImportEdge[] =>
  edges.filter(({ from, to }) => {
    const own = layerOf(from);
    if (own === undefined) return false; // the root index is the facade over every layer
    const target = layerOf(to);
    return target === undefined || !LAYERS_ALLOWED[own]!.includes(target);
  });

/** The folders of src that must know no bus, irq or trace types, and those folders. */
const TIME_CORE = ['src/clock/', 'src/ptimer/'];
const DEVICE_SIDE = ['src/bus/', 'src/irq/', 'src/trace/'];

/** The imports from src/clock or src/ptimer into src/bus, src/irq or src/trace. */
export const coreViolations = (edges: readonly ImportEdge[]): ImportEdge[] =>
  edges.filter(({ from, to }) => TIME_CORE.some((f) => from.startsWith(f)) && DEVICE_SIDE.some((f) => to.startsWith(f)));

/** The folder that owns an `@internal` declaration: `src/<name>/` for a file of src, else none (not governed). */
export const internalOwnerOf = (file: string): string | undefined => {
  const match = /^src\/([^/]+)\//.exec(file);
  return match === null ? undefined : `src/${match[1]}/`;
};

const isInternal = (declaration: ts.Declaration): boolean =>
  ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'internal');

/** `Class.member` for a member, else the declaration's own name. */
const nameOf = (declaration: ts.Declaration, symbol: ts.Symbol): string => {
  const parent = declaration.parent;
  const container =
    (ts.isClassLike(parent) || ts.isInterfaceDeclaration(parent)) && parent.name !== undefined
      ? parent.name.text
      : ts.isConstructorDeclaration(parent) && parent.parent.name !== undefined
        ? parent.parent.name.text
        : undefined;
  return container === undefined ? symbol.name : `${container}.${symbol.name}`;
};

/**
 * What a name refers to: the declaration behind an import, or for a name
 * destructured from an object (`const { poke } = clock`), the property.
 */
const symbolAt = (checker: ts.TypeChecker, node: ts.Identifier | ts.PrivateIdentifier): ts.Symbol | undefined => {
  const parent = node.parent;
  if (ts.isBindingElement(parent) && ts.isObjectBindingPattern(parent.parent) && (parent.propertyName ?? parent.name) === node) {
    return checker.getTypeAtLocation(parent.parent).getProperty(node.text);
  }
  const symbol = checker.getSymbolAtLocation(node);
  return symbol !== undefined && (symbol.flags & ts.SymbolFlags.Alias) !== 0 ? checker.getAliasedSymbol(symbol) : symbol;
};

/**
 * The uses of `@internal` declarations of src/ from files outside the folder
 * that declares them: a property or method reached on a value of the
 * declaring class, a name imported or re-exported, a type named. One entry
 * per file and declaration.
 */
export const internalUses = (tree: SourceTree): InternalUse[] => {
  const options = { ...optionsOf(tree), noEmit: true };
  const program = ts.createProgram({ rootNames: tree.files.map((f) => join(tree.root, f)), options });
  const checker = program.getTypeChecker();
  const uses: InternalUse[] = [];
  const seen = new Set<string>();
  for (const file of tree.files) {
    const source = program.getSourceFile(join(tree.root, file));
    if (source === undefined) continue;
    const owner = internalOwnerOf(file);
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) {
        const symbol = symbolAt(checker, node);
        for (const declaration of symbol?.declarations ?? []) {
          const declaredIn = posix(relative(tree.root, declaration.getSourceFile().fileName));
          const declaringFolder = internalOwnerOf(declaredIn);
          if (declaringFolder === undefined || declaringFolder === owner || !isInternal(declaration)) continue;
          const name = nameOf(declaration, symbol!);
          const key = `${file}\0${declaredIn}\0${name}`;
          if (!seen.has(key)) {
            seen.add(key);
            uses.push({ file, name, declaredIn });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return uses.sort((a, b) => `${a.file} ${a.name}`.localeCompare(`${b.file} ${b.name}`));
};

/**
 * Holds what a check found against its allowlist: `unexpected` are found and
 * not allowed (new violations), `stale` are allowed and no longer found (the
 * list must shrink with them). Entries compare by `key`.
 */
export const againstAllowlist = <T>(
  found: readonly T[],
  allowed: readonly T[],
  key: (entry: T) => string,
): { readonly unexpected: string[]; readonly stale: string[] } => {
  const foundKeys = new Set(found.map(key));
  const allowedKeys = new Set(allowed.map(key));
  return {
    unexpected: [...foundKeys].filter((k) => !allowedKeys.has(k)).sort(),
    stale: [...allowedKeys].filter((k) => !foundKeys.has(k)).sort(),
  };
};
