#!/bin/sh
# Rebuilds the test code objects from kernels.hip: one AMDGPU ELF code object per architecture,
# linked (what hipModuleLoadData takes), with code object metadata. Needs clang and lld with the
# AMDGPU target: Debian 12 `apt-get install clang-15 lld-15`; ROCm's clang works too (CLANG=...).
# clang 15 knows no gfx942 (MI300X): build that one with a newer clang, e.g. ARCHS=gfx942 CLANG=/opt/rocm/llvm/bin/clang.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../resources/xsched/backend/hip/kernels"
clang=${CLANG:-clang-15}
archs=${ARCHS:-"gfx900 gfx906 gfx908 gfx90a gfx940 gfx1030 gfx1100"}
mkdir -p "$out"
for arch in $archs; do
    "$clang" -x hip --offload-arch="$arch" --cuda-device-only --no-gpu-bundle-output -nogpulib -nogpuinc -O2 \
        -c "$here/kernels.hip" -o "$out/kernels-$arch.co"
    echo "wrote $out/kernels-$arch.co"
done
