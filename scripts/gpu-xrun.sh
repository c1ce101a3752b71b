#!/usr/bin/env bash
# Runs ON THE GPU MACHINE (builds nothing): `xsched run` on unmodified programs, from the
# self-contained tarball in .devrt/ and the programs scripts/gpu-pack.sh compiled into .devrt/xrun/.
#   1. correctness: xrun_check (streams + events, legacy stream, graph capture + replay, host
#      functions, stream-ordered alloc, stream churn) and PyTorch (inference, training steps, a side
#      stream) print the same lines natively and under `xsched run` with the node daemon;
#   2. interception cost: PyTorch batch-1 inference, eager and CUDA graph, alone, native vs xsched run;
#   3. the case study: a latency-critical periodic process against a saturating one, both unmodified:
#      native time-slicing vs the node daemon (HPF, priorities 10 and 0); foreground p50/p99 / alone
#      and the background's throughput kept.
# Prints a short table last; logs go to $OUT (or .devrt/logs).
# XRUN_PARTS=check,cost,costx,abx,launch,profile,case,torch,policy,mps,mpstorch,cold picks parts (default check,cost,abx,case,torch;
# costx: the interception cost over XRUN_COST_PASSES interleaved native/xsched run processes; abx: the same
# inside one process, handlers paused and running in alternating rounds (XRUN_ABX_PIN=1 as a variant: the
# Python thread alone on one core, every other thread elsewhere); launch: one
# launch call's cost layer by layer; profile: async-profiler in the agent, natively and scheduled; policy:
# both case studies again under each daemon policy of XRUN_POLICIES, default ahpf); XRUN_DAEMON_OPTS adds JVM options to the daemon
# (XSCHED_AGENT_JVM_OPTIONS does the same for the programs' agents), e.g. the spin options; cold: the
# PyTorch foreground alone natively, each job after nothing, after GEMMs or after a 1 GiB sweep that
# ended before it (what a stopped background leaves in the GPU's caches), natively and under MPS.
set -uo pipefail
cd "$(dirname "$0")/.."
RT=.devrt
RESULTS="${OUT:-$RT/logs}"
LOGS=/tmp/xsched-xrun-logs
rm -rf "$LOGS" && mkdir -p "$LOGS"
PARTS=",${XRUN_PARTS:-check,cost,abx,case,torch},"
finish() {
    [ -n "${clocks_pid:-}" ] && kill "$clocks_pid" 2>/dev/null
    stop_daemon
    stop_mps
    for f in "$LOGS"/*.err; do [ -s "$f" ] && { echo "--- $(basename "$f")"; grep -v "^WARNING\|UserWarning\|warnings.warn" "$f" | tail -8; }; done > "$LOGS/errors.txt" 2>/dev/null
    mkdir -p "$RESULTS" && tar -C "$LOGS" -czf "$RESULTS/xrun-logs.tar.gz" . && cp "$TABLE" "$RESULTS/xrun-table.txt"
}
tarball=$(ls "$RT"/xsched-*.tar.gz 2>/dev/null | head -1)
[ -n "$tarball" ] && [ -x "$RT/xrun/xrun_check" ] || { echo "run scripts/gpu-pack.sh first (and carry .devrt)" >&2; exit 2; }
DIST=/tmp/xsched-xrun-dist
rm -rf "$DIST" && mkdir -p "$DIST" && tar -C "$DIST" -xzf "$tarball"
XS=$(ls -d "$DIST"/xsched-*)/bin/xsched
B=$PWD/$RT/xrun
P="python3 $B/torch_check.py"
export XSCHED_SOCKET=/tmp/xsched-xrun.sock
# the setting of a side under `xsched run` with no daemon to connect to: the program runs natively, the agent's JVM idles
NO_DAEMON=XSCHED_SOCKET=/tmp/xsched-no-daemon.sock
export CUBLAS_WORKSPACE_CONFIG=:4096:8
TABLE="$LOGS/table.txt"
: > "$TABLE"
row() { echo "$*" | tee -a "$TABLE"; }
# after a foreground run against a background ($bgp): a line in the table if the background had ended first
bg_ended() { kill -0 "$bgp" 2>/dev/null || row "WARNING: the background ended before $1 did; its figures are partly without contention"; }
# the extra cases of a study: cases LIST LABEL FG_NAME BG_NAME HEAD_START FG_ARRAY BG_ARRAY; each starts
# the background (`side`), then after HEAD_START s the foreground, and adds a row to the table
# (logs: <label>-fg-<tag>, <label>-bg-<tag>; the spin foreground's jobs one by one in <label>-fg-<tag>.trace,
# the spin background's kernels in <label>-bg-<tag>.bgtrace; bg_overlap.py lines them up)
cases() {
    local list=$1 label=$2 fgname=$3 bgname=$4 head=$5 c fe be tag
    local -n fgcmd=$6 bgcmd=$7
    for c in $list; do
        fe=${c%%:*} be=${c##*:} tag=$(tag_of "$c")
        if ! settings "$fe" >/dev/null 2>&1 || ! settings "$be" >/dev/null 2>&1; then
            row "$label fg $fe bg $be: not run: $( { settings "$fe"; settings "$be"; } 2>&1 >/dev/null | tr '\n' ' ')"; continue
        fi
        echo "$(date '+%Y/%m/%d %H:%M:%S.%3N') $label $fe:$be" >>"$LOGS/marks.txt"
        XRUN_LOAD_BGTRACE="$LOGS/$label-bg-$tag.bgtrace" side "$be" 0 "$bgname" "${bgcmd[@]}" >"$LOGS/$label-bg-$tag.out" 2>"$LOGS/$label-bg-$tag.err" & bgp=$!; sleep "$head"
        XRUN_LOAD_TRACE="$LOGS/$label-fg-$tag.trace" side "$fe" 10 "$fgname" "${fgcmd[@]}" >"$LOGS/$label-fg-$tag.out" 2>"$LOGS/$label-fg-$tag.err"
        bg_ended "$label-fg-$tag"; wait $bgp
        row "$label fg $fe bg $be: $(grep -h '^fg:' "$LOGS/$label-fg-$tag.out" | tail -1) | $(grep -h '^bg:' "$LOGS/$label-bg-$tag.out" | tail -1)"
    done
}
# a setting as a piece of a log file's name: tag_of "XSCHED_RUN_WINDOW=64/16" prints XSCHED_RUN_WINDOW_64_16
# a setting as a file name's part: plain characters, and a long one cut, with its checksum to tell it apart
tag_of() {
    local t; t=$(echo "$1" | tr '/:,=~+' '______')
    if [ ${#t} -gt 60 ]; then echo "${t:0:48}-$(echo "$1" | cksum | cut -d' ' -f1)"; else echo "$t"; fi
}
# one side of a case: side SETTINGS PRIORITY NAME program args...; SETTINGS is "-" (none) or a
# comma-separated list of VAR=VALUE for the program's environment, and "native" to run it without
# `xsched run` (else it runs under `xsched run --priority PRIORITY --name NAME`)
side() {
    local prio=$2 name=$3 s native=
    local -a vars=()
    settings "$1" >/dev/null || return 2
    while IFS= read -r s; do
        if [ "$s" = native ]; then native=1; else vars+=("${s//\~/ }"); fi
    done < <(settings "$1")
    shift 3
    if [ -n "${XRUN_JIT_LOG:-}" ]; then # the agent's compilations and deoptimizations, to that file
        local opts=${XSCHED_AGENT_JVM_OPTIONS-$AGENT_DEFAULTS} i
        for i in "${!vars[@]}"; do [[ ${vars[$i]} == XSCHED_AGENT_JVM_OPTIONS=* ]] && opts=${vars[$i]#*=} && unset "vars[$i]"; done
        vars+=("XSCHED_AGENT_JVM_OPTIONS=$opts -Xlog:jit+compilation=debug,deoptimization=debug:file=$XRUN_JIT_LOG:uptime")
    fi
    if [ -n "$native" ]; then env "${vars[@]}" timeout 180 "$@"
    else env "${vars[@]}" timeout 180 "$XS" run --priority "$prio" --name "$name" -- "$@"; fi
}
# the agent's JVM options when XSCHED_AGENT_JVM_OPTIONS is unset (xsched.run/src/main/c/agent.c)
AGENT_DEFAULTS="-XX:+UseSerialGC -Xmx1g -XX:CICompilerCount=2 -XX:-UsePerfData"
# the settings of one side, one a line ("native" or VAR=VALUE, a ~ in VALUE for a space); fails saying which one is bad
settings() {
    local -a parts=(); local s
    IFS=, read -ra parts <<<"$1"
    for s in "${parts[@]}"; do
        case $s in -|'') ;; native|[A-Za-z_]*=*) printf '%s\n' "$s" ;; *) echo "bad case setting '$s' in '$1'" >&2; return 2 ;; esac
    done
}

# the two case studies: a periodic latency-critical foreground against a saturating background.
# the background must outlast the foreground (start, warm-up, jobs): else the foreground's last
# jobs run alone and its figures look better than they are (bg_ended says so in the table)
FG=("$B/xrun_load" fg 10 "${XRUN_JOBS:-1000}" 16 25 "${XRUN_WARMUP_JOBS:-200}")
BG=("$B/xrun_load" bg "${XRUN_BG_SECONDS:-15}" 100)
# With PyTorch: a CUDA-graph ResNet-50 inference every 20 ms against a bf16 8192^3 GEMM loop
PF=($P infer 20 "${XRUN_TORCH_JOBS:-500}")
PB=($P gemm "${XRUN_TORCH_BG_SECONDS:-25}")

# a program alone on the GPU, natively, once per run: alone ARRAY LOG
alone() { local -n cmd=$1; [ -s "$LOGS/$2.out" ] || timeout 120 "${cmd[@]}" >"$LOGS/$2.out" 2>&1; }
daemon_pid=
start_daemon() {
    rm -f "$XSCHED_SOCKET"
    "$XS" daemon -Dxsched.daemon.socket.path="$XSCHED_SOCKET" -Dgosh.args=--nointeractive ${XRUN_DAEMON_OPTS:-} \
        -Dorg.slf4j.simpleLogger.defaultLogLevel=info </dev/null >"$LOGS/${DAEMON_LOG:-daemon}.log" 2>&1 &
    daemon_pid=$!
    for _ in $(seq 1 300); do [ -S "$XSCHED_SOCKET" ] && return 0; sleep 0.1; done
    echo "the daemon did not open $XSCHED_SOCKET" >&2
    tail -20 "$LOGS/${DAEMON_LOG:-daemon}.log" >&2
    return 1
}
# the MPS control daemon of the mps parts, if one runs (also when the script is cut short)
M=/tmp/xsched-xrun-mps
stop_mps() {
    [ -d "$M/pipe" ] || return 0
    echo quit | CUDA_MPS_PIPE_DIRECTORY="$M/pipe" nvidia-cuda-mps-control >/dev/null 2>&1 && sleep 1
    rm -rf "$M"
}
stop_daemon() { [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null; wait "$daemon_pid" 2>/dev/null; daemon_pid=; }
trap finish EXIT
# with XRUN_CLOCKS=1, the GPU's SM clock, power and temperature every 200 ms (clocks.csv), and when
# each case began (marks.txt): whether a background's heat or power slows the foreground it leaves
# the GPU to (with them on, abx's eager loop ran at 6.0-6.6 ms, 5.0-5.3 ms in earlier runs without)
if [ "${XRUN_CLOCKS:-0}" = 1 ] && command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=timestamp,clocks.sm,power.draw,temperature.gpu --format=csv,noheader -lms 200 >"$LOGS/clocks.csv" 2>/dev/null &
    clocks_pid=$!
fi
xrun() { timeout 180 "$XS" run "$@"; }

echo "== 0. without a daemon the program runs natively and says so"
rm -f "$XSCHED_SOCKET"
xrun -- "$B/xrun_check" >"$LOGS/check-nodaemon.out" 2>"$LOGS/check-nodaemon.err"
echo "exit $? | $(tail -1 "$LOGS/check-nodaemon.out") | $(grep -m1 'xsched run' "$LOGS/check-nodaemon.err")"

start_daemon || exit 1
if [[ $PARTS == *,check,* ]]; then
echo "== 1. correctness: native vs xsched run"
timeout 120 "$B/xrun_check" >"$LOGS/check-native.out" 2>&1; n_rc=$?
xrun --verbose --name xrun_check -- "$B/xrun_check" >"$LOGS/check-xrun.out" 2>"$LOGS/check-xrun.err"; x_rc=$?
cat "$LOGS/check-xrun.out"; grep "xsched run" "$LOGS/check-xrun.err" | head -5
if [ $n_rc -eq 0 ] && [ $x_rc -eq 0 ] && diff -q "$LOGS/check-native.out" "$LOGS/check-xrun.out" >/dev/null; then
    row "xrun_check: identical to native, ALL OK ($(grep -c ' ok$' "$LOGS/check-xrun.out") cases)"
else
    row "xrun_check: DIFFERENT or failed (native exit $n_rc, xsched run exit $x_rc)"; diff "$LOGS/check-native.out" "$LOGS/check-xrun.out" | head
fi
timeout 300 $P check >"$LOGS/torch-native1.out" 2>"$LOGS/torch-native1.err"
timeout 300 $P check >"$LOGS/torch-native2.out" 2>"$LOGS/torch-native2.err"
xrun --name torch-check -- $P check >"$LOGS/torch-xrun.out" 2>"$LOGS/torch-xrun.err"; t_rc=$?
cat "$LOGS/torch-xrun.out"; grep "xsched run\|Error\|error" "$LOGS/torch-xrun.err" | head -5
if ! diff -q "$LOGS/torch-native1.out" "$LOGS/torch-native2.out" >/dev/null; then
    row "torch check: native runs differ from each other (not deterministic); xsched run exit $t_rc"
elif [ $t_rc -eq 0 ] && diff -q "$LOGS/torch-native1.out" "$LOGS/torch-xrun.out" >/dev/null; then
    row "torch check: bit-identical to native ($(wc -l <"$LOGS/torch-xrun.out") digests)"
else
    row "torch check: DIFFERENT or failed (exit $t_rc)"; diff "$LOGS/torch-native1.out" "$LOGS/torch-xrun.out" | head
fi

fi
if [[ $PARTS == *,cost,* ]]; then
echo "== 2. interception cost (alone on the GPU)"
timeout 300 $P latency >"$LOGS/lat-native.out" 2>"$LOGS/lat-native.err"
xrun --name torch-latency -- $P latency >"$LOGS/lat-xrun.out" 2>"$LOGS/lat-xrun.err"
paste -d'|' "$LOGS/lat-native.out" "$LOGS/lat-xrun.out" | sed 's/^/native | xsched run: /' | tee -a "$TABLE"
for v in ${XRUN_VARIANTS:-}; do # e.g. XSCHED_RUN_WINDOW=1024/16 XSCHED_LEVEL=1 XSCHED_RUN_SETTLE=0
    tag=$(tag_of "$v")
    env "$v" timeout 180 "$XS" run --name "torch-latency" -- $P latency >"$LOGS/lat-xrun-$tag.out" 2>"$LOGS/lat-xrun-$tag.err"
    row "xsched run $v: $(tr '\n' '|' <"$LOGS/lat-xrun-$tag.out")"
    env "$v" timeout 180 "$XS" run --priority 10 --name fg -- "$B/xrun_load" fg 10 200 16 25 >"$LOGS/fg-alone-xrun-$tag.out" 2>"$LOGS/fg-alone-xrun-$tag.err"
    row "xsched run $v: $(grep -h '^fg:' "$LOGS/fg-alone-xrun-$tag.out")"
done
fi

if [[ $PARTS == *,costx,* ]]; then
# one process each is too noisy for a launch-bound eager model (native p50 moved 5.8-7.8 ms between
# processes): native and xsched run processes alternate (native first in odd passes, second in even ones); the medians over passes, and the median of
# each pass's xsched run/native ratio. XRUN_COSTX_VARIANTS: settings of the xsched run side, one
# measurement each ("-" none, else comma-separated VAR=VALUE), e.g. "- XSCHED_RUN_WINDOW=1024/64"
for variant in ${XRUN_COSTX_VARIANTS:--}; do
    echo "== 2b. interception cost, interleaved ($variant): native and xsched run processes alternate, ${XRUN_COST_PASSES:-4} passes each"
    if ! settings "$variant" >/dev/null 2>&1; then row "costx $variant: not run: $(settings "$variant" 2>&1 >/dev/null)"; continue; fi
    mapfile -t vars < <(settings "$variant")
    if printf '%s\n' "${vars[@]}" | grep -qx native; then row "costx $variant: not run: 'native' is the other side of every pass already"; continue; fi
    rm -f "$LOGS"/costx-native-*.out "$LOGS"/costx-xrun-*.out
    for i in $(seq 1 "${XRUN_COST_PASSES:-4}"); do
        # the order alternates, so that neither side always runs on a machine the other just warmed
        for side in $([ $((i % 2)) = 1 ] && echo "native xrun" || echo "xrun native"); do
            if [ "$side" = native ]; then
                timeout 300 $P latency >"$LOGS/costx-native-$i.out" 2>"$LOGS/costx-native-$i.err"
            else
                env "${vars[@]}" timeout 180 "$XS" run --name torch-latency -- $P latency >"$LOGS/costx-xrun-$i.out" 2>"$LOGS/costx-xrun-$i.err"
            fi
        done
    done
    python3 - "$LOGS" "${XRUN_COST_PASSES:-4}" "$variant" <<'PY' | tee -a "$TABLE"
import re, statistics, sys
logs, passes, variant = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def p50(path, form):
    try:
        for line in open(path):
            m = re.search(form + r" b1\s+p50 ([0-9.]+) ms", line)
            if m:
                return float(m.group(1))
    except OSError:
        pass
    return None
for form in ("eager", "graph"):
    pairs = [(p50(f"{logs}/costx-native-{i}.out", form), p50(f"{logs}/costx-xrun-{i}.out", form)) for i in range(1, passes + 1)]
    pairs = [(n, x) for n, x in pairs if n and x]
    if not pairs:
        print(f"costx {variant} {form}: no pass gave both figures")
        continue
    n = statistics.median(p[0] for p in pairs)
    x = statistics.median(p[1] for p in pairs)
    r = statistics.median(p[1] / p[0] for p in pairs)
    each = " ".join(f"{p[0]:.3f}/{p[1]:.3f}" for p in pairs)
    print(f"costx {variant} {form} p50, {len(pairs)} passes: native {n:.3f} ms, xsched run {x:.3f} ms ({100 * (x / n - 1):+.1f} %); "
          f"median pass ratio {100 * (r - 1):+.1f} %; native/xrun per pass {each}")
PY
    grep -h "xsched run:.*calls" "$LOGS"/costx-xrun-*.err 2>/dev/null | tail -2
done
fi

if [[ $PARTS == *,abx,* ]]; then
# The interception cost inside one process (torch_check.py abx): eager and CUDA-graph ResNet-50 batch 1 in
# XRUN_ABX_ROUNDS (default 40) alternating rounds with xsched's handlers paused and running, so the
# machine's drift between processes (the eager p50 moved by +-30 % between processes) cannot skew it.
# XRUN_ABX_VARIANTS: settings of the xsched run side, one process each ("-" none, else comma-separated
# VAR=VALUE), e.g. "- XSCHED_RUN_WINDOW=64/16"; each also prints the agent's call statistics.
# XRUN_ABX_JIT=1 logs the agent's JIT compilations and deoptimizations (scripts/jit_summary.py reads them).
echo "== 2c. interception cost inside one process (abx): paused and scheduled rounds alternate"
for v in ${XRUN_ABX_VARIANTS:--}; do
    tag=$(tag_of "$v")
    # with XRUN_ABX_JIT=1 the agent's compilations and deoptimizations go to $OUT/abx-jit-<tag>.log.gz
    jit=$([ "${XRUN_ABX_JIT:-0}" = 1 ] && echo "$LOGS/abx-jit-$tag.log")
    XRUN_JIT_LOG=$jit XSCHED_RUN_STATS=1 side "$v" 0 abx $P abx "${XRUN_ABX_ROUNDS:-40}" >"$LOGS/abx-$tag.out" 2>"$LOGS/abx-$tag.err"
    rc=$?
    if [ -s "$LOGS/abx-jit-$tag.log" ]; then
        mkdir -p "$RESULTS" && gzip -c "$LOGS/abx-jit-$tag.log" >"$RESULTS/abx-jit-$tag.log.gz"
        row "abx $v: jit $(python3 "$B/jit_summary.py" "$LOGS/abx-jit-$tag.log" | head -1)"
    fi
    while IFS= read -r line; do row "abx $v: $line"; done < <(grep -h " abx \| threads eager " "$LOGS/abx-$tag.out")
    [ $rc = 0 ] || row "abx $v: exit $rc: $(tail -1 "$LOGS/abx-$tag.err")"
    row "abx $v: $(grep -h "calls through queues" "$LOGS/abx-$tag.err" | tail -1)"
done
fi

if [[ $PARTS == *,launch,* ]]; then
# What one launch call costs the program, by layer: `xrun_load launch` (empty one-block kernels) natively,
# under `xsched run` with no daemon at the socket (interposer and an idle agent JVM: every call forwarded
# in C), with the legacy stream left unscheduled (XSCHED_RUN_LEGACY=0: the upcall into Java and back,
# nothing queued; the legacy-stream rows only), and scheduled: as is, with sync-point events that block the
# launch worker instead of letting it spin in the driver, at level 2 and without settling;
# XRUN_LAUNCH_PASSES passes (default 2) in turn. XRUN_LAUNCH_VARIANTS replaces the sides (as in XRUN_CASES).
echo "== 2d. the cost of one launch call, layer by layer (xrun_load launch)"
variants=${XRUN_LAUNCH_VARIANTS:-native $NO_DAEMON XSCHED_RUN_LEGACY=0 - XSCHED_AGENT_JVM_OPTIONS=-Dxsched.cuda.pointWait=blocking XSCHED_LEVEL=2 XSCHED_RUN_SETTLE=0}
for pass in $(seq 1 "${XRUN_LAUNCH_PASSES:-2}"); do
    for shape in legacy/64 legacy/4096 own/4096; do
        stream=${shape%/*} sync=${shape#*/}
        for v in $variants; do
            [ "$v" = XSCHED_RUN_LEGACY=0 ] && [ "$stream" != legacy ] && continue
            tag="launch-$stream-$sync-$(tag_of "$v")-$pass"
            side "$v" 0 launch "$B/xrun_load" launch 100000 "$sync" "$stream" >"$LOGS/$tag.out" 2>"$LOGS/$tag.err"
            rc=$?
            row "launch pass $pass $shape $(printf '%-42s' "$v") $(grep -h '^launch:' "$LOGS/$tag.out" | sed 's/^launch: //; s/stream, 100000 launches, a synchronize every [0-9]*: //')$([ $rc = 0 ] || echo " exit $rc: $(tail -1 "$LOGS/$tag.err")")"
        done
    done
