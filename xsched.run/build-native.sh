#!/usr/bin/env bash
# Builds the interposer, libxsched-interpose.so, from src/main/c into the directory given.
set -euo pipefail
out=${1:?usage: build-native.sh OUTPUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
cc=${CC:-cc}
if ! command -v "$cc" >/dev/null; then
    echo "xsched.run: no C compiler ('$cc'); install one (Debian: apt-get install gcc libc6-dev) or set CC" >&2
    exit 1
fi
mkdir -p "$out"
# shellcheck disable=SC2046
"$cc" -std=c11 -shared -fPIC -O2 -Wall -Wextra -Werror -fvisibility=default \
    -o "$out/libxsched-interpose.so" $(ls "$here"/src/main/c/*.c) -ldl -lpthread
echo "xsched.run: built $out/libxsched-interpose.so"
