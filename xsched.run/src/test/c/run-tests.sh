#!/usr/bin/env bash
# Builds libxsched-interpose, a fake libcuda.so.1 and the test drivers into OUTPUT_DIR, then runs
# the drivers natively, under LD_PRELOAD with pure forwarding, and under LD_PRELOAD with the agent
# start failing (and, when a JDK 25 is found, succeeding against a stub agent). Exits non-zero on
# any mismatch.
# Usage: run-tests.sh OUTPUT_DIR [--sanitize]   (--sanitize: ASan+UBSan build, no JVM cases)
# Environment: CC (default cc), XSCHED_TEST_JDK (default $JAVA_HOME, else Temurin 25 if present),
#              CUDA_HOME (for the cuda.h check; default /usr/local/cuda).
set -euo pipefail

out=${1:?usage: run-tests.sh OUTPUT_DIR [--sanitize]}
mkdir -p "$out"
out=$(cd "$out" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
main=$(cd "$here/../../main/c" && pwd)
cc=${CC:-cc}
sanitize=()
asan_preload=
if [[ ${2:-} == --sanitize ]]; then
    sanitize=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
    asan_preload="$("$cc" -print-file-name=libasan.so):"
    export ASAN_OPTIONS=detect_leaks=0
fi
cflags=(-std=c11 -O2 -Wall -Wextra -Werror)
jdk=${XSCHED_TEST_JDK:-${JAVA_HOME:-}}
if [[ -z $jdk || ! -x $jdk/bin/javac ]] && [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/javac ]]; then
    jdk=/usr/lib/jvm/temurin-25-jdk-amd64
fi
cuda_include=${CUDA_HOME:-/usr/local/cuda}/include

say() { printf '%s\n' "$*"; }
run() { say "+ $*"; "$@"; }

say "== build"
run "$cc" "${cflags[@]}" "${sanitize[@]}" -shared -fPIC -o "$out/libxsched-interpose.so" \
    "$main/interpose.c" "$main/agent.c" -ldl -lpthread
run "$cc" "${cflags[@]}" "${sanitize[@]}" -I"$main" -shared -fPIC -Wl,-soname,libcuda.so.1 -Wl,-Bsymbolic \
    -o "$out/libcuda.so.1" "$here/fake_cuda.c" -ldl
run "$cc" "${cflags[@]}" "${sanitize[@]}" -I"$main" -o "$out/test_driver" "$here/test_driver.c" -ldl -lpthread
run "$cc" "${cflags[@]}" "${sanitize[@]}" -I"$main" -DLINKED -o "$out/test_driver_linked" \
    "$here/test_driver.c" -L"$out" -l:libcuda.so.1 -Wl,-rpath,'$ORIGIN' -ldl -lpthread

say "== header checks"
if [[ -f $cuda_include/cuda.h ]]; then
    run "$cc" "${cflags[@]}" -fsyntax-only -I"$cuda_include" -I"$main" "$here/check_cuda_h.c"
    run "$cc" "${cflags[@]}" -fsyntax-only -DCUDA_API_PER_THREAD_DEFAULT_STREAM -I"$cuda_include" -I"$main" \
        "$here/check_cuda_h.c"
else
    say "skipped: entries.def against cuda.h (no $cuda_include/cuda.h)"
fi
if [[ -n $jdk && -f $jdk/include/jni.h ]]; then
    run "$cc" "${cflags[@]}" -fsyntax-only -I"$jdk/include" -I"$jdk/include/linux" -I"$main" "$here/check_jni_h.c"
else
    say "skipped: xsched_jni.h against jni.h (no JDK)"
fi

failures=0
native_line='xsched run: running natively: '
# case NAME WANT_RC WANT_LINE [VAR=VALUE...] -- COMMAND...
# COMMAND, run with the XSCHED_* variables cleared plus the assignments, must exit WANT_RC and
# print on stderr no "running natively" line (WANT_LINE empty) or exactly one, starting with
# WANT_LINE. Stdout and stderr are kept in OUTPUT_DIR/NAME.{out,err}.
case_() {
    local name=$1 want_rc=$2 want_line=$3
    shift 3
    local assignments=()
    while [[ $1 != -- ]]; do assignments+=("$1"); shift; done
    shift
    local rc=0
    env -u XSCHED_JAVA_HOME -u XSCHED_AGENT_CLASSPATH -u XSCHED_AGENT_JVM_OPTIONS -u XSCHED_RUN_NO_AGENT \
        -u XSCHED_INTERPOSER -u LD_PRELOAD "${assignments[@]}" "$@" >"$out/$name.out" 2>"$out/$name.err" || rc=$?
    local lines problem=
    lines=$(grep -c "^$native_line" "$out/$name.err" || true)
    if [[ $rc != "$want_rc" ]]; then
        problem="exit status $rc, want $want_rc"
    elif [[ -z $want_line && $lines != 0 ]]; then
        problem="printed a 'running natively' line"
    elif [[ -n $want_line && $lines != 1 ]]; then
        problem="printed $lines 'running natively' lines, want 1"
    elif [[ -n $want_line ]] && ! grep -q "^$native_line$want_line" "$out/$name.err"; then
        problem="wrong 'running natively' line"
    fi
    if [[ -z $problem ]]; then
        say "ok    $name: $(tail -n 1 "$out/$name.out" 2>/dev/null)$(grep "^$native_line" "$out/$name.err" | sed 's/^/ | /')"
    else
        failures=$((failures + 1))
        say "FAIL  $name: $problem"
        sed 's/^/      out| /' "$out/$name.out"
        sed 's/^/      err| /' "$out/$name.err"
    fi
}
# expect NAME PATTERN: the last case's stderr contains PATTERN.
expect_err() {
    if ! grep -q -- "$2" "$out/$1.err"; then
        failures=$((failures + 1))
        say "FAIL  $1: stderr lacks '$2'"
        sed 's/^/      err| /' "$out/$1.err"
    fi
}

