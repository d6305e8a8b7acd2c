#!/usr/bin/env bash
# Starts, stops and checks a single-node Apache Kafka broker (KRaft) for Latigo's tests and
# local runs. The jars come from Maven (deploy/kafka/pom.xml) into .cache/kafka/lib; each start
# formats fresh storage in a temporary folder, which stop removes again.
#
#   deploy/kafka/broker.sh start    fetch the jars if needed, start, wait until ready
#   deploy/kafka/broker.sh stop     stop the broker started by start (by its process id)
#   deploy/kafka/broker.sh status   print the listeners and exit 0 when this checkout's broker runs;
#                                   exit 3 when it does not and its ports are free; exit 4 when it
#                                   does not but something else (another checkout's broker, say)
#                                   accepts connections on its ports, naming what when it can
#   deploy/kafka/broker.sh wait     wait until the running broker accepts connections
#   deploy/kafka/broker.sh fetch    only fetch the jars
#
# Environment (defaults in brackets):
#   LATIGO_KAFKA_PORT [19092]            PLAINTEXT listener on 127.0.0.1
#   LATIGO_KAFKA_SASL_PORT [19094]       SASL_PLAINTEXT listener, mechanism PLAIN
#   LATIGO_KAFKA_CONTROLLER_PORT [19093] KRaft controller listener
#   LATIGO_KAFKA_PROXIED_PORT [19095]    PLAINTEXT listener advertised as LATIGO_KAFKA_PROXY_PORT
#   LATIGO_KAFKA_PROXY_PORT [19096]      where a test proxy forwards to the proxied listener
#   LATIGO_KAFKA_CACHE [.cache/kafka]    jars (lib/) and the run folder (run/)
#   LATIGO_KAFKA_HEAP [512m]             maximum Java heap
#   LATIGO_KAFKA_WAIT_SEC [120]          how long start and wait wait for readiness
#   JAVA [java], MVN [mvn]               the Java 17+ and Maven commands

set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

port="${LATIGO_KAFKA_PORT:-19092}"
sasl_port="${LATIGO_KAFKA_SASL_PORT:-19094}"
controller_port="${LATIGO_KAFKA_CONTROLLER_PORT:-19093}"
proxied_port="${LATIGO_KAFKA_PROXIED_PORT:-19095}"
proxy_port="${LATIGO_KAFKA_PROXY_PORT:-19096}"
cache="${LATIGO_KAFKA_CACHE:-$root/.cache/kafka}"
heap="${LATIGO_KAFKA_HEAP:-512m}"
wait_sec="${LATIGO_KAFKA_WAIT_SEC:-120}"
java="${JAVA:-java}"
mvn="${MVN:-mvn}"

lib="$cache/lib"
run="$cache/run"
pid_file="$run/broker.pid"
data_file="$run/data-dir"
log_file="$run/broker.log"
properties="$run/server.properties"

say() { printf 'kafka broker: %s\n' "$*" >&2; }
fail() {
  say "$*"
  exit 1
}

# The jars are fetched again only when pom.xml changed since the last fetch.
fetch_jars() {
  local stamp="$lib/.pom.sha256"
  local wanted
  wanted="$(sha256sum "$here/pom.xml" | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
    return 0
  fi
  command -v "$mvn" >/dev/null || fail "Maven ($mvn) is needed to fetch the broker's jars"
  say "fetching the broker's jars with Maven into $lib"
  rm -rf "$lib"
  mkdir -p "$lib"
  "$mvn" -B -q -Dstyle.color=never -f "$here/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.11.0:copy-dependencies \
    -DoutputDirectory="$lib" -DincludeScope=runtime >&2 ||
    fail "Maven could not fetch the broker's jars (see above)"
  printf '%s\n' "$wanted" >"$stamp"
}

