#!/usr/bin/env bash
# Builds the fake CUDA device (fake_device.c as OUTPUT_DIR/libcuda.so.1) and the program that uses
# it (device_program.c: OUTPUT_DIR/device_program through dlopen + cuGetProcAddress, and
# OUTPUT_DIR/device_program_linked linked against it), checks fake_device.c against the CUDA
# toolkit's cuda.h where there is one, then runs both programs natively: each must pass by itself
# before AgentOnFakeDeviceTest runs it under `xsched run`. Exits non-zero on any failure.
# Usage: build-fake-device.sh OUTPUT_DIR
# Environment: CC (default cc), CUDA_HOME (for the cuda.h check; default /usr/local/cuda);
# FAKE_CALL_COUNTS=1 builds a libcuda.so.1 that prints its calls by entry point at exit (call_counts.c).
set -euo pipefail

out=${1:?usage: build-fake-device.sh OUTPUT_DIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
cc=${CC:-cc}
cflags=(-std=c11 -O2 -Wall -Wextra -Werror)
cuda_include=${CUDA_HOME:-/usr/local/cuda}/include

say() { printf '%s\n' "$*"; }
run() { say "+ $*"; "$@"; }

say "== build"
counting=()
if [[ ${FAKE_CALL_COUNTS:-0} == 1 ]]; then
    counting=(-finstrument-functions "$here/call_counts.c" -ldl)
fi
run "$cc" "${cflags[@]}" -shared -fPIC -Wl,-soname,libcuda.so.1 -Wl,-Bsymbolic -o "$out/libcuda.so.1" \
    "$here/fake_device.c" "${counting[@]}" -lpthread
run "$cc" "${cflags[@]}" -o "$out/device_program" "$here/device_program.c" -ldl -lpthread
run "$cc" "${cflags[@]}" -DLINKED -o "$out/device_program_linked" "$here/device_program.c" -lpthread \
    -L"$out" -l:libcuda.so.1 -Wl,-rpath,'$ORIGIN'

if [[ -f $cuda_include/cuda.h ]]; then
    say "== fake_device.c against cuda.h"
    run "$cc" "${cflags[@]}" -fsyntax-only -DFAKE_DEVICE_CHECK_CUDA_H -I"$cuda_include" "$here/fake_device.c"
else
    say "skipped: fake_device.c against cuda.h (no $cuda_include/cuda.h)"
fi

say "== natively"
touch "$out/go-at-once"
for program in device_program device_program_linked; do
    env -u LD_PRELOAD LD_LIBRARY_PATH="$out" "$out/$program"
    env -u LD_PRELOAD LD_LIBRARY_PATH="$out" "$out/$program" --per-thread "$out/go-at-once"
done
say "== all passed"