done
fi

if [[ $PARTS == *,profile,* ]]; then
# async-profiler (.devrt/ap, packed by scripts/gpu-pack.sh) in the agent's JVM, CPU samples of every
# thread with native frames (the driver's and PyTorch's included): an eager PyTorch loop
# (XRUN_PROFILE_SECONDS, default 16) and `xrun_load launch` (legacy stream, a synchronize every 4096),
# each under `xsched run` with no daemon (the program runs natively; the JVM idles) and scheduled.
# XRUN_PROFILE_EVENT=wall samples wall-clock time instead (threads waiting too); XRUN_PROFILE_CASES
# picks the programs (default "eager launch").
# Collapsed stacks every 4 s go to $OUT/profile-<case>-<n>.txt.gz; read them with
# python3 scripts/collapsed-summary.py FILE [THREAD_PREFIX].
echo "== 2e. profile: async-profiler in the agent, natively (no daemon) and scheduled"
ap=$PWD/$RT/ap/libasyncProfiler.so
loop=${XRUN_PROFILE_SECONDS:-16}
if [ ! -f "$ap" ]; then
    row "profile: not run: no $ap (scripts/gpu-pack.sh packs it)"
elif ! [ "$loop" -ge 10 ] 2>/dev/null; then
    row "profile: not run: XRUN_PROFILE_SECONDS must be a whole number of seconds, 10 or more, not '$loop'"
