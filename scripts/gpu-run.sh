#!/usr/bin/env bash
# Runs ON THE GPU MACHINE and builds nothing: uses what scripts/gpu-pack.sh put in .devrt/.
# Runs the @Tag("gpu") tests through the JUnit console launcher, then the benchmarks, and prints
# a short table last. Logs go to $OUT when it is set (the device tool brings them back).
#   bash scripts/gpu-run.sh          full run
#   bash scripts/gpu-run.sh quick    GPU tests + a short benchmark (smoke run)
# Each step has its own time limit (a hang shows as exit 124 and the next step still runs);
# XSCHED_GPU_BLOCKING=0 skips the second benchmark run (blocking host wait); XSCHED_DEMO=0,
# XSCHED_GPU_TESTS=0, XSCHED_BENCH=0, XSCHED_NODE_BENCH=0, XSCHED_GREEN_BENCH=0, XSCHED_UPGRADE_BENCH=0, XSCHED_NV_OPENCL=0 and
# XSCHED_XRUN=0 skip the other steps, so a run can be split over several device calls; XSCHED_BENCH_MODE
# picks CudaBenchmarks' mode (full, quick, levels, levels-quick, frontdoor) apart from the other benchmarks'.
set -uo pipefail
cd "$(dirname "$0")/.."
RT=.devrt
LOGS="${OUT:-$RT/logs}"
mkdir -p "$LOGS"
tarball=$(ls "$RT"/xsched-*.tar.gz 2>/dev/null | head -1)
if [ -z "$tarball" ]; then
    echo "no $RT/xsched-*.tar.gz: run scripts/gpu-pack.sh first (and carry .devrt)" >&2
    exit 2
fi
DIST=/tmp/xsched-dist
rm -rf "$DIST" && mkdir -p "$DIST" && tar -C "$DIST" -xzf "$tarball"
HOME_DIR=$(ls -d "$DIST"/xsched-*)
JAVA=("$HOME_DIR/runtime/bin/java" --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn
      "-XX:ErrorFile=$LOGS/hs_err_%p.log")
CP="$RT/test-classes:$(ls "$RT"/lib/*.jar | tr '\n' ':')"

nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm --format=csv,noheader 2>&1 | tee "$LOGS/gpu.txt"
"${JAVA[@]}" -version 2>&1 | head -1

demo_rc=0
if [ "${XSCHED_DEMO:-1}" != 0 ]; then
    echo "== main job: bin/xsched demo from the self-contained tarball (no Java on this machine)"
    command -v java >/dev/null && echo "(note: a java is on PATH here: $(command -v java))"
    timeout "${DEMO_TIMEOUT:-150}" "$HOME_DIR/bin/xsched" demo -Dorg.slf4j.simpleLogger.defaultLogLevel=warn 2>&1 | tee "$LOGS/demo.log"
    demo_rc=${PIPESTATUS[0]}
fi

tests_rc=0
if [ "${XSCHED_GPU_TESTS:-1}" != 0 ]; then
    echo "== GPU tests"
    # GPU_TESTS_SELECT: "--select-class C" (or --select-package P) arguments instead of every gpu-tagged test
    timeout "${TESTS_TIMEOUT:-240}" "${JAVA[@]}" -jar "$RT"/junit/junit-platform-console-standalone-*.jar execute \
        --class-path "$CP" ${GPU_TESTS_SELECT:---scan-class-path "$RT/test-classes"} --include-tag gpu \
        --details=tree --disable-banner --disable-ansi-colors 2>&1 | tee "$LOGS/gpu-tests.log"
    tests_rc=${PIPESTATUS[0]}
fi

bench_rc=0
if [ "${XSCHED_BENCH:-1}" != 0 ]; then
    echo "== benchmarks (host wait: driver default)"
    OUT="$LOGS" timeout "${BENCH_TIMEOUT:-240}" "${JAVA[@]}" -Xms1g -cp "$CP" xsched.backend.cuda.bench.CudaBenchmarks "${XSCHED_BENCH_MODE:-${1:-full}}" 2>&1 | tee "$LOGS/bench.log"
    bench_rc=${PIPESTATUS[0]}
fi
blocking_rc=0
if [ "${XSCHED_BENCH:-1}" != 0 ] && [ "${XSCHED_GPU_BLOCKING:-1}" != 0 ]; then
    echo "== benchmarks (host wait: blocking)"
    OUT="$LOGS" timeout "${BENCH_TIMEOUT:-240}" "${JAVA[@]}" -Xms1g -Dxsched.cuda.wait=blocking -cp "$CP" \
        xsched.backend.cuda.bench.CudaBenchmarks "${1:-full}" 2>&1 | tee "$LOGS/bench-blocking.log"
    blocking_rc=${PIPESTATUS[0]}
fi

node_rc=0
if [ "${XSCHED_NODE_BENCH:-1}" != 0 ]; then
    echo "== node daemon: two processes (native, MPS, daemon Lv1/Lv2), edge latency, daemon CPU"
    OUT="$LOGS" timeout "${NODE_TIMEOUT:-300}" "${JAVA[@]}" -cp "$CP" xsched.backend.cuda.bench.NodeBench "${1:-full}" 2>&1 | tee "$LOGS/node-bench.log"
    node_rc=${PIPESTATUS[0]}
