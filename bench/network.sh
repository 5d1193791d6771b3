#!/usr/bin/env bash
# Network benchmark, figures side by side from one run (not part of ./berth test):
#   1. TCP throughput host -> container through a published port (127.0.0.1:P -> netavark DNAT)
#      against host -> the container's own address, same bytes, alternating rounds (target >= 0.8x);
#   2. create+start latency on the default bridge against --network none, through the API with
#      curl, alternating (target <= 2x);
#   3. optional: the 200-cycle create/start/remove leak check (BridgeLeakTest with 200 cycles).
#
#   bench/network.sh [ROUNDS] [MIB_PER_ROUND] [STARTS]     (defaults 5 1024 20)
#   LEAK=1 bench/network.sh ...                            (also runs the 200-cycle leak check)
#
# Needs root, JDK 25, curl, busybox-static, netavark/aardvark-dns. The sender is bash's /dev/tcp
# with head(1); the receiver is busybox nc in the container writing to /dev/null. Traffic goes only
# to 127.0.0.1 and the container's address. It starts one engine of its own (state and socket in a
# temp dir, its own bridge subnet and names), and stops it by pid; the temp dir goes on exit.
set -euo pipefail

ROUNDS=${1:-5}
MIB=${2:-1024}
STARTS=${3:-20}
. "$(dirname "$0")/lib.sh"
HERE=$BENCH_HOME

bench_require_root "namespaces, bridges, iptables"
bench_java
bench_need curl curl
bench_need busybox busybox-static
BUSYBOX=$(command -v busybox)
[ -x /usr/lib/podman/netavark ] || die "netavark is missing (apt-get install netavark aardvark-dns)"

bench_workdir berth-bench-net
SOCK=$WORK/b.sock
api() { curl -fsS --unix-socket "$SOCK" "$@"; }
remove_containers() { # before the engine stops: their networks are torn down with them
    [ -n "${ENGINE_PID:-}" ] && kill -0 "$ENGINE_PID" 2>/dev/null || return 0
    for id in $(api "http://b/containers/json?all=1" 2>/dev/null | grep -o '"Id":"[0-9a-f]*"' | cut -d'"' -f4); do
        api -XDELETE "http://b/containers/$id?force=1&v=1" >/dev/null 2>&1
    done
}
bench_at_exit remove_containers
bench_classpath
cd "$HERE"

echo "== starting an engine on $WORK/root =="
mkdir -p "$WORK/root"
echo '{"default-bridge-subnet": "10.78.0.0/24", "bridge-prefix": "bbench"}' > "$WORK/root/config.json"
bench_engine "$WORK/root" "$SOCK"

# a busybox image from the host's busybox-static, through docker import's API
mkdir -p "$WORK/rootfs/bin" "$WORK/rootfs/tmp" "$WORK/rootfs/etc"
cp "$BUSYBOX" "$WORK/rootfs/bin/busybox"
for a in sh nc sleep true cat; do ln -s busybox "$WORK/rootfs/bin/$a"; done
tar -C "$WORK/rootfs" -cf "$WORK/busybox.tar" .
api -XPOST -H 'Content-Type: application/x-tar' --data-binary @"$WORK/busybox.tar" \
    "http://b/images/create?fromSrc=-&repo=busybox&tag=latest" >/dev/null

create() { # $1: JSON body -> container id
    api -H 'Content-Type: application/json' -d "$1" http://b/containers/create | grep -o '"Id":"[0-9a-f]*"' | cut -d'"' -f4
}
ip_of() {
    api "http://b/containers/$1/json" | grep -o '"IPAddress":"[0-9.]*"' | head -1 | cut -d'"' -f4
}
median_of() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; } # of stdin's lines

# ---- 1. TCP throughput -------------------------------------------------------------------------
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
    || echo 45001)