# The pid of the running broker started by this script, or nothing. A pid whose process is not
# our broker (it ended and the number was reused) does not count.
running_pid() {
  [[ -f "$pid_file" ]] || return 0
  local pid
  pid="$(cat "$pid_file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  if [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$properties"; then
    printf '%s\n' "$pid"
  fi
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# What listens on 127.0.0.1:$1, as far as this user may see: a Latigo broker named by the checkout
# its settings file belongs to, another process by pid and command line, or just "a process".
listener() {
  local pid="" command
  if ! command -v ss >/dev/null; then
    printf 'a process (ss, from iproute2, would name it)\n'
    return 0
  fi
  pid="$(ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)" || true
  if [[ -z "$pid" || ! -r "/proc/$pid/cmdline" ]]; then
    printf 'a process that this user may not inspect\n'
    return 0
  fi
  command="$(tr '\0\n\t' '   ' <"/proc/$pid/cmdline")"
  if [[ "$command" =~ kafka\.Kafka\ ([^ ]*/\.cache/kafka/run/server\.properties) ]]; then
    printf 'the Latigo Kafka broker of the checkout %s (pid %s)\n' \
      "${BASH_REMATCH[1]%/.cache/kafka/run/server.properties}" "$pid"
  elif [[ "$command" =~ kafka\.Kafka\ ([^ ]*) ]]; then
    printf 'a Kafka broker with settings %s (pid %s)\n' "${BASH_REMATCH[1]}" "$pid"
  else
    printf 'pid %s: %s\n' "$pid" "${command:0:200}"
  fi
}

# Ready = the broker logged that it started and its client listeners accept connections.
wait_ready() {
  local pid="$1"
  local deadline=$((SECONDS + wait_sec))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$log_file" >&2 || true
      fail "the broker (pid $pid) exited during start-up; its log: $log_file"
    fi
    if grep -q 'Kafka Server started' "$log_file" 2>/dev/null && port_open "$port" &&
      port_open "$sasl_port" && port_open "$proxied_port"; then
      return 0
    fi
    sleep 0.2
  done
  fail "the broker (pid $pid) did not become ready on 127.0.0.1:$port within ${wait_sec}s; its log: $log_file"
}

write_properties() {
  local data_dir="$1"
  local content connection_string
  content="$(<"$here/server.properties.template")"
  connection_string="$(<"$here/test-connection-string")"
  content="${content//@PORT@/$port}"
  content="${content//@SASL_PORT@/$sasl_port}"
  content="${content//@CONTROLLER_PORT@/$controller_port}"
  content="${content//@PROXIED_PORT@/$proxied_port}"
  content="${content//@PROXY_PORT@/$proxy_port}"
  content="${content//@DATA_DIR@/$data_dir}"
  {
    printf '%s\n\n' "$content"
    printf '# The one login of the SASL listener, as Event Hubs expects it (test value, not a secret).\n'
    printf 'listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$ConnectionString="%s";\n' \
      "$connection_string"
  } >"$properties"
}

# start and stop hold a lock, so parallel callers (test files) start one broker between them.
lock() {
  mkdir -p "$run"
  exec 9>"$run/.lock"
  flock -w "$((wait_sec + 300))" 9 || fail "another start or stop holds $run/.lock"
}

start() {
  lock
  local pid
  pid="$(running_pid)"
  if [[ -n "$pid" ]]; then
    say "already running (pid $pid)"
    wait_ready "$pid"
    return 0
  fi
  command -v "$java" >/dev/null || fail "Java 17 or newer ($java) is needed to run the broker"
  fetch_jars

  mkdir -p "$run"
  local data_dir
  data_dir="$(mktemp -d "${TMPDIR:-/tmp}/latigo-kafka.XXXXXX")"
  printf '%s\n' "$data_dir" >"$data_file"
  write_properties "$data_dir"
  : >"$log_file"

  local cluster_id
  cluster_id="$("$java" -Xmx256m -cp "$lib/*" kafka.tools.StorageTool random-uuid 2>>"$log_file")"
  "$java" -Xmx256m -Dlatigo.kafka.log.file="$log_file" \
    -Dlog4j2.configurationFile="$here/log4j2.properties" -cp "$lib/*" \
    kafka.tools.StorageTool format -t "$cluster_id" -c "$properties" >>"$log_file" 2>&1 ||
    fail "formatting the broker's storage in $data_dir failed; see $log_file"

  nohup "$java" -Xms128m -Xmx"$heap" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true -Dlatigo.kafka.log.file="$log_file" \
    -Dlog4j2.configurationFile="$here/log4j2.properties" -cp "$lib/*" \
    kafka.Kafka "$properties" >>"$log_file" 2>&1 </dev/null 9>&- &
  pid=$!
  printf '%s\n' "$pid" >"$pid_file"
  say "started (pid $pid), waiting until 127.0.0.1:$port accepts connections"
  wait_ready "$pid"
  say "ready: PLAINTEXT 127.0.0.1:$port, SASL_PLAINTEXT (PLAIN) 127.0.0.1:$sasl_port"
}

stop() {
  lock
  local pid
  pid="$(running_pid)"
  if [[ -z "$pid" ]]; then
    say "not running"
  else
    kill -TERM "$pid"
    local deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      say "still running 30s after SIGTERM, sending SIGKILL to pid $pid"
      kill -KILL "$pid"
    fi
    say "stopped (pid $pid)"
  fi
  if [[ -f "$data_file" ]]; then
    local data_dir
    data_dir="$(cat "$data_file")"
    [[ "$data_dir" == */latigo-kafka.* ]] && rm -rf "$data_dir"
    rm -f "$data_file"
  fi
  rm -f "$pid_file"
}

status() {
  local pid
  pid="$(running_pid)"
  if [[ -z "$pid" ]]; then
    local busy=0 name listen_port
    for name in plaintext sasl_plaintext controller proxied; do
      case "$name" in
        plaintext) listen_port="$port" ;;
        sasl_plaintext) listen_port="$sasl_port" ;;
        controller) listen_port="$controller_port" ;;
        proxied) listen_port="$proxied_port" ;;
      esac
      if port_open "$listen_port"; then
        ((busy == 0)) && say "not running from this checkout ($root), but its ports are taken:"
        busy=1
        say "  $name 127.0.0.1:$listen_port accepts connections: $(listener "$listen_port")"
      fi
    done
    ((busy == 0)) || exit 4
    say "not running"
    exit 3
  fi
  printf 'running pid=%s plaintext=127.0.0.1:%s sasl_plaintext=127.0.0.1:%s\n' \
    "$pid" "$port" "$sasl_port"
}

wait_command() {
  local pid
  pid="$(running_pid)"
  [[ -n "$pid" ]] || fail "not running: start it with $0 start"
  wait_ready "$pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  wait) wait_command ;;
  fetch) fetch_jars ;;
  *)
    say "usage: $0 start|stop|status|wait|fetch (status exits 0 running, 3 not running, 4 not running but its ports are taken)"
    exit 2
    ;;
esac
