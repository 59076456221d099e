#!/usr/bin/env bash
# The whole test suite: unit, property, integration (real ovsdb-server),
# lflows replay, parity (real ovn-northd) and e2e (real ovn-controller + OVS).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Type-check everything (src, tests, bench, scripts): vitest itself does not.
npm run --silent typecheck
exec npx vitest run "$@"
