#!/usr/bin/env bash
# Benchmark of static files (4 KiB, 64 KiB, 1 MiB by default) served by ringserver's 'serve' command on
# each backend, against nginx with sendfile and against a WebFlux application on Reactor Netty.
# See bench/README.md. Usage: bench/files.sh [--quick] [options]
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
HELLO_REPORT="$SCRIPT_DIR/hello_report.py"
WEBFLUX_REPORT="$SCRIPT_DIR/webflux_report.py"
REPORT="$SCRIPT_DIR/files_report.py"
PLOT="$SCRIPT_DIR/plot_files.py"
VERSION=0.1.0-SNAPSHOT
JAR_REL=ringserver-core/target/ringserver-core-$VERSION.jar
JAR="$ROOT/$JAR_REL"
NETTY_JAR_REL=bench/peers/target/sample-netty.jar
SERVER_CPU=1
LOAD_CPU=0
READY_TIMEOUT=90
JVM_FLAGS=(--enable-native-access=ALL-UNNAMED)
# One Reactor Netty event loop (its default is max(processors, 4)); read when Netty's classes load.
NETTY_FLAGS=(-Dreactor.netty.ioWorkerCount=1)

ROUNDS=3
DURATION=15
WARMUP=20
CONNECTIONS="64"
SIZES="4k 64k 1m"
BACKENDS="io_uring epoll nio"
WITH_NGINX=1
WITH_NETTY=1
REBUILD=0
OUT="$ROOT/bench/results"
QUICK=0
BASE_PORT=18280
ORIGINAL_ARGS="$*"

usage() {
    cat <<EOF
usage: bench/files.sh [options]

Measures static files served by ringserver ('serve DIR', per backend), by nginx (sendfile on) and by a
WebFlux application on Reactor Netty (static resources from a file: location) with wrk. Servers run on
CPU $SERVER_CPU with one worker or event loop each, wrk on CPU $LOAD_CPU.

  --rounds N            measured rounds (default 3)
  --duration S          seconds per measured run (default 15)
  --warmup S            seconds of load per server and file size before measuring (default 20, at
                        least 20 unless --quick)
  --connections "N..."  keep-alive connection counts (default "64"; the first is used for warm-up)
  --sizes "S..."        file sizes: bytes, or with a k, m or g suffix (KiB, MiB, GiB) (default
                        "4k 64k 1m"); each is served as <size>.bin
  --backends "B..."     ringserver backends: io_uring epoll nio (default all three; "" for none)
  --no-nginx            do not run nginx (and no ratios to it)
  --no-netty            do not run Reactor Netty (and no ratios to it)
  --rebuild             build the ringserver jar and the Netty application jar even if they exist
  --out DIR             where the CSV, summary and plot go (default bench/results)
  --base-port P         first port: nginx, Netty, then each backend (those run) get P, P+1, ...
                        (default 18280)
  --quick               smoke test: 1 round, 5 s runs, 5 s warm-ups; results are marked quick
  -h, --help            this help

The JDK is \$JAVA_HOME when it is Java 25 or later, otherwise $JDK25_DEFAULT.
EOF
}