else
    mkdir -p "$RESULTS"
    for case in ${XRUN_PROFILE_CASES:-eager launch}; do
        for v in "$NO_DAEMON" -; do
            what=$([ "$v" = - ] && echo scheduled || echo natively)
            rm -f "$LOGS"/prof-*.txt
            if [ $case = eager ]; then cmd=($P eager "$loop"); else cmd=("$B/xrun_load" launch 3000000 4096 legacy); fi
            XSCHED_AGENT_JVM_OPTIONS="${XSCHED_AGENT_JVM_OPTIONS:--XX:+UseSerialGC -Xmx1g -XX:CICompilerCount=2 -XX:-UsePerfData} -agentpath:$ap=start,event=${XRUN_PROFILE_EVENT:-cpu},interval=200us,loop=4s,file=$LOGS/prof-%n{9}.txt,collapsed,threads" \
                side "$v" 0 "profile-$case" "${cmd[@]}" >"$LOGS/profile-$case-$what.out" 2>"$LOGS/profile-$case-$what.err"
            rc=$?
            for f in "$LOGS"/prof-*.txt; do [ -f "$f" ] && gzip -c "$f" >"$RESULTS/profile-$case-$what-$(basename "$f" .txt | cut -d- -f2).txt.gz"; done
            row "profile $case $what: $(tail -1 "$LOGS/profile-$case-$what.out") (exit $rc; $(ls "$LOGS"/prof-*.txt 2>/dev/null | wc -l) profiles)"
        done
    done
