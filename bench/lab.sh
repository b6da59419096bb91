#!/usr/bin/env bash
# The benchmark lab: ringserver (standalone and under WebFlux, each backend), nginx, and the same Spring
# application on Reactor Netty (epoll, io_uring), Tomcat and Jetty, over a matrix of workloads, connection
# counts and event-loop counts, with CPU, context switches, system calls and memory per run.
# This script checks the machine and builds what is missing, then bench/lab.py runs the matrix,
# bench/lab_report.py writes the summary and bench/plot_lab.py the plots. See bench/README.md.
# Usage: bench/lab.sh --quick | --full | [options]
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
LAB="$SCRIPT_DIR/lab.py"
REPORT="$SCRIPT_DIR/lab_report.py"
PLOT="$SCRIPT_DIR/plot_lab.py"
CORE_JAR_REL=ringserver-core/target/ringserver-core-0.1.0-SNAPSHOT.jar
PEERS_BUILD_REL=bench/peers/build.sh

BENCH_NAME=lab.sh
# shellcheck source=bench/lib.sh
source "$SCRIPT_DIR/lib.sh"

usage() {
    cat <<EOF
usage: bench/lab.sh --quick | --full | [options]

Runs the benchmark matrix: servers × workloads × connections × event loops, interleaved rounds, a
system-call pass, then the summary and the plots, into bench/results/lab-<UTC time>[-quick]/.

  --quick               a subset in under 10 minutes: 6 servers, hello, static-64k and json, 50 and
                        1000 connections, loops 1, 1 round of 5 s, short warm-ups (results marked quick)
  --full                everything (the default): 13 servers, 6 workloads, 50/200/1000/5000
                        connections, loops "1 2", 3 rounds of 15 s (many hours: see the estimate)
  --servers "S,..."     ringserver-io_uring ringserver-epoll ringserver-kqueue ringserver-nio
                        webflux-io_uring webflux-epoll webflux-kqueue webflux-nio nginx netty-epoll netty-io_uring tomcat jetty
  --workloads "W,..."   hello hello-pipelined static-4k static-64k static-1m json
  --connections "N,..." connection counts (default "50 200 1000 5000")
  --loops "N,..."       event loops / nginx workers / Netty I/O workers (default "1 2"; Tomcat and Jetty
                        keep their defaults)
  --rounds N            measured rounds (default 3)
  --duration S          seconds per measured run (default 15)
  --warmup S            seconds of load per JVM on its first workload (default 60, at least 20 unless --quick)
  --warmup-each S       seconds of load per server on each further workload (default 5)
  --syscall-duration S  seconds per run of the system-call pass (default 10)
  --no-syscalls         no system-call pass
  --server-cpus CPUS    CPUs the servers are pinned to (default 1)
  --load-cpus CPUS      CPUs wrk is pinned to, one wrk thread each (default 0)
  --base-port P         first port (default 18400)
  --wrk-timeout S       wrk's --timeout (default 10)
  --max-minutes M       refuse to start when the estimate is longer
  --out DIR             output directory (default bench/results/lab-<UTC time>[-quick])
  --dry-run             print the plan and the estimate, then stop
  --no-build            do not build missing jars (servers without theirs are skipped)
  --rebuild             build the ringserver jar and the peers' jars even if they exist
  -h, --help            this help

Lists take commas or spaces. Explicit options override the preset's values. The JDK is \$JAVA_HOME
when it is Java 25 or later, otherwise $JDK25_DEFAULT.
EOF
}

LAB_COMMAND=bench/lab.sh # as typed, for the records
(($#)) && LAB_COMMAND+=$(printf ' %q' "$@")
export LAB_COMMAND
BUILD=1
REBUILD=0
ARGS=()
while (($#)); do
    case "$1" in
        --no-build) BUILD=0 ;;
        --rebuild) REBUILD=1 ;;
        -h|--help) usage; exit 0 ;;
        *) ARGS+=("$1") ;;
    esac
    shift
done
((BUILD || !REBUILD)) || die "--no-build and --rebuild contradict each other"

command -v python3 >/dev/null || install_missing
PLAN=$(python3 "$LAB" plan "${ARGS[@]}") || exit $?
eval "$PLAN"
((LAB_DRY_RUN)) && exit 0

# ---- prerequisites ----------------------------------------------------------------------------

