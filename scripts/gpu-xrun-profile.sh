#!/usr/bin/env bash
# Runs ON THE GPU MACHINE (builds nothing; pack with XSCHED_DIST_JFR=1 bash scripts/gpu-pack.sh, so the
# runtime has Flight Recorder): profiles what `xsched run` costs a launch-bound program.
# Eager PyTorch ResNet-50 batch-1 inference runs in a loop under `xsched run` with the node daemon,
# and Java Flight Recorder records the program's agent (execution and native-method samples) in the
# middle of the loop; the recording goes to $OUT/agent.jfr (read it here: jfr print --events
# jdk.ExecutionSample,jdk.NativeMethodSample agent.jfr). A native run of the same loop comes first.
#   XRUN_PROFILE_SECONDS (16, at least 10): the loop's length; the recording covers about its middle third
set -uo pipefail
cd "$(dirname "$0")/.."
RT=.devrt
OUT_DIR="${OUT:-$RT/logs}"
mkdir -p "$OUT_DIR"
tarball=$(ls "$RT"/xsched-*.tar.gz 2>/dev/null | head -1)
[ -n "$tarball" ] || { echo "run scripts/gpu-pack.sh first (and carry .devrt)" >&2; exit 2; }
DIST=/tmp/xsched-profile-dist
rm -rf "$DIST" && mkdir -p "$DIST" && tar -C "$DIST" -xzf "$tarball"
XS=$(ls -d "$DIST"/xsched-*)/bin/xsched
P="python3 $PWD/$RT/xrun/torch_check.py"
SECONDS_LOOP=${XRUN_PROFILE_SECONDS:-16}
if [ "$SECONDS_LOOP" -lt 10 ] 2>/dev/null || ! [ "$SECONDS_LOOP" -eq "$SECONDS_LOOP" ] 2>/dev/null; then
    echo "XRUN_PROFILE_SECONDS must be a whole number of seconds, 10 or more, not '$SECONDS_LOOP'" >&2; exit 2
fi
# the recording: from about the loop's first third (after the model is built) for its middle third
DELAY=$((4 + SECONDS_LOOP / 3)) DURATION=$((SECONDS_LOOP / 3))
"$(dirname "$XS")/../runtime/bin/java" --list-modules 2>/dev/null | grep -q '^jdk.jfr@' \
    || { echo "the runtime in $tarball has no Flight Recorder: pack with XSCHED_DIST_JFR=1 bash scripts/gpu-pack.sh" >&2; exit 2; }
export XSCHED_SOCKET=/tmp/xsched-profile.sock
rm -f "$XSCHED_SOCKET"
"$XS" daemon -Dxsched.daemon.socket.path="$XSCHED_SOCKET" -Dgosh.args=--nointeractive </dev/null >"$OUT_DIR/profile-daemon.log" 2>&1 &
daemon=$!
trap 'kill $daemon 2>/dev/null; wait $daemon 2>/dev/null' EXIT
for _ in $(seq 1 300); do [ -S "$XSCHED_SOCKET" ] && break; sleep 0.1; done
[ -S "$XSCHED_SOCKET" ] || { echo "the daemon did not open $XSCHED_SOCKET:" >&2; tail -20 "$OUT_DIR/profile-daemon.log" >&2; exit 1; }
echo "native:      $(timeout 120 $P eager "$SECONDS_LOOP" 2>/dev/null | tail -1)"
XSCHED_RUN_VERBOSE=1 XSCHED_AGENT_JVM_OPTIONS="-XX:StartFlightRecording:filename=$OUT_DIR/agent.jfr,delay=${DELAY}s,duration=${DURATION}s,settings=profile" \
    timeout 120 "$XS" run --name profile -- $P eager "$SECONDS_LOOP" >"$OUT_DIR/profile-xrun.out" 2>"$OUT_DIR/profile-xrun.err"
rc=$?
echo "xsched run:  $(tail -1 "$OUT_DIR/profile-xrun.out") (exit $rc)"
grep "xsched run" "$OUT_DIR/profile-xrun.err" | head -3
ls -l "$OUT_DIR/agent.jfr" 2>&1
