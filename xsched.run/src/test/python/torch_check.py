"""PyTorch under `xsched run`: the same results with and without, and the cost of interception.

    python3 torch_check.py check     inference + 3 training steps of a small ResNet-like CNN (ResNet-50
                                     when torchvision is present); prints SHA-256 of the outputs and
                                     the trained weights: identical lines natively and under xsched run
    python3 torch_check.py latency   launch-bound batch-1 eager inference and its CUDA-graph form:
                                     p50/p99 per inference in ms (compare natively vs under xsched run)
    python3 torch_check.py eager SECONDS           eager batch-1 inference in a loop (to profile it)
    python3 torch_check.py abx ROUNDS              under xsched run only: the interception cost inside one
                                     process, eager and CUDA graph, in ROUNDS alternating rounds with
                                     xsched's handlers paused (every call straight to the driver) and
                                     running; p50 of each side and the median of the rounds' ratios
    python3 torch_check.py infer PERIOD_MS JOBS   periodic batch-1 CUDA-graph inference (the case
                                     study's latency-critical process): p50/p99 per inference
    python3 torch_check.py gemm SECONDS            bf16 8192^3 matmuls back to back: TFLOP/s
    python3 torch_check.py cold PERIOD_MS JOBS     `infer`'s jobs in one process, in turn with nothing
                                     before them, with 4 of `gemm`'s matmuls ended before them, and with a
                                     sweep of 1 GiB ended before them, and with the GEMMs running one at a
                                     time until COLD_LEAD_MS (default 2) before the job is due (a perfect
                                     scheduler's background); never at the same time as the job: p50/p99 of
                                     each kind, what another process's work leaves in the GPU's caches and
                                     clocks costs the inference even when it is stopped
"""
import ctypes
import hashlib
import os
import statistics
import sys
import threading
import time

import torch

os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
torch.backends.cudnn.benchmark = False
torch.backends.cudnn.deterministic = True
torch.use_deterministic_algorithms(True, warn_only=True)


def model():
    try:
        import torchvision
        return torchvision.models.resnet50(weights=None), "resnet50"
    except ImportError:
        nn = torch.nn

        def block(c_in, c_out, stride):
            return nn.Sequential(nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(),
                                 nn.Conv2d(c_out, c_out, 3, 1, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU())
        layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
        c = 64
        for c_out in (64, 128, 256, 512):
            for i in range(3):
                layers.append(block(c, c_out, 2 if i == 0 and c_out != 64 else 1))
                c = c_out
        layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, 1000)]
        return nn.Sequential(*layers), "cnn-24conv"


def digest(*tensors):
    h = hashlib.sha256()
    for t in tensors:
        h.update(t.detach().float().cpu().numpy().tobytes())
    return h.hexdigest()[:32]


def check():
    torch.manual_seed(0)
    net, name = model()
    net = net.cuda()
    x = torch.randn(8, 3, 224, 224, device="cuda")
    net.eval()
    with torch.no_grad():
        y = net(x)
    print(f"{name} inference  {digest(y)}")
    net.train()
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    target = torch.randint(0, 1000, (8,), device="cuda")
    for step in range(3):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(net(x), target)
        loss.backward()
        opt.step()
    print(f"{name} 3 steps    loss {digest(loss)} weights {digest(*net.parameters())}")
    s = torch.cuda.Stream()
    with torch.cuda.stream(s):
        z = (x @ x.transpose(2, 3)).sum()
    torch.cuda.synchronize()
    print(f"side stream matmul {digest(z)}")


def times_of(fn, n):
    """Calls fn n times, each followed by a device synchronize: the ms each took, in order."""
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        times.append((time.perf_counter() - t0) * 1e3)
    return times