extra=()
if ((LAB_NEED_NGINX)) && ! nginx_bin >/dev/null; then extra+=(nginx-light); fi
install_missing "${extra[@]}"
check_cpus "$LAB_SERVER_CPUS" "$LAB_LOAD_CPUS"
LAB_NGINX=""
if ((LAB_NEED_NGINX)); then
    LAB_NGINX=$(nginx_bin) || die "nginx not found"
fi
LAB_JDK=""
((LAB_NEED_JDK)) && { LAB_JDK=$(find_jdk) || exit 1; }

# Maven offline first (everything is usually in the local repository), online if that fails.
mvn() {
    log "./mvnw $*"
    (cd "$ROOT" && JAVA_HOME=$LAB_JDK ./mvnw -q -o "$@") && return 0
    log "the offline build failed; trying again online"
    (cd "$ROOT" && JAVA_HOME=$LAB_JDK ./mvnw -q "$@")
}

# A failed build stops a --rebuild (old jars would be measured); otherwise the servers without their jar
# are skipped with the reason, and the others run.
build_failed() {
    ((REBUILD)) && die "$1"
    log "warning: $1; the servers that need it will be skipped"
}
if ((BUILD && LAB_NEED_CORE)) && { ((REBUILD)) || [[ ! -f $ROOT/$CORE_JAR_REL ]]; }; then
    mvn package -DskipTests -pl ringserver-core || build_failed "building $CORE_JAR_REL failed"
fi
if ((BUILD)) && [[ -n $LAB_NEED_PROFILES ]]; then
    for p in $LAB_NEED_PROFILES; do
        ((REBUILD)) || [[ ! -f $ROOT/bench/peers/target/sample-$p.jar ]] || continue
        if [[ ! -x $ROOT/$PEERS_BUILD_REL ]]; then
            build_failed "$PEERS_BUILD_REL is missing, so bench/peers/target/sample-$p.jar cannot be built"
            continue
        fi
        # One profile at a time: one that fails to build leaves the others.
        log "$PEERS_BUILD_REL $p"
        (cd "$ROOT" && JAVA_HOME=$LAB_JDK "$PEERS_BUILD_REL" "$p" >/dev/null) \
            || build_failed "$PEERS_BUILD_REL $p failed"
    done
fi

raise_open_file_limit
probe_perf
LAB_PERF_EVENTS="raw_syscalls:sys_enter"
if ((PERF_OK)); then
    LAB_PERF_EVENTS+=" $(probe_perf_events context-switches)"
fi
export LAB_JDK LAB_NGINX LAB_PERF=$PERF_OK LAB_PERF_NOTE="$PERF_NOTE" LAB_PERF_EVENTS

# ---- the matrix, the summary, the plots -------------------------------------------------------

OUT=$LAB_OUT
# lab.py stops every process it started when it gets SIGINT, SIGTERM or SIGHUP; pass them on (it ignores
# repeats), and wait for it to finish its cleanup.
rc=0
python3 "$LAB" run "${ARGS[@]}" --out "$OUT" &
LAB_PID=$!
trap 'kill -INT "$LAB_PID" 2>/dev/null || true' INT
trap 'kill -TERM "$LAB_PID" 2>/dev/null || true' TERM
trap 'kill -HUP "$LAB_PID" 2>/dev/null || true' HUP
while :; do
    rc=0
    wait "$LAB_PID" || rc=$?
    kill -0 "$LAB_PID" 2>/dev/null || break # wait returns early when a trap runs
done
trap - INT TERM HUP
if ((rc == 130)); then
    log "interrupted; partial results in $OUT (summary: python3 $REPORT $OUT)"
    exit 130
fi
if [[ ! -s $OUT/results.csv ]]; then
    log "no results"
    exit $((rc ? rc : 1))
fi
python3 "$REPORT" "$OUT" || die "the summary failed"
# The Debian package's matplotlib belongs to /usr/bin/python3, which may not be the first python3 on PATH.
plot_python=""
for candidate in python3 /usr/bin/python3; do
    if "$candidate" -c 'import matplotlib' 2>/dev/null; then plot_python=$candidate; break; fi
done
if [[ -n $plot_python ]]; then
    "$plot_python" "$PLOT" "$OUT" || log "warning: the plots failed"
else
    log "no plots: matplotlib is missing (apt-get install python3-matplotlib, then: /usr/bin/python3 $PLOT $OUT)"
fi
log "results: $OUT (results.csv, meta.json, summary.md, results.json, *.png, logs/)"
exit "$rc"