fi
fi

if [[ $PARTS == *,case,* ]]; then
echo "== 3. case study: fg periodic (16 x 25 us whole-GPU kernels every 10 ms) vs bg (100 us whole-GPU kernels)"
XRUN_LOAD_TRACE="$LOGS/fg-alone.trace" alone FG fg-alone
XRUN_LOAD_TRACE="$LOGS/fg-alone-xrun.trace" xrun --priority 10 --name fg -- "${FG[@]}" >"$LOGS/fg-alone-xrun.out" 2>"$LOGS/fg-alone-xrun.err"
# XRUN_ALONE_VARIANTS: the foreground alone under `xsched run` with other settings (as a side of XRUN_CASES)
for v in ${XRUN_ALONE_VARIANTS:-}; do
    tag=$(tag_of "$v")
    XRUN_LOAD_TRACE="$LOGS/fg-alone-$tag.trace" side "$v" 10 fg "${FG[@]}" >"$LOGS/fg-alone-$tag.out" 2>"$LOGS/fg-alone-$tag.err"
    row "fg alone $v: $(grep -h '^fg:' "$LOGS/fg-alone-$tag.out" | tail -1)"
done
alone BG bg-alone
"${BG[@]}" >"$LOGS/bg-native.out" 2>&1 & bgp=$!; sleep 1
XRUN_LOAD_TRACE="$LOGS/fg-native.trace" "${FG[@]}" >"$LOGS/fg-native.out" 2>&1; bg_ended "fg-native"; wait $bgp
xrun --priority 0 --name bg -- "${BG[@]}" >"$LOGS/bg-xrun.out" 2>&1 & bgp=$!; sleep 1.5
XRUN_LOAD_TRACE="$LOGS/fg-xrun.trace" xrun --priority 10 --name fg -- "${FG[@]}" >"$LOGS/fg-xrun.out" 2>&1; bg_ended "fg-xrun"; wait $bgp
for f in fg-alone fg-alone-xrun fg-native fg-xrun bg-alone bg-native bg-xrun; do
    row "$(printf '%-14s' "$f") $(grep -h '^fg:\|^bg:' "$LOGS/$f.out" | tail -1)"
