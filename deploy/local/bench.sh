#!/usr/bin/env bash
# Throughput benchmarks (inquiries, freeze plans, interception checks) on the real stack (prints figures; not a test).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source deploy/local/lib.sh
require_tools
check_services
ensure_deps
ensure_kafka
trap stop_kafka_if_started EXIT
# The benchmarks run a local hub with the published demo credentials.
export HUB_DEMO=1
node --import tsx services/hub/bench/main.ts "$@"
