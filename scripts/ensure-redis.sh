#!/usr/bin/env bash
# Makes sure `redis-server` (Debian package) is installed: the Redis and BullMQ tests start their own server on a
# loopback port (see test/setup/redis.ts) and FAIL when it cannot be had. Run as root (CI images run as root).
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  redis-server --version
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "redis-server is missing and this script is not running as root: run 'sudo $0' (or apt-get install redis-server)." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends redis-server
# The Debian package may start a system service on 6379; the tests never use it, they start their own server.
redis-server --version
