# Shared by bench/hello.sh, bench/webflux.sh and bench/files.sh (sourced, not run): logging,
# prerequisites, the JDK, the open-file limit, the perf probe, process bookkeeping and cleanup, and
# perf attached to a server for one run. Each function uses only what it is given and the globals
# documented here:
#   BENCH_NAME   the calling script's name, for messages
#   LIB_REPORT   bench/hello_report.py (its perf-count subcommand)
#   TMP, ALL_PIDS, PERF_PID, WRK_PID  set by bench_processes; cleanup stops and removes them
#   PERF_EXTRA_EVENTS  events perf_attach counts besides raw_syscalls:sys_enter (space-separated;
#                empty unless the caller sets it, e.g. from probe_perf_events)
# shellcheck shell=bash

LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LIB_REPORT="$LIB_DIR/hello_report.py"
JDK25_DEFAULT=/usr/lib/jvm/temurin-25-jdk-amd64

die() { printf '%s: error: %s\n' "$BENCH_NAME" "$*" >&2; exit 1; }
log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
positive() { [[ $2 =~ ^[1-9][0-9]*$ ]] || die "$1 must be a positive integer, not '$2'"; }

# Installs wrk, curl, python3, taskset and any extra Debian packages given when missing.
install_missing() { # [package ...] (extra ones the caller found missing)
    local missing=("$@")
    command -v wrk >/dev/null || missing+=(wrk)
    command -v curl >/dev/null || missing+=(curl)
    command -v python3 >/dev/null || missing+=(python3)
    command -v taskset >/dev/null || missing+=(util-linux)
    ((${#missing[@]})) || return 0
    local sudo=()
    if ((EUID != 0)); then
        command -v sudo >/dev/null || die "missing ${missing[*]}; run as root or install them"
        sudo=(sudo)
    fi
    command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them"
    log "installing ${missing[*]} with apt-get"
    "${sudo[@]}" apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
}

check_cpus() { # server-cpu load-cpu
    (($(nproc --all) >= 2)) || die "needs at least 2 CPUs (server on CPU $1, wrk on CPU $2)"
    taskset -c "$1" true 2>/dev/null || die "cannot pin to CPU $1"
    taskset -c "$2" true 2>/dev/null || die "cannot pin to CPU $2"
}

java_major() {
    "$1/bin/java" -version 2>&1 | sed -n -E '1s/.*version "([0-9]+).*/\1/p'
}

# Prints $JAVA_HOME when it is Java 25 or later, else the default JDK 25; fails without one.
find_jdk() {
    local home major
    for home in "${JAVA_HOME:-}" "$JDK25_DEFAULT"; do
        [[ -n $home && -x $home/bin/java ]] || continue
        major=$(java_major "$home")
        if [[ $major =~ ^[0-9]+$ ]] && ((major >= 25)); then echo "$home"; return 0; fi
    done
    die "no JDK 25 or later: set JAVA_HOME (tried '${JAVA_HOME:-}' and $JDK25_DEFAULT)"
}

# Thousands of connections need descriptors: raise the soft limit as far as allowed.
raise_open_file_limit() {
    local nofile hard
    nofile=$(ulimit -n)
    [[ $nofile != unlimited ]] && ((nofile < 65536)) || return 0
    if ulimit -n 65536 2>/dev/null; then
        log "raised open-file limit from $nofile to 65536"
        return 0
    fi
    hard=$(ulimit -Hn)
    if [[ $hard != "$nofile" ]] && ulimit -n "$hard" 2>/dev/null; then
        log "warning: raised the open-file limit from $nofile only to the hard limit $hard, not 65536"
    else
        log "warning: could not raise the open-file limit above $nofile (hard limit $hard)"
    fi
}

# Sets PERF_OK (1 when perf can count raw_syscalls:sys_enter here) and PERF_NOTE (what was found).
probe_perf() {
    PERF_OK=0
    PERF_NOTE="unavailable"
    if ! command -v perf >/dev/null; then
        PERF_NOTE="unavailable (perf not installed)"
        return 0
    fi
    local probe
    probe=$(mktemp)
    if perf stat -e raw_syscalls:sys_enter -x, -o "$probe" true >/dev/null 2>&1 \
            && [[ -n $(python3 "$LIB_REPORT" perf-count "$probe") ]]; then
        PERF_OK=1
        PERF_NOTE="perf stat -e raw_syscalls:sys_enter ($(perf --version 2>/dev/null || echo perf))"
    else
        PERF_NOTE="unavailable (perf stat -e raw_syscalls:sys_enter failed; check perf_event_paranoid and tracefs)"
    fi
    rm -f "$probe"
}

# Prints those of the given perf events that perf can count here (one line, space-separated).
probe_perf_events() { # event...
    local event probe found=()
    ((PERF_OK)) || return 0
    probe=$(mktemp)
    for event in "$@"; do
        if perf stat -e "$event" -x, -o "$probe" true >/dev/null 2>&1 \
                && grep -q "^[0-9][0-9]*,.*,$event," "$probe"; then
            found+=("$event")
        fi
    done
    rm -f "$probe"
    echo "${found[*]}"
}

alive() {
    local state
    state=$(sed -E 's/.*\) ([A-Za-z]).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
    [[ -n $state && $state != Z && $state != X ]]
}

# Stops wrk, perf and every server started (SIGTERM, then SIGKILL after 10 s), removes TMP.
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n $WRK_PID ]]; then kill -TERM "$WRK_PID" 2>/dev/null || true; fi
    if [[ -n $PERF_PID ]]; then kill -INT "$PERF_PID" 2>/dev/null || true; fi
    local pid
    for pid in "${ALL_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    local deadline=$((SECONDS + 10))
    for pid in "${ALL_PIDS[@]}"; do
        while alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
        if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
    done
    wait 2>/dev/null || true
    rm -rf "$TMP"
    exit "$rc"
}

# Creates TMP and the process bookkeeping, and installs cleanup on exit and interruption.
bench_processes() { # tmp-name-prefix
    TMP=$(mktemp -d -t "$1.XXXXXX")
    ALL_PIDS=()
    PERF_PID=""
    WRK_PID=""
    trap cleanup EXIT
    trap 'log "interrupted"; exit 130' INT
    trap 'log "terminated"; exit 143' TERM
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Starts perf counting system calls of every thread of the given processes into a file, and waits
# until it has opened its events (one per thread) so the run that follows is counted whole.
perf_attach() { # output label pid...
    local out=$1 label=$2
    shift 2
    rm -f "$out"
    local pids="$*" events=(-e raw_syscalls:sys_enter) event count=1
    for event in ${PERF_EXTRA_EVENTS:-}; do events+=(-e "$event"); count=$((count + 1)); done
    perf stat "${events[@]}" -x, -o "$out" -p "${pids// /,}" >/dev/null 2>&1 &
    PERF_PID=$!
    local threads=0 fds=0 pid deadline=$((SECONDS + 5))
    for pid in "$@"; do threads=$((threads + $(ls "/proc/$pid/task" | wc -l))); done
    threads=$((threads * count)) # perf opens one descriptor per thread and event
    until ((fds >= threads)); do
        if ! alive "$PERF_PID" || ((SECONDS >= deadline && fds == 0)); then
            log "warning: perf did not attach to $label; no perf syscall count for this run"
            break
        fi
        ((SECONDS < deadline)) || break # a thread may have ended since they were counted
        sleep 0.02
        fds=$(ls -l "/proc/$PERF_PID/fd" 2>/dev/null | grep -c perf_event || true)
    done
    sleep 0.1
}

perf_detach() {
    if [[ -n $PERF_PID ]]; then
        kill -INT "$PERF_PID" 2>/dev/null || true
        wait "$PERF_PID" 2>/dev/null || true
        PERF_PID=""
    fi
}

nginx_bin() {
    if command -v nginx 2>/dev/null; then return 0; fi
    if [[ -x /usr/sbin/nginx ]]; then echo /usr/sbin/nginx; return 0; fi
    return 1
}

# Starts one pinned nginx worker listening on 127.0.0.1:PORT, with the given extra http-level
# directives and server-level body, and waits until it has a worker and READY_CHECK PORT succeeds.
# Sets NGINX_PID and NGINX_WORKERS (space-separated) and adds both to ALL_PIDS. Needs NGINX, TMP,
# SERVER_CPU and LIB_REPORT; logs go to TMP/nginx.
nginx_start() { # port http-directives server-body ready-check
    local port=$1 http_extra=$2 server_body=$3 ready_check=$4 dir=$TMP/nginx
    port_in_use "$port" && die "port $port (for nginx) is already taken; use --base-port"
    mkdir -p "$dir"
    local temp_paths="    client_body_temp_path $dir/client_body;"$'\n' module
    for module in proxy fastcgi uwsgi scgi; do
        if ! "$NGINX" -V 2>&1 | grep -q -- "--without-http_${module}_module"; then
            temp_paths+="    ${module}_temp_path $dir/$module;"$'\n'
        fi
    done
    cat >"$dir/nginx.conf" <<NGINX_CONF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 8192; }
http {
    access_log off;
    keepalive_requests 100000000;
    keepalive_timeout 120s;
$http_extra$temp_paths    server {
        listen 127.0.0.1:$port backlog=4096;
$server_body
    }
}
NGINX_CONF
    local errflag=()
    if "$NGINX" -h 2>&1 | grep -q -- '-e filename'; then errflag=(-e "$dir/error.log"); fi
    taskset -c "$SERVER_CPU" "$NGINX" "${errflag[@]}" -c "$dir/nginx.conf" -p "$dir/" \
        >"$dir/stdout.log" 2>"$dir/stderr.log" &
    NGINX_PID=$!
    ALL_PIDS+=("$NGINX_PID")
    local deadline=$((SECONDS + 30))
    NGINX_WORKERS=""
    until [[ -n $NGINX_WORKERS ]] && "$ready_check" "$port"; do
        if ! alive "$NGINX_PID"; then
            die "nginx exited before it was ready:
$(tail -n 20 "$dir/stderr.log" "$dir/error.log" 2>/dev/null)"
        fi
        ((SECONDS < deadline)) || die "nginx did not answer on port $port within 30 s:
$(tail -n 20 "$dir/stderr.log" "$dir/error.log" 2>/dev/null)"
        sleep 0.1
        NGINX_WORKERS=$(python3 "$LIB_REPORT" children "$NGINX_PID" | tr '\n' ' ')
        NGINX_WORKERS=${NGINX_WORKERS% }
    done
    local w
    for w in $NGINX_WORKERS; do ALL_PIDS+=("$w"); done
    log "nginx listening on 127.0.0.1:$port (master $NGINX_PID, worker $NGINX_WORKERS)"
}

# Fails naming SERVER when its process (PID[SERVER]) is gone, with the end of its logs: TMP/nginx
# for nginx, else TMP/SERVER.out and .err, where every script writes them.
check_alive() { # server
    alive "${PID[$1]}" && return 0
    local logs=("$TMP/$1.out" "$TMP/$1.err")
    [[ $1 == nginx ]] && logs=("$TMP/nginx/stderr.log" "$TMP/nginx/error.log")
    die "$1 (pid ${PID[$1]}) died:
$(tail -n 30 "${logs[@]}" 2>/dev/null)"
}

check_all_alive() {
    local server
    for server in "${SERVERS[@]}"; do check_alive "$server"; done
}

# Prints the machine facts every summary starts with, as tab-separated "name<TAB>value" lines.
machine_facts() { # start-epoch load-at-start jdk [nginx]
    local cpu_model java_version="–" wrk_version git_rev
    cpu_model=$(sed -n -E '/^model name/{s/^[^:]*:[[:space:]]*//p;q}' /proc/cpuinfo)
    [[ -n $3 ]] && java_version=$("$3/bin/java" -version 2>&1 | sed -n 1p)
    wrk_version=$( (wrk -v 2>&1 || true) | sed -n -E '1s/ +Copyright.*//p')
    git_rev=$(cd "$LIB_DIR/.." && git rev-parse --short HEAD 2>/dev/null || echo "–")
    if [[ $git_rev != "–" ]] && ! (cd "$LIB_DIR/.." && git diff --quiet HEAD -- . 2>/dev/null); then
        git_rev+=" (with uncommitted changes)"
    fi
    printf 'date (UTC)\t%s (start), %s (end)\n' "$(date -u -d "@$1" '+%Y-%m-%d %H:%M:%S')" "$(date -u '+%H:%M:%S')"
    printf 'kernel\t%s\n' "$(uname -r)"
    printf 'CPU\t%s\n' "${cpu_model:-unknown}"
    printf 'nproc\t%s\n' "$(nproc)"
    printf 'load average\t%s at start, %s at end\n' "$2" "$(cut -d' ' -f1-3 /proc/loadavg)"
    printf 'java\t%s\n' "$java_version"
    if [[ -n ${4:-} ]]; then printf 'nginx\t%s\n' "$("$4" -v 2>&1 | sed -n 1p)"; fi
    printf 'wrk\t%s\n' "$wrk_version"
    printf 'perf\t%s\n' "$PERF_NOTE"
    printf 'ringserver commit\t%s\n' "$git_rev"
}

# Library versions inside an executable jar, from the names of its BOOT-INF/lib entries.
jar_libs() { # jar name-prefix...
    python3 - "$@" <<'EOF'
import re, sys, zipfile
names = [n.rsplit("/", 1)[-1] for n in zipfile.ZipFile(sys.argv[1]).namelist() if n.startswith("BOOT-INF/lib/")]
found = []
for prefix in sys.argv[2:]:
    found += [n[:-4] for n in names if re.fullmatch(re.escape(prefix) + r"-\d[^/]*\.jar", n)]
print(", ".join(found) or "–")
EOF
}
