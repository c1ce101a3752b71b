#!/usr/bin/env bash
# `xsched run` launch cost of this tree against another build of xsched (e.g. an older commit in a
# git worktree, built with `./mvnw -o package -DskipTests -pl xsched.app,xsched.run -am` there), on
# the fake CUDA device, against one node daemon (this tree's), runs interleaved: level 2, level 1,
# native, REPEATS times. Prints ns per launch.
# Usage: scripts/xrun-launch-cost-compare.sh OTHER_TREE [N (1000000)] [REPEATS (3)] [SYNC_EVERY (64)]
set -euo pipefail
cd "$(dirname "$0")/.."
here=$PWD
other=$(cd "${1:?usage: $0 OTHER_TREE [N] [REPEATS] [SYNC_EVERY]}" && pwd)
n=${2:-1000000}
repeats=${3:-3}
sync_every=${4:-64}
[ -x "$other/xsched" ] && [ -f "$other/xsched.app/target/xsched.jar" ] || { echo "no built xsched in $other" >&2; exit 2; }
out=/tmp/xsched-launch-cost-compare
bash xsched.run/src/test/c/build-fake-device.sh "$out/fake" >/dev/null
socket=$out/daemon.sock
rm -f "$socket"
./xsched daemon --socket "$socket" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn </dev/null >"$out/daemon.log" 2>&1 &
daemon=$!
trap 'kill $daemon 2>/dev/null; wait $daemon 2>/dev/null' EXIT
for _ in $(seq 1 600); do [ -S "$socket" ] && break; sleep 0.1; done
[ -S "$socket" ] || { echo "the daemon did not start (see $out/daemon.log)" >&2; exit 1; }
program=("$out/fake/device_program" --bench "$n" "$sync_every")
cost() { sed 's/.* \([0-9]*\) ns each/\1/'; }
run_in() { # tree level
    (cd "$1" && LD_LIBRARY_PATH="$out/fake" XSCHED_SOCKET="$socket" ./xsched run --level "$2" -- "${program[@]}" | cost)
}
echo "launch cost on the fake device, $n launches, a synchronize every $sync_every, $(date -u +%F), $(nproc) cores"
echo "this tree: $here ($(git rev-parse --short HEAD)); other: $other ($(git -C "$other" rev-parse --short HEAD 2>/dev/null || echo '?'))"
for _ in $(seq 1 "$repeats"); do
    for level in 2 1; do
        echo "Lv$level other $(run_in "$other" "$level") ns"
        echo "Lv$level this  $(run_in "$here" "$level") ns"
    done
    echo "native      $(LD_LIBRARY_PATH="$out/fake" "${program[@]}" | cost) ns"
done
