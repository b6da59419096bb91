#!/usr/bin/env bash
# Benchmark of one WebFlux application (the sample app with GET /plaintext and GET /json, bench/peers) on
# ringserver, per backend, against the same application on Reactor Netty. See bench/README.md.
# Usage: bench/webflux.sh [--quick] [options]
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
HELLO_REPORT="$SCRIPT_DIR/hello_report.py"
REPORT="$SCRIPT_DIR/webflux_report.py"
PLOT="$SCRIPT_DIR/plot_webflux.py"
APP_DIR_REL=bench/peers
RS_JAR_REL=$APP_DIR_REL/target/sample-ringserver.jar
NETTY_JAR_REL=$APP_DIR_REL/target/sample-netty.jar
SERVER_CPU=1
LOAD_CPU=0
READY_TIMEOUT=90
BODY_PLAINTEXT='Hello, World!'
BODY_JSON='{"message":"Hello, World!"}'
# The same JVM flags for every server: one Reactor Netty event loop (ignored by the ringserver jar, which
# has no Netty; it gets --ringserver.event-loops=1 below).
JVM_FLAGS=(--enable-native-access=ALL-UNNAMED -Dreactor.netty.ioWorkerCount=1)
# The same application arguments for every server (the sample app's own configuration has port 8080,
# all addresses and one ringserver event loop per processor).
APP_ARGS=(--server.address=127.0.0.1)
RS_ARGS=(--ringserver.event-loops=1)

ROUNDS=3
DURATION=15
WARMUP=20
CONNECTIONS="64 256"
ENDPOINTS="plaintext json"
BACKENDS="io_uring epoll nio"
WITH_NETTY=1
REBUILD=0
OUT="$ROOT/bench/results"
QUICK=0
BASE_PORT=18180
ORIGINAL_ARGS="$*"

usage() {
    cat <<EOF
usage: bench/webflux.sh [options]

Measures one WebFlux application (GET /plaintext, GET /json) on ringserver per backend and on Reactor
Netty with wrk. Servers run on CPU $SERVER_CPU with one event loop each, wrk on CPU $LOAD_CPU.

  --rounds N            measured rounds (default 3)
  --duration S          seconds per measured run (default 15)
  --warmup S            seconds of load per server and endpoint before measuring (default 20, at
                        least 20 unless --quick)
  --connections "N..."  keep-alive connection counts (default "64 256"; the first is used for warm-up)
  --endpoints "E..."    plaintext, json (default both)
  --backends "B..."     ringserver backends: io_uring epoll nio (default all three)
  --no-netty            do not run Reactor Netty (and no ratios)
  --rebuild             build the starter and both application jars (bench/peers/build.sh) even if
                        they exist
  --out DIR             where the CSV, summary and plot go (default bench/results)
  --base-port P         first port: Netty (if run), then each backend, get P, P+1, ... (default 18180)
  --quick               smoke test: 1 round, 5 s runs, 5 s warm-up; results are marked quick
  -h, --help            this help

The JDK is \$JAVA_HOME when it is Java 25 or later, otherwise $JDK25_DEFAULT.
EOF
}

BENCH_NAME=webflux.sh
# shellcheck source=bench/lib.sh
source "$SCRIPT_DIR/lib.sh"
hpy() { python3 "$HELLO_REPORT" "$@"; }
py() { python3 "$REPORT" "$@"; }

# ---- options ----------------------------------------------------------------------------------

SET_ROUNDS="" SET_DURATION="" SET_WARMUP=""
while (($#)); do
    case "$1" in
        --rounds) SET_ROUNDS=${2:?--rounds needs a value}; shift 2 ;;
        --duration) SET_DURATION=${2:?--duration needs a value}; shift 2 ;;
        --warmup) SET_WARMUP=${2:?--warmup needs a value}; shift 2 ;;
        --connections) CONNECTIONS=${2:?--connections needs a value}; shift 2 ;;
        --endpoints) ENDPOINTS=${2:?--endpoints needs a value}; shift 2 ;;
        --backends) BACKENDS=${2:?--backends needs a value}; shift 2 ;;
        --no-netty) WITH_NETTY=0; shift ;;
        --rebuild) REBUILD=1; shift ;;
        --out) OUT=${2:?--out needs a value}; shift 2 ;;
        --base-port) BASE_PORT=${2:?--base-port needs a value}; shift 2 ;;
        --quick) QUICK=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option '$1'" ;;
    esac
