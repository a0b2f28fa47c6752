// Module hooks of bench/tsLoader.mjs: .ts files compiled one by one with esbuild (the options tsup builds the
// package with: ES2022, no `keepNames`), and the sources' extensionless relative imports resolved to .ts files.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

const TS = /\.[cm]?ts$/;

export async function resolve(specifier, context, next) {
  const relative = specifier.startsWith('./') || specifier.startsWith('../');
  if (relative && context.parentURL !== undefined && TS.test(context.parentURL) && !/\.[cm]?[jt]s$/.test(specifier)) {
    for (const ending of ['.ts', '/index.ts']) {
      const url = new URL(specifier + ending, context.parentURL);
      if (existsSync(fileURLToPath(url))) return { url: url.href, format: 'module', shortCircuit: true };
    }
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !TS.test(url)) return next(url, context);
  const file = fileURLToPath(url);
  const { code } = transformSync(readFileSync(file, 'utf8'), { loader: 'ts', format: 'esm', target: 'es2022', sourcemap: 'inline', sourcefile: file });
  return { format: 'module', source: code, shortCircuit: true };
}
