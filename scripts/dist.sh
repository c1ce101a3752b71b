#!/usr/bin/env bash
# Builds dist/xsched-<version>-linux-x64.tar.gz: the embedded runtime plus a jlinked Java 25,
# started by bin/xsched, for hosts without Java. Called by `./xsched dist`.
set -euo pipefail
java_home=$1
jar=$2
here=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$here/pom.xml" | head -1)
name="xsched-$version-linux-$(uname -m)"
out="$here/dist"
stage="$out/$name"
rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/lib"
echo "jlinking a Java runtime…" >&2
"$java_home/bin/jlink" --add-modules java.base,java.logging,java.management,java.xml,jdk.unsupported \
    --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output "$stage/runtime"
cp "$jar" "$stage/lib/xsched.jar"
cat > "$stage/bin/xsched" <<'LAUNCH'
#!/usr/bin/env sh
# xsched, self-contained: ./bin/xsched opens the shell, ./bin/xsched demo runs the main job.
home=$(cd "$(dirname "$0")/.." && pwd)
java="$home/runtime/bin/java"
opts="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
case "${1:-shell}" in
    demo) shift; exec "$java" $opts -Dxsched.main=demo -Dgosh.args=--nointeractive "$@" -jar "$home/lib/xsched.jar" ;;
    shell) [ $# -gt 0 ] && shift; exec "$java" $opts "$@" -jar "$home/lib/xsched.jar" ;;
    *) echo "usage: bin/xsched [shell|demo] [JVM options]" >&2; exit 2 ;;
esac
LAUNCH
chmod +x "$stage/bin/xsched"
tar -C "$out" -czf "$out/$name.tar.gz" "$name"
rm -rf "$stage"
size=$(du -m "$out/$name.tar.gz" | cut -f1)
echo "$out/$name.tar.gz (${size} MB)"
if [ "$size" -gt 30 ]; then
    echo "warning: the tarball is over 30 MB" >&2
    exit 1
fi
