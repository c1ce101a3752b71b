package xsched.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.core.internal.sched.SchedulerEngine;
import xsched.policy.hpf.HighestPriorityFirst;

/**
 * Scheduler decision latency: the real {@link SchedulerEngine} running the real HPF policy over
 * {@code queues} {@link FakeQueue}s on one device. One queue has priority 10, the rest 0.
 * Each operation flips the high queue's state and reports the edge
 * ({@link SchedulerEngine#edge}), then waits until the engine has applied every suspend or resume
 * the decision calls for. Operations alternate: IDLE→READY (the high queue takes the device, the
 * busy low queues are suspended) and READY→IDLE (they are resumed).
 *
 * <p>{@code busy=1}: one low queue has work, the others are idle, so every decision applies one
 * operation. {@code busy=all}: every low queue has work, so every decision applies
 * {@code queues - 1} operations (the worst case for HPF).
 *
 * <p>The JMH figure is measured on the benchmark thread (edge call to the operation seen applied).
 * As a cross-check the run also prints, per kind of edge, the engine-side latency from the edge
 * call to the time the fake queue recorded in its last suspend/resume.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--sun-misc-unsafe-memory-access=allow"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class SchedulerDecisionBenchmark {
    private static final String DEVICE = "host:0";
    private static final int HIGH_PRIORITY = 10;
    private static final int MAX_SAMPLES = 1 << 21;

    @Param({"100", "1000"})
    public int queues;

    @Param({"1", "all"})
    public String busy;

    private SchedulerEngine engine;
    private final FakeQueue.OpLog log = new FakeQueue.OpLog();
    private FakeQueue high;
    private int opsPerDecision;
    /** Operations applied before the current one; the benchmark thread's own count. */
    private long applied;

    private long[] toSuspend;
    private long[] toResume;
    private int suspendSamples;
    private int resumeSamples;
    private long[] iterSuspend;
    private long[] iterResume;
    private int iterSuspendCount;
    private int iterResumeCount;

    @Setup(Level.Trial)
    public void open() throws InterruptedException {
        if (queues < 2) {
            throw new IllegalArgumentException("need at least 2 queues, not " + queues);
        }
        boolean allBusy = switch (busy) {
            case "1" -> false;
            case "all" -> true;
            default -> throw new IllegalArgumentException("busy must be 1 or all, not " + busy);
        };
        long pid = ProcessHandle.current().pid();
        engine = new SchedulerEngine();
        engine.policy("hpf", new HighestPriorityFirst());
        high = new FakeQueue(1, pid, DEVICE, log);
        engine.opened(high);
        engine.hint(new Hint.Priority(HintTarget.queue(high.id()), HIGH_PRIORITY));
        for (int i = 0; i < queues - 1; i++) {
            FakeQueue low = new FakeQueue(i + 2, pid, DEVICE, log);
            low.ready = allBusy || i == 0;
            engine.opened(low);
        }
        opsPerDecision = allBusy ? queues - 1 : 1;
        engine.sync();
        applied = log.settled();
        toSuspend = new long[MAX_SAMPLES];
        toResume = new long[MAX_SAMPLES];
        iterSuspend = new long[MAX_SAMPLES];
        iterResume = new long[MAX_SAMPLES];
    }

    @TearDown(Level.Trial)
    public void close() {
        engine.close();
        System.out.printf("%n[engine-side, queues=%s busy=%s] edge call -> last op recorded by the fake queue:%n"
                + "  READY edge -> suspend: %s%n  IDLE edge  -> resume:  %s%n",
                queues, busy, summary(toSuspend, suspendSamples), summary(toResume, resumeSamples));
    }

    @Setup(Level.Iteration)
    public void startIteration() {
        iterSuspendCount = 0;
        iterResumeCount = 0;
    }

    @TearDown(Level.Iteration)
    public void endIteration(IterationParams params) {
        if (params.getType() == IterationType.MEASUREMENT) {
            int s = Math.min(iterSuspendCount, MAX_SAMPLES - suspendSamples);
            System.arraycopy(iterSuspend, 0, toSuspend, suspendSamples, s);
            suspendSamples += s;
            int r = Math.min(iterResumeCount, MAX_SAMPLES - resumeSamples);
            System.arraycopy(iterResume, 0, toResume, resumeSamples, r);
            resumeSamples += r;
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long edgeToOperation() {
        boolean becomesReady = !high.ready;
        long target = applied + opsPerDecision;
        log.target = target;
        long t0 = System.nanoTime();
        high.ready = becomesReady;
        engine.edge(high);
        while (log.done != target) {
            Await.pause();
        }
        applied = target;
        long latency = log.doneNanos - t0;
        if (becomesReady) {
            if (iterSuspendCount < MAX_SAMPLES) {
                iterSuspend[iterSuspendCount++] = latency;
            }
        } else if (iterResumeCount < MAX_SAMPLES) {
            iterResume[iterResumeCount++] = latency;
        }
        return latency;
    }

    private static String summary(long[] samples, int n) {
        if (n == 0) {
            return "no samples";
        }
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        return String.format("n=%d p50=%.1f us p90=%.1f us p99=%.1f us p99.9=%.1f us max=%.1f us", n,
                at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99), at(sorted, 0.999), sorted[n - 1] / 1e3);
    }

    private static double at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e3;
    }
}
