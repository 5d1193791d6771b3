# shellcheck shell=bash
# The preamble every bench/*.sh shares; sourced, never run. It gives:
#
#   die MSG                       print "bench/<script>: MSG" and exit 1
#   bench_require_root WHY        exit unless root
#   bench_java                    find JDK 25 (JAVA_HOME, then the usual places): sets JAVA_HOME, JAVA
#   bench_need CMD PACKAGE        exit unless CMD is on PATH (naming the Debian package to install)
#   bench_workdir PREFIX          a temp dir (WORK) removed on exit: the exit hooks run, the processes the
#                                 script started are stopped by pid (TERM, then KILL after 10 s), the mounts
#                                 under WORK are unmounted deepest first, then WORK is deleted
#   bench_track PID               stop PID at exit (started by this script)
#   bench_at_exit CMD             run CMD at exit, before the processes are stopped
#   bench_classpath               build the engine and its test classes (offline maven): sets CP
#   bench_registry                a docker-registry on 127.0.0.1 with its storage in WORK: sets REGISTRY
#   bench_dockerd                 a dockerd started by hand as shared/MACHINE.md says (data and exec roots
#                                 in WORK, --bridge=none, no iptables): sets DOCKER_OK, DSOCK, DOCKER_NOTE
#   bench_podman                  podman with a private containers.conf (runc, the machine's ulimits), storage
#                                 root, runroot and tmp dir in WORK, and its blob-info cache (which ignores
#                                 --root) bound to WORK in a mount namespace of its own: sets PODMAN_OK,
#                                 PODMAN (argv), PODMAN_NOTE
#   bench_engine ROOT SOCK        a Berth engine (EngineMain) on ROOT serving SOCK: sets ENGINE_PID
#   now_ns, median, ratio, loadavg
#
# docker.io and podman are installed with apt when missing and apt is there (no service is started:
# a policy-rc.d refuses it for the length of the install). The host's docker and podman state is never
# touched: everything lives under WORK.

BENCH_SCRIPT=$(basename "$0")
BENCH_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_PIDS=()
BENCH_HOOKS=()
WORK=

die() { echo "bench/$BENCH_SCRIPT: $*" >&2; exit 1; }

bench_require_root() {
    [ "$(id -u)" = 0 ] || die "run as root ($1)"
}

bench_java() {
    if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q '"25'; then
        JAVA_HOME=
        for j in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
            [ -x "$j/bin/java" ] && JAVA_HOME=$j && break
        done
    fi
    [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] || die "no JDK 25 found: set JAVA_HOME"
    export JAVA_HOME
    JAVA="$JAVA_HOME/bin/java"
}

bench_need() {
    command -v "$1" >/dev/null || die "$1 is missing (apt-get install $2)"
}

bench_track() {
    BENCH_PIDS+=("$1")
}

bench_at_exit() {
    BENCH_HOOKS+=("$1")
}

bench_stop_pid() {
    local pid=$1
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
}