done
# XRUN_CASES: extra configurations, each FG:BG where a side is "-" or comma-separated VAR=VALUE
# settings of that side's `xsched run`, e.g. "-:XSCHED_LEVEL=1,XSCHED_RUN_WINDOW=2/1"
cases "${XRUN_CASES:-}" case fg bg 1.5 FG BG
fi
if [[ $PARTS == *,torch,* ]]; then
echo "== 3b. case study with PyTorch: CUDA-graph ResNet inference every 20 ms vs a bf16 GEMM loop"
alone PF tfg-alone
alone PB tbg-alone
timeout 120 "${PB[@]}" >"$LOGS/tbg-native.out" 2>&1 & bgp=$!; sleep 3
timeout 120 "${PF[@]}" >"$LOGS/tfg-native.out" 2>&1; bg_ended "tfg-native"; wait $bgp
xrun --priority 0 --name gemm -- "${PB[@]}" >"$LOGS/tbg-xrun.out" 2>&1 & bgp=$!; sleep 4
xrun --priority 10 --name infer -- "${PF[@]}" >"$LOGS/tfg-xrun.out" 2>"$LOGS/tfg-xrun.err"; bg_ended "tfg-xrun"; wait $bgp
for f in tfg-alone tfg-native tfg-xrun tbg-alone tbg-native tbg-xrun; do
    row "$(printf '%-14s' "$f") $(grep -h '^fg:\|^bg:' "$LOGS/$f.out" | tail -1)"
