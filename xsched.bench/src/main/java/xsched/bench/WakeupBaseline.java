package xsched.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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

/**
 * Control for the two latency benchmarks: the machine's floor for handing work to a parked
 * platform thread. A helper thread parks ({@link LockSupport#park}), as the scheduler engine and an
 * idle launch worker do; each operation unparks it and spins until it has answered. Nothing of
 * xsched runs.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--sun-misc-unsafe-memory-access=allow"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class WakeupBaseline {
    /**
     * 0: back to back (the helper has only just parked). 50: before each operation, untimed, the
     * benchmark thread parks 50 µs too, as {@code SubmitLaunchBenchmark.submitToLaunchIdle} does,
     * so the machine may idle its CPUs in between.
     */
    @Param({"0", "50"})
    public long idleMicros;

    private volatile long asked;
    private volatile long answered;
    private volatile boolean running;
    private Thread helper;

    @Setup(Level.Trial)
    public void start() {
        running = true;
        helper = Thread.ofPlatform().daemon().name("wakeup-baseline").start(() -> {
            long seen = 0;
            while (running) {
                long a = asked;
                if (a != seen) {
                    seen = a;
                    answered = a;
                } else {
                    LockSupport.park(this);
                }
            }
        });
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        running = false;
        LockSupport.unpark(helper);
        helper.join();
    }

    @Setup(Level.Invocation)
    public void settle() {
        if (idleMicros > 0) {
            long until = System.nanoTime() + idleMicros * 1000;
            while (System.nanoTime() < until) {
                LockSupport.parkNanos(idleMicros * 1000);
            }
        }
    }

    /** Unpark a parked platform thread and see its answer. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long unparkToAnswer() {
        long n = asked + 1;
        asked = n;
        LockSupport.unpark(helper);
        while (answered != n) {
            Await.pause();
        }
        return n;
    }
}