lib=LD_LIBRARY_PATH=$out
preload=LD_PRELOAD=$asan_preload$out/libxsched-interpose.so
say "== runs"
for driver in test_driver test_driver_linked; do
    case_ "$driver-native" 0 '' "$lib" ${asan_preload:+LD_PRELOAD=${asan_preload%:}} -- "$out/$driver" native
    case_ "$driver-forwarding" 0 '' "$lib" "$preload" XSCHED_RUN_NO_AGENT=1 -- "$out/$driver" preload
    case_ "$driver-no-agent-vars" 0 'XSCHED_JAVA_HOME is not set$' "$lib" "$preload" -- "$out/$driver" preload
done
case_ no-class-path 0 'XSCHED_AGENT_CLASSPATH is not set$' "$lib" "$preload" XSCHED_JAVA_HOME=/nonexistent \
    -- "$out/test_driver" preload
case_ no-jvm 0 'cannot load the JVM: /nonexistent/lib/server/libjvm.so: ' "$lib" "$preload" \
    XSCHED_JAVA_HOME=/nonexistent XSCHED_AGENT_CLASSPATH=/nonexistent -- "$out/test_driver" preload
case_ true 0 '' "$preload" -- /bin/true
case_ exit-7 7 '' "$preload" -- sh -c 'exit 7'

if [[ ${#sanitize[@]} -eq 0 && -n $jdk && -f $jdk/lib/server/libjvm.so && -x $jdk/bin/javac ]]; then
    say "== runs with a JVM ($jdk)"
    run "$jdk/bin/javac" -d "$out/stub-agent" "$here/stub-agent/xsched/run/agent/Agent.java" \
        "$here/stub-agent/StubProgram.java"
    mkdir -p "$out/empty"
    agent=("$lib" "$preload" "XSCHED_JAVA_HOME=$jdk" "XSCHED_AGENT_CLASSPATH=$out/stub-agent"
        "XSCHED_INTERPOSER=$out/libxsched-interpose.so")
    for driver in test_driver test_driver_linked; do
        case_ "$driver-agent" 0 '' "${agent[@]}" -- "$out/$driver" preload
        expect_err "$driver-agent" '^stub agent: started, 26 entries'
        expect_err "$driver-agent" '^stub agent: handled cuStreamSynchronize'
        expect_err "$driver-agent" '^stub agent: JVM options .*-XX:+UseSerialGC, -Xmx1g'
    done
    case_ agent-throws 0 'xsched.run.agent.Agent.start() threw an exception (described above)$' "${agent[@]}" \
        'XSCHED_AGENT_JVM_OPTIONS= -Xmx64m	-Dstub.fail=true ' -- "$out/test_driver" preload
    expect_err agent-throws 'IllegalStateException: stub agent told to fail'
    expect_err agent-throws '^stub agent: JVM options .*-Xmx64m, -Dstub.fail=true\]'
    if grep -q 'UseSerialGC' "$out/agent-throws.err"; then
        failures=$((failures + 1))
        say "FAIL  agent-throws: the agent's default JVM options were added to XSCHED_AGENT_JVM_OPTIONS"
    fi
    # a collector in JAVA_TOOL_OPTIONS would clash with the defaults' and the JVM would exit the program
    case_ java-tool-options 0 '' "${agent[@]}" JAVA_TOOL_OPTIONS=-XX:+UseParallelGC -- "$out/test_driver" preload
    expect_err java-tool-options '^stub agent: JVM options .*-XX:+UseParallelGC'
    if grep -q 'UseSerialGC' "$out/java-tool-options.err"; then
        failures=$((failures + 1))
        say "FAIL  java-tool-options: the agent's default JVM options were added next to JAVA_TOOL_OPTIONS"
    fi
    case_ agent-missing 0 'class xsched.run.agent.Agent not found$' "${agent[@]}" \
        "XSCHED_AGENT_CLASSPATH=$out/empty" -- "$out/test_driver" preload
    expect_err agent-missing 'NoClassDefFoundError: xsched/run/agent/Agent'
    case_ jvm-rejects-option 0 'JNI_CreateJavaVM failed (error ' "${agent[@]}" \
        XSCHED_AGENT_JVM_OPTIONS=-Xnosuchoption -- "$out/test_driver" preload
    case_ java-program 0 '' "$preload" "XSCHED_INTERPOSER=$out/libxsched-interpose.so" \
        -- "$jdk/bin/java" --enable-native-access=ALL-UNNAMED -cp "$out/stub-agent" StubProgram "$out/libcuda.so.1"
    expect_err java-program '^stub agent: started, 26 entries'
    expect_err java-program '^stub agent: handled cuStreamSynchronize'
else
    say "skipped: runs with a JVM (sanitized build, or no JDK with javac and lib/server/libjvm.so)"
fi

if [[ $failures -ne 0 ]]; then
    say "== $failures FAILED"
    exit 1
fi
say "== all passed"
