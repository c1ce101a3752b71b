#!/usr/bin/env bash
# What `xsched run` costs a launch on the CPU side, without a GPU: a program launches N kernels on
# one stream of the fake CUDA device (xsched.run/src/test/c/fake_device.c, which does no work), natively
# and under `./xsched run` with the node daemon, at level 2 and level 1, REPEATS times interleaved.
# Usage: scripts/xrun-launch-cost.sh [N (200000)] [REPEATS (3)] [SYNC_EVERY (64)]
# A large SYNC_EVERY (e.g. 4096) keeps the launch window full, the regime of eager PyTorch.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200000}
repeats=${2:-3}
sync_every=${3:-64}
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
echo "launch cost on the fake device, $n launches, a synchronize every $sync_every, $(date -u +%F), $(nproc) cores, commit $(git rev-parse --short HEAD)"
for r in $(seq 1 "$repeats"); do
    echo "native        : $(LD_LIBRARY_PATH="$out/fake" "${program[@]}")"
    echo "xsched run Lv2: $(LD_LIBRARY_PATH="$out/fake" XSCHED_SOCKET="$socket" ./xsched run -- "${program[@]}")"
    echo "xsched run Lv1: $(LD_LIBRARY_PATH="$out/fake" XSCHED_SOCKET="$socket" ./xsched run --level 1 -- "${program[@]}")"
done
