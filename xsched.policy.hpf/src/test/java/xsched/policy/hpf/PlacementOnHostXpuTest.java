package xsched.policy.hpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import xsched.policy.support.PlacementRule;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.QueueState;
import xsched.api.XQueue;
import xsched.api.dto.QueueDTO;
import xsched.backend.host.HostBackend;
import xsched.backend.host.HostKernel;
import xsched.backend.host.HostTask;
import xsched.core.embed.EmbeddedXsched;

/**
 * HPF's placement in the real core on a host XPU of 4 workers, asserted through where queues run
 * (the kernels record the worker of every block) and what the runtime lists, never through time:
 * static keeps the latency-critical queue's partition while it is IDLE, dynamic gives the device
 * back, shared leaves the others on the whole device; every block runs exactly once through the
 * moves.
 */
class PlacementOnHostXpuTest {
    private static final Duration CAP = Duration.ofSeconds(60);
    private static final int BLOCKS = 4;

    /** Kernels of one queue that count each block's runs and record the workers running them. */
    private static final class Work {
        final AtomicIntegerArray runs;
        final Set<Integer> workers = ConcurrentHashMap.newKeySet();

        Work(int kernels) {
            runs = new AtomicIntegerArray(kernels * BLOCKS);
        }

        void submit(XQueue q, int from, int to) {
            for (int k = from; k < to; k++) {
                int kernel = k;
                q.submit(HostKernel.of("k" + k, BLOCKS, (block, ctx) -> {
                    long end = System.nanoTime() + 20_000;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                    workers.add(ctx.worker());
                    runs.incrementAndGet(kernel * BLOCKS + block);
                }));
            }
        }

        void assertDoneOnce(XQueue q) throws InterruptedException {
            q.awaitAll();
            for (long seq = 1; seq <= q.submitted(); seq++) {
                assertThat(q.outcome(seq)).as("command %d of %s", seq, q.name()).isEqualTo(Outcome.COMPLETED);
            }
            for (int i = 0; i < runs.length(); i++) {
                assertThat(runs.get(i)).as("runs of block %d of %s", i, q.name()).isEqualTo(1);
            }
        }
    }

    private static QueueDTO dto(EmbeddedXsched x, XQueue q) {
        return x.snapshot().queues.stream().filter(d -> d.id == q.id()).findFirst().orElseThrow();
    }

