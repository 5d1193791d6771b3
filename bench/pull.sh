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
. "$(dirname "$0")/lib.sh"
HERE=$BENCH_HOME

bench_require_root "pulls mount overlays, dockerd needs root"
bench_java
bench_need docker-registry docker-registry
bench_need skopeo skopeo
bench_workdir berth-bench-pull
bench_classpath
cd "$HERE"
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

bench_registry
HOST=$REGISTRY
IMAGE=$HOST/bench/big:latest

echo "== building and pushing a $LAYERS x $MIB MiB random-content image =="
"$JAVA" -Xmx3g -cp "$CP" dev.berth.engine.image.PullBenchImage "$WORK/layout" "$HOST" bench/big:latest "$LAYERS" "$MIB"
rm -rf "$WORK/layout"

bench_dockerd   # DOCKER_OK, DSOCK, DOCKER_NOTE
bench_podman    # PODMAN_OK, PODMAN, PODMAN_NOTE

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
