#!/usr/bin/env bash
# Heap allocation per request of ringserver's fixed responder (--hello), per backend, measured exactly:
# JFR's per-thread allocation counter (jdk.ThreadAllocationStatistics) for the event loop thread over
# a wrk run after a warm-up. See bench/README.md. Usage: bench/alloc.sh [--duration S] [--warmup S]
#                                                                       [--connections N] [--backends "B..."]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR="$ROOT/ringserver-core/target/ringserver-core-0.1.0-SNAPSHOT.jar"
DURATION=30
WARMUP=20
CONNECTIONS=64
BACKENDS="io_uring epoll nio"
PORT=18190
SERVER_CPU=1
LOAD_CPU=0

while (($#)); do
    case $1 in
        --duration) DURATION=${2:?}; shift 2 ;;
        --warmup) WARMUP=${2:?}; shift 2 ;;
        --connections) CONNECTIONS=${2:?}; shift 2 ;;
        --backends) BACKENDS=${2:?}; shift 2 ;;
        -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
        *) echo "alloc.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

JDK=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[[ -x $JDK/bin/jfr ]] || JDK=/usr/lib/jvm/temurin-25-jdk-amd64
[[ -f $JAR ]] || (cd "$ROOT" && JAVA_HOME=$JDK ./mvnw -q -DskipTests package -pl ringserver-core)
command -v wrk >/dev/null || { echo "alloc.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }
TMP=$(mktemp -d)
SERVER=""
trap '[[ -n $SERVER ]] && kill "$SERVER" 2>/dev/null; rm -rf "$TMP"' EXIT

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

# Prints the loop thread's allocated bytes, per sample, from a recording (exact values, in bytes).
loop_allocations() {
    "$JDK/bin/jfr" print --json --events jdk.ThreadAllocationStatistics "$1" | python3 -c '
import json, sys
events = json.load(sys.stdin)["recording"]["events"]
samples = sorted((e["values"]["startTime"], e["values"]["allocated"]) for e in events
                 if (e["values"].get("thread") or {}).get("javaName", "").startswith("ringserver-loop-0"))
print(samples[0][1], samples[-1][1], len(samples))'
}

printf '| backend | requests | loop thread allocation | bytes per request |\n|---|---:|---:|---:|\n'
for backend in $BACKENDS; do
    taskset -c "$SERVER_CPU" "$JDK/bin/java" --enable-native-access=ALL-UNNAMED -jar "$JAR" --hello \
        --port "$PORT" --address 127.0.0.1 --backend "$backend" --loops 1 >"$TMP/out" 2>&1 &
    SERVER=$!
    for _ in $(seq 100); do grep -q '^ringserver listening' "$TMP/out" && break; sleep 0.1; done
    grep -q '^ringserver listening' "$TMP/out" || { cat "$TMP/out" >&2; exit 1; }
    log "$backend: warm-up ${WARMUP}s"
    taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" "http://127.0.0.1:$PORT/" >/dev/null
    "$JDK/bin/jcmd" "$SERVER" JFR.start name=alloc settings=none \
        +jdk.ThreadAllocationStatistics#enabled=true +jdk.ThreadAllocationStatistics#period=1s \
        filename="$TMP/alloc.jfr" >/dev/null
    sleep 1.5 # a first sample before the load
    log "$backend: measured run ${DURATION}s"
    taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "http://127.0.0.1:$PORT/" >"$TMP/wrk"
    sleep 1.5 # and one after it
    "$JDK/bin/jcmd" "$SERVER" JFR.stop name=alloc >/dev/null
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
    requests=$(sed -n -E 's/^ *([0-9]+) requests in.*/\1/p' "$TMP/wrk")
    read -r first last samples < <(loop_allocations "$TMP/alloc.jfr")
    bytes=$((last - first))
    printf '| %s | %s | %s bytes (%s samples) | %s |\n' "$backend" "$requests" "$bytes" "$samples" \
        "$(python3 -c "print(f'{$bytes / $requests:.3f}')")"
done
