#!/usr/bin/env bash
# Build benchmark (issue #6): a 14-step Dockerfile on the busybox fixture (BuildBench.DOCKERFILE), built
# cold (--no-cache) and rebuilt fully cached, in one run, builders alternating in every round:
#   - Berth's Java API (the engine's own time) and DOCKER_BUILDKIT=0 docker build against the same
#     running engine's socket (end to end);
#   - podman build (podman with runc; private containers.conf, storage root, runroot and tmp dir here);
#   - Docker's classic builder: DOCKER_BUILDKIT=0 docker build against a dockerd started here by hand.
# All with --network none for their RUN steps (dockerd runs with --bridge=none).
# Medians side by side with the ratios Berth/podman and Berth/dockerd. Not part of ./berth test.
#
#   bench/build.sh [ROUNDS]      (default 5)
#
# Needs root (overlay mounts, namespaces, dockerd), JDK 25, runc, conmon and the docker CLI;
# installs docker.io and podman with apt when they are missing and it can. Everything it starts is
# stopped by pid; mounts under its temp directory are unmounted and the directory removed on exit.
set -euo pipefail

ROUNDS=${1:-5}
. "$(dirname "$0")/lib.sh"

bench_require_root "builds need namespaces and overlay mounts, dockerd needs root"
bench_java
bench_need runc runc
bench_need conmon conmon
[ -x /bin/busybox ] || die "busybox-static is missing (apt-get install busybox-static)"
[ -x /usr/local/bin/docker ] || die "the docker CLI is missing at /usr/local/bin/docker"
bench_workdir berth-bench-build
bench_classpath

bench_dockerd   # DOCKER_OK, DSOCK, DOCKER_NOTE
ARGS=()
[ "$DOCKER_OK" = 1 ] && ARGS+=(--dockerd "$DSOCK")
bench_podman    # PODMAN_OK, PODMAN, PODMAN_NOTE
[ "$PODMAN_OK" = 1 ] && ARGS+=(--podman "${PODMAN[@]}")

echo "== runc $(runc --version | head -1 | awk '{print $3}'); $DOCKER_NOTE; $PODMAN_NOTE =="
echo "== load average before: $(loadavg) =="
set +e
"$JAVA" --enable-native-access=ALL-UNNAMED -cp "$CP" dev.berth.engine.build.BuildBench "$WORK/bench" "$ROUNDS" \
    "${ARGS[@]}" 2>"$WORK/bench.err" | tee "$WORK/bench.out" | grep -v '^RESULT'
rc=${PIPESTATUS[0]}
set -e
[ "$rc" = 0 ] || { tail -40 "$WORK/bench.err" >&2; die "the benchmark failed (exit $rc)"; }
[ "$DOCKER_OK" = 1 ] || echo "dockerd not run: $DOCKER_NOTE"
[ "$PODMAN_OK" = 1 ] || echo "podman not run: $PODMAN_NOTE"
