#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what is missing, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the end-to-end tests drive (real parts, not mocks).
need=()
for pair in "dig:dnsutils" "openssl:openssl" "chromium:chromium" "nginx:nginx" "redis-server:redis-server" "redis-cli:redis-tools" "pg_ctlcluster:postgresql" "psql:postgresql-client" "etcd:etcd-server"; do
  bin=${pair%%:*}; pkg=${pair##*:}
  command -v "$bin" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need[*]}"
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; fi
fi

# npm ci refuses this lock file over optional packages of other platforms (npm 11); install reads it the same way.
[ -d node_modules ] || npm install --no-audit --no-fund
npm run --silent build
npx tsc -p tsconfig.json --noEmit
npx tsc -p ui/tsconfig.json --noEmit && npx tsc -p ui/tsconfig.vite.json --noEmit
exec npx vitest run "$@"
