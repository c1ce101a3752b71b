#!/usr/bin/env bash
# JMH benchmarks of the submit path and the scheduler engine on the host XPU (xsched.bench).
# Builds xsched.bench (and installs xsched.api/backend.host/core/policy.hpf from this working tree
# when they are missing from ~/.m2, or always with --fresh), then runs every benchmark in one JVM
# fork each and prints JMH's table. About 4 minutes on a 2-core machine.
#
#   scripts/bench-host.sh                       # everything
#   scripts/bench-host.sh --fresh               # reinstall the core modules from the tree first
#   scripts/bench-host.sh SchedulerDecision     # extra arguments go to JMH (filters, -p, -prof gc, …)
#
# The benchmark thread spin-waits for the measured threads; XSCHED_BENCH_WAIT=yield makes it yield
# instead. Output is also written to xsched.bench/target/bench-host.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
java="$JAVA_HOME/bin/java"
MVN=(./mvnw -B -q)

fresh=false
if [ "${1:-}" = "--fresh" ]; then
    fresh=true
    shift
fi

mvn_install() {
    # offline first (everything is usually in ~/.m2), online if a plugin or dependency is missing
    "${MVN[@]}" -o "$@" install -DskipTests || "${MVN[@]}" "$@" install -DskipTests
}

deps=(xsched.api xsched.backend.host xsched.core xsched.policy.hpf)
missing=()
for m in "${deps[@]}"; do
    if $fresh || [ ! -f "$HOME/.m2/repository/io/xsched/$m/0.1.0-SNAPSHOT/$m-0.1.0-SNAPSHOT.jar" ]; then
        missing+=("$m")
    fi
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} (no tests)" >&2
    [ -f "$HOME/.m2/repository/io/xsched/xsched-parent/0.1.0-SNAPSHOT/xsched-parent-0.1.0-SNAPSHOT.pom" ] || mvn_install -N
    mvn_install -pl "$(IFS=,; echo "${missing[*]}")"
fi
echo "building xsched.bench" >&2
mvn_install -f xsched.bench/pom.xml

out=xsched.bench/target/bench-host.txt
{
    echo "# xsched host benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "# nproc: $(nproc)"
    lscpu | head -n 12 | sed 's/^/# /'
    "$java" -version 2>&1 | sed 's/^/# /'
    echo "# benchmark thread waits by: ${XSCHED_BENCH_WAIT:-spin}"
    echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (other processes share this machine)"
    echo "# git: $(git rev-parse --short HEAD 2>/dev/null || echo none)$(git diff --quiet HEAD -- xsched.api xsched.core xsched.backend.host xsched.policy.hpf 2>/dev/null || echo ' (core modules modified in the working tree)')"
    echo
} | tee "$out"

# forks 1; 3 warmup x 2 s, 5 measurement x 2 s per benchmark and parameter set (14 sets).
# -jvm pins the forked JVMs to the same Java 25 as the host JVM.
# JMH hands the host JVM's options (-D…) on to the forks.
"$java" --sun-misc-unsafe-memory-access=allow -Dxsched.bench.wait="${XSCHED_BENCH_WAIT:-spin}" -jar xsched.bench/target/benchmarks.jar \
    -jvm "$java" -f 1 -wi 3 -w 2s -i 5 -r 2s -tu ns "$@" 2>&1 | tee -a "$out"
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out"
