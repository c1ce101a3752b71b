#!/usr/bin/env bash
# The Karaf distribution on the GPU machine, which has no Java: boots it on a jlinked Java 25,
# lists the backends and devices in its console, updates the CUDA backend bundle and lists again.
#   here:   bash scripts/gpu-karaf.sh pack      (builds .devkaraf/: the Karaf tarball + a runtime)
#   device: run(command="bash scripts/gpu-karaf.sh", carry=[".devkaraf"])
set -uo pipefail
cd "$(dirname "$0")/.."
RT=.devkaraf

if [ "${1:-}" = pack ]; then
    set -e
    JDK="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
    tarball=$(ls xsched.karaf/target/xsched.karaf-*.tar.gz | head -1)
    rm -rf "$RT" && mkdir -p "$RT"
    # what Karaf 4.4 uses of the JDK; uncompressed, then xz: smaller than jlink's own compression
    # (the carry limit is 64 MiB)
    "$JDK/bin/jlink" --add-modules java.base,java.desktop,java.instrument,java.logging,java.management,java.management.rmi,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,java.xml.crypto,jdk.unsupported,jdk.naming.rmi,jdk.xml.dom,jdk.management,jdk.crypto.ec,jdk.zipfs,jdk.security.auth \
        --strip-debug --no-man-pages --no-header-files --output "$RT/java"
    tar -C "$RT" -cf - java | xz -6 -T2 > "$RT/java.tar.xz" && rm -rf "$RT/java"
    cp "$tarball" "$RT/"
    du -sh "$RT"/*
    exit 0
fi

LOGS="${OUT:-$RT/logs}"
mkdir -p "$LOGS"
work=/tmp/xsched-karaf && rm -rf "$work" && mkdir -p "$work"
tar -C "$work" -xJf "$RT/java.tar.xz"
tar -C "$work" -xzf "$RT"/xsched.karaf-*.tar.gz
home=$(ls -d "$work"/xsched.karaf-*)
export JAVA_HOME="$work/java"

commands=("xsched:backends" "xsched:devices" "bundle:update xsched.backend.cuda" "xsched:backends" "xsched:devices"
          "log:display | grep -i cuda")
{
    # wait until the xsched commands answer, then type the rest
    for _ in $(seq 1 60); do
        echo "xsched:policy"; sleep 2
        grep -q "active policy" "$LOGS/console.raw" 2>/dev/null && break
    done
    for c in "${commands[@]}"; do echo "$c"; sleep 4; done
    echo "system:shutdown -f"; sleep 5
} | if command -v script >/dev/null; then
        script -q -e -c "$home/bin/karaf" /dev/null > "$LOGS/console.raw" 2>&1
    else
        "$home/bin/karaf" > "$LOGS/console.raw" 2>&1
    fi
cp "$home/data/log/karaf.log" "$LOGS/" 2>/dev/null
sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/karaf@root()>//g' "$LOGS/console.raw" | tr -s ' ' | grep -v '^\s*$' \
    | grep -v '^[=~ ]*[a-z]*$' > "$LOGS/console.txt"
echo "== Karaf console on the GPU machine"
sed -n '/active policy/,$p' "$LOGS/console.txt" | cut -c1-200
# after the update the CUDA backend is bound again: its device row follows the bundle:update line
sed -n '/bundle:update xsched.backend.cuda/,$p' "$LOGS/console.txt" | grep -q -E '^cuda:0 cuda GPU'

