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
modules=java.base,java.logging,java.management,java.xml,jdk.unsupported
limit=30
# XSCHED_DIST_JFR=1 adds Flight Recorder (jdk.jfr, ~1 MB), so the daemon or a program's agent can be
# profiled where it runs (XRUN_PARTS=profile bash scripts/gpu-xrun.sh)
if [ "${XSCHED_DIST_JFR:-0}" = 1 ]; then
    modules=$modules,jdk.jfr
    limit=32
fi
"$java_home/bin/jlink" --add-modules "$modules" \
    --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output "$stage/runtime"
cp "$jar" "$stage/lib/xsched.jar"
# xsched run: the interposer, the agent's class path and the launcher
run_target="$here/xsched.run/target"
if [ -f "$run_target/native/libxsched-interpose.so" ] && [ -d "$run_target/agent-lib" ]; then
    mkdir -p "$stage/lib/agent"
    cp "$run_target/native/libxsched-interpose.so" "$stage/lib/"
    cp "$run_target"/agent-lib/*.jar "$stage/lib/agent/"
    cp "$run_target"/xsched.run-*.jar "$stage/lib/agent/"
    cp "$here/xsched.run/src/main/sh/xsched-run" "$stage/bin/xsched-run"
else
    echo "warning: xsched.run is not built; the tarball has no 'xsched run'" >&2
fi
cat > "$stage/bin/xsched" <<'LAUNCH'
#!/usr/bin/env sh
# xsched, self-contained: ./bin/xsched opens the shell, ./bin/xsched demo runs the main job,
# ./bin/xsched daemon [--policy NAME] the node daemon, ./bin/xsched run [options] -- program runs a program under xsched.
home=$(cd "$(dirname "$0")/.." && pwd)
java="$home/runtime/bin/java"
opts="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
case "${1:-shell}" in
    demo) shift; exec "$java" $opts -Dxsched.main=demo -Dgosh.args=--nointeractive "$@" -jar "$home/lib/xsched.jar" ;;
    shell) [ $# -gt 0 ] && shift; exec "$java" $opts "$@" -jar "$home/lib/xsched.jar" ;;
    daemon) shift
        # --policy NAME (first) picks the daemon's policy; what follows are JVM options (-Dxsched.daemon.socket.path=…)
        if [ "${1:-}" = --policy ]; then
            [ -n "${2:-}" ] || { echo "--policy needs a policy name (hpf, ahpf, up, …)" >&2; exit 2; }
            opts="$opts -Dxsched.runtime.policy=$2"; shift 2
        fi
        exec "$java" $opts -Dxsched.daemon.enabled=true "$@" -jar "$home/lib/xsched.jar" ;;
    run) shift
        [ -x "$home/bin/xsched-run" ] || { echo "this tarball has no 'xsched run'" >&2; exit 2; }
        XSCHED_INTERPOSER="$home/lib/libxsched-interpose.so" XSCHED_JAVA_HOME="$home/runtime" \
        XSCHED_AGENT_CLASSPATH=$(ls "$home"/lib/agent/*.jar | tr '\n' ':') exec "$home/bin/xsched-run" "$@" ;;
    *) echo "usage: bin/xsched [shell|demo|daemon|run] [arguments]" >&2; exit 2 ;;
esac
LAUNCH
chmod +x "$stage/bin/xsched"
tar -C "$out" -czf "$out/$name.tar.gz" "$name"
rm -rf "$stage"
size=$(du -m "$out/$name.tar.gz" | cut -f1)
echo "$out/$name.tar.gz (${size} MB)"
if [ "$size" -gt "$limit" ]; then
    echo "warning: the tarball is over $limit MB" >&2
    exit 1
fi
