package xsched.bench;

import java.util.ArrayList;
import java.util.List;
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
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.QueueOptions;
import xsched.api.QueueState;
import xsched.api.XQueue;
import xsched.core.embed.EmbeddedXsched;
import xsched.policy.hpf.HighestPriorityFirst;

/**
 * Scheduler decision latency, end to end through the embedding API: an {@link EmbeddedXsched}
 * running the real HPF policy over {@code queues} real XQueues (level 1) on one
 * {@link HeldBackend} device, whose commands run nothing and complete when the benchmark releases
 * them. One queue has priority 10, the rest 0. Each operation flips the high queue's state and
 * waits until every low queue with work has been suspended or resumed accordingly. Operations
 * alternate: IDLE→READY (a held command is submitted to the high queue; the queue reports the edge
 * from {@code submit}; the busy low queues are suspended) and READY→IDLE (the command is released;
 * the high queue's launch worker sees its sync point reached and reports the edge; they are
 * resumed).
 *
 * <p>{@code busy=1}: one low queue has work (one held command), the others are idle, so every
 * decision changes one queue. {@code busy=all}: every low queue has work, so every decision
 * changes {@code queues - 1} queues (the worst case for HPF).
 *
 * <p>What the figure covers: the queue reporting its edge, the engine, the policy, each low
 * queue's suspend or resume transition, and the benchmark thread seeing each of them (it reads
 * each busy low queue's state once it has flipped). For READY→IDLE it also covers the launch
 * worker waking up on the released command. An earlier version drove the engine directly over
 * fake queues that only flipped a flag; the engine is internal to the core now, so this one goes
 * through the public API, and its figures are not comparable with that version's.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--sun-misc-unsafe-memory-access=allow"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class SchedulerDecisionBenchmark {
    private static final int HIGH_PRIORITY = 10;

    @Param({"100", "1000"})
    public int queues;

    @Param({"1", "all"})
    public String busy;

    private EmbeddedXsched xsched;
    private XQueue high;
    private XQueue[] busyLows;
    private final List<HeldBackend.Held> held = new ArrayList<>();
    /** The high queue's command while it is READY, else null. */
    private HeldBackend.Held current;

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
        HeldBackend backend = new HeldBackend();
        String device = backend.devices().getFirst().id();
        xsched = EmbeddedXsched.builder().backend(backend).policy("hpf", new HighestPriorityFirst()).build();
        high = xsched.createQueue(device, QueueOptions.defaults().withName("high"));
        xsched.hint(new Hint.Priority(HintTarget.queue(high.id()), HIGH_PRIORITY));
        List<XQueue> withWork = new ArrayList<>();
        for (int i = 0; i < queues - 1; i++) {
            XQueue low = xsched.createQueue(device, QueueOptions.defaults().withName("low-" + i));
            if (allBusy || i == 0) {
                HeldBackend.Held h = new HeldBackend.Held();
                held.add(h);
                low.submit(h);
                withWork.add(low);
            }
        }
        busyLows = withWork.toArray(XQueue[]::new);
        xsched.awaitScheduled();
        for (XQueue low : busyLows) {
            if (low.state() != QueueState.READY || low.suspended()) {
                throw new IllegalStateException(low.name() + " should be READY and running before the first operation");
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        if (current != null) {
            current.release();
        }
        held.forEach(HeldBackend.Held::release);
        xsched.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long edgeToOperation() {
        boolean suspending = current == null;
        HeldBackend.Held next = suspending ? new HeldBackend.Held() : null;
        long t0 = System.nanoTime();
        if (suspending) {
            high.submit(next);
        } else {
            current.release();
        }
        for (XQueue low : busyLows) {
            while (low.suspended() != suspending) {
                Await.pause();
            }
        }
        long latency = System.nanoTime() - t0;
        current = next;
        return latency;
    }
}
