#!/usr/bin/env node
// The `ptimer-rx` command as npm links it (package.json "bin").
// Installed from the registry it loads the build, dist/cli.js. In a clone of the repository (cli/main.ts is
// beside this file; the package ships without it) it runs the TypeScript sources through tsx, a dev
// dependency: `npx ptimer-rx` then works right after `npm ci`, with no build step, and never runs a stale
// build. The file is plain JavaScript so that it exists before any build: npm links a bin only if its file
// is there, and npx remembers a checkout's bins from its first run.
import { existsSync } from 'node:fs';

const source = new URL('./main.ts', import.meta.url);
if (existsSync(source)) {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write('ptimer-rx: running from the sources needs the dev dependencies: run npm ci first\n');
    process.exit(1);
  }
  register();
  await import(source.href);
} else {
  await import('../dist/cli.js');
}