done
cases "${XRUN_TORCH_CASES:-}" torch infer gemm 4 PF PB # as XRUN_CASES
fi
if [[ $PARTS == *,policy,* ]]; then
echo "== 3c. both case studies under other policies of the daemon (XRUN_POLICIES, default ahpf)"
for a in "FG fg-alone" "BG bg-alone" "PF tfg-alone" "PB tbg-alone"; do XRUN_LOAD_TRACE="$LOGS/${a#* }.trace" alone $a; done
for f in fg-alone bg-alone tfg-alone tbg-alone; do row "$(printf '%-14s' "$f") $(grep -h '^fg:\|^bg:' "$LOGS/$f.out" | tail -1)"; done
for pol in ${XRUN_POLICIES:-ahpf}; do
    stop_daemon
    if ! XRUN_DAEMON_OPTS="${XRUN_DAEMON_OPTS:-} -Dxsched.runtime.policy=$pol" DAEMON_LOG="daemon-$pol" start_daemon; then
        row "policy $pol: the daemon did not start"; continue
    fi
    cases "-:-" "case-$pol" fg bg 1.5 FG BG
    cases "-:-" "torch-$pol" infer gemm 4 PF PB
    cases "${XRUN_POLICY_CASES:-}" "case-$pol" fg bg 1.5 FG BG # as XRUN_CASES
    # after the cases: the daemon opens its socket before every policy bundle has started
    row "policy $pol: $(grep -o "policy '[^']*' \(active\|replaces '[^']*'\)" "$LOGS/daemon-$pol.log" | tail -1 || echo "no policy line in the daemon's log")"
    grep -h "ahpf: queue" "$LOGS/daemon-$pol.log" | tail -8 | while IFS= read -r l; do row "  ${l##*] }"; done
