#!/usr/bin/env bash
# Starts each built bench/peers jar in turn and checks it: the ready line (server and transport), one
# event loop where the flags ask for one, GET /plaintext, /json, /api/notes and a static file served
# from --spring.web.resources.static-locations. Exits non-zero on the first failure.
# Usage: bench/peers/smoke.sh [profile...]   (default: every profile whose jar exists; see build.sh)
set -euo pipefail

PEERS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ALL_PROFILES=(ringserver netty netty-io_uring tomcat jetty)
READY_TIMEOUT=90

BENCH_NAME=peers/smoke.sh
# shellcheck source=bench/lib.sh
source "$PEERS_DIR/../lib.sh"

usage() {
    cat <<EOF
usage: bench/peers/smoke.sh [profile...]

Starts bench/peers/target/sample-<profile>.jar for each profile given (default: each of
${ALL_PROFILES[*]} whose jar exists) on a free port of 127.0.0.1, with one event loop where the
server takes a flag for it, and checks the "bench ready:" line (server, transport), GET /plaintext,
/json, /api/notes and /4k.bin from a directory given as --spring.web.resources.static-locations.
Build the jars first: bench/peers/build.sh.
EOF
}

PROFILES=()
while (($#)); do
    case "$1" in
        -h|--help) usage; exit 0 ;;
        -*) usage >&2; die "unknown option '$1'" ;;
        *)
            known=0
            for p in "${ALL_PROFILES[@]}"; do [[ $1 == "$p" ]] && known=1; done
            ((known)) || die "unknown profile '$1' (${ALL_PROFILES[*]})"
            [[ -f $PEERS_DIR/target/sample-$1.jar ]] || die "no $PEERS_DIR/target/sample-$1.jar: run bench/peers/build.sh $1"
            PROFILES+=("$1")
            shift
            ;;
    esac
done
if ((!${#PROFILES[@]})); then
    for p in "${ALL_PROFILES[@]}"; do
        [[ -f $PEERS_DIR/target/sample-$p.jar ]] && PROFILES+=("$p")
    done
    ((${#PROFILES[@]})) || die "no jars in $PEERS_DIR/target: run bench/peers/build.sh"
fi
command -v curl >/dev/null || die "needs curl"

JDK=$(find_jdk) || exit 1

bench_processes ringserver-peers-smoke
STATIC_DIR=$TMP/static
mkdir "$STATIC_DIR"
head -c 4096 /dev/urandom >"$STATIC_DIR/4k.bin"

# The command line per profile, into CMD: one event loop (ringserver's property, Reactor Netty's system
# property; Tomcat and Jetty have no such setting here), port 0 (a free one).
set_command() { # profile
    CMD=("$JDK/bin/java" --enable-native-access=ALL-UNNAMED)
    case $1 in netty|netty-io_uring) CMD+=(-Dreactor.netty.ioWorkerCount=1) ;; esac
    CMD+=(-jar "$PEERS_DIR/target/sample-$1.jar" --server.port=0 --server.address=127.0.0.1
        --spring.web.resources.static-locations="file:$STATIC_DIR/")
    case $1 in ringserver) CMD+=(--ringserver.event-loops=1) ;; esac
}

expected_server() {
    case $1 in
        ringserver) echo RingWebServer ;;
        netty|netty-io_uring) echo NettyWebServer ;;
        tomcat) echo TomcatWebServer ;;
        jetty) echo JettyWebServer ;;
    esac
}

