#!/usr/bin/env bash
# Runs a command with a given Node major first on PATH: `bash scripts/with-node.sh 22 npm test`.
# The Node binary comes from the npm registry (the `node` package, pinned below) into a cache folder outside the
# project, so a machine whose own node is older (or missing a version) can run every leg.
set -euo pipefail
major="$1"; shift
case "$major" in
  22) version=22.23.3 ;;
  24) version=24.21.0 ;;
  *) echo "with-node: no pinned version for Node $major (known: 22, 24)" >&2; exit 2 ;;
esac
prefix="${SWITCHYARD_NODE_CACHE:-${TMPDIR:-/tmp}/switchyard-node}/$version"
if [ ! -x "$prefix/node_modules/node/bin/node" ]; then
  mkdir -p "$prefix"
  npm install --no-save --no-audit --no-fund --no-package-lock --prefix "$prefix" "node@$version" >&2
fi
export PATH="$prefix/node_modules/node/bin:$PATH"
"$@"