done
stop_daemon; start_daemon || exit 1
fi
if [[ $PARTS == *,cold,* ]]; then
echo "== 3d. the PyTorch foreground alone after another's work has ended (caches and clocks, no overlap)"
timeout 200 $P cold 20 "${XRUN_COLD_JOBS:-300}" >"$LOGS/cold.out" 2>"$LOGS/cold.err"
grep -h '^cold:' "$LOGS/cold.out" | while IFS= read -r l; do row "native $l"; done
stop_mps
mkdir -p "$M/pipe" "$M/log"
if CUDA_MPS_PIPE_DIRECTORY=$M/pipe CUDA_MPS_LOG_DIRECTORY=$M/log nvidia-cuda-mps-control -d; then
    CUDA_MPS_PIPE_DIRECTORY=$M/pipe CUDA_MPS_LOG_DIRECTORY=$M/log timeout 200 $P cold 20 "${XRUN_COLD_JOBS:-300}" >"$LOGS/cold-mps.out" 2>"$LOGS/cold-mps.err"
    grep -h '^cold:' "$LOGS/cold-mps.out" | while IFS= read -r l; do row "mps    $l"; done
    CUDA_MPS_PIPE_DIRECTORY=$M/pipe CUDA_MPS_LOG_DIRECTORY=$M/log stop_mps