def timed(fn, n):
    times = sorted(times_of(fn, n))
    return times[len(times) // 2], times[int(len(times) * 0.99)]


def graph_of(net, x):
    s = torch.cuda.Stream()
    s.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(s), torch.no_grad():
        for _ in range(3):
            net(x)
    torch.cuda.current_stream().wait_stream(s)
    g = torch.cuda.CUDAGraph()
    with torch.cuda.graph(g), torch.no_grad():
        out = net(x)
    return g, out


def latency():
    torch.manual_seed(0)
    net, name = model()
    net = net.cuda().half().eval()
    x = torch.randn(1, 3, 224, 224, device="cuda").half()
    with torch.no_grad():
        timed(lambda: net(x), 30)
        p50, p99 = timed(lambda: net(x), 300)
    print(f"{name} eager b1   p50 {p50:.3f} ms p99 {p99:.3f} ms")
    g, _ = graph_of(net, x)
    timed(g.replay, 30)
    p50, p99 = timed(g.replay, 500)
    print(f"{name} graph b1   p50 {p50:.3f} ms p99 {p99:.3f} ms")


def eager(seconds):
    """Eager batch-1 inference in a loop for `seconds` (for a profiler attached meanwhile); prints p50/p99."""
    torch.manual_seed(0)
    net, name = model()
    net = net.cuda().half().eval()
    x = torch.randn(1, 3, 224, 224, device="cuda").half()
    times = []
    with torch.no_grad():
        timed(lambda: net(x), 30)
        end = time.perf_counter() + seconds
        while time.perf_counter() < end or not times:
            t0 = time.perf_counter()
            net(x)
            torch.cuda.synchronize()
            times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    print(f"{name} eager b1 loop {len(times)} inferences p50 {times[len(times) // 2]:.3f} ms p99 {times[int(len(times) * 0.99)]:.3f} ms")


def pin_apart():
    """With XRUN_ABX_PIN=1: this thread alone on one CPU, every other thread of the process (the
    agent's JVM, PyTorch's own) on the CPUs that share no core with it, so that a cost of xsched's
    threads to this one through a shared core shows as a smaller difference."""
    allowed = sorted(os.sched_getaffinity(0))
    if len(allowed) < 4:
        print(f"abx: not pinned: {len(allowed)} CPUs", file=sys.stderr)
        return
    mine = allowed[-1]
    siblings = {mine}
    try:
        with open(f"/sys/devices/system/cpu/cpu{mine}/topology/thread_siblings_list") as f:
            for part in f.read().strip().split(","):
                lo, _, hi = part.partition("-")
                siblings |= set(range(int(lo), int(hi or lo) + 1))
    except OSError:
        pass
    others = set(allowed) - siblings
    me = threading.get_native_id()
    tids = [int(t) for t in os.listdir("/proc/self/task")]
    for tid in tids:
        try:
            os.sched_setaffinity(tid, {mine} if tid == me else others)
        except OSError:
            pass  # a thread that ended meanwhile
    print(f"abx: pinned this thread to CPU {mine} (its core's other CPUs: {sorted(siblings - {mine})}), "
          f"{len(tids) - 1} other threads to {len(others)} CPUs", file=sys.stderr)


def thread_clocks():
    """Per thread of this process: (name, CPU ns, ns waiting for a CPU, involuntary switches), from
    /proc (schedstat: ns-exact where the kernel keeps it); threads that end meanwhile are left out."""
    clocks = {}
    for tid in os.listdir("/proc/self/task"):
        base = f"/proc/self/task/{tid}"
        try:
            with open(f"{base}/comm") as f:
                name = f.read().strip()
            with open(f"{base}/schedstat") as f:
                run_ns, wait_ns = (int(v) for v in f.read().split()[:2])
            with open(f"{base}/status") as f:
                forced = next(int(line.split()[1]) for line in f if line.startswith("nonvoluntary_ctxt_switches"))
        except (OSError, ValueError, StopIteration):
            continue
        clocks[int(tid)] = (name, run_ns, wait_ns, forced)
    return clocks


class ThreadCost:
    """What the process's threads spent while one side's inferences ran: this thread's CPU time, its
    wait for a CPU and its involuntary switches, and the other threads' CPU time, by thread name."""

    def __init__(self):
        self.me = threading.get_native_id()
        self.mine = [0, 0, 0]
        self.others = {}
        self.jobs = 0

    def add(self, before, after, jobs):
        self.jobs += jobs
        for tid, (name, run_ns, wait_ns, forced) in after.items():
            _, run0, wait0, forced0 = before.get(tid, (name, 0, 0, 0))
            if tid == self.me:
                self.mine[0] += run_ns - run0
                self.mine[1] += wait_ns - wait0
                self.mine[2] += forced - forced0
            elif run_ns > run0:
                self.others[name] = self.others.get(name, 0) + run_ns - run0

    def line(self):
        n = max(self.jobs, 1)
        top = sorted(self.others.items(), key=lambda kv: -kv[1])[:4]
        named = ", ".join(f"{name} {ns / n / 1e3:.0f}" for name, ns in top)
        return (f"per inference: this thread CPU {self.mine[0] / n / 1e3:.0f} us, waited for a CPU "
                f"{self.mine[1] / n / 1e3:.1f} us, {self.mine[2] / n:.2f} involuntary switches; other threads CPU "
                f"{sum(self.others.values()) / n / 1e3:.0f} us ({named})")


def by_thirds(ratios):
    """', by thirds of the rounds +a/+b/+c %': the median round ratio of each third (how the cost
    changes as the agent's JIT compilers catch up); empty under 6 rounds."""
    if len(ratios) < 6:
        return ""
    k = len(ratios) // 3
    parts = (ratios[:k], ratios[k:2 * k], ratios[2 * k:])
    return ", by thirds of the rounds " + "/".join(f"{100 * (statistics.median(p) - 1):+.1f}" for p in parts) + " %"


def abx(rounds):
    if rounds < 1:
        sys.exit(f"abx: ROUNDS must be 1 or more, not {rounds}")
    try:
        pause = ctypes.CDLL(None).xsched_interpose_pause
    except AttributeError:
        sys.exit("abx: no xsched_interpose_pause in this process: run it under xsched run")
    pause.argtypes = [ctypes.c_int]
    torch.manual_seed(0)
    net, name = model()
    net = net.cuda().half().eval()
    x = torch.randn(1, 3, 224, 224, device="cuda").half()
    g, _ = graph_of(net, x)
    forms = {"eager": lambda: net(x), "graph": g.replay}
    per_side = {(form, side): [] for form in forms for side in ("paused", "xsched")}
    costs = {(form, side): ThreadCost() for form in forms for side in ("paused", "xsched")}
    ratios = {form: [] for form in forms}
    with torch.no_grad():
        for side in ("paused", "xsched"):  # warm-up, both sides
            pause(side == "paused")
            for fn in forms.values():
                timed(fn, 30)
        if os.environ.get("XRUN_ABX_PIN") == "1":
            pin_apart()
        for r in range(rounds):
            # the order alternates, so that neither side always follows the other
            sides = ("paused", "xsched") if r % 2 == 0 else ("xsched", "paused")
            p50s = {}
            for side in sides:
                pause(side == "paused")
                for form, fn in forms.items():
                    times_of(fn, 1)  # the first call of a round pays for the switch
                    before = thread_clocks()
                    times = times_of(fn, 10)
                    costs[(form, side)].add(before, thread_clocks(), len(times))
                    per_side[(form, side)] += times
                    p50s[(form, side)] = statistics.median(times)
            for form in forms:
                ratios[form].append(p50s[(form, "xsched")] / p50s[(form, "paused")])
    pause(0)
    for form in forms:
        paused = statistics.median(per_side[(form, "paused")])
        scheduled = statistics.median(per_side[(form, "xsched")])
        print(f"{name} abx {form} b1 {rounds} rounds: p50 paused {paused:.3f} ms, xsched {scheduled:.3f} ms "
              f"({100 * (scheduled / paused - 1):+.1f} %); median round ratio {100 * (statistics.median(ratios[form]) - 1):+.1f} %"
              f"{by_thirds(ratios[form])}")
        for side in ("paused", "xsched"):
            print(f"{name} threads {form} {side}: {costs[(form, side)].line()}")


def graph_model():
    """ResNet-50 (or the small CNN) in fp16, batch 1, captured as a CUDA graph: (graph, name)."""
    torch.manual_seed(0)
    net, name = model()
    net = net.cuda().half().eval()
    x = torch.randn(1, 3, 224, 224, device="cuda").half()
    g, _ = graph_of(net, x)
    return g, name


def periodic(g, period_ms, jobs, before=lambda j, due: None, least_gap_ms=0.0):
    """Replays g every period_ms, jobs times, each followed by a device synchronize; before(j, due)
    runs ahead of job j's wait for its time (due, on time.perf_counter's clock), and a job starts
    least_gap_ms after the last one ended at the earliest. The ms each job took, in order."""
    times = []
    nxt = time.perf_counter()
    for j in range(jobs):
        before(j, nxt)
        delay = nxt - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        nxt += period_ms / 1e3
        t0 = time.perf_counter()
        g.replay()
        torch.cuda.synchronize()
        times.append((time.perf_counter() - t0) * 1e3)
        nxt = max(nxt, time.perf_counter() + least_gap_ms / 1e3)
    return times


def infer(period_ms, jobs):
    g, name = graph_model()
    times = sorted(periodic(g, period_ms, jobs + 20)[20:])
    print(f"fg: {name} graph b1 jobs {len(times)} p50 {times[len(times) // 2]:.3f} ms "
          f"p99 {times[int(len(times) * 0.99)]:.3f} ms max {times[-1]:.3f} ms")


def gemm(seconds):
    a = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
    b = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
    for _ in range(3):
        a @ b
    torch.cuda.synchronize()
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        for _ in range(8):
            a @ b
        torch.cuda.synchronize()
        n += 8
    took = time.perf_counter() - t0
    print(f"bg: gemm {n} in {took:.2f} s = {n / took:.2f} per second, {2 * 8192 ** 3 * n / took / 1e12:.0f} TFLOP/s")


def cold(period_ms, jobs):
    g, name = graph_model()
    a = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
    b = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
    sweep = torch.empty(1 << 30, dtype=torch.uint8, device="cuda")
    kinds = ("nothing", "gemm", "sweep", "loop")
    gemm_s = []

    def before(j, due):  # ends before the job's wait for its time: no overlap
        kind = kinds[j % len(kinds)]
        if kind == "gemm":
            for _ in range(4):
                a @ b
        elif kind == "sweep":
            sweep.fill_(1)
        elif kind == "loop":
            # the GEMM loop as a perfect scheduler would leave it: running until it must stop for its
            # last GEMM to end COLD_LEAD_MS before the job is due (one GEMM at a time)
            lead = float(os.environ.get("COLD_LEAD_MS", "2")) / 1e3
            took = max(gemm_s) if gemm_s else 0.002
            while time.perf_counter() + took < due - lead:
                t0 = time.perf_counter()
                a @ b
                torch.cuda.synchronize()
                gemm_s.append(time.perf_counter() - t0)
                del gemm_s[:-16]
                took = max(gemm_s)
        torch.cuda.synchronize()

    gap = period_ms / 2
    took = periodic(g, period_ms, len(kinds) * (jobs + 10), before, least_gap_ms=gap)
    times = {k: [t for j, t in enumerate(took) if j >= 10 * len(kinds) and kinds[j % len(kinds)] == k] for k in kinds}
    base = sorted(times["nothing"])
    for k in kinds:
        t = sorted(times[k])
        p50, p99 = t[len(t) // 2], t[int(len(t) * 0.99)]
        print(f"cold: {name} graph b1 after {k:7s} jobs {len(t)} p50 {p50:.3f} ms p99 {p99:.3f} ms "
              f"({p50 / base[len(base) // 2]:.2f}x / {p99 / base[int(len(base) * 0.99)]:.2f}x of after nothing)")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "check"
    if mode == "check":
        check()
    elif mode == "latency":
        latency()
    elif mode == "eager":
        eager(float(sys.argv[2]))
    elif mode == "abx":
        if len(sys.argv) < 3 or not sys.argv[2].isdigit():
            sys.exit("usage: torch_check.py abx ROUNDS (a whole number, 1 or more)")
        abx(int(sys.argv[2]))
    elif mode == "infer":
        infer(float(sys.argv[2]), int(sys.argv[3]))
    elif mode == "gemm":
        gemm(float(sys.argv[2]))
    elif mode == "cold":
        cold(float(sys.argv[2]), int(sys.argv[3]))
    else:
        sys.exit(__doc__)
