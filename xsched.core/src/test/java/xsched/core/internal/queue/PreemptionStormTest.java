package xsched.core.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xsched.api.LaunchConfig;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;

/**
 * Property: at every level, any interleaving of submits (one thread) with suspend, resume and
 * resume-with-drop (another thread) ends with every command completed with each of its blocks run
 * exactly once, or dropped with none run — and dropped only when a drop was asked for. Each try is
 * a random scenario from its seed; a failure names the seed.
 */
class PreemptionStormTest {
    private static final int TRIES = Integer.getInteger("xsched.storm.tries", 10_000);
    private static QueueFixture fixture;
    private static ExecutorService controller;

    @BeforeAll
    static void start() {
        fixture = new QueueFixture();
        controller = Executors.newSingleThreadExecutor();
    }

    @AfterAll
    static void stop() {
        controller.shutdownNow();
        fixture.close();
    }

    @ParameterizedTest
    @EnumSource(PreemptLevel.class)
    void everyCommandEndsExactlyOnce(PreemptLevel level) throws Exception {
        for (int seed = 0; seed < TRIES; seed++) {
            try {
                oneTry(level, seed);
            } catch (AssertionError | Exception e) {
                throw new AssertionError("level " + level + ", seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    private void oneTry(PreemptLevel level, long seed) throws Exception {
        Random random = new Random(seed * 31 + level.ordinal());
        int threshold = 1 + random.nextInt(8);
        int batch = 1 + random.nextInt(threshold);
        int kernels = 1 + random.nextInt(12);
        int maxBlocks = 4;
        int ops = random.nextInt(9);
        long controlSeed = random.nextLong();
        boolean idempotent = random.nextBoolean();
        AtomicIntegerArray runs = new AtomicIntegerArray(kernels * maxBlocks);
        int[] blocks = new int[kernels];
        long[] seqs = new long[kernels];
        AtomicBoolean dropAsked = new AtomicBoolean();

        ProgressiveQueue queue = fixture.queue(level, new LaunchConfig(threshold, batch));
        try {
            Future<?> control = controller.submit(() -> {
                Random r = new Random(controlSeed);
                for (int i = 0; i < ops; i++) {
                    LockSupport.parkNanos(r.nextInt(40_000));
                    switch (r.nextInt(3)) {
                        case 0 -> queue.suspend();
                        case 1 -> queue.resume();
                        default -> {
                            dropAsked.set(true);
                            queue.resume(true);
                        }
                    }
                }
                queue.resume();
            });
            for (int k = 0; k < kernels; k++) {
                blocks[k] = 1 + random.nextInt(maxBlocks);
                seqs[k] = queue.submit(QueueFixture.counting(runs, k * maxBlocks, blocks[k], random.nextInt(20_000), idempotent));
                if (random.nextInt(4) == 0) {
                    LockSupport.parkNanos(random.nextInt(30_000));
                }
            }
            control.get(10, TimeUnit.SECONDS);
            queue.resume();
            for (int k = 0; k < kernels; k++) {
                Outcome outcome = queue.await(seqs[k], Duration.ofSeconds(10));
                int expected = switch (outcome) {
                    case COMPLETED -> 1;
                    case DROPPED -> 0;
                    case FAILED -> throw new AssertionError("kernel " + k + " failed", queue.failure(seqs[k]));
                };
                if (outcome == Outcome.DROPPED) {
                    assertThat(dropAsked).as("kernel %d dropped without a drop being asked", k).isTrue();
                }
                for (int b = 0; b < blocks[k]; b++) {
                    assertThat(runs.get(k * maxBlocks + b)).as("runs of kernel %d block %d (%s)", k, b, outcome).isEqualTo(expected);
                }
            }
            assertThat(queue.finished()).isEqualTo(queue.submitted());
        } finally {
            queue.close();
        }
    }
}
