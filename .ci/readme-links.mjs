// Every relative link and image in a package's README must name a file the package holds
// (issue 15 item 15): run on the installed tarball, so what npm ships is what is checked.
// Usage: node .ci/readme-links.mjs DIR
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const readme = readFileSync(join(dir, 'README.md'), 'utf8');
const targets = [...readme.matchAll(/\]\(([^)\s]+)(?:\s[^)]*)?\)/g)].map((m) => m[1]);
const local = targets.filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith('#'));
const missing = local.filter((t) => !existsSync(join(dir, decodeURI(t.split('#')[0]))));
// A path written as code that climbs out of the package points at nothing a user has.
missing.push(...[...readme.matchAll(/`(\.\.\/[^`\s]*)`/g)].map((m) => m[1]));
if (missing.length > 0) {
  console.error(`README links to files the package does not hold: ${missing.join(', ')}`);
  process.exit(1);
}
console.log(`README: ${local.length} relative links, all in the package`);
