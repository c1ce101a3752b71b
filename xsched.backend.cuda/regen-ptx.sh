#!/usr/bin/env bash
# Regenerates the PTX of the stock kernels (src/main/cuda/*.cu) into the module's resources.
# Needs nvcc (CUDA 13). compute_75 is the oldest target CUDA 13 compiles for, so the PTX
# JIT-compiles on every GPU from Turing (sm_75) up, Hopper included, under a driver that reads
# its PTX ISA version (CUDA 13: driver R580 or newer).
set -euo pipefail
cd "$(dirname "$0")"
ARCH="${PTX_ARCH:-compute_75}"
OUT=src/main/resources/xsched/backend/cuda/kernels
mkdir -p "$OUT"
for cu in src/main/cuda/*.cu; do
    name="$(basename "$cu" .cu)"
    nvcc -ptx -arch="$ARCH" -O3 -o "$OUT/$name.ptx" "$cu"
    # nvcc stamps its build into the PTX header; drop it so regenerating is reproducible.
    sed -i '/^\/\/ Compiler Build ID/d; /^\/\/ Cuda compilation tools/d; /^\/\/ Based on/d' "$OUT/$name.ptx"
    echo "$OUT/$name.ptx"
done
# One fatbin too (machine code for Turing, Ampere and Hopper plus PTX), so loading a binary
# image is exercised as well; the GPU tests load it.
nvcc -fatbin -O3 -o "$OUT/timing.fatbin" \
    -gencode arch=compute_75,code=sm_75 -gencode arch=compute_80,code=sm_80 \
    -gencode arch=compute_90,code=sm_90 -gencode arch=compute_90,code=compute_90 src/main/cuda/timing.cu
echo "$OUT/timing.fatbin"