BENCH_NAME=files.sh
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
        --sizes) SIZES=${2:?--sizes needs a value}; shift 2 ;;
        --backends) (($# >= 2)) || die "--backends needs a value"; BACKENDS=$2; shift 2 ;;
        --no-nginx) WITH_NGINX=0; shift ;;
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
read -r -a SIZE_LIST <<<"${SIZES,,}"
((${#CONN_LIST[@]})) || die "--connections is empty"
((${#SIZE_LIST[@]})) || die "--sizes is empty"
for c in "${CONN_LIST[@]}"; do
    [[ $c =~ ^[1-9][0-9]*$ ]] || die "--connections takes positive integers, not '$c'"
done
declare -A SIZE_BYTES=()
for s in "${SIZE_LIST[@]}"; do
    [[ $s =~ ^([1-9][0-9]*)([kmg]?)$ ]] || die "--sizes takes N, Nk, Nm or Ng (N a positive integer), not '$s'"
    [[ -z ${SIZE_BYTES[$s]:-} ]] || die "--sizes lists '$s' twice"
    case ${BASH_REMATCH[2]} in
        k) SIZE_BYTES[$s]=$((BASH_REMATCH[1] << 10)) ;;
        m) SIZE_BYTES[$s]=$((BASH_REMATCH[1] << 20)) ;;
        g) SIZE_BYTES[$s]=$((BASH_REMATCH[1] << 30)) ;;
        *) SIZE_BYTES[$s]=${BASH_REMATCH[1]} ;;
    esac
    ((SIZE_BYTES[$s] <= 4 << 30)) || die "--sizes: '$s' is more than 4 GiB"
done
for b in "${BACKEND_LIST[@]}"; do
    case "$b" in io_uring|epoll|nio) ;; *) die "unknown backend '$b' (io_uring, epoll or nio)" ;; esac
done
if ((!QUICK && WARMUP < 20)); then
    die "--warmup must be at least 20 s (JVMs need it); use --quick for a smoke test"
fi
SERVERS=()
((WITH_NGINX)) && SERVERS+=(nginx)
((WITH_NETTY)) && SERVERS+=(netty)
SERVERS+=("${BACKEND_LIST[@]}")
((${#SERVERS[@]})) || die "nothing to measure: no backends, --no-nginx and --no-netty"

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
((WITH_NETTY || ${#BACKEND_LIST[@]})) && { JDK=$(find_jdk) || exit 1; }

# Maven offline first (everything is usually in the local repository), online if that fails.
mvn() {
    log "./mvnw $*"
    (cd "$ROOT" && JAVA_HOME=$JDK ./mvnw -q -o "$@") && return 0
    log "the offline build failed; trying again online"
    (cd "$ROOT" && JAVA_HOME=$JDK ./mvnw -q "$@")
}

if ((${#BACKEND_LIST[@]})) && { ((REBUILD)) || [[ ! -f $JAR ]]; }; then
    mvn package -DskipTests -pl ringserver-core || die "building $JAR_REL failed"
    [[ -f $JAR ]] || die "the build did not produce $JAR_REL"
fi
if ((WITH_NETTY)) && { ((REBUILD)) || [[ ! -f $ROOT/$NETTY_JAR_REL ]]; }; then
    # The same application and jar as bench/webflux.sh's: the sample app on Reactor Netty (bench/peers).
    log "bench/peers/build.sh netty"
    if ! JAVA_HOME=$JDK "$ROOT/bench/peers/build.sh" --offline netty >/dev/null; then
        log "the offline build failed; trying again online"
        JAVA_HOME=$JDK "$ROOT/bench/peers/build.sh" netty >/dev/null || die "building $NETTY_JAR_REL failed"
    fi
    [[ -f $ROOT/$NETTY_JAR_REL ]] || die "the build did not produce $NETTY_JAR_REL"
fi

# The static file server is the core's 'serve DIR' command. A jar built before it existed answers
# "unknown option 'serve'", and the run would fail later with a less helpful message: check it first.
check_serve_command() {
    local output rc=0
    output=$(timeout 60 "$JDK/bin/java" "${JVM_FLAGS[@]}" -jar "$JAR" serve --help 2>&1) || rc=$?
    ((rc == 0)) && return 0
    if grep -qiE "unknown (option|command|argument).*serve|choose what to serve" <<<"$output"; then
        die "$JAR_REL has no 'serve' command ('java -jar $JAR_REL serve --help' exited with status $rc):
$(head -n 3 <<<"$output")
The static file handler (dev.ringserver.files) and its command line (cli/ServeCommand) must be in the
build. Build from a commit that has them (bench/files.sh --rebuild), or measure nginx and Netty only
with --backends \"\"."
    fi
    log "warning: 'java -jar $JAR_REL serve --help' exited with status $rc; starting the servers anyway:
$(head -n 3 <<<"$output")"
}
# The command line may be built without the handler behind it (it then refuses to serve).
check_file_handler() {
    python3 - "$JAR" <<'EOF' && return 0
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
sys.exit(0 if any(n.startswith("dev/ringserver/files/") and n.endswith(".class") for n in names) else 1)
EOF
    die "$JAR_REL has a 'serve' command but no static file handler (no dev/ringserver/files/ classes):
build from a commit that has both (bench/files.sh --rebuild), or measure nginx and Netty only with
--backends \"\"."
}
if ((${#BACKEND_LIST[@]})); then
    check_serve_command
    check_file_handler
fi

raise_open_file_limit

probe_perf
# Besides every system call: are the bytes sent with sendfile (nginx, Netty, the readiness backends)
# or splice? io_uring's operations do not show as system calls.
PERF_EXTRA_EVENTS=$(probe_perf_events syscalls:sys_enter_sendfile64 syscalls:sys_enter_splice)
if ((PERF_OK)); then
    PERF_NOTE+="; also ${PERF_EXTRA_EVENTS:-no sendfile64/splice tracepoints}"
fi

CLK_TCK=$(getconf CLK_TCK)

# ---- files, servers and cleanup ---------------------------------------------------------------

bench_processes ringserver-files
declare -A PORT=() PID=() CPU_PIDS=() LOOPS=() STATS=()

# The served directory is in TMP (removed at the end). nginx's worker runs as another user when the
# script runs as root: it needs to reach the files.
chmod 711 "$TMP"
FILES_DIR=$TMP/files
mkdir -m 755 "$FILES_DIR"
FILE_FACTS=()
for s in "${SIZE_LIST[@]}"; do
    py gen-file "$FILES_DIR/$s.bin" "${SIZE_BYTES[$s]}"
    chmod 644 "$FILES_DIR/$s.bin"
    FILE_FACTS+=("$s.bin: ${SIZE_BYTES[$s]} bytes, sha256 $(sha256sum "$FILES_DIR/$s.bin" | cut -c1-16)…")
done
FILES_FS=$(findmnt -n -o FSTYPE -T "$FILES_DIR" 2>/dev/null || stat -f -c %T "$FILES_DIR")
log "generated ${SIZE_LIST[*]/%/.bin} in $FILES_DIR ($FILES_FS)"

status_of() { # port size
    curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/$2.bin" 2>/dev/null || true
}

# Checks status, Content-Length and every byte of one file; prints what is wrong, if anything.
file_problem() { # port size
    local port=$1 s=$2 result status length
    rm -f "$TMP/head.txt" "$TMP/body.bin"
    result=$(curl -sS --max-time 30 -D "$TMP/head.txt" -o "$TMP/body.bin" -w '%{http_code}' \
        "http://127.0.0.1:$port/$s.bin" 2>&1) || { echo "curl failed: $result"; return 0; }
    status=$result
    length=$(tr -d '\r' <"$TMP/head.txt" | sed -n -E 's/^[Cc]ontent-[Ll]ength:[[:space:]]*([0-9]+)$/\1/p' | tail -n 1)
    if [[ $status != 200 ]]; then
        echo "expected status 200, got $status"
    elif [[ $length != "${SIZE_BYTES[$s]}" ]]; then
        echo "expected Content-Length ${SIZE_BYTES[$s]}, got '${length}'"
    elif ! cmp -s "$TMP/body.bin" "$FILES_DIR/$s.bin"; then
        echo "the body ($(wc -c <"$TMP/body.bin") bytes) differs from $s.bin"
    fi
}

# The response head as sent (for the summary: the servers' fields differ).
response_facts() { # port size
    curl -sS --max-time 30 -D "$TMP/head.txt" -o /dev/null "http://127.0.0.1:$1/$2.bin" 2>/dev/null || return 0
    local head_bytes fields
    head_bytes=$(wc -c <"$TMP/head.txt")
    fields=$(tr -d '\r' <"$TMP/head.txt" | sed -e '1d' -e '/^$/d' | paste -sd';' - | sed 's/;/; /g')
    printf '%s B head: %s\n' "$head_bytes" "$fields"
}

# Waits until the server's ready line appears, or (when the line is not required: the format of
# ringserver's 'serve' line is not fixed here) until it answers 200 for the first file and has had
# two more seconds to print the line.
wait_ready() { # server port pid ready-pattern required(0|1) log...
    local server=$1 port=$2 pid=$3 pattern=$4 required=$5
    shift 5
    local deadline=$((SECONDS + READY_TIMEOUT)) answered=""
    until grep -q -- "$pattern" "$@" 2>/dev/null; do
        if ((!required)); then
            if [[ -n $answered ]]; then
                ((SECONDS < answered)) || break
            elif [[ $(status_of "$port" "${SIZE_LIST[0]}") == 200 ]]; then
                answered=$((SECONDS + 2))
            fi
        fi
        if ! alive "$pid"; then
            die "$server exited before it was ready:
$(tail -n 30 "$@")"
        fi
        ((SECONDS < deadline)) || die "$server did not get ready within ${READY_TIMEOUT} s:
$(tail -n 30 "$@")"
        sleep 0.2
    done
}

start_ringserver() {
    local backend=$1 port=$2
    : >"$TMP/$backend.out"
    : >"$TMP/$backend.err"
    taskset -c "$SERVER_CPU" "$JDK/bin/java" "${JVM_FLAGS[@]}" -jar "$JAR" serve "$FILES_DIR" \
        --port "$port" --address 127.0.0.1 --backend "$backend" --loops 1 --stats 1 \
        >"$TMP/$backend.out" 2>"$TMP/$backend.err" &
    local pid=$!
    ALL_PIDS+=("$pid")
    PID[$backend]=$pid
    CPU_PIDS[$backend]=$pid
    wait_ready "$backend" "$port" "$pid" '^ringserver listening on' 0 "$TMP/$backend.out" "$TMP/$backend.err"
    local ready
    ready=$(grep -h -m1 '^ringserver listening on' "$TMP/$backend.out" || true)
    if [[ -n $ready && $ready == *" backend="* && $ready != *" backend=$backend "* ]]; then
        die "ringserver started another backend than $backend: $ready"
    fi
    [[ -n $ready ]] || ready="(no 'ringserver listening on' line; answers on port $port)"
    log "ringserver $backend: $ready (pid $pid)"
    READY_LINES+=("$backend: $ready")
}

start_netty() {
    local port=$1
    : >"$TMP/netty.out"
    : >"$TMP/netty.err"
    taskset -c "$SERVER_CPU" "$JDK/bin/java" "${JVM_FLAGS[@]}" "${NETTY_FLAGS[@]}" -jar "$ROOT/$NETTY_JAR_REL" \
        --server.port="$port" --server.address=127.0.0.1 --spring.web.resources.static-locations="file:$FILES_DIR/" \
        >"$TMP/netty.out" 2>"$TMP/netty.err" &
    local pid=$!
    ALL_PIDS+=("$pid")
    PID[netty]=$pid
    CPU_PIDS[netty]=$pid
    wait_ready netty "$port" "$pid" '^bench ready:' 1 "$TMP/netty.out" "$TMP/netty.err"
    local ready started
    ready=$(grep -h -m1 '^bench ready:' "$TMP/netty.out" || true)
    started=$(grep -h -m1 'Netty started on port' "$TMP/netty.out" "$TMP/netty.err" | sed -E 's/^.*Netty started/Netty started/' || true)
    [[ -n $started ]] || die "netty: no 'Netty started on port' line in its log"
    [[ $ready == *" transport=epoll "* ]] || die "netty: expected Reactor Netty on its native epoll transport: $ready"
    log "netty: $started (pid $pid)"
    READY_LINES+=("netty: $started; ${ready#bench ready: }")
}

NGINX_SETTINGS="worker_processes 1; sendfile on; tcp_nopush on; open_file_cache max=64 inactive=60s; open_file_cache_valid 60s; access_log off; keepalive_requests 100000000; keepalive_timeout 120s"

nginx_answers_files() { [[ $(status_of "$1" "${SIZE_LIST[0]}") == 200 ]]; }

# open_file_cache keeps the files' descriptors and sizes between requests: nginx does not open,
# stat and close a file per request (the others may; that is part of what is measured).
start_nginx() {
    nginx_start "$1" "    sendfile on;
    tcp_nopush on;
    open_file_cache max=64 inactive=60s;
    open_file_cache_valid 60s;
    default_type application/octet-stream;
" "        root $FILES_DIR;
        location / { }" nginx_answers_files
    PID[nginx]=$NGINX_PID
    CPU_PIDS[nginx]="$NGINX_PID $NGINX_WORKERS"
    LOOPS[nginx]="$(wc -w <<<"$NGINX_WORKERS") worker process(es): $NGINX_WORKERS"
    READY_LINES+=("nginx: master $NGINX_PID, worker $NGINX_WORKERS")
}

is_ringserver() { [[ $1 != nginx && $1 != netty ]]; }
is_jvm() { [[ $1 != nginx ]]; }

# Event-loop threads of a JVM by thread name, to confirm one loop each.
count_loops() {
    local server=$1 prefix
    if [[ $server == netty ]]; then prefix=reactor-http-; else prefix=ringserver-loop; fi
    python3 "$WEBFLUX_REPORT" loop-threads "${PID[$server]}" "$prefix"
}

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
run_wrk() { # server size connections seconds output
    local url="http://127.0.0.1:${PORT[$1]}/$2.bin" rc=0
    taskset -c "$LOAD_CPU" wrk -t1 -c"$3" -d"$4"s --latency "$url" >"$5" 2>&1 &
    WRK_PID=$!
    wait "$WRK_PID" || rc=$?
    WRK_PID=""
    ((rc == 0)) || die "wrk failed against $1 /$2.bin (exit status $rc):
$(cat "$5")"
}

warm_up() {
    local server=$1 c=${CONN_LIST[0]} s
    for s in "${SIZE_LIST[@]}"; do
        check_all_alive
        log "warm-up $server: ${WARMUP} s on /$s.bin at $c connections"
        run_wrk "$server" "$s" "$c" "$WARMUP" "$TMP/warmup-$server-$s.txt"
        check_alive "$server"
        log "warm-up $server /$s.bin: $(grep -m1 '^Requests/sec' "$TMP/warmup-$server-$s.txt" || echo 'no result')"
        sleep 1
    done
    if is_jvm "$server"; then
        LOOPS[$server]=$(count_loops "$server")
        [[ ${LOOPS[$server]} == "1 "* ]] \
            || log "warning: $server has ${LOOPS[$server]%% *} event-loop threads, not 1 (${LOOPS[$server]#* })"
    fi
    if is_ringserver "$server"; then
        # --stats 1 prints a line every second; without them the server counters stay empty.
        if grep -q '^stats ' "$TMP/$server.err"; then
            STATS[$server]=1
        else
            STATS[$server]=0
            log "warning: $server prints no 'stats' lines; no server counters for it"
        fi
    fi
}

# One run. Round 0 is the system-call pass after the measured rounds: only it attaches perf, whose
# tracepoints add work to every system call and would penalise syscall-heavy servers in timed runs.
measure() { # round server size connections
    local round=$1 server=$2 s=$3 c=$4
    local wrk_out=$TMP/run.txt perf_out="" stats_before="" stats_after="" heap_before="" heap_after="" t0 t1 cpu0 cpu1
    local stats=0
    is_ringserver "$server" && ((STATS[$server])) && stats=1
    check_all_alive
    ((stats)) && stats_before=$(hpy last-stats "$TMP/$server.err")
    if is_jvm "$server" && ((round > 0)); then
        heap_before=$(hpy heap "${PID[$server]}" -- taskset -c "$LOAD_CPU" "$JDK/bin/jstat" -gc)
    fi
    # shellcheck disable=SC2086
    t0=$(hpy ticks ${CPU_PIDS[$server]})
    cpu0=$(hpy cpustat "$LOAD_CPU" "$SERVER_CPU")
    if ((PERF_OK && round == 0)); then
        perf_out=$TMP/perf.txt
        # shellcheck disable=SC2086
        perf_attach "$perf_out" "$server" ${CPU_PIDS[$server]}
    fi
    run_wrk "$server" "$s" "$c" "$DURATION" "$wrk_out"
    cpu1=$(hpy cpustat "$LOAD_CPU" "$SERVER_CPU")
    perf_detach
    check_alive "$server"
    # shellcheck disable=SC2086
    t1=$(hpy ticks ${CPU_PIDS[$server]})
    [[ -z $heap_before ]] || heap_after=$(hpy heap "${PID[$server]}" -- taskset -c "$LOAD_CPU" "$JDK/bin/jstat" -gc)
    if ((stats)); then
        fresh_stats "$server"
        stats_after=$(hpy last-stats "$TMP/$server.err")
    fi
    sleep 1 # lets the last connections close before the next run
    local result
    result=$(py record --csv "$CSV" --round "$round" --server "$server" --size "$s" --size-bytes "${SIZE_BYTES[$s]}" \
        --connections "$c" --wrk "$wrk_out" --ticks-before "$t0" --ticks-after "$t1" --clk-tck "$CLK_TCK" \
        --perf "$perf_out" --stats-before "$stats_before" --stats-after "$stats_after" \
        --cpustat-before "$cpu0" --cpustat-after "$cpu1" --heap-before "$heap_before" --heap-after "$heap_after")
    RUN=$((RUN + 1))
    local label="round $round"
    ((round == 0)) && label="syscalls"
    log "run $RUN/$TOTAL_RUNS $label $s.bin c=$c $(printf '%-8s' "$server") $result"
}

# ---- run --------------------------------------------------------------------------------------

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
START_EPOCH=$(date +%s)
STAMP=$(date -u -d "@$START_EPOCH" +%Y%m%dT%H%M%SZ)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
NAME="files-$STAMP"
((QUICK)) && NAME+="-quick"
CSV="$OUT/$NAME.csv"
MD="$OUT/$NAME.md"
PNG="$OUT/$NAME.png"
META=$TMP/meta.tsv
READY_LINES=()

WORKLOADS=$((${#SIZE_LIST[@]} * ${#CONN_LIST[@]}))
TOTAL_RUNS=$(((ROUNDS + PERF_OK) * WORKLOADS * ${#SERVERS[@]}))
RUN=0
estimate=$(( ${#SERVERS[@]} * (15 + ${#SIZE_LIST[@]} * (WARMUP + 1)) + TOTAL_RUNS * (DURATION + 3) ))
log "servers: ${SERVERS[*]}; sizes: ${SIZE_LIST[*]}; connections: ${CONN_LIST[*]}; rounds: $ROUNDS;" \
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
for server in "${SERVERS[@]}"; do
    case $server in
        nginx) start_nginx "${PORT[$server]}" ;;
        netty) start_netty "${PORT[$server]}" ;;
        *) start_ringserver "$server" "${PORT[$server]}" ;;
    esac
done
RESPONSES=()
for server in "${SERVERS[@]}"; do
    for s in "${SIZE_LIST[@]}"; do
        problem=$(file_problem "${PORT[$server]}" "$s")
        [[ -z $problem ]] || die "$server on port ${PORT[$server]}, GET /$s.bin: $problem"
    done
    RESPONSES+=("$server /${SIZE_LIST[0]}.bin: $(response_facts "${PORT[$server]}" "${SIZE_LIST[0]}")")
done
log "every server answers every file with 200, the right Content-Length and the same bytes"

for server in "${SERVERS[@]}"; do warm_up "$server"; done

n=${#SERVERS[@]}
for ((round = 1; round <= ROUNDS; round++)); do
    order=()
    for ((k = 0; k < n; k++)); do order+=("${SERVERS[$(((k + round - 1) % n))]}"); done
    log "round $round/$ROUNDS, order: ${order[*]}"
    for s in "${SIZE_LIST[@]}"; do
        for c in "${CONN_LIST[@]}"; do
            for server in "${order[@]}"; do
                measure "$round" "$server" "$s" "$c"
            done
        done
    done
done

if ((PERF_OK)); then
    log "system-call pass (perf attached; not part of the medians above)"
    for s in "${SIZE_LIST[@]}"; do
        for c in "${CONN_LIST[@]}"; do
            for server in "${SERVERS[@]}"; do
                measure 0 "$server" "$s" "$c"
            done
        done
    done
fi

# Every file once more after the load: the servers still send the right bytes.
for server in "${SERVERS[@]}"; do
    for s in "${SIZE_LIST[@]}"; do
        problem=$(file_problem "${PORT[$server]}" "$s")
        [[ -z $problem ]] || die "after the runs, $server on port ${PORT[$server]}, GET /$s.bin: $problem"
    done
done

# ---- summary ----------------------------------------------------------------------------------


ports=""
for server in "${SERVERS[@]}"; do ports+="$server=${PORT[$server]} "; done
{
    machine_facts "$START_EPOCH" "$LOAD_START" "$JDK" "$NGINX"
    ((WITH_NETTY)) && printf 'libraries\tNetty jar: %s\n' \
        "$(jar_libs "$ROOT/$NETTY_JAR_REL" spring-boot spring-webflux reactor-core reactor-netty-http netty-transport-native-epoll)"
    printf 'files\t%s, in a %s directory (page cache warm: every file is read before the runs)\n' \
        "$(IFS=';'; echo "${FILE_FACTS[*]}" | sed 's/;/; /g')" "$FILES_FS"
    for line in "${READY_LINES[@]}"; do printf 'ready\t%s\n' "$line"; done
    for server in "${SERVERS[@]}"; do
        [[ -n ${LOOPS[$server]:-} ]] || continue
        printf 'event loops / workers\t%s: %s (%s)\n' "$server" "${LOOPS[$server]%% *}" "${LOOPS[$server]#* }"
    done
    for line in "${RESPONSES[@]}"; do printf 'response\t%s\n' "$line"; done
    printf 'parameters\trounds=%s duration=%ss warmup=%ss per size sizes="%s" connections="%s" servers="%s" quick=%s\n' \
        "$ROUNDS" "$DURATION" "$WARMUP" "${SIZE_LIST[*]}" "${CONN_LIST[*]}" "${SERVERS[*]}" \
        "$( ((QUICK)) && echo yes || echo no)"
    printf 'load\ttaskset -c %s wrk -t1 -c<N> -d%ss --latency http://127.0.0.1:<port>/<size>.bin; servers pinned with taskset -c %s; ports %s\n' \
        "$LOAD_CPU" "$DURATION" "$SERVER_CPU" "${ports% }"
    ((WITH_NGINX)) && printf 'nginx\t%s; root <dir>\n' "$NGINX_SETTINGS"
    ((WITH_NETTY)) && printf 'netty\tjava %s %s -jar %s --server.port=<port> --server.address=127.0.0.1 --spring.web.resources.static-locations=file:<dir>/\n' \
        "${JVM_FLAGS[*]}" "${NETTY_FLAGS[*]}" "$NETTY_JAR_REL"
    ((${#BACKEND_LIST[@]})) && printf 'ringserver\tjava %s -jar %s serve <dir> --port <port> --address 127.0.0.1 --backend <backend> --loops 1 --stats 1\n' \
        "${JVM_FLAGS[*]}" "$JAR_REL"
    printf 'command\tbench/files.sh %s\n' "$ORIGINAL_ARGS"
} >"$META"

log "done; summary follows"
py summary --csv "$CSV" --meta "$META" --md "$MD" --servers "${SERVERS[*]}" --sizes "${SIZE_LIST[*]}" \
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
    log "no plot: python3-matplotlib is not installed (then: bench/plot_files.py $CSV $PNG)"
fi
log "wrote $CSV and $MD"
