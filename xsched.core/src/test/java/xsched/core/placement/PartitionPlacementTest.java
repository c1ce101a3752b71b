package xsched.core.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.dto.DeviceDTO;
import xsched.api.dto.QueueDTO;
import xsched.backend.host.HostBackend;
import xsched.backend.host.HostTask;
import xsched.core.embed.EmbeddedXsched;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * Partitions through the real engine and runtime on a host XPU of 4 workers: a queue placed on a
 * partition runs only on its workers (the kernels record the worker of every block), queues move
 * between partitions under load with every block run exactly once, reservations the device cannot
 * make are refused with a message, a policy that does not place leaves every queue on the whole
 * device, and a placement call that throws or hangs is handled like any policy fault. Nothing here
 * depends on timing: every wait is for a condition, with a generous cap.
 */
class PartitionPlacementTest {
    private static final Duration CAP = Duration.ofSeconds(60);
    private static final String DEVICE = "host:0";

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    private EmbeddedXsched runtime(int workers, SchedulingPolicy policy, Duration deadline) {
        HostBackend host = new HostBackend(1, workers, PreemptLevel.INTERRUPT);
        closing.add(host);
        EmbeddedXsched.Builder b = EmbeddedXsched.builder().backend(host).policyDeadline(deadline);
        if (policy != null) {
            b.policy("scripted", policy);
        }
        EmbeddedXsched x = b.build();
        closing.add(x);
        return x;
    }

    private static QueueDTO dto(EmbeddedXsched x, XQueue q) {
        return x.snapshot().queues.stream().filter(d -> d.id == q.id()).findFirst().orElseThrow();
    }

