#!/usr/bin/env bash
# Every test of the repository, in the order a failure is cheapest to find. Run through `./pnpmw test`.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "system packages"
bash scripts/system-deps.sh

step "lint and format (biome), changesets"
pnpm exec biome ci .
node scripts/check-changesets.mjs

step "tests, examples and the demo read only the repository"
node scripts/check-repo-paths.mjs --self-test
node scripts/check-repo-paths.mjs

step "every error's docsPath leads to an existing guide and heading"
node scripts/check-docs-paths.mjs --self-test
node scripts/check-docs-paths.mjs

step "build packages (tsup)"
pnpm -r --filter "./packages/*" run build

step "typecheck (every package and example)"
pnpm -r --if-present run typecheck

step "package exports (publint + attw)"
pnpm -r --filter "./packages/*" run lint:package

step "consumer app (packed tarballs, plain npm, the README's snippet against a fresh anvil)"
node scripts/consumer-test.mjs

step "native tests (forge and others)"
pnpm -r --if-present run test:native

step "Kubo, the IPFS daemon the storage tests run (built from the Go module proxy once, then cached; needs Go)"
node packages/core/scripts/ensure-kubo.mjs

step "unit and integration tests (vitest)"
mkdir -p test-artifacts
pnpm exec vitest run --config vitest.workspace.ts --testTimeout=60000 --hookTimeout=120000 --reporter=default --reporter=json \
  --outputFile.json=test-artifacts/vitest.json

step "docs (typedoc, README and guide code blocks)"
pnpm run docs
pnpm run test:docs

step "summary"
node -e '
const r = require("./test-artifacts/vitest.json");
console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
'
