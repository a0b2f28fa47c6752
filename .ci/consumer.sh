#!/usr/bin/env bash
# Checks the package as a consumer gets it: packs it, installs the tarball into a
# fresh project with rxjs and TypeScript, type-checks an ES module and a CommonJS
# consumer under moduleResolution node16 and bundler (strict, no skipLibCheck),
# and runs both (the ES module also loads ptimer-rx/queue). Then publint and arethetypeswrong on the package.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm pack --silent --pack-destination "$work" >/dev/null
cp .ci/consumer/*.mts .ci/consumer/*.cts .ci/consumer/tsconfig.*.json "$work/"
version() { node -p "require('$root/node_modules/$1/package.json').version"; }
cd "$work"
printf '{ "name": "consumer", "private": true }\n' >package.json
npm install --silent --no-audit --no-fund ./ptimer-rx-*.tgz "rxjs@$(version rxjs)" "typescript@$(version typescript)"
npx tsc -p tsconfig.node16.json
npx tsc -p tsconfig.bundler.json
node out-node16/esm.mjs
node out-node16/cjs.cjs
# The bin as an installed package has it: cli/bin.mjs loading the build.
npx --no-install ptimer-rx --help >/dev/null
# The README's links and images resolve inside the installed package.
node "$root/.ci/readme-links.mjs" node_modules/ptimer-rx
cd "$root"
npx publint
npx attw --pack . --entrypoints .
# ptimer-rx/testing is ESM-only on purpose (it needs vitest).
npx attw --pack . --entrypoints ./testing --profile esm-only
# So is ptimer-rx/queue (Node only: BullMQ, ioredis, worker threads).
npx attw --pack . --entrypoints ./queue --profile esm-only