    /** Asks for a round and waits until each queue runs where expected (null: the whole device). */
    private static void awaitPlaced(EmbeddedXsched x, XQueue[] queues, String... partitions) throws InterruptedException {
        x.reschedule();
        long deadline = System.nanoTime() + CAP.toNanos();
        while (true) {
            boolean all = true;
            for (int i = 0; i < queues.length; i++) {
                all &= Objects.equals(dto(x, queues[i]).partition, partitions[i]);
            }
            if (all) {
                return;
            }
            assertThat(System.nanoTime() - deadline).as("waiting for partitions %s: %s", java.util.Arrays.asList(partitions), x.snapshot().queues)
                    .isNegative();
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static void awaitNote(EmbeddedXsched x, XQueue q, String note) {
        long deadline = System.nanoTime() + CAP.toNanos();
        while (!Objects.equals(dto(x, q).partitionNote, note)) {
            assertThat(System.nanoTime() - deadline).as("waiting for note '%s': %s", note, dto(x, q)).isNegative();
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static void submit(XQueue q, Blocks blocks, int from, int to) {
        for (int k = from; k < to; k++) {
            q.submit(blocks.kernel(k));
        }
    }

    private static void assertAllCompletedOnce(XQueue q, Blocks blocks) throws InterruptedException {
        q.awaitAll();
        for (long seq = 1; seq <= q.submitted(); seq++) {
            assertThat(q.outcome(seq)).as("command %d of %s", seq, q.name()).isEqualTo(Outcome.COMPLETED);
        }
        assertThat(blocks.firstNotOnce()).as("a block of %s that did not run exactly once", q.name()).isEqualTo(-1);
    }

    /** Opens fg and bg and waits until fg runs on worker 0 and bg on the rest. */
    private static XQueue[] split(EmbeddedXsched x, ScriptedPlacing policy) throws InterruptedException {
        XQueue fg = x.createQueue(DEVICE, QueueOptions.defaults().withName("fg"));
        XQueue bg = x.createQueue(DEVICE, QueueOptions.defaults().withName("bg"));
        policy.reserve(fg.id(), 1);
        awaitPlaced(x, new XQueue[] {fg, bg}, "host:0/w0", "host:0/w1-3");
        return new XQueue[] {fg, bg};
    }

    /** Runs {@code kernels} kernels on each queue, all at once, and checks each block ran exactly once. */
    private static List<Blocks> runEveryBlockOnce(int kernels, XQueue... queues) throws InterruptedException {
        List<Blocks> work = new ArrayList<>();
        for (XQueue q : queues) {
            Blocks blocks = new Blocks(q.name(), kernels);
            submit(q, blocks, 0, kernels);
            work.add(blocks);
        }
        for (int i = 0; i < queues.length; i++) {
            assertAllCompletedOnce(queues[i], work.get(i));
        }
        return work;
    }

    @Test
    void aQueueOnAPartitionRunsOnlyOnThatPartitionsWorkers() throws Exception {
        ScriptedPlacing policy = new ScriptedPlacing(DEVICE);
        EmbeddedXsched x = runtime(4, policy, Duration.ofSeconds(10));
        XQueue[] both = split(x, policy);
        XQueue fg = both[0];
        XQueue bg = both[1];

        List<Blocks> work = runEveryBlockOnce(60, bg, fg);
        Blocks bgBlocks = work.get(0);
        Blocks fgBlocks = work.get(1);
        assertThat(fgBlocks.workers).as("workers that ran the reserved queue's blocks").containsOnly(0);
        assertThat(bgBlocks.workers).as("workers that ran the complement's blocks").isNotEmpty().isSubsetOf(1, 2, 3);

        DeviceDTO device = x.snapshot().devices.getFirst();
        assertThat(device.computeUnits).isEqualTo(4);
        assertThat(device.partitions).contains("4 workers");
        assertThat(device.partitionsUnsupported).isNull();
    }

    @Test
    void queuesMoveBetweenPartitionsUnderLoadWithEveryCommandRunExactlyOnce() throws Exception {
        ScriptedPlacing policy = new ScriptedPlacing(DEVICE);
        EmbeddedXsched x = runtime(4, policy, Duration.ofSeconds(10));
        XQueue fg = x.createQueue(DEVICE, QueueOptions.defaults().withName("fg"));
        XQueue bg = x.createQueue(DEVICE, QueueOptions.defaults().withName("bg").withLevel(PreemptLevel.INTERRUPT));
        XQueue[] both = {fg, bg};
        int kernels = 1500;
        Blocks fgBlocks = new Blocks("fg", kernels);
        Blocks bgBlocks = new Blocks("bg", kernels);
        // fg's first command holds the device until released: its move must wait for that command boundary
        CountDownLatch gate = new CountDownLatch(1);
        closing.add(gate::countDown);
        fg.submit(HostTask.of("gate", () -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        submit(fg, fgBlocks, 0, kernels / 2);
        submit(bg, bgBlocks, 0, kernels / 2);

        policy.reserve(fg.id(), 1);
        x.reschedule();
        awaitNote(x, fg, "moving to host:0/w0");
        assertThat(fg.finished()).as("nothing of fg ended: its launched work still runs where it was launched").isZero();
        assertThat(dto(x, fg).partition).isNull();
        gate.countDown();
        awaitPlaced(x, both, "host:0/w0", "host:0/w1-3");
        policy.reserve(fg.id(), 2);
        awaitPlaced(x, both, "host:0/w0-1", "host:0/w2-3");
        // a suspended level-3 queue moves with its stopped commands, which run on the new partition
        policy.suspended.add(bg.id());
        x.reschedule();
        x.awaitScheduled();
        policy.whole();
        awaitPlaced(x, both, null, null);
        submit(fg, fgBlocks, kernels / 2, kernels);
        submit(bg, bgBlocks, kernels / 2, kernels);
        policy.reserve(fg.id(), 3);
        awaitPlaced(x, both, "host:0/w0-2", "host:0/w3");
        policy.suspended.clear();
        policy.whole();
        awaitPlaced(x, both, null, null);

        assertAllCompletedOnce(fg, fgBlocks);
        assertAllCompletedOnce(bg, bgBlocks);
        assertThat(fg.submitted()).isEqualTo(kernels + 1);
        assertThat(dto(x, bg).partitionNote).isNull();
    }

    @Test
    void aReservationTheDeviceCannotMakeIsRejectedWithAClearMessage() throws Exception {
        ScriptedPlacing policy = new ScriptedPlacing(DEVICE);
        EmbeddedXsched x = runtime(4, policy, Duration.ofSeconds(10));
        XQueue q = x.createQueue(DEVICE, QueueOptions.defaults().withName("q"));
        XQueue other = x.createQueue(DEVICE, QueueOptions.defaults().withName("other"));

        assertThatThrownBy(() -> x.hint(new Hint.Reservation(HintTarget.queue(q.id()), 4, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot reserve 4 of 4 workers").hasMessageContaining("at most 3 can be reserved");
        assertThatThrownBy(() -> x.hint(new Hint.Reservation(HintTarget.queue(q.id()), 0, 100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0…99 %");
        assertThatThrownBy(() -> Hint.Reservation.parse(HintTarget.queue(q.id()), "lots"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a number of compute units (16), a share (25%) or none");
        x.hint(Hint.Reservation.parse(HintTarget.queue(other.id()), "50%"));

        // a process hint is checked when the policy places the queue: refused, noted, the device stays whole
        x.hint(new Hint.Reservation(HintTarget.process(q.pid()), 9, 0));
        policy.reserveByHint(q.id());
        x.reschedule();
        x.awaitScheduled();
        assertThat(policy.lastAccepted).isFalse();
        assertThat(dto(x, q).partitionNote).contains("cannot reserve 9 of 4 workers");
        assertThat(dto(x, q).reservation).isEqualTo("9");
        assertThat(dto(x, q).partition).isNull();
        assertThat(dto(x, other).partition).isNull();
        assertThat(dto(x, other).reservation).as("its queue hint overrides the process hint").isEqualTo("50%");
        runEveryBlockOnce(20, q);
    }

    @Test
    void aDeviceWithoutPartitionsSaysWhyAndRefusesReservations() throws Exception {
        EmbeddedXsched x = runtime(1, new ScriptedPlacing(DEVICE), Duration.ofSeconds(10));
        XQueue q = x.createQueue(DEVICE, QueueOptions.defaults());
        assertThatThrownBy(() -> x.hint(new Hint.Reservation(HintTarget.queue(q.id()), 1, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no partitions")
                .hasMessageContaining("1 worker thread");
        DeviceDTO device = x.snapshot().devices.getFirst();
        assertThat(device.partitions).isNull();
        assertThat(device.partitionsUnsupported).contains("1 worker thread");
    }

    @Test
    void aPolicyThatDoesNotPlaceLeavesEveryQueueOnTheWholeDevice() throws Exception {
        ScriptedPlacing placing = new ScriptedPlacing(DEVICE);
        SchedulingPolicy plain = new SchedulingPolicy() {
            @Override
            public void schedule(SchedulerStatus status, PolicyContext context) {
                status.queues().forEach(q -> context.resume(q.id()));
            }
        };
        EmbeddedXsched x = runtime(4, placing, Duration.ofSeconds(10));
        x.addPolicy("plain", plain);
        XQueue fg = x.createQueue(DEVICE, QueueOptions.defaults().withName("fg"));
        XQueue bg = x.createQueue(DEVICE, QueueOptions.defaults().withName("bg"));
        x.hint(new Hint.Reservation(HintTarget.queue(fg.id()), 2, 0));
        placing.reserveByHint(fg.id());
        awaitPlaced(x, new XQueue[] {fg, bg}, "host:0/w0-1", "host:0/w2-3");

        x.activatePolicy("plain");
        awaitPlaced(x, new XQueue[] {fg, bg}, null, null);
        runEveryBlockOnce(40, fg, bg);
        assertThat(dto(x, fg).partition).isNull();
        assertThat(dto(x, fg).reservation).isEqualTo("2");
    }

    @Test
    void aPlacementCallThatThrowsLetsEveryQueueRunAndKeepsTheLayout() throws Exception {
        ScriptedPlacing policy = new ScriptedPlacing(DEVICE);
        EmbeddedXsched x = runtime(4, policy, Duration.ofSeconds(10));
        XQueue[] both = split(x, policy);
        XQueue fg = both[0];
        XQueue bg = both[1];
        policy.suspended.add(bg.id());
        x.reschedule();
        x.awaitScheduled();
        assertThat(bg.suspended()).isTrue();

        policy.placeThrows = new IllegalStateException("injected: place fails");
        int calls = policy.placeCalls.get();
        x.reschedule();
        x.awaitScheduled();
        assertThat(policy.placeCalls.get()).isGreaterThan(calls);
        assertThat(bg.suspended()).as("a failing policy lets every queue run").isFalse();
        runEveryBlockOnce(30, fg, bg);
        assertThat(dto(x, fg).partition).as("the layout stays as it was").isEqualTo("host:0/w0");
        assertThat(x.activePolicy()).contains("scripted");
    }

    @Test
    void aPlacementCallThatHangsIsAbandonedAndEveryDeviceRunsWholeAgain() throws Exception {
        ScriptedPlacing policy = new ScriptedPlacing(DEVICE);
        EmbeddedXsched x = runtime(4, policy, Duration.ofMillis(500));
        XQueue[] both = split(x, policy);
        XQueue fg = both[0];
        XQueue bg = both[1];

        CountDownLatch release = new CountDownLatch(1);
        closing.add(release::countDown);
        policy.placeBlocksUntil = release;
        awaitPlaced(x, new XQueue[] {fg, bg}, null, null);
        // the devices go whole and the policy is dropped as two steps of the watchdog: wait for the second too
        long deadline = System.nanoTime() + CAP.toNanos();
        while (x.activePolicy().isPresent()) {
            assertThat(System.nanoTime() - deadline).as("waiting for the hanging policy to be rejected: %s", x.activePolicy())
                    .isNegative();
            LockSupport.parkNanos(1_000_000);
        }
        assertThat(x.snapshot().rejected).anySatisfy(r -> assertThat(r.name).isEqualTo("scripted"));
        runEveryBlockOnce(30, fg, bg);
    }
}
