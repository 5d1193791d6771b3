#!/usr/bin/env bash
# Build benchmark (issue #6): a 14-step Dockerfile on the busybox fixture, built cold (--no-cache)
# and rebuilt fully cached through Berth's Java API, ROUNDS times. Not part of ./berth test.
#
#   bench/build.sh [ROUNDS]      (default 5)
#
# Needs root (overlay mounts, namespaces), JDK 25, runc and conmon. Its temp directory is removed
# on exit (mounts under it unmounted first).
set -euo pipefail

ROUNDS=${1:-5}
HERE=$(cd "$(dirname "$0")/.." && pwd)

die() { echo "bench/build.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (builds need namespaces and overlay mounts)"
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q '"25'; then
    for j in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
        [ -x "$j/bin/java" ] && JAVA_HOME=$j && break
    done
fi
[ -x "${JAVA_HOME:-}/bin/java" ] || die "no JDK 25 found: set JAVA_HOME"
export JAVA_HOME
command -v runc >/dev/null || die "runc is missing (apt-get install runc)"
command -v conmon >/dev/null || die "conmon is missing (apt-get install conmon)"
[ -x /bin/busybox ] || die "busybox-static is missing (apt-get install busybox-static)"

WORK=$(mktemp -d /tmp/berth-bench-build.XXXXXX)
cleanup() {
    set +e
    awk -v w="$WORK" '$5 ~ "^"w {print $5}' /proc/self/mountinfo | sort -r | while read -r m; do umount -l "$m"; done
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

cd "$HERE"
./mvnw -B -q -o -pl engine -am test-compile >/dev/null
./mvnw -B -q -o -pl engine dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="$HERE/engine/target/classes:$HERE/engine/target/test-classes:$(cat "$WORK/cp.txt")"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$CP" dev.berth.engine.build.BuildBench "$WORK/bench" "$ROUNDS"
