#!/usr/bin/env bash
# Fetch and run a real single-node Apache Kafka broker (KRaft) without Docker.
# Usage: bash deploy/local/kafka.sh start|stop|status|fetch
#
# Environment:
#   KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093)  listeners on 127.0.0.1
#   HUB_CACHE_DIR (~/.cache/enforcement-hub)          jars, kept between runs and clones
#   HUB_RUN_DIR (<repo>/.hub)                         pid file, config, data, broker.log
#   HUB_KAFKA_KEEP_DATA=1                             keep the data dir across starts
#   KAFKA_HEAP_OPTS                                   JVM heap flags
#   HUB_KAFKA_START_TIMEOUT (90)                      seconds to wait for readiness
set -euo pipefail

KAFKA_VERSION=4.1.1
HOST=127.0.0.1

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)
CONF_DIR=$SCRIPT_DIR/kafka

PORT=${KAFKA_PORT:-9092}
CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
CACHE_DIR=${HUB_CACHE_DIR:-$HOME/.cache/enforcement-hub}/kafka-$KAFKA_VERSION
LIB_DIR=$CACHE_DIR/libs
MARKER=$CACHE_DIR/fetch-complete
RUN_DIR=${HUB_RUN_DIR:-$REPO_DIR/.hub}/kafka
DATA_DIR=$RUN_DIR/data
PID_FILE=$RUN_DIR/kafka.pid
PROPS=$RUN_DIR/server.properties
LOG_FILE=$RUN_DIR/broker.log
JVM_OUT=$RUN_DIR/jvm.out
START_TIMEOUT=${HUB_KAFKA_START_TIMEOUT:-90}
STOP_TIMEOUT=30

die() { echo "kafka: $*" >&2; exit 1; }
log() { echo "kafka: $*"; }

JAVA=java
[[ -n ${JAVA_HOME:-} && -x ${JAVA_HOME}/bin/java ]] && JAVA=$JAVA_HOME/bin/java

check_java() {
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found: install a JDK >= 17 (e.g. apt-get install -y openjdk-17-jre-headless)"
  local ver major
  ver=$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)
  major=${ver%%.*}
  [[ $major == 1 ]] && major=$(cut -d. -f2 <<<"$ver")
  [[ $major =~ ^[0-9]+$ ]] || die "cannot read the java version from '$JAVA -version'"
  ((major >= 17)) || die "java $ver found, Kafka $KAFKA_VERSION needs java >= 17"
}

check_mvn() {
  command -v mvn >/dev/null 2>&1 || die "mvn not found: install Maven to fetch the Kafka jars (e.g. apt-get install -y maven)"
}

check_port_value() {
  if ! [[ $1 =~ ^[0-9]+$ ]] || (($1 < 1 || $1 > 65535)); then die "invalid port '$1'"; fi
}

# True when something accepts TCP connections on HOST:$1.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null
}

# Marker content: hash of the pom, so an edited pom triggers a new fetch.
pom_hash() { sha256sum "$CONF_DIR/pom.xml" | cut -d' ' -f1; }

fetched() { [[ -f $MARKER && $(<"$MARKER") == "$(pom_hash)" ]]; }

fetch() {
  fetched && return 0
  mkdir -p "$CACHE_DIR"
  # Serialize concurrent fetches of the same cache.
  exec 9>"$CACHE_DIR/.lock"
  flock 9
  if ! fetched; then
    check_mvn
    log "fetching Kafka $KAFKA_VERSION jars into $LIB_DIR"
    local start=$SECONDS
    rm -rf "$LIB_DIR" "$MARKER"
    # Output goes to a file: Maven 3.8 prints stray colour codes even with -q.
    if ! mvn -B -q -f "$CONF_DIR/pom.xml" \
      org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$LIB_DIR" >"$CACHE_DIR/fetch.log" 2>&1; then
      tail -n 40 "$CACHE_DIR/fetch.log" >&2
      die "mvn failed to fetch the Kafka jars (full output: $CACHE_DIR/fetch.log)"
    fi
    compgen -G "$LIB_DIR/kafka_2.13-$KAFKA_VERSION.jar" >/dev/null \
      || die "fetch finished but $LIB_DIR/kafka_2.13-$KAFKA_VERSION.jar is missing"
    pom_hash >"$MARKER"
    log "fetched $(find "$LIB_DIR" -name '*.jar' | wc -l) jars in $((SECONDS - start))s"
  fi
  flock -u 9
  exec 9>&-
}

# True when the process exists and is not a zombie.
alive() {
  local state
  state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [[ -n $state && $state != Z ]]
}