bench_cleanup() {
    set +e
    local i
    for hook in "${BENCH_HOOKS[@]}"; do
        eval "$hook"
    done
    # the last started first (podman's and dockerd's children are stopped by their parents)
    for ((i = ${#BENCH_PIDS[@]} - 1; i >= 0; i--)); do
        bench_stop_pid "${BENCH_PIDS[$i]}"
    done
    if [ -n "$WORK" ] && [ -d "$WORK" ]; then
        # unmount anything left under the work dir, deepest first, then delete it
        awk -v w="$WORK/" 'index($5, w) == 1 {print $5}' /proc/self/mountinfo | sort -r | while read -r m; do
            umount -l "$m"
        done
        rm -rf "$WORK"
    fi
}

bench_workdir() {
    WORK=$(mktemp -d "/tmp/$1.XXXXXX")
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
}

bench_classpath() {
    echo "== building (offline maven) =="
    (cd "$BENCH_HOME" && ./mvnw -B -q -o -pl engine -am test-compile >/dev/null \
        && ./mvnw -B -q -o -pl engine dependency:build-classpath -Dmdep.includeScope=test \
            -Dmdep.outputFile="$WORK/cp.txt" >/dev/null) || die "the engine does not build (./mvnw -o -pl engine -am test-compile)"
    CP="$BENCH_HOME/engine/target/classes:$BENCH_HOME/engine/target/test-classes:$(cat "$WORK/cp.txt")"
}

bench_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

bench_registry() {
    bench_need docker-registry docker-registry
    local port
    port=$(bench_free_port)
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
  addr: 127.0.0.1:$port
  secret: berth-bench
EOF
    docker-registry serve "$WORK/registry/config.yml" >"$WORK/registry/log" 2>&1 &
    bench_track $!
    for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
    curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null || die "docker-registry did not start: $(cat "$WORK/registry/log")"
    REGISTRY=127.0.0.1:$port
}

bench_apt_install() { # $1 package: installed without starting its services
    command -v apt-get >/dev/null || return 0
    echo "== installing $1 =="
    local saved=""
    [ -e /usr/sbin/policy-rc.d ] && saved=$(cat /usr/sbin/policy-rc.d)
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$1" >/dev/null 2>&1 || true
    if [ -n "$saved" ]; then printf '%s\n' "$saved" > /usr/sbin/policy-rc.d; else rm -f /usr/sbin/policy-rc.d; fi
}

bench_dockerd() {
    DOCKER_OK=0
    DOCKER_NOTE=""
    DSOCK=$WORK/docker/docker.sock
    command -v dockerd >/dev/null || bench_apt_install docker.io
    if ! command -v dockerd >/dev/null; then
        DOCKER_NOTE="dockerd is not installed and could not be installed"
        return 0
    fi
    mkdir -p "$WORK/docker/data" "$WORK/docker/exec"
    dockerd --data-root "$WORK/docker/data" --exec-root "$WORK/docker/exec" -H "unix://$DSOCK" \
        --pidfile "$WORK/docker/dockerd.pid" --iptables=false --bridge=none \
        --default-ulimit nofile=20000:20000 --default-ulimit nproc=4096:4096 >"$WORK/docker/log" 2>&1 &
    bench_track $!
    for _ in $(seq 1 200); do docker -H "unix://$DSOCK" version >/dev/null 2>&1 && break; sleep 0.1; done
    if docker -H "unix://$DSOCK" version >/dev/null 2>&1; then
        DOCKER_OK=1
        DOCKER_NOTE="dockerd $(dockerd --version | awk '{print $3}' | tr -d ,), storage $(docker -H "unix://$DSOCK" info --format '{{.Driver}}')"
    else
        DOCKER_NOTE="dockerd could not start: $(tail -3 "$WORK/docker/log" | tr '\n' ' ')"
    fi
}

bench_podman() {
    PODMAN_OK=0
    PODMAN_NOTE=""
    PODMAN=()
    command -v podman >/dev/null || bench_apt_install podman
    if ! command -v podman >/dev/null; then
        PODMAN_NOTE="podman is not installed and could not be installed"
        return 0
    fi
    mkdir -p "$WORK/podman/tmp"
    cat > "$WORK/podman/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
[engine]
runtime = "runc"
EOF
    export CONTAINERS_CONF=$WORK/podman/containers.conf
    # buildah's context copies and image temp files go under TMPDIR: keep them in WORK too
    export TMPDIR=$WORK/podman/tmp
    PODMAN=(podman --root "$WORK/podman/root" --runroot "$WORK/podman/run" --tmpdir "$WORK/podman/libpod"
        --storage-driver overlay --cgroup-manager cgroupfs --events-backend none)
    # whatever --root says, podman 4.3 keeps its blob-info cache in /var/lib/containers/cache: it runs in a
    # mount namespace of its own where a directory under WORK is bound over that one
    local hide=""
    for d in /var/lib/containers/cache /var/lib/containers; do
        [ -d "$d" ] && hide=$d && break
    done
    if [ -n "$hide" ] && command -v unshare >/dev/null; then
        mkdir -p "$WORK/podman/host-cache"
        PODMAN=(unshare --mount --propagation private -- sh -c 'mount --bind "$0" "$1" && shift && exec "$@"'
            "$WORK/podman/host-cache" "$hide" "${PODMAN[@]}")
    fi
    if "${PODMAN[@]}" info >/dev/null 2>"$WORK/podman/err"; then
        PODMAN_OK=1
        PODMAN_NOTE="podman $(podman --version | awk '{print $3}')"
    else
        PODMAN_NOTE="podman does not run here: $(tail -2 "$WORK/podman/err" | tr '\n' ' ')"
    fi
}

bench_engine() { # $1 state root, $2 socket
    mkdir -p "$1"
    "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$CP" dev.berth.engine.EngineMain --root "$1" --socket "$2" \
        >"$WORK/engine.log" 2>&1 &
    ENGINE_PID=$!
    bench_track "$ENGINE_PID"
    for _ in $(seq 1 300); do curl -fsS --unix-socket "$2" http://b/_ping >/dev/null 2>&1 && break; sleep 0.1; done
    curl -fsS --unix-socket "$2" http://b/_ping >/dev/null 2>&1 || die "the engine did not start: $(tail -5 "$WORK/engine.log")"
}

now_ns() { date +%s%N; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {if (NR==0) print ""; else if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == "" || b == 0 || a == "") print "n/a"; else printf "%.2f", a / b }'; }
loadavg() { echo "$(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"; }
