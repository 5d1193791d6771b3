#!/usr/bin/env bash
# Pull benchmark: Berth's full pull (download, verify, extract) into an empty store against
# skopeo copy (download only), docker pull (dockerd started here) and podman pull, alternating,
# from a loopback docker-registry. Not part of ./berth test.
#
#   bench/pull.sh [ROUNDS] [LAYERS] [MIB_PER_LAYER]     (defaults 3 4 55: ~220 MiB compressed)
#   BASELINE=<git revision> bench/pull.sh ...          also times that revision's engine (warm pull),
#                                                      alternating with the others, for before/after
#
# Needs root (overlay mounts, dockerd), JDK 25, docker-registry and skopeo; installs docker.io and
# podman with apt when they are missing and it can. Everything it starts is stopped by pid and its
# temp directory is removed on exit.
set -euo pipefail

ROUNDS=${1:-3}
LAYERS=${2:-4}
MIB=${3:-55}
HERE=$(cd "$(dirname "$0")/.." && pwd)

die() { echo "bench/pull.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (pulls mount overlays, dockerd needs root)"
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q '"25'; then
    for j in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
        [ -x "$j/bin/java" ] && JAVA_HOME=$j && break
    done
fi
[ -x "${JAVA_HOME:-}/bin/java" ] || die "no JDK 25 found: set JAVA_HOME"
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
command -v docker-registry >/dev/null || die "docker-registry is missing (apt-get install docker-registry)"
command -v skopeo >/dev/null || die "skopeo is missing (apt-get install skopeo)"

WORK=$(mktemp -d /tmp/berth-bench-pull.XXXXXX)
PIDS=()
cleanup() {
    set +e
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
    done
    # unmount anything left under the work dir, deepest first, then delete it
    awk -v w="$WORK" '$5 ~ "^"w {print $5}' /proc/self/mountinfo | sort -r | while read -r m; do umount -l "$m"; done
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

echo "== building (offline maven) =="
cd "$HERE"
./mvnw -B -q -o -pl engine -am test-compile >/dev/null
./mvnw -B -q -o -pl engine dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="$HERE/engine/target/classes:$HERE/engine/target/test-classes:$(cat "$WORK/cp.txt")"
BASE_CP=""
if [ -n "${BASELINE:-}" ]; then
    echo "== building the engine of $BASELINE for comparison =="
    mkdir -p "$WORK/baseline/src" "$WORK/baseline/classes"
    git -C "$HERE" archive "$BASELINE" engine/src/main | tar -x -C "$WORK/baseline/src"
    find "$WORK/baseline/src/engine/src/main/java" -name '*.java' > "$WORK/baseline/sources.txt"
    "$JAVA_HOME/bin/javac" -nowarn -proc:none -d "$WORK/baseline/classes" -cp "$(cat "$WORK/cp.txt")" \
        @"$WORK/baseline/sources.txt" 2>&1 | grep -E '^[^ ].*error' && die "the engine of $BASELINE does not compile"
    cp -r "$HERE/engine/target/classes/dev/berth/engine/berth-build.properties" "$WORK/baseline/classes/dev/berth/engine/" 2>/dev/null || true
    # the test harness (PullMain) of this tree, on the baseline's engine classes
    BASE_CP="$WORK/baseline/classes:$HERE/engine/target/test-classes:$(cat "$WORK/cp.txt")"
fi

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$WORK/registry/storage"
cat > "$WORK/registry/config.yml" <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $WORK/registry/storage
http:
  addr: 127.0.0.1:$PORT
  secret: berth-bench
EOF
docker-registry serve "$WORK/registry/config.yml" >"$WORK/registry/log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "http://127.0.0.1:$PORT/v2/" >/dev/null || die "docker-registry did not start: $(cat "$WORK/registry/log")"
HOST=127.0.0.1:$PORT
IMAGE=$HOST/bench/big:latest

echo "== building and pushing a $LAYERS x $MIB MiB random-content image =="
"$JAVA" -Xmx3g -cp "$CP" dev.berth.engine.image.PullBenchImage "$WORK/layout" "$HOST" bench/big:latest "$LAYERS" "$MIB"
rm -rf "$WORK/layout"

# ---- docker (dockerd started by hand, per shared/MACHINE.md)
DOCKER_OK=0
DOCKER_NOTE=""
if ! command -v dockerd >/dev/null && command -v apt-get >/dev/null; then
    echo "== installing docker.io (dockerd) =="
    # no service may start behind our back: dockerd is started below, by hand
    POLICY_SAVED=""
    [ -e /usr/sbin/policy-rc.d ] && POLICY_SAVED=$(cat /usr/sbin/policy-rc.d)
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends docker.io >/dev/null 2>&1 || true
    if [ -n "$POLICY_SAVED" ]; then printf '%s\n' "$POLICY_SAVED" > /usr/sbin/policy-rc.d; else rm -f /usr/sbin/policy-rc.d; fi
fi
if command -v dockerd >/dev/null; then
    DSOCK=$WORK/docker/docker.sock
    mkdir -p "$WORK/docker/data" "$WORK/docker/exec"
    dockerd --data-root "$WORK/docker/data" --exec-root "$WORK/docker/exec" -H "unix://$DSOCK" \
        --pidfile "$WORK/docker/dockerd.pid" --iptables=false --bridge=none \
        --default-ulimit nofile=20000:20000 --default-ulimit nproc=4096:4096 >"$WORK/docker/log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 1 200); do docker -H "unix://$DSOCK" version >/dev/null 2>&1 && break; sleep 0.1; done
    if docker -H "unix://$DSOCK" version >/dev/null 2>&1; then
        DOCKER_OK=1
        DOCKER_NOTE="dockerd $(dockerd --version | awk '{print $3}' | tr -d ,), storage $(docker -H "unix://$DSOCK" info --format '{{.Driver}}')"
    else
        DOCKER_NOTE="dockerd could not start: $(tail -3 "$WORK/docker/log" | tr '\n' ' ')"
    fi
else
    DOCKER_NOTE="dockerd is not installed and could not be installed"
fi

# ---- podman
PODMAN_OK=0
PODMAN_NOTE=""
if ! command -v podman >/dev/null && command -v apt-get >/dev/null; then
    echo "== installing podman =="
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends podman >/dev/null 2>&1 || true
fi
if command -v podman >/dev/null; then
    mkdir -p "$WORK/podman"
    cat > "$WORK/podman/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
[engine]
runtime = "runc"
EOF
    export CONTAINERS_CONF=$WORK/podman/containers.conf
    PODMAN=(podman --root "$WORK/podman/root" --runroot "$WORK/podman/run" --storage-driver overlay)
    if "${PODMAN[@]}" info >/dev/null 2>"$WORK/podman/err"; then
        PODMAN_OK=1
        PODMAN_NOTE="podman $(podman --version | awk '{print $3}')"
    else
        PODMAN_NOTE="podman does not run here: $(tail -2 "$WORK/podman/err" | tr '\n' ' ')"
    fi
else
    PODMAN_NOTE="podman is not installed and could not be installed"
fi

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
declare -a T_BERTH T_BERTH_PULL T_BERTH_WARM T_BASE_WARM T_SKOPEO T_DOCKER T_PODMAN

for round in $(seq 1 "$ROUNDS"); do
    echo "== round $round =="
    ROOT=$WORK/berth-$round
    s=$(now)
    out=$("$JAVA" --enable-native-access=ALL-UNNAMED -cp "$CP" dev.berth.engine.image.PullMain "$ROOT" "$IMAGE" | tail -1)
    e=$(now)
    T_BERTH+=("$(ms "$s" "$e")")
    T_BERTH_PULL+=("$(echo "$out" | sed -n 's/.* in \([0-9]*\) ms.*/\1/p')")
    echo "berth:  ${T_BERTH[-1]} ms (new JVM, whole process), ${T_BERTH_PULL[-1]} ms (its pull) — $out"
    rm -rf "$ROOT"
    out=$("$JAVA" --enable-native-access=ALL-UNNAMED -cp "$CP" dev.berth.engine.image.PullMain --warm "$ROOT" "$IMAGE" | tail -1)
    T_BERTH_WARM+=("$(echo "$out" | sed -n 's/.* in \([0-9]*\) ms.*/\1/p')")
    echo "berth:  ${T_BERTH_WARM[-1]} ms (pull into an empty store in a warmed-up engine)"
    rm -rf "$ROOT"
    if [ -n "$BASE_CP" ]; then
        out=$("$JAVA" --enable-native-access=ALL-UNNAMED -cp "$BASE_CP" dev.berth.engine.image.PullMain --warm "$ROOT" "$IMAGE" | tail -1)
        T_BASE_WARM+=("$(echo "$out" | sed -n 's/.* in \([0-9]*\) ms.*/\1/p')")
        echo "berth $BASELINE: ${T_BASE_WARM[-1]} ms (warm engine, baseline)"
        rm -rf "$ROOT"
    fi

    s=$(now)
    skopeo --insecure-policy copy --quiet --src-tls-verify=false "docker://$IMAGE" "dir:$WORK/skopeo-$round"
    e=$(now)
    T_SKOPEO+=("$(ms "$s" "$e")")
    echo "skopeo: ${T_SKOPEO[-1]} ms"
    rm -rf "$WORK/skopeo-$round"

    if [ "$DOCKER_OK" = 1 ]; then
        s=$(now)
        docker -H "unix://$DSOCK" pull -q "$IMAGE" >/dev/null
        e=$(now)
        T_DOCKER+=("$(ms "$s" "$e")")
        echo "docker: ${T_DOCKER[-1]} ms"
        docker -H "unix://$DSOCK" rmi -f "$IMAGE" >/dev/null
    fi
    if [ "$PODMAN_OK" = 1 ]; then
        s=$(now)
        "${PODMAN[@]}" pull -q --tls-verify=false "$IMAGE" >/dev/null
        e=$(now)
        T_PODMAN+=("$(ms "$s" "$e")")
        echo "podman: ${T_PODMAN[-1]} ms"
        "${PODMAN[@]}" rmi -af >/dev/null
    fi
    sync
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {if (NR==0) print ""; else if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == "" || b == 0) print "n/a"; else printf "%.2f", a / b }'; }

MB=$(awk -v l="$LAYERS" -v m="$MIB" 'BEGIN {print l*m}')
B=$(median "${T_BERTH[@]}"); BP=$(median "${T_BERTH_PULL[@]}"); BW=$(median "${T_BERTH_WARM[@]}"); S=$(median "${T_SKOPEO[@]}")
D=$([ "$DOCKER_OK" = 1 ] && median "${T_DOCKER[@]}" || echo "")
P=$([ "$PODMAN_OK" = 1 ] && median "${T_PODMAN[@]}" || echo "")
echo
echo "image: $LAYERS layers x $MIB MiB random data (~$MB MiB compressed), $ROUNDS rounds, loopback registry"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf '%-44s %s\n' "tool" "times (ms) -> median"
printf '%-44s %s  -> %s\n' "berth, new JVM: whole process" "${T_BERTH[*]}" "$B"
printf '%-44s %s  -> %s\n' "berth, new JVM: the pull" "${T_BERTH_PULL[*]}" "$BP"
printf '%-44s %s  -> %s\n' "berth, warm engine: the pull" "${T_BERTH_WARM[*]}" "$BW"
if [ -n "$BASE_CP" ]; then
    BB=$(median "${T_BASE_WARM[@]}")
    printf '%-44s %s  -> %s\n' "berth $BASELINE, warm engine: the pull" "${T_BASE_WARM[*]}" "$BB"
fi
printf '%-44s %s  -> %s\n' "skopeo copy to dir: (download only)" "${T_SKOPEO[*]}" "$S"
printf '%-44s %s  -> %s\n' "docker pull (dockerd running)" "${T_DOCKER[*]:-}" "${D:-not run: $DOCKER_NOTE}"
printf '%-44s %s  -> %s\n' "podman pull" "${T_PODMAN[*]:-}" "${P:-not run: $PODMAN_NOTE}"
echo
echo "berth / docker: process $(ratio "$B" "$D"), pull $(ratio "$BP" "$D"), warm $(ratio "$BW" "$D")   target <= 0.60   [$DOCKER_NOTE]"
echo "berth / skopeo: process $(ratio "$B" "$S"), pull $(ratio "$BP" "$S"), warm $(ratio "$BW" "$S")   target <= 1.50"
[ -n "$BASE_CP" ] && echo "berth / berth $BASELINE (warm): $(ratio "$BW" "$BB"); berth $BASELINE / docker (warm): $(ratio "$BB" "$D")"
echo "berth / podman: process $(ratio "$B" "$P"), pull $(ratio "$BP" "$P"), warm $(ratio "$BW" "$P")   [$PODMAN_NOTE]"
