package xsched.backend.cuda.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GateBudgetTest {
    @Test
    void theBudgetLeavesHalfTheConnectionsAndOneMoreFree() {
        assertThat(GateBudget.budgetFor(32)).isEqualTo(15);
        assertThat(GateBudget.budgetFor(8)).isEqualTo(3);
        assertThat(GateBudget.budgetFor(4)).isEqualTo(1);
        assertThat(GateBudget.budgetFor(2)).isZero();
        assertThat(GateBudget.budgetFor(1)).isZero();
    }

    @Test
    void beyondTheBudgetADeactivationFallsBackAndAReleaseMakesRoom() {
        GateBudget budget = new GateBudget(8);
        assertThat(budget.tryAcquire()).isTrue();
        assertThat(budget.tryAcquire()).isTrue();
        assertThat(budget.tryAcquire()).isTrue();
        assertThat(budget.tryAcquire()).as("the fourth of 3").isFalse();
        assertThat(budget.fallbacks()).isEqualTo(1);
        assertThat(budget.closed()).isEqualTo(3);
        budget.release();
        assertThat(budget.tryAcquire()).isTrue();
        assertThat(budget.peak()).isEqualTo(3);
        assertThat(budget).hasToString("gates closed 3/3 (peak 3), 1 fallbacks to level 1");
    }

    @Test
    void aBudgetOfZeroAlwaysFallsBack() {
        GateBudget budget = new GateBudget(1);
        assertThat(budget.tryAcquire()).isFalse();
        assertThat(budget.fallbacks()).isEqualTo(1);
    }

    @Test
    void releasingMoreThanAcquiredIsABug() {
        GateBudget budget = new GateBudget(32);
        assertThatThrownBy(budget::release).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void concurrentDeactivationsNeverCloseMoreGatesThanTheBudget() throws Exception {
        GateBudget budget = new GateBudget(32);
        int threads = 16;
        int rounds = 5_000;
        AtomicInteger closedNow = new AtomicInteger();
        AtomicInteger maxSeen = new AtomicInteger();
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < rounds; i++) {
                    if (budget.tryAcquire()) {
                        granted.incrementAndGet();
                        maxSeen.accumulateAndGet(closedNow.incrementAndGet(), Math::max);
                        Thread.onSpinWait();
                        closedNow.decrementAndGet();
                        budget.release();
                    } else {
                        refused.incrementAndGet();
                    }
                }
            }));
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertThat(maxSeen.get()).isBetween(1, 15);
        assertThat(budget.closed()).isZero();
        assertThat(budget.peak()).isLessThanOrEqualTo(15);
        assertThat(granted.get() + refused.get()).isEqualTo(threads * rounds);
        assertThat(budget.fallbacks()).isEqualTo(refused.get());
    }
}
