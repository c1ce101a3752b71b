#!/usr/bin/env bash
# Compiles kernels.cl (OpenCL C 1.2) to SPIR-V 1.0 for the tests:
# src/test/resources/xsched/backend/levelzero/kernels.spv. Needs clang-15 and llvm-spirv-15
# (Debian 12: apt-get install clang-15 llvm-spirv-15). CLANG and LLVM_SPIRV name other tools.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../resources/xsched/backend/levelzero/kernels.spv"
clang=${CLANG:-clang-15}
spirv=${LLVM_SPIRV:-llvm-spirv-15}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$clang" -cl-std=CL1.2 -target spir64-unknown-unknown -O2 -Xclang -finclude-default-header -emit-llvm -c \
    -o "$tmp/kernels.bc" "$here/kernels.cl"
"$spirv" --spirv-max-version=1.0 "$tmp/kernels.bc" -o "$out"
echo "wrote $out ($(stat -c %s "$out") bytes)"
