package xsched.core.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.host.HostBackend;
import xsched.backend.host.HostKernel;

/**
 * A backend taken away and replaced while queues run: nothing submitted is lost or run twice,
 * queues wait READY meanwhile with the reason in the DTO, and a device that now offers a higher
 * level lets the queue be raised to it.
 */
class BackendSwapTest {
    private static final int KERNELS = 4000;
    private static final int BLOCKS = 2;
    private final XschedRuntime runtime = new XschedRuntime("none", "none");
    private final List<HostBackend> backends = new ArrayList<>();

    @AfterEach
    void stop() {
        runtime.shutdown();
        backends.forEach(HostBackend::close);
    }

    private HostBackend backend(PreemptLevel max) {
        HostBackend b = new HostBackend(1, max);
        backends.add(b);
        return b;
    }

    private static HostKernel counting(AtomicIntegerArray runs, int kernel) {
        return HostKernel.of("k" + kernel, BLOCKS, (b, ctx) -> {
            long end = System.nanoTime() + 20_000;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            runs.incrementAndGet(kernel * BLOCKS + b);
        });
    }

    private static int blocksRun(AtomicIntegerArray runs) {
        int sum = 0;
        for (int i = 0; i < runs.length(); i++) {
            sum += runs.get(i);
        }
        return sum;
    }

    @Test
    void queuesSurviveABackendReplacedUnderLoad() throws Exception {
        HostBackend first = backend(PreemptLevel.LAUNCH);
        runtime.addBackend(first);
        XQueue q = runtime.createQueue("host:0", QueueOptions.defaults());
        assertThat(q.level()).isEqualTo(PreemptLevel.LAUNCH);
        AtomicIntegerArray runs = new AtomicIntegerArray(KERNELS * BLOCKS);
        long[] seqs = new long[KERNELS];
        CountDownLatch halfway = new CountDownLatch(1);
        Thread submitter = Thread.ofPlatform().start(() -> {
            for (int k = 0; k < KERNELS; k++) {
                seqs[k] = q.submit(counting(runs, k));
                if (k == KERNELS / 4) {
                    halfway.countDown();
                }
                if (k % 50 == 0) {
                    Thread.yield();
                }
            }
        });
        assertThat(halfway.await(10, TimeUnit.SECONDS)).isTrue();
        runtime.removeBackend(first);
        first.close();
        assertThat(runtime.snapshot().queues.getFirst().blockedReason).contains("went away");
        long finishedWhileAway = q.finished();
        int blocksRunWhileAway = blocksRun(runs);
        assertThat(blocksRunWhileAway).as("launched work was waited for: only whole kernels ran")
                .isEqualTo(finishedWhileAway * BLOCKS);
        submitter.join();
        assertThat(q.submitted()).isEqualTo(KERNELS);
        assertThat(q.finished()).as("nothing ran without a backend while the rest was submitted").isEqualTo(finishedWhileAway);
        assertThat(blocksRun(runs)).isEqualTo(blocksRunWhileAway);

        HostBackend second = backend(PreemptLevel.INTERRUPT);
        runtime.addBackend(second);
        q.level(PreemptLevel.DEACTIVATE);
        q.suspend();
        q.resume();
        q.awaitAll();
        for (int k = 0; k < KERNELS; k++) {
            assertThat(q.outcome(seqs[k])).as("kernel %d", k).isEqualTo(Outcome.COMPLETED);
            for (int b = 0; b < BLOCKS; b++) {
                assertThat(runs.get(k * BLOCKS + b)).as("runs of kernel %d block %d", k, b).isEqualTo(1);
            }
        }
        assertThat(q.finished()).isEqualTo(KERNELS);
        assertThat(runtime.snapshot().queues.getFirst().blockedReason).isNull();
    }

    @Test
    void aDeactivatedQueueCarriesItsLogToTheNextBackend() throws Exception {
        HostBackend first = backend(PreemptLevel.DEACTIVATE);
        runtime.addBackend(first);
        XQueue q = runtime.createQueue("host:0", QueueOptions.defaults());
        AtomicIntegerArray runs = new AtomicIntegerArray(20);
        CountDownLatch started = new CountDownLatch(3);
        long seq = q.submit(HostKernel.of("long", 20, (b, ctx) -> {
            started.countDown();
            long end = System.nanoTime() + 2_000_000;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            runs.incrementAndGet(b);
        }));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        q.suspend();
        runtime.removeBackend(first);
        first.close();
        runtime.addBackend(backend(PreemptLevel.DEACTIVATE));
        q.resume();
        assertThat(q.await(seq, Duration.ofSeconds(10))).isEqualTo(Outcome.COMPLETED);
        for (int b = 0; b < 20; b++) {
            assertThat(runs.get(b)).as("block %d", b).isEqualTo(1);
        }
    }
}
