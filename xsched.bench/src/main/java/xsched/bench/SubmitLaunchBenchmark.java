package xsched.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import xsched.api.LaunchConfig;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.host.HostBackend;
import xsched.backend.host.HostTask;
import xsched.core.embed.EmbeddedXsched;
import xsched.policy.hpf.HighestPriorityFirst;
import xsched.spi.hal.Backend;

/**
 * The submit path on the host XPU: one XQueue (launch config {@code launch}, by default 16/8; level 3) on one host
 * device, fed trivial host commands (empty {@link HostTask}s). The hardware queue is wrapped by a
 * {@link LaunchProbe} that counts the commands the launch worker hands to {@code HwQueue.launch},
 * so "launched" means that hand-over, not the command's run on the device.
 *
 * <p>Both variants build the queue through the embedding API ({@link EmbeddedXsched}), so IDLE/READY
 * edges go to the real scheduler engine. {@code scheduler=hpf} runs the HPF policy on them;
 * {@code scheduler=manual} runs a policy that decides nothing (the application alone suspends and
 * resumes), isolating the queue, its launch worker and the hand-off of edges to the engine from
 * policy decisions. (An earlier {@code scheduler=none} built the queue from core internals with a
 * listener that dropped edges; the core no longer exports those.)
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--sun-misc-unsafe-memory-access=allow"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class SubmitLaunchBenchmark {
    /** Commands per invocation of {@link #submit}. */
    static final int BURST = 1024;
    /** Most commands submitted but not yet launched in {@link #sustainedSubmit} before it waits. */
    static final int BACKLOG = 4096;
    private static final Runnable NOTHING = () -> { };

    /** One probed queue on one host device, in an embedded runtime with HPF or with manual scheduling. */
    @State(Scope.Benchmark)
    public static class HostQueue {
        @Param({"manual", "hpf"})
        public String scheduler;

        /**
         * {@code host}: the host XPU (one device engine thread). {@code stub}: a control whose
         * hardware queue does nothing ({@link StubBackend}); not in the default run, ask with
         * {@code -p backend=stub}.
         */
        @Param({"host"})
        public String backend;

        /** Launch config as threshold/batchSize; the default is {@code LaunchConfig.DEFAULT}'s. */
        @Param({"16/8"})
        public String launch;

        HostBackend host;
        Backend device;
        LaunchProbe probe;
        EmbeddedXsched runtime;
        XQueue queue;

        @Setup(Level.Trial)
        public void open() {
            device = switch (backend) {
                case "host" -> host = new HostBackend(1, PreemptLevel.INTERRUPT);
                case "stub" -> new StubBackend();
                default -> throw new IllegalArgumentException("backend must be host or stub, not " + backend);
            };
            probe = new LaunchProbe(device);
            QueueOptions options = QueueOptions.defaults().withName("bench").withLaunch(LaunchConfig.parse(launch));
            EmbeddedXsched.Builder builder = switch (scheduler) {
                case "hpf" -> EmbeddedXsched.builder().policy("hpf", new HighestPriorityFirst());
                case "manual" -> EmbeddedXsched.builder().manualScheduling();
                default -> throw new IllegalArgumentException("scheduler must be manual or hpf, not " + scheduler);
            };
            runtime = builder.backend(probe).build();
            queue = runtime.createQueue(device.devices().getFirst().id(), options);
        }

        @Setup(Level.Iteration)
        public void drain() throws InterruptedException {
            queue.awaitAll();
        }

        @TearDown(Level.Trial)
        public void close() throws InterruptedException {
            queue.awaitAll();
            runtime.close();
            if (host != null) {
                host.close();
            }
        }
    }

    /** A burst of fresh commands, made before each invocation while the queue is empty and its worker idle. */
    @State(Scope.Thread)
    public static class Burst {
        final HostTask[] commands = new HostTask[BURST];

        @Setup(Level.Invocation)
        public void prepare(HostQueue q) throws InterruptedException {
            q.queue.awaitAll();
            for (int i = 0; i < BURST; i++) {
                commands[i] = HostTask.of("noop", NOTHING);
            }
        }
    }

    /** How long {@link #sustainedSubmit} waited for the worker, over the measurement iterations. */
    @State(Scope.Thread)
    public static class Backpressure {
        long submits;
        long waits;
        long waitedNanos;
        private long iterationStart;
        private long measuredNanos;
        private long measuredSubmits;
        private long measuredWaits;
        private long measuredWaitedNanos;

        @Setup(Level.Iteration)
        public void start() {
            submits = 0;
            waits = 0;
            waitedNanos = 0;
            iterationStart = System.nanoTime();
        }

        @TearDown(Level.Iteration)
        public void end(IterationParams params) {
            long took = System.nanoTime() - iterationStart;
            if (params.getType() == IterationType.MEASUREMENT) {
                measuredNanos += took;
                measuredSubmits += submits;
                measuredWaits += waits;
                measuredWaitedNanos += waitedNanos;
            }
        }

        @TearDown(Level.Trial)
        public void report(BenchmarkParams params) {
            System.out.printf("%n[sustainedSubmit, scheduler=%s] measurement: %d submits, %d waits for the worker"
                            + " (backlog > %d), %.1f%% of the time waiting; submit() alone: %.0f ns/call%n",
                    params.getParam("scheduler"), measuredSubmits, measuredWaits, BACKLOG,
                    100.0 * measuredWaitedNanos / Math.max(1, measuredNanos),
                    (double) (measuredNanos - measuredWaitedNanos) / Math.max(1, measuredSubmits));
        }
    }

    /**
     * Latency of one command from the call of {@code submit} until the launch worker has handed it
     * to the hardware queue, back to back: the next command is submitted as soon as the previous
     * one was seen launched, so one command is in the buffer at a time. The worker may still be
     * busy after the previous launch (recording its sync point, waking the device engine) when the
     * next command arrives, or may already have parked: which of the two dominates is a race that
     * depends on the machine, so this figure can differ by an order of magnitude between runs.
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long submitToLaunch(HostQueue q) {
        long seq = q.queue.submit(HostTask.of("noop", NOTHING));
        while (q.probe.launched() < seq) {
            Await.pause();
        }
        return seq;
    }

    /** Before each invocation: the queue drained and its worker (and the device engine) parked. */
    @State(Scope.Thread)
    public static class Idle {
        /** How long the threads get to park after the queue drained. */
        static final long SETTLE_NANOS = 50_000;

        @Setup(Level.Invocation)
        public void settle(HostQueue q) throws InterruptedException {
            q.queue.awaitAll();
            long until = System.nanoTime() + SETTLE_NANOS;
            while (System.nanoTime() < until) {
                LockSupport.parkNanos(SETTLE_NANOS);
            }
        }
    }

    /**
     * Latency of one command from the call of {@code submit} until the launch worker has handed it
     * to the hardware queue, submitted to an idle queue whose worker has parked (untimed setup:
     * the previous command completed and 50 µs passed): what a sparse submitter pays per command.
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long submitToLaunchIdle(HostQueue q, Idle idle) {
        long seq = q.queue.submit(HostTask.of("noop", NOTHING));
        while (q.probe.launched() < seq) {
            Await.pause();
        }
        return seq;
    }

    /**
     * Plain {@code submit()} cost: {@value #BURST} back-to-back submits of ready-made commands into
     * an empty queue whose worker starts launching them at once; reported per submit. Waiting for
     * the previous burst to finish is outside the timed region.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(BURST)
    public long submit(HostQueue q, Burst burst) {
        long seq = 0;
        for (HostTask command : burst.commands) {
            seq = q.queue.submit(command);
        }
        return seq;
    }

    /**
     * Sustained rate of an endless stream of submits, the pipeline's throughput: when more than
     * {@value #BACKLOG} commands wait for launch (checked every 64th submit, so as not to read the
     * worker's counter on every call) the call yields until half of them have been launched, and
     * that wait is inside the figure (its share is printed at the end of the run).
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long sustainedSubmit(HostQueue q, Backpressure bp) {
        long seq = q.queue.submit(HostTask.of("noop", NOTHING));
        bp.submits++;
        if ((seq & 63) == 0 && seq - q.probe.launched() > BACKLOG) {
            long t0 = System.nanoTime();
            while (seq - q.probe.launched() > BACKLOG / 2) {
                Thread.yield();
            }
            bp.waitedNanos += System.nanoTime() - t0;
            bp.waits++;
        }
        return seq;
    }
}
