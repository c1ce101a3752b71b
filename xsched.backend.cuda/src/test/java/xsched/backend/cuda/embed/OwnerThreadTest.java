package xsched.backend.cuda.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The hand-off of {@link OwnerThread}: operations run on the owner, only while it waits, each once; nothing waits for an owner that left. */
class OwnerThreadTest {
    @Test
    void theOwnerRunsItsOwnOperationsAtOnce() {
        OwnerThread owner = OwnerThread.current();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        owner.run(() -> ranOn.set(Thread.currentThread()));
        assertThat(ranOn).hasValue(Thread.currentThread());
    }

    @Test
    void anotherThreadIsRefusedAtOnceWhileTheOwnerDoesNotWait() throws Exception {
        OwnerThread owner = OwnerThread.current();
        AtomicReference<Boolean> ran = new AtomicReference<>(false);
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> owner.run(() -> ran.set(true)));
        assertThatThrownBy(() -> other.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not waiting for a launch");
        assertThat(ran).hasValue(false);
    }

    @Test
    void anOperationHandedOverRunsOnTheOwnerWhileItWaitsAndItsFailureGoesBack() throws Exception {
        OwnerThread owner = OwnerThread.current();
        owner.expectOperations();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> owner.run(() -> ranOn.set(Thread.currentThread())));
        CompletableFuture<Void> failing = new CompletableFuture<>();
        while (!other.isDone()) {
            owner.runHandedOver();
        }
        other.get();
        assertThat(ranOn).hasValue(Thread.currentThread());
        CompletableFuture.runAsync(() -> {
            try {
                owner.run(() -> {
                    throw new IllegalArgumentException("the launch failed");
                });
                failing.complete(null);
            } catch (RuntimeException e) {
                failing.completeExceptionally(e);
            }
        });
        while (!failing.isDone()) {
            owner.runHandedOver();
        }
        owner.stopExpecting();
        assertThatThrownBy(failing::get).hasRootCauseInstanceOf(IllegalArgumentException.class).hasRootCauseMessage("the launch failed");
    }

    @Test
    void stoppingRunsAnOperationHandedOverMeanwhileThenRefusesMore() throws Exception {
        OwnerThread owner = OwnerThread.current();
        owner.expectOperations();
        CountDownLatch handing = new CountDownLatch(1);
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
            handing.countDown();
            owner.run(() -> ranOn.set(Thread.currentThread()));
        });
        assertThat(handing.await(30, TimeUnit.SECONDS)).isTrue();
        // either the operation was handed over before the owner stopped (and ran here) or it was refused: never lost, never twice
        owner.stopExpecting();
        try {
            other.get(30, TimeUnit.SECONDS);
            assertThat(ranOn).hasValue(Thread.currentThread());
        } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e).hasCauseInstanceOf(IllegalStateException.class);
            assertThat(ranOn).hasValue(null);
        }
        assertThatThrownBy(() -> CompletableFuture.runAsync(() -> owner.run(() -> { })).get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void onlyTheOwnerMayWait() throws Exception {
        OwnerThread owner = OwnerThread.current();
        CompletableFuture<Void> other = CompletableFuture.runAsync(owner::expectOperations);
        assertThatThrownBy(() -> other.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only thread");
    }
}