send() { # $1 host, $2 port -> MiB/s
    local s e
    s=$(now_ns)
    head -c "$((MIB * 1048576))" /dev/zero > "/dev/tcp/$1/$2"
    e=$(now_ns)
    awk -v m="$MIB" -v ns="$((e - s))" 'BEGIN {printf "%.1f\n", m / (ns / 1e9)}'
}
sink() { # $1: extra HostConfig JSON -> id of a running container that reads one connection on 5001
    local id
    id=$(create "{\"Image\":\"busybox\",\"Cmd\":[\"sh\",\"-c\",\"nc -l -p 5001 > /dev/null\"],\"HostConfig\":{$1}}")
    api -XPOST "http://b/containers/$id/start"
    sleep 0.3
    echo "$id"
}
echo "== TCP throughput: $ROUNDS rounds of $MIB MiB each way, alternating =="
: > "$WORK/published"; : > "$WORK/direct"
for r in $(seq 1 "$ROUNDS"); do
    id=$(sink "\"PortBindings\":{\"5001/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"$PORT\"}]}")
    send 127.0.0.1 "$PORT" >> "$WORK/published"
    api -XDELETE "http://b/containers/$id?force=1" >/dev/null
    id=$(sink "")
    send "$(ip_of "$id")" 5001 >> "$WORK/direct"
    api -XDELETE "http://b/containers/$id?force=1" >/dev/null
    echo "  round $r: published $(tail -1 "$WORK/published") MiB/s, direct $(tail -1 "$WORK/direct") MiB/s"
done
PUB=$(median_of < "$WORK/published")
DIR=$(median_of < "$WORK/direct")

# ---- 2. create+start latency -------------------------------------------------------------------
echo "== create+start: $STARTS each on the default bridge and on --network none, alternating =="
: > "$WORK/bridge"; : > "$WORK/none"
create_start() { # $1 network mode -> microseconds
    local s e id
    s=$(now_ns)
    id=$(create "{\"Image\":\"busybox\",\"Cmd\":[\"sleep\",\"60\"],\"HostConfig\":{\"NetworkMode\":\"$1\"}}")
    api -XPOST "http://b/containers/$id/start"
    e=$(now_ns)
    api -XDELETE "http://b/containers/$id?force=1" >/dev/null
    echo $(((e - s) / 1000))
}
create_start bridge >/dev/null # the default bridge is created on first use: not part of the figure
for _ in $(seq 1 "$STARTS"); do
    create_start bridge >> "$WORK/bridge"
    create_start none >> "$WORK/none"
done
BR=$(median_of < "$WORK/bridge")
NO=$(median_of < "$WORK/none")

# ---- 3. the leak check with 200 cycles ---------------------------------------------------------
LEAK_RESULT="not run (LEAK=1 to run it)"
if [ "${LEAK:-0}" = 1 ]; then
    echo "== 200 create/start/remove cycles (BridgeLeakTest) =="
    s=$(now_ns)
    if ./mvnw -B -q -o verify -pl engine -am -Dtest=BridgeLeakTest -Dsurefire.failIfNoSpecifiedTests=false \
        -Dberth.leakCycles=200 >"$WORK/leak.log" 2>&1; then
        LEAK_RESULT="passed in $(( ($(now_ns) - s) / 1000000000 )) s: no veth, rule, address or namespace left"
    else
        LEAK_RESULT="FAILED (see the surefire report of BridgeLeakTest)"
    fi
fi

echo
echo "== results (medians; load average $(cut -d' ' -f1-3 /proc/loadavg)) =="
printf '%-44s %12s %12s\n' "measure" "value" "target"
printf '%-44s %12s %12s\n' "TCP host -> published 127.0.0.1 port (MiB/s)" "$PUB" ""
printf '%-44s %12s %12s\n' "TCP host -> container address (MiB/s)" "$DIR" ""
printf '%-44s %12s %12s\n' "published / direct" "$(awk -v a="$PUB" -v b="$DIR" 'BEGIN {printf "%.2fx", a / b}')" ">= 0.80x"
printf '%-44s %12s %12s\n' "create+start, default bridge (ms)" "$(awk -v v="$BR" 'BEGIN {printf "%.1f", v / 1000}')" ""
printf '%-44s %12s %12s\n' "create+start, --network none (ms)" "$(awk -v v="$NO" 'BEGIN {printf "%.1f", v / 1000}')" ""
printf '%-44s %12s %12s\n' "bridge / none" "$(awk -v a="$BR" -v b="$NO" 'BEGIN {printf "%.2fx", a / b}')" "<= 2.00x"
echo "200-cycle leak check: $LEAK_RESULT"
