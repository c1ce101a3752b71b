package xsched.core.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import xsched.api.LaunchConfig;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.backend.host.HostTask;

@Timeout(value = 2, unit = TimeUnit.MINUTES)
class QueueBoundsTest {
    private final QueueFixture fixture = new QueueFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    private ProgressiveQueue queue(int maxPending) {
        return new ProgressiveQueue(1, 1, fixture.backend.devices().getFirst(), fixture.backend,
                QueueOptions.defaults().withLevel(PreemptLevel.LAUNCH).withLaunch(new LaunchConfig(2, 1)).withMaxPending(maxPending),
                QueueFixture.NO_SCHEDULER, Runnable::run);
    }

    @Test
    void aSuspendedQueueTakesMaxPendingThenSaysFull() throws Exception {
        try (ProgressiveQueue q = queue(100)) {
            q.suspend();
            for (int i = 0; i < 100; i++) {
                assertThat(q.offer(HostTask.of("t", () -> { }), Duration.ZERO)).isPresent();
            }
            assertThat(q.offer(HostTask.of("t", () -> { }), Duration.ZERO)).isEmpty();
            assertThat(q.offer(HostTask.of("t", () -> { }), Duration.ofMillis(1))).isEmpty();
            assertThat(q.view().pending()).isEqualTo(100);
            q.resume();
            q.awaitAll();
            assertThat(q.finished()).isEqualTo(100);
        }
    }

    @Test
    void submitWaitsForRoomAndGoesOnOnceThereIsSome() throws Exception {
        try (ProgressiveQueue q = queue(4)) {
            q.suspend();
            for (int i = 0; i < 4; i++) {
                q.submit(HostTask.of("t", () -> { }));
            }
            CompletableFuture<Long> fifth = CompletableFuture.supplyAsync(() -> q.submit(HostTask.of("fifth", () -> { })));
            assertThat(fifth).isNotDone();
            q.resume();
            long seq = fifth.get(1, TimeUnit.MINUTES);
            assertThat(seq).isEqualTo(5);
            assertThat(q.await(seq)).isEqualTo(Outcome.COMPLETED);
        }
    }

    @Test
    void anInterruptedSubmitterGetsAClearErrorAndNothingIsQueued() throws Exception {
        try (ProgressiveQueue q = queue(1)) {
            q.suspend();
            q.submit(HostTask.of("t", () -> { }));
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    q.submit(HostTask.of("blocked", () -> { }));
                } catch (Throwable e) {
                    thrown.set(e);
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            });
            while (t.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            t.interrupt();
            t.join();
            assertThat(thrown.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("interrupted");
            assertThat(stillInterrupted.get()).isTrue();
            assertThat(q.submitted()).isEqualTo(1);
            q.resume();
        }
    }

    @Test
    void sequenceNumbersNeverSubmittedAreAnError() {
        try (ProgressiveQueue q = queue(10)) {
            assertThatThrownBy(() -> q.outcome(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> q.await(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> q.failure(1)).isInstanceOf(IllegalArgumentException.class);
            long seq = q.submit(HostTask.of("t", () -> { }));
            assertThatThrownBy(() -> q.outcome(seq + 1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aClosedQueueWakesItsBlockedSubmitters() throws Exception {
        ProgressiveQueue q = queue(1);
        q.suspend();
        q.submit(HostTask.of("t", () -> { }));
        CompletableFuture<Long> blocked = CompletableFuture.supplyAsync(() -> q.submit(HostTask.of("blocked", () -> { })));
        q.close();
        assertThatThrownBy(() -> blocked.get(1, TimeUnit.MINUTES)).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(q.outcome(1)).isEqualTo(Outcome.DROPPED);
    }

    @Test
    void theWindowOfOutcomesKeepsAQueueSmallAfterManyDrops() throws Exception {
        try (ProgressiveQueue q = queue(10)) {
            List<Long> dropped = new ArrayList<>();
            for (int i = 0; i < 40_000; i++) {
                q.suspend();
                dropped.add(q.submit(HostTask.of("d", () -> { })));
                q.resume(true);
            }
            long last = dropped.getLast();
            assertThat(q.outcome(last)).isEqualTo(Outcome.DROPPED);
            assertThatThrownBy(() -> q.outcome(dropped.getFirst())).isInstanceOf(IllegalStateException.class);
            OptionalLong more = q.offer(HostTask.of("after", () -> { }), Duration.ofMinutes(1));
            assertThat(q.await(more.orElseThrow())).isEqualTo(Outcome.COMPLETED);
        }
    }
}