    private static void awaitPartitions(EmbeddedXsched x, XQueue fg, XQueue bg, String fgPartition, String bgPartition) {
        long deadline = System.nanoTime() + CAP.toNanos();
        while (!Objects.equals(dto(x, fg).partition, fgPartition) || !Objects.equals(dto(x, bg).partition, bgPartition)) {
            assertThat(System.nanoTime() - deadline).as("waiting for fg on %s and bg on %s: %s", fgPartition, bgPartition,
                    x.snapshot().queues).isNegative();
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** @return a task that keeps its queue READY until {@code gate} opens */
    private static HostTask heldBy(CountDownLatch gate) {
        return HostTask.of("gate", () -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static EmbeddedXsched runtime(HostBackend host, String placement) {
        return EmbeddedXsched.builder().backend(host).policy("hpf", new HighestPriorityFirst(PlacementRule.of(placement, 0))).build();
    }

    @Test
    void staticPlacementKeepsTheReservedPartitionWhileTheQueueIsIdle() throws Exception {
        try (HostBackend host = new HostBackend(1, 4, PreemptLevel.INTERRUPT);
             EmbeddedXsched x = runtime(host, "static")) {
            XQueue fg = x.createQueue("host:0", QueueOptions.defaults().withName("fg"));
            XQueue bg = x.createQueue("host:0", QueueOptions.defaults().withName("bg"));
            x.hint(new Hint.Priority(HintTarget.queue(fg.id()), 5));
            x.hint(Hint.Reservation.parse(HintTarget.queue(fg.id()), "25%"));
            awaitPartitions(x, fg, bg, "host:0/w0", "host:0/w1-3");

            Work fgWork = new Work(80);
            Work bgWork = new Work(80);
            bgWork.submit(bg, 0, 80);
            fgWork.submit(fg, 0, 80);
            fgWork.assertDoneOnce(fg);
            bgWork.assertDoneOnce(bg);
            assertThat(fgWork.workers).as("workers of the reserved queue").containsOnly(0);
            assertThat(bgWork.workers).as("workers of the lower-priority queue").isNotEmpty().isSubsetOf(1, 2, 3);

            x.reschedule();
            x.awaitScheduled();
            assertThat(dto(x, fg).partition).as("both IDLE: the split stays").isEqualTo("host:0/w0");
            assertThat(dto(x, bg).partition).isEqualTo("host:0/w1-3");
            assertThat(dto(x, fg).reservation).isEqualTo("25%");
        }
    }

    @Test
    void dynamicPlacementSplitsWhileTheReservedQueueIsReadyAndGivesTheDeviceBackWhenItIsIdle() throws Exception {
        try (HostBackend host = new HostBackend(1, 4, PreemptLevel.INTERRUPT);
             EmbeddedXsched x = runtime(host, "dynamic")) {
            XQueue fg = x.createQueue("host:0", QueueOptions.defaults().withName("fg"));
            XQueue bg = x.createQueue("host:0", QueueOptions.defaults().withName("bg"));
            x.hint(new Hint.Priority(HintTarget.queue(fg.id()), 5));
            x.hint(new Hint.Reservation(HintTarget.queue(fg.id()), 2, 0));
            x.reschedule();
            x.awaitScheduled();
            assertThat(dto(x, fg).partition).as("fg IDLE: no split").isNull();

            int kernels = 1000;
            Work bgWork = new Work(kernels);
            bgWork.submit(bg, 0, kernels / 2);
            // fg turns READY and stays so until the gate opens; bg moves to the complement meanwhile
            CountDownLatch gate = new CountDownLatch(1);
            fg.submit(heldBy(gate));
            Work fgWork = new Work(40);
            fgWork.submit(fg, 0, 40);
            try {
                awaitPartitions(x, fg, bg, null, "host:0/w2-3");
                assertThat(bg.suspended()).as("the reserved queue does not compete with the complement").isFalse();
            } finally {
                gate.countDown();
            }
            fgWork.assertDoneOnce(fg);
            awaitPartitions(x, fg, bg, null, null);
            bgWork.submit(bg, kernels / 2, kernels);
            bgWork.assertDoneOnce(bg);
            assertThat(Arrays.asList(dto(x, fg).partitionNote, dto(x, bg).partitionNote)).containsOnlyNulls();
        }
    }

    @Test
    void sharedPlacementKeepsTheReservedQueueOnItsPartitionAndTheOthersOnTheWholeDevice() throws Exception {
        try (HostBackend host = new HostBackend(1, 4, PreemptLevel.INTERRUPT);
             EmbeddedXsched x = runtime(host, "shared")) {
            XQueue fg = x.createQueue("host:0", QueueOptions.defaults().withName("fg"));
            XQueue bg = x.createQueue("host:0", QueueOptions.defaults().withName("bg"));
            x.hint(new Hint.Priority(HintTarget.queue(fg.id()), 5));
            x.hint(new Hint.Reservation(HintTarget.queue(fg.id()), 2, 0));
            awaitPartitions(x, fg, bg, "host:0/w0-1", null);

            int kernels = 600;
            Work bgWork = new Work(kernels);
            // both READY behind a task that holds each until its gate opens, whatever the machine's speed
            CountDownLatch bgGate = new CountDownLatch(1);
            bg.submit(heldBy(bgGate));
            bgWork.submit(bg, 0, kernels / 2);
            CountDownLatch gate = new CountDownLatch(1);
            fg.submit(heldBy(gate));
            Work fgWork = new Work(40);
            fgWork.submit(fg, 0, 40);
            try {
                x.reschedule();
                x.awaitScheduled();
                assertThat(fg.state()).as("fg READY behind its gate task").isEqualTo(QueueState.READY);
                assertThat(bg.state()).as("bg READY behind its gate task").isEqualTo(QueueState.READY);
                assertThat(dto(x, fg).partition).as("fg READY: on its partition").isEqualTo("host:0/w0-1");
                assertThat(dto(x, bg).partition).as("fg READY: bg stays on the whole device").isNull();
                assertThat(bg.suspended()).as("the reserved queue does not compete with the others").isFalse();
            } finally {
                gate.countDown();
                bgGate.countDown();
            }
            fgWork.assertDoneOnce(fg);
            bgWork.submit(bg, kernels / 2, kernels);
            bgWork.assertDoneOnce(bg);
            x.reschedule();
            x.awaitScheduled();
            assertThat(dto(x, fg).partition).as("both IDLE: nothing moved").isEqualTo("host:0/w0-1");
            assertThat(dto(x, bg).partition).isNull();
            assertThat(fgWork.workers).as("workers of the reserved queue").isNotEmpty().isSubsetOf(0, 1);
            assertThat(bgWork.workers).as("the others use the reserved workers too").containsAnyOf(0, 1).containsAnyOf(2, 3);
        }
    }
}
