#!/usr/bin/env bash
# Builds the sample app once per server the benchmarks compare (see bench/README.md, "bench/peers").
# Usage: bench/peers/build.sh [--offline] [profile...]
# Profiles: ringserver netty netty-io_uring tomcat jetty (default: all five). Each one writes
# bench/peers/target/sample-<profile>.jar and leaves the others' jars alone. With ringserver among
# them, the core and the starter are first installed into the local Maven repository. The jars' paths
# are printed on standard output, one per line; progress goes to standard error.
set -euo pipefail

PEERS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$PEERS_DIR/../.." && pwd)
ALL_PROFILES=(ringserver netty netty-io_uring tomcat jetty)

BENCH_NAME=peers/build.sh
# shellcheck source=bench/lib.sh
source "$PEERS_DIR/../lib.sh"

usage() {
    cat <<EOF
usage: bench/peers/build.sh [--offline] [profile...]

Builds bench/peers/target/sample-<profile>.jar for each profile given (default: all of
${ALL_PROFILES[*]}), after installing ringserver-core and ringserver-spring-boot-starter when
ringserver is among them. Prints the jars' paths.

  --offline   Maven offline (-o): everything must already be in the local repository
  -h, --help  this help

The JDK is \$JAVA_HOME when it is Java 25 or later, otherwise $JDK25_DEFAULT.
EOF
}

MVN_FLAGS=(-q)
PROFILES=()
while (($#)); do
    case "$1" in
        --offline) MVN_FLAGS+=(-o); shift ;;
        -h|--help) usage; exit 0 ;;
        -*) usage >&2; die "unknown option '$1'" ;;
        *)
            known=0
            for p in "${ALL_PROFILES[@]}"; do [[ $1 == "$p" ]] && known=1; done
            ((known)) || die "unknown profile '$1' (${ALL_PROFILES[*]})"
            PROFILES+=("$1")
            shift
            ;;
    esac
done
((${#PROFILES[@]})) || PROFILES=("${ALL_PROFILES[@]}")

JDK=$(find_jdk) || exit 1
mvnw() {
    log "./mvnw ${MVN_FLAGS[*]} $*"
    (cd "$ROOT" && JAVA_HOME=$JDK ./mvnw "${MVN_FLAGS[@]}" "$@")
}

for p in "${PROFILES[@]}"; do
    if [[ $p == ringserver ]]; then
        # The core and the starter into the local repository: bench/peers is not in the root build.
        mvnw install -DskipTests -pl ringserver-core,ringserver-spring-boot-starter -am \
            || die "installing ringserver-core and ringserver-spring-boot-starter failed"
        break
    fi
done

JARS=()
for p in "${PROFILES[@]}"; do
    jar=$PEERS_DIR/target/sample-$p.jar
    mvnw -f bench/peers/pom.xml package -P "$p" || die "building the $p profile failed"
    [[ -f $jar ]] || die "the $p profile did not produce $jar"
    JARS+=("$jar")
done
log "built ${PROFILES[*]}"
printf '%s\n' "${JARS[@]}"
