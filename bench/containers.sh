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
. "$(dirname "$0")/lib.sh"

bench_require_root "containers need namespaces and overlay mounts"
bench_java
bench_need runc runc
bench_need conmon conmon
bench_need skopeo skopeo
[ -x /bin/busybox ] || die "busybox-static is missing (apt-get install busybox-static)"
[ -x /usr/local/bin/docker ] || die "the docker CLI is missing at /usr/local/bin/docker"
bench_workdir berth-bench-ctr
bench_classpath

bench_dockerd   # DOCKER_OK, DSOCK, DOCKER_NOTE
DOCKERD_ARGS=()
[ "$DOCKER_OK" = 1 ] && DOCKERD_ARGS=(--dockerd "$DSOCK")
bench_podman    # PODMAN_OK, PODMAN, PODMAN_NOTE
PODMAN_ARGS=()
[ "$PODMAN_OK" = 1 ] && PODMAN_ARGS=(--podman "${PODMAN[@]}")

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