done
if ((QUICK)); then
    ROUNDS=1 DURATION=5 WARMUP=5
fi
ROUNDS=${SET_ROUNDS:-$ROUNDS}
DURATION=${SET_DURATION:-$DURATION}
WARMUP=${SET_WARMUP:-$WARMUP}

positive --rounds "$ROUNDS"
positive --duration "$DURATION"
positive --warmup "$WARMUP"
positive --base-port "$BASE_PORT"
read -r -a CONN_LIST <<<"$CONNECTIONS"
read -r -a BACKEND_LIST <<<"$BACKENDS"
read -r -a ENDPOINT_LIST <<<"${ENDPOINTS//\//}" # "/json" and "json" both name the JSON endpoint
((${#CONN_LIST[@]})) || die "--connections is empty"
((${#ENDPOINT_LIST[@]})) || die "--endpoints is empty"
for c in "${CONN_LIST[@]}"; do
    [[ $c =~ ^[1-9][0-9]*$ ]] || die "--connections takes positive integers, not '$c'"
done
for e in "${ENDPOINT_LIST[@]}"; do
    case "$e" in plaintext|json) ;; *) die "unknown endpoint '$e' (plaintext or json)" ;; esac
done
for b in "${BACKEND_LIST[@]}"; do
    case "$b" in io_uring|epoll|nio) ;; *) die "unknown backend '$b' (io_uring, epoll or nio)" ;; esac
done
if ((!QUICK && WARMUP < 20)); then
    die "--warmup must be at least 20 s (JVMs need it); use --quick for a smoke test"
fi
SERVERS=()
((WITH_NETTY)) && SERVERS+=(netty)
SERVERS+=("${BACKEND_LIST[@]}")
((${#SERVERS[@]})) || die "nothing to measure: no backends and --no-netty"

# ---- prerequisites ----------------------------------------------------------------------------

install_missing

check_cpus "$SERVER_CPU" "$LOAD_CPU"

JDK=$(find_jdk) || exit 1

# bench/peers/build.sh builds the sample app per server (ringserver: after installing the core and the
# starter); Maven offline first (everything is usually in the local repository), online if that fails.
build() {
    local need_rs=0 need_netty=0 profiles=()
    for server in "${SERVERS[@]}"; do
        if [[ $server == netty ]]; then need_netty=1; else need_rs=1; fi
    done
    if ((need_rs)) && { ((REBUILD)) || [[ ! -f $ROOT/$RS_JAR_REL ]]; }; then profiles+=(ringserver); fi
    if ((need_netty)) && { ((REBUILD)) || [[ ! -f $ROOT/$NETTY_JAR_REL ]]; }; then profiles+=(netty); fi
    ((${#profiles[@]})) || return 0
    log "bench/peers/build.sh ${profiles[*]}"
    if ! JAVA_HOME=$JDK "$ROOT/bench/peers/build.sh" --offline "${profiles[@]}" >/dev/null; then
        log "the offline build failed; trying again online"
        JAVA_HOME=$JDK "$ROOT/bench/peers/build.sh" "${profiles[@]}" >/dev/null || die "bench/peers/build.sh ${profiles[*]} failed"
    fi
    ((!need_rs)) || [[ -f $ROOT/$RS_JAR_REL ]] || die "the build did not produce $RS_JAR_REL"
    ((!need_netty)) || [[ -f $ROOT/$NETTY_JAR_REL ]] || die "the build did not produce $NETTY_JAR_REL"
}
build

raise_open_file_limit

probe_perf

CLK_TCK=$(getconf CLK_TCK)

# ---- servers and cleanup ----------------------------------------------------------------------

bench_processes ringserver-webflux
declare -A PORT=() PID=() LOOPS=()


# Checks status, content type and body of one endpoint; prints what is wrong, if anything.
endpoint_problem() { # port endpoint
    local expected_body expected_type result
    case $2 in
        plaintext) expected_body=$BODY_PLAINTEXT expected_type=text/plain ;;
        json) expected_body=$BODY_JSON expected_type=application/json ;;
    esac
    result=$(curl -sS --max-time 5 -o - -w '\n%{http_code} %{content_type}' "http://127.0.0.1:$1/$2" 2>&1) \
        || { echo "curl failed: $result"; return 0; }
    local body=${result%$'\n'*} status_type=${result##*$'\n'}
    local status=${status_type%% *} type=${status_type#* }
    [[ $status == 200 && $type == "$expected_type"* && $body == "$expected_body" ]] \
        || echo "expected 200 $expected_type '$expected_body', got $status $type '$body'"
}

# The response head as sent (for the summary: the servers' fields differ).
response_facts() { # port endpoint
    curl -sS --max-time 5 -D "$TMP/head.txt" -o "$TMP/body.txt" "http://127.0.0.1:$1/$2" 2>/dev/null || return 0
    local head_bytes body_bytes fields
    head_bytes=$(wc -c <"$TMP/head.txt")
    body_bytes=$(wc -c <"$TMP/body.txt")
    fields=$(tr -d '\r' <"$TMP/head.txt" | sed -e '1d' -e '/^$/d' | paste -sd';' - | sed 's/;/; /g')
    printf '%s B head + %s B body: %s\n' "$head_bytes" "$body_bytes" "$fields"
}

start_server() {
    local server=$1 port=$2 jar args=("${APP_ARGS[@]}") ready_pattern transport
    port_in_use "$port" && die "port $port (for $server) is already taken; use --base-port"
    if [[ $server == netty ]]; then
        jar=$ROOT/$NETTY_JAR_REL
        ready_pattern='Netty started on port'
        transport=epoll
    else
        jar=$ROOT/$RS_JAR_REL
        args+=("${RS_ARGS[@]}" --ringserver.backend="$server")
        ready_pattern='RingServer started on port'
        transport=$server
    fi
    : >"$TMP/$server.out" # before the child opens them, so that the wait below can read them at once
    : >"$TMP/$server.err"
    taskset -c "$SERVER_CPU" "$JDK/bin/java" "${JVM_FLAGS[@]}" -jar "$jar" --server.port="$port" "${args[@]}" \
        >"$TMP/$server.out" 2>"$TMP/$server.err" &
    local pid=$!
    ALL_PIDS+=("$pid")
    PID[$server]=$pid
    local deadline=$((SECONDS + READY_TIMEOUT))
    until grep -q '^bench ready:' "$TMP/$server.out"; do
        if ! alive "$pid"; then
            die "$server exited before it was ready:
$(tail -n 30 "$TMP/$server.out" "$TMP/$server.err")"
        fi
        ((SECONDS < deadline)) || die "$server did not print its ready line within ${READY_TIMEOUT} s:
$(tail -n 30 "$TMP/$server.out" "$TMP/$server.err")"
        sleep 0.2
    done
    local ready started
    ready=$(grep -m1 '^bench ready:' "$TMP/$server.out")
    started=$(grep -h -m1 "$ready_pattern" "$TMP/$server.out" "$TMP/$server.err" | sed -E 's/^.*(RingServer|Netty) started/\1 started/' || true)
    [[ -n $started ]] || die "$server: no '$ready_pattern' line in its log"
    [[ $ready == *" port=$port "* ]] || die "$server listens elsewhere than on $port: $ready"
    # Reactor Netty on its native epoll transport, ringserver on the backend asked for.
    [[ $ready == *" transport=$transport "* ]] || die "$server: expected transport=$transport: $ready"
    if [[ $server != netty && $started != *" with backend $server "* ]]; then
        die "ringserver started another backend than $server: $started"
    fi
    log "$server: $started (pid $pid)"
    READY_LINES+=("$server: $started; ${ready#bench ready: }")
}

# The event-loop threads a server has (by thread name), to confirm one loop each.
count_loops() {
    local server=$1 prefix
    if [[ $server == netty ]]; then prefix=reactor-http-; else prefix=ringserver-loop; fi
    py loop-threads "${PID[$server]}" "$prefix"
}


# wrk runs in the background and the script waits for it: wrk catches SIGINT and exits normally,
# and bash would then ignore a Ctrl-C received while wrk ran in the foreground.
run_wrk() { # server endpoint connections seconds output
    local url="http://127.0.0.1:${PORT[$1]}/$2" rc=0
    taskset -c "$LOAD_CPU" wrk -t1 -c"$3" -d"$4"s --latency "$url" >"$5" 2>&1 &
    WRK_PID=$!
    wait "$WRK_PID" || rc=$?
    WRK_PID=""
    ((rc == 0)) || die "wrk failed against $1 /$2 (exit status $rc):
$(cat "$5")"
}

warm_up() {
    local server=$1 c=${CONN_LIST[0]} e
    for e in "${ENDPOINT_LIST[@]}"; do
        check_all_alive
        log "warm-up $server: ${WARMUP} s on /$e at $c connections"
        run_wrk "$server" "$e" "$c" "$WARMUP" "$TMP/warmup-$server-$e.txt"
        check_alive "$server"
        log "warm-up $server /$e: $(grep -m1 '^Requests/sec' "$TMP/warmup-$server-$e.txt" || echo 'no result')"
        sleep 1
    done
    LOOPS[$server]=$(count_loops "$server")
    [[ ${LOOPS[$server]} == "1 "* ]] \
        || log "warning: $server has ${LOOPS[$server]%% *} event-loop threads, not 1 (${LOOPS[$server]#* })"
}

# One run. Round 0 is the system-call pass after the measured rounds: only it attaches perf, whose
# tracepoint adds work to every system call and would penalise syscall-heavy servers in timed runs.
measure() { # round server endpoint connections
    local round=$1 server=$2 e=$3 c=$4
    local wrk_out=$TMP/run.txt perf_out="" heap_before="" heap_after="" t0 t1 cpu0 cpu1 pid=${PID[$2]}
    check_all_alive
    ((round == 0)) || heap_before=$(hpy heap "$pid" -- taskset -c "$LOAD_CPU" "$JDK/bin/jstat" -gc)
    t0=$(hpy ticks "$pid")
    cpu0=$(hpy cpustat "$LOAD_CPU" "$SERVER_CPU")
    if ((PERF_OK && round == 0)); then
        perf_out=$TMP/perf.txt
        perf_attach "$perf_out" "$server" "$pid"
    fi
    run_wrk "$server" "$e" "$c" "$DURATION" "$wrk_out"
    cpu1=$(hpy cpustat "$LOAD_CPU" "$SERVER_CPU")
    perf_detach
    check_alive "$server"
    t1=$(hpy ticks "$pid")
    [[ -z $heap_before ]] || heap_after=$(hpy heap "$pid" -- taskset -c "$LOAD_CPU" "$JDK/bin/jstat" -gc)
    sleep 1 # lets the last connections close before the next run
    local result
    result=$(py record --csv "$CSV" --round "$round" --server "$server" --endpoint "$e" --connections "$c" \
        --wrk "$wrk_out" --ticks-before "$t0" --ticks-after "$t1" --clk-tck "$CLK_TCK" --perf "$perf_out" \
        --cpustat-before "$cpu0" --cpustat-after "$cpu1" --heap-before "$heap_before" --heap-after "$heap_after")
    RUN=$((RUN + 1))
    local label="round $round"
    ((round == 0)) && label="syscalls"
    log "run $RUN/$TOTAL_RUNS $label /$e c=$c $(printf '%-8s' "$server") $result"
}

# ---- run --------------------------------------------------------------------------------------

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
START_EPOCH=$(date +%s)
STAMP=$(date -u -d "@$START_EPOCH" +%Y%m%dT%H%M%SZ)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
NAME="webflux-$STAMP"
((QUICK)) && NAME+="-quick"
CSV="$OUT/$NAME.csv"
MD="$OUT/$NAME.md"
PNG="$OUT/$NAME.png"
META=$TMP/meta.tsv
READY_LINES=()

WORKLOADS=$((${#ENDPOINT_LIST[@]} * ${#CONN_LIST[@]}))
TOTAL_RUNS=$(((ROUNDS + PERF_OK) * WORKLOADS * ${#SERVERS[@]}))
RUN=0
estimate=$(( ${#SERVERS[@]} * (20 + ${#ENDPOINT_LIST[@]} * (WARMUP + 1)) + TOTAL_RUNS * (DURATION + 3) ))
log "servers: ${SERVERS[*]}; endpoints: ${ENDPOINT_LIST[*]}; connections: ${CONN_LIST[*]}; rounds: $ROUNDS;" \
    "about $((estimate / 60 + 1)) min"

i=0
for server in "${SERVERS[@]}"; do
    PORT[$server]=$((BASE_PORT + i))
    i=$((i + 1))
done
for server in "${SERVERS[@]}"; do
    port_in_use "${PORT[$server]}" && die "port ${PORT[$server]} (for $server) is already taken; use --base-port"
done
# One after the other: they all start on CPU 1.
for server in "${SERVERS[@]}"; do start_server "$server" "${PORT[$server]}"; done
RESPONSES=()
for server in "${SERVERS[@]}"; do
    for e in "${ENDPOINT_LIST[@]}"; do
        problem=$(endpoint_problem "${PORT[$server]}" "$e")
        [[ -z $problem ]] || die "$server on port ${PORT[$server]}, GET /$e: $problem"
        RESPONSES+=("$server /$e: $(response_facts "${PORT[$server]}" "$e")")
    done
done
log "every server answers GET /plaintext and /json as expected"

for server in "${SERVERS[@]}"; do warm_up "$server"; done

n=${#SERVERS[@]}
for ((round = 1; round <= ROUNDS; round++)); do
    order=()
    for ((k = 0; k < n; k++)); do order+=("${SERVERS[$(((k + round - 1) % n))]}"); done
    log "round $round/$ROUNDS, order: ${order[*]}"
    for e in "${ENDPOINT_LIST[@]}"; do
        for c in "${CONN_LIST[@]}"; do
            for server in "${order[@]}"; do
                measure "$round" "$server" "$e" "$c"
            done
        done
    done
done

if ((PERF_OK)); then
    log "system-call pass (perf attached; not part of the medians above)"
    for e in "${ENDPOINT_LIST[@]}"; do
        for c in "${CONN_LIST[@]}"; do
            for server in "${SERVERS[@]}"; do
                measure 0 "$server" "$e" "$c"
            done
        done
    done
fi

# ---- summary ----------------------------------------------------------------------------------


libs="–"
if ((WITH_NETTY)); then
    libs="Netty jar: $(jar_libs "$ROOT/$NETTY_JAR_REL" spring-boot spring-webflux reactor-core reactor-netty-http netty-transport-native-epoll)"
fi
if ((${#BACKEND_LIST[@]})); then
    [[ $libs == "–" ]] && libs="" || libs+="; "
    libs+="ringserver jar: $(jar_libs "$ROOT/$RS_JAR_REL" spring-boot spring-webflux reactor-core ringserver-core ringserver-spring-boot-starter)"
fi
ports=""
for server in "${SERVERS[@]}"; do ports+="$server=${PORT[$server]} "; done
{
    machine_facts "$START_EPOCH" "$LOAD_START" "$JDK"
    printf 'libraries\t%s\n' "$libs"
    for line in "${READY_LINES[@]}"; do printf 'ready\t%s\n' "$line"; done
    for server in "${SERVERS[@]}"; do
        printf 'event-loop threads\t%s: %s (%s)\n' "$server" "${LOOPS[$server]%% *}" "${LOOPS[$server]#* }"
    done
    for line in "${RESPONSES[@]}"; do printf 'response\t%s\n' "$line"; done
    printf 'parameters\trounds=%s duration=%ss warmup=%ss per endpoint endpoints="%s" connections="%s" servers="%s" quick=%s\n' \
        "$ROUNDS" "$DURATION" "$WARMUP" "${ENDPOINT_LIST[*]}" "${CONN_LIST[*]}" "${SERVERS[*]}" \
        "$( ((QUICK)) && echo yes || echo no)"
    printf 'load\ttaskset -c %s wrk -t1 -c<N> -d%ss --latency http://127.0.0.1:<port>/<endpoint>; servers pinned with taskset -c %s; ports %s\n' \
        "$LOAD_CPU" "$DURATION" "$SERVER_CPU" "${ports% }"
    printf 'servers\tjava %s -jar %s|%s --server.port=<port> %s [%s --ringserver.backend=<backend>]\n' \
        "${JVM_FLAGS[*]}" "$RS_JAR_REL" "$NETTY_JAR_REL" "${APP_ARGS[*]}" "${RS_ARGS[*]}"
    printf 'command\tbench/webflux.sh %s\n' "$ORIGINAL_ARGS"
} >"$META"

log "done; summary follows"
py summary --csv "$CSV" --meta "$META" --md "$MD" --servers "${SERVERS[*]}" --endpoints "${ENDPOINT_LIST[*]}" \
    --connections "${CONN_LIST[*]}" $( ((QUICK)) && echo --quick)
# The Debian package's matplotlib belongs to /usr/bin/python3, which may not be the first python3 on PATH.
plot_python=""
for candidate in python3 /usr/bin/python3; do
    if "$candidate" -c 'import matplotlib' 2>/dev/null; then plot_python=$candidate; break; fi
done
if [[ -n $plot_python ]]; then
    "$plot_python" "$PLOT" "$CSV" "$PNG" $( ((QUICK)) && echo --quick) || log "warning: the plot failed"
    [[ -f $PNG ]] && log "wrote $PNG"
else
    log "no plot: python3-matplotlib is not installed (then: bench/plot_webflux.py $CSV $PNG)"
fi
log "wrote $CSV and $MD"