fi
green_rc=0
if [ "${XSCHED_GREEN_BENCH:-1}" != 0 ]; then
    echo "== green contexts: foreground on reserved SMs vs background on the rest (one process)"
    # GREEN_RUNS: runs of GreenBench separated by ';', each its arguments, e.g. "full bg=spin:16 rows=green;full bg=sgemm:2048"
    IFS=';' read -ra green_runs <<<"${GREEN_RUNS:-${1:-full}}"
    : >"$LOGS/green-bench.log"
    rm -f "$LOGS"/green-bench*.txt
    for args in "${green_runs[@]}"; do
        read -ra green_args <<<"$args"
        OUT="$LOGS" timeout "${GREEN_TIMEOUT:-240}" "${JAVA[@]}" -cp "$CP" xsched.backend.cuda.bench.GreenBench "${green_args[@]}" 2>&1 | tee -a "$LOGS/green-bench.log"
        rc=${PIPESTATUS[0]}; [ "$rc" -ne 0 ] && green_rc=$rc
    done
fi

upgrade_rc=0
if [ "${XSCHED_UPGRADE_BENCH:-1}" != 0 ]; then
    echo "== live upgrade under load: Lv1 -> gates, foreground p99 per 250 ms around the swap"
    OUT="$LOGS" timeout "${UPGRADE_TIMEOUT:-120}" "${JAVA[@]}" -cp "$CP" xsched.backend.cuda.bench.UpgradeBench "${1:-full}" 2>&1 | tee "$LOGS/upgrade-bench.log"
    upgrade_rc=${PIPESTATUS[0]}
fi

opencl_rc=0
if [ "${XSCHED_NV_OPENCL:-1}" != 0 ] && [ -d "$RT/fpga/test-classes" ]; then
    echo "== OpenCL backend on NVIDIA's OpenCL (its ICD registered through OCL_ICD_VENDORS; PoCL left out)"
    icd=/tmp/xsched-nvidia-icd
    mkdir -p "$icd" && echo "libnvidia-opencl.so.1" > "$icd/nvidia.icd"
    FCP="$RT/fpga/test-classes:$(ls "$RT"/fpga/lib/*.jar | tr '\n' ':')"
    OCL_ICD_VENDORS="$icd" timeout "${OPENCL_TIMEOUT:-180}" "${JAVA[@]}" -Dxsched.bench=true -Dxsched.opencl.test.device=NVIDIA -jar "$RT"/junit/junit-platform-console-standalone-*.jar \
        execute --class-path "$FCP" --select-class xsched.backend.fpga.OpenClConformanceTest \
        --select-class xsched.backend.fpga.XschedOnOpenClTest --select-class xsched.backend.fpga.bench.OpenClOverheadBench \
        --details=tree --disable-banner --disable-ansi-colors 2>&1 | tee "$LOGS/nvidia-opencl.log"
    opencl_rc=${PIPESTATUS[0]}
fi

xrun_rc=0
if [ "${XSCHED_XRUN:-1}" != 0 ]; then
    echo "== xsched run: unmodified programs under the node daemon"
    OUT="$LOGS" timeout "${XRUN_TIMEOUT:-420}" bash scripts/gpu-xrun.sh 2>&1 | tee "$LOGS/xrun.log"
    xrun_rc=${PIPESTATUS[0]}
fi

echo
echo "== summary: demo exit $demo_rc, GPU tests exit $tests_rc, benchmarks exit $bench_rc (default wait), $blocking_rc (blocking wait)"
grep -E "tests (successful|failed|aborted|skipped)" "$LOGS/gpu-tests.log" 2>/dev/null | tr -s ' ' | sed 's/^\[ */  /; s/ *\]$//'
echo
sed -n '/^device:/,$p' "$LOGS/demo.log" 2>/dev/null
for table in "$LOGS/bench-table-auto.txt" "$LOGS/bench-table-blocking.txt" "$LOGS/node-bench.txt" "$LOGS"/green-bench*.txt "$LOGS/upgrade-bench.txt" "$LOGS/xrun-table.txt"; do
    if [ -f "$table" ]; then
        echo
        cat "$table"
    fi
done
echo "node bench exit $node_rc, green bench exit $green_rc, upgrade bench exit $upgrade_rc, NVIDIA OpenCL exit $opencl_rc, xsched run exit $xrun_rc"
grep -E "tests (successful|failed)|\[bench\]" "$LOGS/nvidia-opencl.log" 2>/dev/null | head -8
[ "$demo_rc" -eq 0 ] && [ "$tests_rc" -eq 0 ] && [ "$bench_rc" -eq 0 ] && [ "$blocking_rc" -eq 0 ] && [ "$node_rc" -eq 0 ] && [ "$green_rc" -eq 0 ] && [ "$upgrade_rc" -eq 0 ] && [ "$opencl_rc" -eq 0 ] && [ "$xrun_rc" -eq 0 ]
