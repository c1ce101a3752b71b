package xsched.core.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xsched.api.PreemptLevel;

/**
 * Random storms with everything in the loop: a runtime with its scheduler and a priority policy,
 * two or three queues on one host device starting at the level under test, one submitter per queue
 * racing a controller that suspends, resumes (dropping or not), closes, changes levels, launch
 * configs and priorities, swaps the backend for a new one, interrupts launch workers and blocked
 * submitters; faults injected into the hardware queues and into commands. Whatever happens, every
 * submitted command ends exactly once (COMPLETED with each of its blocks run exactly once, FAILED
 * with a reason and only where a fault was injected, DROPPED only where a drop or a close was
 * asked), and once the queues are closed and the runtime shut down no {@code xsched-*} thread is
 * left.
 *
 * <p>An interleaving is one random operation sequence run (one round of a {@link Storm}); the
 * operations come from the seed, the thread interleaving is whatever the machine makes of them.
 * A storm runs {@value #ROUNDS} rounds on one set of queues (a queue closed or failed is replaced
 * for the next round); storms share a runtime, {@value #STORMS_PER_RUNTIME} at a time (a {@link
 * StormSession}), since starting threads is most of what they would cost otherwise. Launch workers
 * are counted after each storm, every {@code xsched-*} thread after each runtime.
 *
 * <p>Properties: {@code storm.tries}, interleavings per level (default {@value #DEFAULT_TRIES});
 * {@code storm.seed}, the first storm's seed (default: the clock; printed); {@code
 * storm.faults=false} for storms without injected faults and worker interrupts. A failure names
 * the storm's seed and how to rerun its operations.
 */
class QueueStormTest {
    static final int DEFAULT_TRIES = 10_000;
    private static final int TRIES = Integer.getInteger("storm.tries", DEFAULT_TRIES);
    private static final long SEED = Long.getLong("storm.seed", System.nanoTime());
    private static final boolean FAULTS = !"false".equals(System.getProperty("storm.faults"));
    /** The cap on one storm, beyond which it counts as hung. */
    private static final long STORM_CAP_MILLIS = 60_000;
    /** Interleavings per storm, that is per set of queues. */
    private static final int ROUNDS = 4;
    /** Storms per runtime: each storm brings its own queues; the runtime is shut down and checked after this many. */
    private static final int STORMS_PER_RUNTIME = 25;

    private static ExecutorService actors;
    private static int baseline;

    @BeforeAll
    static void start() {
        actors = Executors.newCachedThreadPool(daemons("storm-actor-"));
        baseline = StormSession.xschedThreads().size();
        System.out.printf("QueueStormTest: %d interleavings per level, first seed %d, faults %s%n", TRIES, SEED, FAULTS ? "on" : "off");
    }

    @AfterAll
    static void stop() {
        actors.shutdownNow();
    }

    static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> Thread.ofPlatform().daemon().name(prefix + n.incrementAndGet()).unstarted(r);
    }

    @ParameterizedTest
    @EnumSource(PreemptLevel.class)
    void everyCommandEndsExactlyOnce(PreemptLevel level) throws Exception {
        ExecutorService runner = Executors.newSingleThreadExecutor(daemons("storm-run-" + level.number() + "-"));
        long t0 = System.nanoTime();
        Storm.Totals totals = new Storm.Totals();
        StormSession session = null;
        try {
            int storms = (TRIES + ROUNDS - 1) / ROUNDS;
            for (int i = 0; i < storms; i++) {
                if (i % STORMS_PER_RUNTIME == 0) {
                    closeSession(runner, session, level, i);
                    session = new StormSession(baseline);
                }
                long seed = SEED + i * 0x9E3779B97F4A7C15L;
                Storm storm = new Storm(level, seed, FAULTS, Math.min(ROUNDS, TRIES - i * ROUNDS), actors, session, totals);
                Future<?> run = runner.submit(() -> {
                    storm.run();
                    return null;
                });
                try {
                    run.get(STORM_CAP_MILLIS, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    throw new AssertionError(where(level, i, seed) + e.getCause().getMessage(), e.getCause());
                } catch (TimeoutException e) {
                    throw new AssertionError(where(level, i, seed) + "hung for " + STORM_CAP_MILLIS + " ms; " + storm.describe()
                            + "\nthreads:\n" + Storm.dump(), e);
                }
            }
            closeSession(runner, session, level, storms);
        } finally {
            runner.shutdownNow();
        }
        long took = System.nanoTime() - t0;
        System.out.printf("QueueStormTest level %d: %.1f s, %.0f µs per interleaving; %s%n", level.number(), took / 1e9,
                took / 1e3 / Math.max(1, totals.interleavings.get()), totals);
        assertThat(totals.interleavings.get()).isEqualTo(TRIES);
        assertThat(totals.submitted.get()).as("commands submitted over all interleavings").isPositive();
    }

    /** Shuts the session's runtime down on the runner, capped like a try. */
    private static void closeSession(ExecutorService runner, StormSession session, PreemptLevel level, int storms)
            throws InterruptedException {
        if (session == null) {
            return;
        }
        String which = "level " + level.number() + ", the runtime of storms " + (storms - 1) / STORMS_PER_RUNTIME * STORMS_PER_RUNTIME
                + "…" + (storms - 1) + ": ";
        try {
            runner.submit(session::close).get(STORM_CAP_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(which + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(which + "shutdown hung for " + STORM_CAP_MILLIS + " ms\nthreads:\n" + Storm.dump(), e);
        }
    }

    private static String where(PreemptLevel level, int i, long seed) {
        return "level " + level.number() + ", storm " + i + ", seed " + seed + " (rerun its operations, in a fresh runtime: -Dstorm.seed="
                + seed + " -Dstorm.tries=" + ROUNDS + (FAULTS ? "" : " -Dstorm.faults=false") + "): ";
    }
}
