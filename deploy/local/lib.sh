# Shared by demo.sh and test.sh: make a fresh clone runnable, and say in one line what is missing.
# shellcheck shell=bash

die() { echo "hub: $*" >&2; exit 1; }

require_tools() {
  command -v node >/dev/null 2>&1 || die "node not found: install Node.js >= 20.12"
  # crypto.hash (one-shot hashing on the interception and signature paths) came in Node.js 20.12.
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 12) ? 0 : 1)' ||
    die "node $(node -v) found; the hub needs Node.js >= 20.12"
  command -v npm >/dev/null 2>&1 || die "npm not found: install npm (it comes with Node.js)"
}

# Install packages when node_modules is missing or older than the lock file. `npm ci` installs exactly what
# the committed lock file says and never rewrites it, so a fresh clone stays clean (`git status`).
ensure_deps() {
  if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
    echo "hub: installing packages (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# host port from a URL like postgres://user@host:5432/db
host_port() {
  local rest=${1#*://}
  rest=${rest#*@}
  rest=${rest%%/*}
  local host=${rest%%:*} port=${rest##*:}
  [[ $port == "$rest" ]] && port=$2
  echo "$host $port"
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

check_services() {
  local hp
  read -r -a hp <<<"$(host_port "${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}" 5432)"
  port_open "${hp[0]}" "${hp[1]}" ||
    die "PostgreSQL is not reachable at ${hp[0]}:${hp[1]}: start it (e.g. pg_ctlcluster <version> main start) or set DATABASE_URL"
  read -r -a hp <<<"$(host_port "${REDIS_URL:-redis://127.0.0.1:6379}" 6379)"
  port_open "${hp[0]}" "${hp[1]}" ||
    die "Redis is not reachable at ${hp[0]}:${hp[1]}: start it (e.g. redis-server --daemonize yes) or set REDIS_URL"
}

KAFKA_STARTED_HERE=0
# Use a broker that already listens on the configured address; otherwise start the project's own.
ensure_kafka() {
  if [[ -n ${KAFKA_BROKERS:-} ]]; then
    echo "hub: using Kafka at $KAFKA_BROKERS (KAFKA_BROKERS)"
  elif port_open 127.0.0.1 "${KAFKA_PORT:-9092}"; then
    echo "hub: using the Kafka broker already listening on 127.0.0.1:${KAFKA_PORT:-9092}"
  else
    bash deploy/local/kafka.sh start
    KAFKA_STARTED_HERE=1
  fi
}

stop_kafka_if_started() {
  if ((KAFKA_STARTED_HERE)); then bash deploy/local/kafka.sh stop; fi
}

# The ops console test drives a real headless Chromium (Debian's package; a browser download would fail).
ensure_chromium() {
  [[ -x ${CHROMIUM_PATH:-/usr/bin/chromium} ]] && return 0
  if command -v apt-get >/dev/null 2>&1 && [[ $(id -u) == 0 ]]; then
    echo "hub: installing Debian's chromium for the console test (apt-get)"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    die "chromium not found at ${CHROMIUM_PATH:-/usr/bin/chromium}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH"
  fi
}