# Threads of PID whose /proc comm (the name's first 15 characters) starts with PREFIX.
threads() { # pid prefix
    local task name names=()
    for task in /proc/"$1"/task/*; do
        name=$(cat "$task/comm" 2>/dev/null) || continue
        [[ $name == "$2"* ]] && names+=("$name")
    done
    echo "${#names[@]} ${names[*]}"
}

# Does PID hold an io_uring instance (a descriptor on anon_inode:[io_uring])?
has_io_uring_fd() {
    local fd
    for fd in /proc/"$1"/fd/*; do
        [[ $(readlink "$fd" 2>/dev/null) == 'anon_inode:[io_uring]' ]] && return 0
    done
    return 1
}

# GET PATH; fails unless 200, the content type starts with TYPE and the body is BODY (or, for a
# static file, the same bytes as FILE).
check_get() { # profile port path type body|@file
    local profile=$1 port=$2 path=$3 type=$4 expected=$5 result status got_type
    result=$(curl -sS --max-time 10 -o "$TMP/body" -w '%{http_code} %{content_type}' "http://127.0.0.1:$port$path" 2>&1) \
        || die "$profile: GET $path: curl failed: $result"
    status=${result%% *} got_type=${result#* }
    [[ $status == 200 ]] || die "$profile: GET $path: status $status, expected 200 ($(head -c 300 "$TMP/body"))"
    [[ $got_type == "$type"* ]] || die "$profile: GET $path: content type '$got_type', expected $type"
    case $expected in
        @*) cmp -s "$TMP/body" "${expected#@}" || die "$profile: GET $path: the body differs from ${expected#@}" ;;
        '['*) [[ $(head -c 1 "$TMP/body") == '[' ]] || die "$profile: GET $path: not a JSON array: $(head -c 300 "$TMP/body")" ;;
        *) [[ $(cat "$TMP/body") == "$expected" ]] || die "$profile: GET $path: body '$(head -c 300 "$TMP/body")', expected '$expected'" ;;
    esac
}

stop() { # pid
    kill -TERM "$1" 2>/dev/null || true
    local deadline=$((SECONDS + 15))
    while alive "$1" && ((SECONDS < deadline)); do sleep 0.1; done
    if alive "$1"; then
        log "warning: pid $1 still runs 15 s after SIGTERM; killing it"
        kill -KILL "$1" 2>/dev/null || true
    fi
    wait "$1" 2>/dev/null || true
}

SUMMARY=()
for profile in "${PROFILES[@]}"; do
    out=$TMP/$profile.out err=$TMP/$profile.err
    : >"$out"
    : >"$err"
    set_command "$profile"
    log "$profile: ${CMD[*]}"
    "${CMD[@]}" >"$out" 2>"$err" &
    pid=$!
    ALL_PIDS+=("$pid")
    deadline=$((SECONDS + READY_TIMEOUT))
    until grep -q '^bench ready:' "$out"; do
        alive "$pid" || die "$profile exited before it was ready:
$(tail -n 30 "$out" "$err")"
        ((SECONDS < deadline)) || die "$profile printed no 'bench ready:' line within $READY_TIMEOUT s:
$(tail -n 30 "$out" "$err")"
        sleep 0.2
    done
    ready=$(grep -m1 '^bench ready:' "$out")
    log "$profile: $ready"
    [[ $ready =~ \ server=([^ ]+)\ transport=([^ ]+)\ port=([0-9]+)\  ]] || die "$profile: malformed ready line: $ready"
    server=${BASH_REMATCH[1]} transport=${BASH_REMATCH[2]} port=${BASH_REMATCH[3]}
    [[ $server == "$(expected_server "$profile")" ]] || die "$profile: server=$server, expected $(expected_server "$profile")"

    check_get "$profile" "$port" /plaintext text/plain 'Hello, World!'
    check_get "$profile" "$port" /json application/json '{"message":"Hello, World!"}'
    check_get "$profile" "$port" /api/notes application/json '['
    check_get "$profile" "$port" /4k.bin application/octet-stream "@$STATIC_DIR/4k.bin"

    # What really runs: the transport in the ready line, the event-loop threads by name (their first 15
    # characters: reactor-http-ep[oll], reactor-http-io[_uring], ringserver-loop) and io_uring instances.
    uring=no
    has_io_uring_fd "$pid" && uring=yes
    loops=""
    case $profile in
        ringserver)
            [[ $transport =~ ^(io_uring|epoll|nio)$ ]] || die "$profile: transport=$transport, expected a backend"
            loops=$(threads "$pid" ringserver-loop)
            [[ $transport != io_uring || $uring == yes ]] || die "$profile: transport=io_uring but no io_uring descriptor"
            ;;
        netty)
            [[ $transport == epoll ]] || die "$profile: transport=$transport, expected epoll"
            loops=$(threads "$pid" reactor-http-ep)
            [[ $uring == no ]] || die "$profile: epoll expected, but the process holds an io_uring descriptor"
            ;;
        netty-io_uring)
            [[ $transport == io_uring ]] || die "$profile: transport=$transport, expected io_uring (Netty's IoUring.isAvailable() false here? the kernel or a seccomp profile may refuse io_uring)"
            loops=$(threads "$pid" reactor-http-io)
            [[ $uring == yes ]] || die "$profile: transport=io_uring but no io_uring descriptor"
            ;;
        tomcat|jetty)
            [[ $transport == "$profile" ]] || die "$profile: transport=$transport, expected $profile"
            ;;
    esac
    if [[ -n $loops && ${loops%% *} != 1 ]]; then
        die "$profile: ${loops%% *} event-loop threads, expected 1 (${loops#* })"
    fi
    started=$(grep -h -m1 -E '(RingServer|Netty|Tomcat|Jetty) started' "$out" "$err" \
        | sed -E 's/^.*((RingServer|Netty|Tomcat|Jetty) started)/\1/' || true)
    [[ -n $started ]] || die "$profile: no '... started' line from the server in its log"
    if [[ -s $err ]]; then
        log "warning: $profile wrote to standard error:
$(head -n 20 "$err")"
    fi
    stop "$pid"
    SUMMARY+=("$profile: ${ready#bench ready: }; io_uring fd: $uring; loops: ${loops:-–}; $started")
    log "$profile: ok"
done

log "every jar passed"
printf '%s\n' "${SUMMARY[@]}"
