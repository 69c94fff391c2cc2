#!/usr/bin/env bash
# Set up and run the whole hub on this machine, submit a demo notice, show it completed, keep running
# until Ctrl-C, then stop everything it started. Works on a fresh clone.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source deploy/local/lib.sh

require_tools
check_services
ensure_deps
mkdir -p .hub
ensure_kafka

HUB_LOG=.hub/hub.log
HUB_PID=
cleanup() {
  trap - INT TERM EXIT
  if [[ -n $HUB_PID ]] && kill -0 "$HUB_PID" 2>/dev/null; then
    echo
    echo "hub: stopping services"
    kill -TERM "$HUB_PID" 2>/dev/null || true
    wait "$HUB_PID" 2>/dev/null || true
  fi
  stop_kafka_if_started
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Demo mode: credentials left unset are the published demo keys (never outside HUB_DEMO=1).
export HUB_DEMO=1
# The demo court, and a second court whose freeze waits in line behind the first's (轮候).
export GATEWAY_COURT_KEYS="${GATEWAY_COURT_KEYS:-demo-court-key=川0104,demo-court-2-key=川0105}"
echo "hub: starting all services in one process (log: $HUB_LOG)"
node --import tsx services/hub/src/main.ts --services "${HUB_SERVICES:-all}" >"$HUB_LOG" 2>&1 &
HUB_PID=$!

if ! node --import tsx deploy/local/demo-client.ts; then
  echo "hub: the demo did not complete; last lines of $HUB_LOG:" >&2
  tail -n 30 "$HUB_LOG" >&2
  exit 1
fi

echo
echo "hub: running. Ctrl-C stops the hub and everything this command started."
wait "$HUB_PID"
