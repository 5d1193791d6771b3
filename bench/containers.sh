#!/usr/bin/env bash
# Containers benchmark (issue #4): `busybox true`, image local, no network, run to exit through
# Berth's Java API and through the docker CLI against Berth's socket, alternating in the same run
# with bare `runc run` of a prepared bundle, podman and the docker CLI against dockerd (both
# started here by hand, per shared/MACHINE.md, where they start). Then 100 detached containers
# started at once, an engine restart with them running, and all stopped. Not part of ./berth test.
#
#   bench/containers.sh [ROUNDS] [CONCURRENT]      (defaults 20 100)
#
# Needs root (overlay mounts, namespaces, dockerd), JDK 25, runc and conmon; installs docker.io and
# podman with apt when they are missing and it can. Everything it starts is stopped by pid and
# its temp directory is removed on exit.
set -euo pipefail

ROUNDS=${1:-20}
CONCURRENT=${2:-100}
HERE=$(cd "$(dirname "$0")/.." && pwd)

die() { echo "bench/containers.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (containers need namespaces and overlay mounts)"
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q '"25'; then
    for j in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
        [ -x "$j/bin/java" ] && JAVA_HOME=$j && break
    done
fi
[ -x "${JAVA_HOME:-}/bin/java" ] || die "no JDK 25 found: set JAVA_HOME"
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
command -v runc >/dev/null || die "runc is missing (apt-get install runc)"
command -v conmon >/dev/null || die "conmon is missing (apt-get install conmon)"
command -v skopeo >/dev/null || die "skopeo is missing (apt-get install skopeo)"
[ -x /bin/busybox ] || die "busybox-static is missing (apt-get install busybox-static)"
[ -x /usr/local/bin/docker ] || die "the docker CLI is missing at /usr/local/bin/docker"

WORK=$(mktemp -d /tmp/berth-bench-ctr.XXXXXX)
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

# ---- dockerd (started by hand, per shared/MACHINE.md)
DOCKERD_ARGS=()
DOCKER_NOTE=""
if ! command -v dockerd >/dev/null && command -v apt-get >/dev/null; then
    echo "== installing docker.io (dockerd) =="
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
        DOCKERD_ARGS=(--dockerd "$DSOCK")
        DOCKER_NOTE="dockerd $(dockerd --version | awk '{print $3}' | tr -d ,), storage $(docker -H "unix://$DSOCK" info --format '{{.Driver}}')"
    else
        DOCKER_NOTE="dockerd could not start: $(tail -3 "$WORK/docker/log" | tr '\n' ' ')"
    fi
else
    DOCKER_NOTE="dockerd is not installed and could not be installed"
fi

# ---- podman
PODMAN_ARGS=()
PODMAN_NOTE=""
if ! command -v podman >/dev/null && command -v apt-get >/dev/null; then
    echo "== installing podman =="
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends podman >/dev/null 2>&1 || true
fi
if command -v podman >/dev/null; then
    mkdir -p "$WORK/podman"
    cat > "$WORK/podman/containers.conf" <<EOC
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
[engine]
runtime = "runc"
EOC
    export CONTAINERS_CONF=$WORK/podman/containers.conf
    PODMAN=(podman --root "$WORK/podman/root" --runroot "$WORK/podman/run" --storage-driver overlay --cgroup-manager cgroupfs --events-backend none)
    if "${PODMAN[@]}" info >/dev/null 2>"$WORK/podman/err"; then
        PODMAN_ARGS=(--podman "${PODMAN[@]}")
        PODMAN_NOTE="podman $(podman --version | awk '{print $3}')"
    else
        PODMAN_NOTE="podman does not run here: $(tail -2 "$WORK/podman/err" | tr '\n' ' ')"
    fi
else
    PODMAN_NOTE="podman is not installed and could not be installed"
fi

echo "== runc $(runc --version | head -1 | awk '{print $3}'), conmon $(conmon --version | head -1 | awk '{print $3}'); $DOCKER_NOTE; $PODMAN_NOTE =="
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores =="
set +e
"$JAVA" --enable-native-access=ALL-UNNAMED -cp "$CP" dev.berth.engine.container.ContainerBench "$WORK/bench" "$ROUNDS" \
    --concurrent "$CONCURRENT" "${DOCKERD_ARGS[@]}" "${PODMAN_ARGS[@]}" 2>"$WORK/bench.err" >"$WORK/bench.out"
rc=$?
set -e
grep -v "^RESULT" "$WORK/bench.out" || true
[ "$rc" = 0 ] || { tail -30 "$WORK/bench.err" >&2; die "the benchmark failed (exit $rc)"; }
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg) =="
