#!/usr/bin/env bash
# Every check and test of the hub, on real Kafka, PostgreSQL and Redis. Works on a fresh clone.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source deploy/local/lib.sh

require_tools
check_services
ensure_deps
ensure_chromium

echo "== lint and format (biome)"
npx biome ci --colors=off .

echo "== wire contracts: regenerate from proto/ and compare"
npm run -s gen -w @hub/contracts
if [[ -n $(git status --porcelain -- packages/contracts/src/gen 2>/dev/null) ]]; then
  git status --porcelain -- packages/contracts/src/gen
  die "packages/contracts/src/gen differs from what proto/ generates: run 'npm run gen' and commit"
fi

echo "== typecheck"
npx turbo run typecheck --output-logs=errors-only

ensure_kafka
trap stop_kafka_if_started EXIT

echo "== tests"
npx vitest run "$@"