# Pid of our running broker, or nothing.
running_pid() {
  [[ -f $PID_FILE ]] || return 0
  local pid
  pid=$(<"$PID_FILE")
  [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" || return 0
  # Guard against a recycled pid: it must be our broker.
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "kafka.Kafka $PROPS" || return 0
  echo "$pid"
}

render_props() {
  local text
  text=$(<"$CONF_DIR/server.properties.tmpl")
  text=${text//@HOST@/$HOST}
  text=${text//@PORT@/$PORT}
  text=${text//@CONTROLLER_PORT@/$CONTROLLER_PORT}
  text=${text//@DATA_DIR@/$DATA_DIR}
  printf '%s\n' "$text" >"$PROPS"
}

format_storage() {
  if [[ ${HUB_KAFKA_KEEP_DATA:-0} != 1 ]]; then
    rm -rf "$DATA_DIR"
  fi
  [[ -f $DATA_DIR/meta.properties ]] && return 0
  # Short-lived JVMs: quick JIT and a small GC start faster.
  local tool=("$JAVA" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$LIB_DIR/*"
    -Dlog4j2.configurationFile="$CONF_DIR/log4j2.xml" -Dkafka.logs.dir="$RUN_DIR" kafka.tools.StorageTool)
  local cluster_id
  cluster_id=$("${tool[@]}" random-uuid) || die "StorageTool random-uuid failed"
  "${tool[@]}" format -t "$cluster_id" -c "$PROPS" >/dev/null \
    || die "storage format failed (cluster id $cluster_id, config $PROPS)"
}

show_failure() {
  echo "---- last 30 lines of $LOG_FILE ----" >&2
  tail -n 30 "$LOG_FILE" >&2 2>/dev/null || true
  if [[ -s $JVM_OUT ]]; then
    echo "---- last 30 lines of $JVM_OUT ----" >&2
    tail -n 30 "$JVM_OUT" >&2
  fi
}

start() {
  check_port_value "$PORT"
  check_port_value "$CONTROLLER_PORT"
  local pid
  pid=$(running_pid)
  if [[ -n $pid ]]; then
    echo "kafka $KAFKA_VERSION already running on $HOST:$PORT (pid $pid, log $LOG_FILE)"
    return 0
  fi
  rm -f "$PID_FILE"
  port_open "$PORT" && die "port $HOST:$PORT is already in use by another process (set KAFKA_PORT)"
  port_open "$CONTROLLER_PORT" && die "port $HOST:$CONTROLLER_PORT is already in use by another process (set KAFKA_CONTROLLER_PORT)"

  check_java
  fetch
  mkdir -p "$RUN_DIR"
  render_props
  # A fresh log, so readiness is not read from a previous run.
  [[ -f $LOG_FILE ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"
  : >"$LOG_FILE"
  format_storage

  local t0=$SECONDS
  # setsid: own session and process group, so the broker outlives this script and
  # can be stopped as a group; the inner bash records its pid, then becomes java.
  # shellcheck disable=SC2016,SC2086
  setsid nohup bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
    "$JAVA" ${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} \
    -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$CONF_DIR/log4j2.xml" -Dkafka.logs.dir="$RUN_DIR" \
    -cp "$LIB_DIR/*" kafka.Kafka "$PROPS" \
    >"$JVM_OUT" 2>&1 </dev/null &

  local deadline=$((SECONDS + START_TIMEOUT))
  pid=""
  while ((SECONDS < deadline)); do
    [[ -z $pid && -s $PID_FILE ]] && pid=$(<"$PID_FILE")
    if [[ -n $pid ]] && ! alive "$pid"; then
      echo "kafka: the broker exited during startup" >&2
      show_failure
      rm -f "$PID_FILE"
      exit 1
    fi
    if [[ -n $pid ]] && grep -q "Kafka Server started" "$LOG_FILE" && port_open "$PORT"; then
      echo "kafka $KAFKA_VERSION started on $HOST:$PORT (pid $pid, log $LOG_FILE) in $((SECONDS - t0))s"
      return 0
    fi
    sleep 0.5
  done
  echo "kafka: the broker was not ready within ${START_TIMEOUT}s" >&2
  show_failure
  stop >/dev/null 2>&1 || true
  exit 1
}

stop() {
  local pid
  pid=$(running_pid)
  if [[ -z $pid ]]; then
    rm -f "$PID_FILE"
    log "not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while ((SECONDS < deadline)) && [[ -n $(running_pid) ]]; do
    sleep 0.5
  done
  if [[ -n $(running_pid) ]]; then
    log "pid $pid did not stop within ${STOP_TIMEOUT}s, sending SIGKILL"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    for _ in {1..50}; do [[ -n $(running_pid) ]] || break; sleep 0.2; done
  fi
  rm -f "$PID_FILE"
  log "stopped (pid $pid)"
}

status() {
  local pid
  pid=$(running_pid)
  if [[ -n $pid ]] && port_open "$PORT"; then
    echo "kafka $KAFKA_VERSION running on $HOST:$PORT (pid $pid, log $LOG_FILE)"
  elif [[ -n $pid ]]; then
    echo "kafka $KAFKA_VERSION starting, not yet listening on $HOST:$PORT (pid $pid, log $LOG_FILE)"
    return 1
  else
    echo "kafka not running"
    return 1
  fi
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  fetch) check_java; fetch; log "jars ready in $LIB_DIR" ;;
  *) echo "usage: $0 start|stop|status|fetch" >&2; exit 2 ;;
esac