fi
fi
if [[ $PARTS == *,mps,* || $PARTS == *,mpstorch,* ]]; then
echo "== 4. the case studies under MPS: the two programs' kernels share the GPU at once (no time slices);"
echo "     the background also with CUDA_MPS_ACTIVE_THREAD_PERCENTAGE=${XRUN_MPS_LIMIT:-88} (the SMs it may use)"
stop_daemon
# the native references first, without MPS
[[ $PARTS == *,mps,* ]] && { alone FG fg-alone; alone BG bg-alone; }
[[ $PARTS == *,mpstorch,* ]] && { alone PF tfg-alone; alone PB tbg-alone; }
stop_mps # one a cut-short run left
mkdir -p "$M/pipe" "$M/log"
export CUDA_MPS_PIPE_DIRECTORY=$M/pipe CUDA_MPS_LOG_DIRECTORY=$M/log
if nvidia-cuda-mps-control -d; then
    start_daemon || exit 1 # the daemon after MPS: every process a client of the one MPS server
    L=CUDA_MPS_ACTIVE_THREAD_PERCENTAGE=${XRUN_MPS_LIMIT:-88}
    # native, xsched run (both level 1), each with and without the background's SM limit (or
    # XRUN_MPS_BASE, e.g. "-:-" alone), then extra cases as XRUN_CASES (XRUN_MPS_CASES, XRUN_MPS_TORCH_CASES)
    MPS_CASES=${XRUN_MPS_BASE-"native:native -:- native:native,$L -:$L"}
    if [[ $PARTS == *,mps,* ]]; then
        timeout 120 "${FG[@]}" >"$LOGS/mps-fg-alone.out" 2>&1
        row "mps fg alone: $(grep -h '^fg:' "$LOGS/mps-fg-alone.out" | tail -1)"
        cases "$MPS_CASES ${XRUN_MPS_CASES:-}" mps fg bg 1.5 FG BG
    fi
    if [[ $PARTS == *,mpstorch,* ]]; then
        timeout 120 "${PF[@]}" >"$LOGS/mpstorch-fg-alone.out" 2>&1
        row "mpstorch fg alone: $(grep -h '^fg:' "$LOGS/mpstorch-fg-alone.out" | tail -1)"
        cases "$MPS_CASES ${XRUN_MPS_TORCH_CASES:-}" mpstorch infer gemm 4 PF PB
    fi
    stop_daemon
    stop_mps
else
    row "MPS: nvidia-cuda-mps-control -d failed; no MPS rows"
fi
unset CUDA_MPS_PIPE_DIRECTORY CUDA_MPS_LOG_DIRECTORY
row "references: $(grep -h '^fg:\|^bg:' "$LOGS"/fg-alone.out "$LOGS"/bg-alone.out "$LOGS"/tfg-alone.out "$LOGS"/tbg-alone.out 2>/dev/null | tr '\n' '|')"
fi
# where the spin foreground's time goes, job by job (the traces): medians of the job's latency, of
# when its first and last launch calls returned, of the GPU time from its first kernel's start to
# its last one's end, and of the rest (latency - GPU time), then that rest's p99
for t in "$LOGS"/*.trace; do
    [ -s "$t" ] || continue
    row "trace $(basename "$t" .trace): $(python3 - "$t" <<'PY'
import sys
rows = [list(map(float, l.split()[:5])) for l in open(sys.argv[1]) if len(l.split()) >= 5]
def q(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(len(v) * p))]
col = lambda i: [r[i] for r in rows]
rest = [r[1] - r[4] for r in rows]
if not rows:
    sys.exit(print("no jobs traced"))
print("p50 latency %.3f first call %.3f last call %.3f gpu %.3f rest %.3f | p99 latency %.3f rest %.3f ms"
      % (q(col(1), .5), q(col(2), .5), q(col(3), .5), q(col(4), .5), q(rest, .5), q(col(1), .99), q(rest, .99)))
PY
)"
    # the spin background of the same case, traced kernel by kernel: what of it ran during each job
    bgt=${t/-fg-/-bg-}; bgt=${bgt%.trace}.bgtrace
    [ "$bgt" != "${t%.trace}.bgtrace" ] && [ -s "$bgt" ] && row "overlap $(basename "$t" .trace): $(python3 "$B/bg_overlap.py" "$t" "$bgt")"
done
stop_daemon
finish; trap - EXIT
cat "$LOGS/errors.txt"
echo
echo "== xsched run on $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null)"
cat "$TABLE"
