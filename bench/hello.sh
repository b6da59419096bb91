#!/usr/bin/env bash
# Benchmark of ringserver's fixed "hello" responder on each backend, against nginx.
# See bench/README.md. Usage: bench/hello.sh [--quick] [options]
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
REPORT="$SCRIPT_DIR/hello_report.py"
JAR_REL=ringserver-core/target/ringserver-core-0.1.0-SNAPSHOT.jar
JAR="$ROOT/$JAR_REL"
SERVER_CPU=1
LOAD_CPU=0
READY_TIMEOUT=30

ROUNDS=3
DURATION=15
WARMUP=20
CONNECTIONS="64 256 256x16"
BACKENDS="io_uring epoll nio"
WITH_NGINX=1
OUT="$ROOT/bench/results"
QUICK=0
BASE_PORT=18080
ORIGINAL_ARGS="$*"

usage() {
    cat <<EOF
usage: bench/hello.sh [options]

Measures ringserver's fixed responder (--hello) per backend against nginx with wrk.
Servers run on CPU $SERVER_CPU, wrk on CPU $LOAD_CPU.

  --rounds N            measured rounds (default 3)
  --duration S          seconds per measured run (default 15)
  --warmup S            seconds of load per server before measuring (default 20, at least 20
                        unless --quick)
  --connections "W..."  workloads: N (N keep-alive connections) or NxD (N connections, each
                        pipelining D requests) (default "64 256 256x16")
  --backends "B..."     ringserver backends: io_uring epoll nio (default all three)
  --no-nginx            do not run nginx
  --out DIR             where the CSV and summary go (default bench/results)
  --base-port P         first port: nginx (if run), then each backend, get P, P+1, ... (default 18080)
  --quick               smoke test: 1 round, 5 s runs, 5 s warm-up; results are marked quick
  -h, --help            this help

The JDK is \$JAVA_HOME when it is Java 25 or later, otherwise $JDK25_DEFAULT.
EOF
}

BENCH_NAME=hello.sh
# shellcheck source=bench/lib.sh
source "$SCRIPT_DIR/lib.sh"
py() { python3 "$REPORT" "$@"; }

# ---- options ----------------------------------------------------------------------------------

SET_ROUNDS="" SET_DURATION="" SET_WARMUP=""
while (($#)); do
    case "$1" in
        --rounds) SET_ROUNDS=${2:?--rounds needs a value}; shift 2 ;;
        --duration) SET_DURATION=${2:?--duration needs a value}; shift 2 ;;
        --warmup) SET_WARMUP=${2:?--warmup needs a value}; shift 2 ;;
        --connections) CONNECTIONS=${2:?--connections needs a value}; shift 2 ;;
        --backends) BACKENDS=${2:?--backends needs a value}; shift 2 ;;
        --no-nginx) WITH_NGINX=0; shift ;;
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

