#!/usr/bin/env bash
# Installs the system packages some tests need (Debian's redis-server and chromium) when they are missing, so
# `npm test` works on a fresh machine with nothing but Node. Each script is a no-op when its package is there.
set -euo pipefail
cd "$(dirname "$0")"
for script in ensure-redis.sh ensure-chromium.sh; do
  if [ -f "$script" ]; then bash "$script"; fi
done
