#!/usr/bin/env bash
# What `xsched run` costs a launch on the CPU side, without a GPU: a program launches N kernels on
# one stream of the fake CUDA device (xsched.run/src/test/c/fake_device.c, which does no work), natively
# and under `./xsched run` with the node daemon, at level 2 and level 1, REPEATS times interleaved.
# Usage: scripts/xrun-launch-cost.sh [N (200000)] [REPEATS (3)] [SYNC_EVERY (64)]
# A large SYNC_EVERY (e.g. 4096) keeps the launch window full, the regime of eager PyTorch.
# FAKE_CALL_COUNTS=1 builds the fake device so that each run also prints its driver calls by entry
# point (the agent's warm-up included; XSCHED_RUN_WARMUP=0 leaves it out).
# XRUN_COMPARE_WITH=TREE also runs another build of xsched (e.g. an older commit in a git worktree,
# built there with `./mvnw -o package -DskipTests -pl xsched.app,xsched.run -am`) against the same
# daemon, interleaved with this tree's runs.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200000}
repeats=${2:-3}
sync_every=${3:-64}
other=${XRUN_COMPARE_WITH:-}
if [ -n "$other" ]; then
    other=$(cd "$other" && pwd)
    [ -x "$other/xsched" ] && [ -f "$other/xsched.app/target/xsched.jar" ] || { echo "no built xsched in $other" >&2; exit 2; }
fi
out=/tmp/xsched-launch-cost
bash xsched.run/src/test/c/build-fake-device.sh "$out/fake" >/dev/null
socket=$out/daemon.sock
rm -f "$socket"
./xsched daemon --socket "$socket" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn </dev/null >"$out/daemon.log" 2>&1 &
daemon=$!
trap 'kill $daemon 2>/dev/null; wait $daemon 2>/dev/null' EXIT
for _ in $(seq 1 600); do [ -S "$socket" ] && break; sleep 0.1; done
[ -S "$socket" ] || { echo "the daemon did not start (see $out/daemon.log)" >&2; exit 1; }
program=("$out/fake/device_program" --bench "$n" "$sync_every")
run_in() { # tree level
    (cd "$1" && LD_LIBRARY_PATH="$out/fake" XSCHED_SOCKET="$socket" ./xsched run --level "$2" -- "${program[@]}")
}
echo "launch cost on the fake device, $n launches, a synchronize every $sync_every, $(date -u +%F), $(nproc) cores, commit $(git rev-parse --short HEAD)"
[ -z "$other" ] || echo "other build: $other ($(git -C "$other" rev-parse --short HEAD 2>/dev/null || echo '?'))"
for r in $(seq 1 "$repeats"); do
    echo "native        : $(LD_LIBRARY_PATH="$out/fake" "${program[@]}")"
    for level in 2 1; do
        [ -z "$other" ] || echo "other run Lv$level: $(run_in "$other" "$level")"
        echo "xsched run Lv$level: $(run_in "$PWD" "$level")"
    done
done
