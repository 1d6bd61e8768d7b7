#!/usr/bin/env bash
# A second test leg: the sandbox and agent tests again on Node 22 (the npm package node@22), so the sandbox's
# Node 22 column in docs/verifier-and-sandbox.md is checked, not assumed. Run after `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${TMPDIR:-/tmp}/switchyard-node22"
if [ ! -x "$prefix/node_modules/.bin/node" ]; then
  npm install --no-save --no-audit --no-fund --prefix "$prefix" node@22 >/dev/null
fi
node22="$prefix/node_modules/.bin"
echo "Node 22 leg: $("$node22/node" --version)"
PATH="$node22:$PATH" node node_modules/vitest/vitest.mjs run test/sandbox-limits.test.ts test/verify-run-tests.test.ts test/examples-agents.test.ts