positive() { [[ $2 =~ ^[1-9][0-9]*$ ]] || die "$1 must be a positive integer, not '$2'"; }
positive --rounds "$ROUNDS"
positive --duration "$DURATION"
positive --warmup "$WARMUP"
positive --base-port "$BASE_PORT"
read -r -a CONN_LIST <<<"$CONNECTIONS"
read -r -a BACKEND_LIST <<<"$BACKENDS"
((${#CONN_LIST[@]})) || die "--connections is empty"
for c in "${CONN_LIST[@]}"; do
    [[ $c =~ ^[1-9][0-9]*(x[1-9][0-9]*)?$ ]] || die "--connections takes N or NxD (positive integers), not '$c'"
done
for b in "${BACKEND_LIST[@]}"; do
    case "$b" in io_uring|epoll|nio) ;; *) die "unknown backend '$b' (io_uring, epoll or nio)" ;; esac
done
if ((!QUICK && WARMUP < 20)); then
    die "--warmup must be at least 20 s (JVMs need it); use --quick for a smoke test"
fi
SERVERS=()
((WITH_NGINX)) && SERVERS+=(nginx)
SERVERS+=("${BACKEND_LIST[@]}")
((${#SERVERS[@]})) || die "nothing to measure: no backends and --no-nginx"

# ---- prerequisites ----------------------------------------------------------------------------

install_nginx=()
if ((WITH_NGINX)) && ! nginx_bin >/dev/null; then install_nginx=(nginx-light); fi
install_missing "${install_nginx[@]}"

check_cpus "$SERVER_CPU" "$LOAD_CPU"

NGINX=""
if ((WITH_NGINX)); then
    NGINX=$(nginx_bin) || die "nginx not found"
    "$NGINX" -v >/dev/null 2>&1 || die "'$NGINX -v' does not work"
fi

JDK=""
if ((${#BACKEND_LIST[@]})); then
    JDK=$(find_jdk) || exit 1
    if [[ ! -f $JAR ]]; then
        log "building $JAR_REL with $JDK"
        (cd "$ROOT" && JAVA_HOME=$JDK ./mvnw -q -DskipTests package) || die "build failed"
        [[ -f $JAR ]] || die "build did not produce $JAR_REL"
    fi
fi

raise_open_file_limit

probe_perf

CLK_TCK=$(getconf CLK_TCK)

# ---- servers and cleanup ----------------------------------------------------------------------

bench_processes ringserver-bench
declare -A PORT=() PID=() CPU_PIDS=()


answers_hello() {
    local body
    body=$(curl -sS --max-time 5 -o - -w '\n%{http_code}' "http://127.0.0.1:$1/" 2>/dev/null) || return 1
    [[ $body == $'Hello, World!\n200' ]]
}

start_ringserver() {
    local backend=$1 port=$2
    port_in_use "$port" && die "port $port (for $backend) is already taken; use --base-port"
    taskset -c "$SERVER_CPU" "$JDK/bin/java" --enable-native-access=ALL-UNNAMED -jar "$JAR" \
        --hello --port "$port" --address 127.0.0.1 --backend "$backend" --loops 1 --stats 1 \
        >"$TMP/$backend.out" 2>"$TMP/$backend.err" &
    local pid=$!
    ALL_PIDS+=("$pid")
    PID[$backend]=$pid
    CPU_PIDS[$backend]=$pid
    local deadline=$((SECONDS + READY_TIMEOUT))
    until grep -q '^ringserver listening on' "$TMP/$backend.out"; do
        if ! alive "$pid"; then
            die "ringserver ($backend) exited before it was ready:
$(tail -n 20 "$TMP/$backend.err")"
        fi
        ((SECONDS < deadline)) || die "ringserver ($backend) did not print its ready line within ${READY_TIMEOUT} s"
        sleep 0.1
    done
    local ready
    ready=$(grep -m1 '^ringserver listening on' "$TMP/$backend.out")
    [[ $ready == *" backend=$backend "* ]] || die "ringserver started another backend than $backend: $ready"
    log "$ready (pid $pid)"
    READY_LINES+=("$ready")
}

start_nginx() {
    nginx_start "$1" "" '        location / { default_type text/plain; return 200 "Hello, World!"; }' answers_hello
    PID[nginx]=$NGINX_PID
    CPU_PIDS[nginx]="$NGINX_PID $NGINX_WORKERS"
}

is_ringserver() { [[ $1 != nginx ]]; }

# Waits until the server prints a stats line after this moment, so that the last line reflects
# everything done so far.
fresh_stats() {
    local file=$TMP/$1.err count deadline=$((SECONDS + 5))
    sleep 0.2
    count=$(grep -c '^stats ' "$file" || true)
    while (($(grep -c '^stats ' "$file" || true) <= count)); do
        ((SECONDS < deadline)) || die "$1 stopped printing stats lines"
        sleep 0.1
    done
    sleep 0.05
}



# wrk runs in the background and the script waits for it: wrk catches SIGINT and exits normally,
# and bash would then ignore a Ctrl-C received while wrk ran in the foreground.
run_wrk() { # server workload seconds output
    local url="http://127.0.0.1:${PORT[$1]}/" rc=0
    local args=(-t1 -c"${2%x*}" -d"$3"s --latency)
    if [[ $2 == *x* ]]; then
        args+=(-s "$SCRIPT_DIR/pipeline.lua" "$url" -- "${2#*x}") # NxD: D requests pipelined per connection
    else
        args+=("$url")
    fi
    taskset -c "$LOAD_CPU" wrk "${args[@]}" >"$4" 2>&1 &
    WRK_PID=$!
    wait "$WRK_PID" || rc=$?
    WRK_PID=""
    ((rc == 0)) || die "wrk failed against $1 (exit status $rc):
$(cat "$4")"
}

warm_up() {
    local server=$1 c=${CONN_LIST[0]}
    check_all_alive
    log "warm-up $server: ${WARMUP} s at workload $c"
    run_wrk "$server" "$c" "$WARMUP" "$TMP/warmup-$server.txt"
    check_alive "$server"
    log "warm-up $server: $(grep -m1 '^Requests/sec' "$TMP/warmup-$server.txt" || echo 'no result')"
    if is_ringserver "$server"; then fresh_stats "$server"; else sleep 1; fi
}

# One run. Round 0 is the system-call pass after the measured rounds: only it attaches perf, whose
# tracepoint adds work to every system call and would penalise syscall-heavy servers in timed runs.
measure() { # round server connections
    local round=$1 server=$2 c=$3
    local wrk_out=$TMP/run.txt perf_out="" stats_before="" stats_after="" heap_before="" heap_after="" t0 t1 cpu0 cpu1
    check_all_alive
    if is_ringserver "$server"; then
        stats_before=$(py last-stats "$TMP/$server.err")
        ((round == 0)) || heap_before=$(py heap "${PID[$server]}" -- taskset -c "$LOAD_CPU" "$JDK/bin/jstat" -gc)
    fi
    # shellcheck disable=SC2086
    t0=$(py ticks ${CPU_PIDS[$server]})
    cpu0=$(py cpustat "$LOAD_CPU" "$SERVER_CPU")
    if ((PERF_OK && round == 0)); then
        perf_out=$TMP/perf.txt
        # shellcheck disable=SC2086
        perf_attach "$perf_out" "$server" ${CPU_PIDS[$server]}
    fi
    run_wrk "$server" "$c" "$DURATION" "$wrk_out"
    cpu1=$(py cpustat "$LOAD_CPU" "$SERVER_CPU")
    perf_detach
    check_alive "$server"
    # shellcheck disable=SC2086
    t1=$(py ticks ${CPU_PIDS[$server]})
    if is_ringserver "$server"; then
        [[ -z $heap_before ]] || heap_after=$(py heap "${PID[$server]}" -- taskset -c "$LOAD_CPU" "$JDK/bin/jstat" -gc)
        fresh_stats "$server"
        stats_after=$(py last-stats "$TMP/$server.err")
    else
        sleep 1
    fi
    local result
    result=$(py record --csv "$CSV" --round "$round" --server "$server" --connections "$c" \
        --wrk "$wrk_out" --ticks-before "$t0" --ticks-after "$t1" --clk-tck "$CLK_TCK" \
        --perf "$perf_out" --stats-before "$stats_before" --stats-after "$stats_after" \
        --cpustat-before "$cpu0" --cpustat-after "$cpu1" --heap-before "$heap_before" --heap-after "$heap_after")
    RUN=$((RUN + 1))
    local label="round $round"
    ((round == 0)) && label="syscalls"
    log "run $RUN/$TOTAL_RUNS $label c=$c $(printf '%-8s' "$server") $result"
}

# ---- run --------------------------------------------------------------------------------------

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
START_EPOCH=$(date +%s)
STAMP=$(date -u -d "@$START_EPOCH" +%Y%m%dT%H%M%SZ)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
NAME="hello-$STAMP"
((QUICK)) && NAME+="-quick"
CSV="$OUT/$NAME.csv"
MD="$OUT/$NAME.md"
META=$TMP/meta.tsv
READY_LINES=()

TOTAL_RUNS=$(((ROUNDS + PERF_OK) * ${#CONN_LIST[@]} * ${#SERVERS[@]}))
RUN=0
estimate=$(( ${#SERVERS[@]} * (WARMUP + 2) + TOTAL_RUNS * (DURATION + 2) ))
log "servers: ${SERVERS[*]}; connections: ${CONN_LIST[*]}; rounds: $ROUNDS; about $((estimate / 60 + 1)) min"

i=0
for server in "${SERVERS[@]}"; do
    PORT[$server]=$((BASE_PORT + i))
    i=$((i + 1))
done
for server in "${SERVERS[@]}"; do
    port_in_use "${PORT[$server]}" && die "port ${PORT[$server]} (for $server) is already taken; use --base-port"
done
for server in "${SERVERS[@]}"; do
    if is_ringserver "$server"; then
        start_ringserver "$server" "${PORT[$server]}"
    else
        start_nginx "${PORT[$server]}"
    fi
done
for server in "${SERVERS[@]}"; do
    answers_hello "${PORT[$server]}" || die "$server on port ${PORT[$server]} does not answer 200 'Hello, World!'"
done
log "every server answers 200 'Hello, World!'"

for server in "${SERVERS[@]}"; do warm_up "$server"; done

n=${#SERVERS[@]}
for ((round = 1; round <= ROUNDS; round++)); do
    order=()
    for ((k = 0; k < n; k++)); do order+=("${SERVERS[$(((k + round - 1) % n))]}"); done
    log "round $round/$ROUNDS, order: ${order[*]}"
    for c in "${CONN_LIST[@]}"; do
        for server in "${order[@]}"; do
            measure "$round" "$server" "$c"
        done
    done
done

if ((PERF_OK)); then
    log "system-call pass (perf attached; not part of the medians above)"
    for c in "${CONN_LIST[@]}"; do
        for server in "${SERVERS[@]}"; do
            measure 0 "$server" "$c"
        done
    done
fi

# ---- summary ----------------------------------------------------------------------------------

ports=""
for server in "${SERVERS[@]}"; do ports+="$server=${PORT[$server]} "; done
{
    machine_facts "$START_EPOCH" "$LOAD_START" "$JDK" "$NGINX"
    for line in "${READY_LINES[@]}"; do printf 'ready\t%s\n' "$line"; done
    printf 'parameters\trounds=%s duration=%ss warmup=%ss connections="%s" servers="%s" quick=%s\n' \
        "$ROUNDS" "$DURATION" "$WARMUP" "${CONN_LIST[*]}" "${SERVERS[*]}" "$( ((QUICK)) && echo yes || echo no)"
    printf 'load\ttaskset -c %s wrk -t1 -c<N> -d%ss --latency [-s bench/pipeline.lua <url> -- <D>]; servers pinned with taskset -c %s; ports %s\n' \
        "$LOAD_CPU" "$DURATION" "$SERVER_CPU" "${ports% }"
    printf 'ringserver\tjava --enable-native-access=ALL-UNNAMED -jar %s --hello --address 127.0.0.1 --loops 1 --stats 1\n' "$JAR_REL"
    printf 'command\tbench/hello.sh %s\n' "$ORIGINAL_ARGS"
} >"$META"

log "done; summary follows"
py summary --csv "$CSV" --meta "$META" --md "$MD" --servers "${SERVERS[*]}" \
    --connections "${CONN_LIST[*]}" $( ((QUICK)) && echo --quick)
log "wrote $CSV and $MD"
