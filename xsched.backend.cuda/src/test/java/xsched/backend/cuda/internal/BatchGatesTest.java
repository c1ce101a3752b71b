package xsched.backend.cuda.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BatchGatesTest {
    /** Events as a fake device: complete ones, ones that complete after some queries, and what was waited for. */
    private static final class FakeEvents implements BatchGates.Events {
        final Set<Long> complete = new HashSet<>();
        final Map<Long, Integer> completeAfterQueries = new HashMap<>();
        final List<Long> synchronized_ = new ArrayList<>();
        final List<Long> given = new ArrayList<>();
        final Set<Long> neverComplete = new HashSet<>();
        int queries;

        @Override
        public boolean query(long event) {
            queries++;
            Integer left = completeAfterQueries.get(event);
            if (left != null) {
                if (left <= 1) {
                    completeAfterQueries.remove(event);
                    complete.add(event);
                } else {
                    completeAfterQueries.put(event, left - 1);
                }
            }
            return complete.contains(event);
        }

        @Override
        public void synchronize(long event) {
            if (neverComplete.contains(event)) {
                throw new AssertionError("waited for event " + event + ", which is behind a closed gate: a hang");
            }
            synchronized_.add(event);
            complete.add(event);
        }

        @Override
        public void give(long event) {
            given.add(event);
        }
    }

    /** Batch i has started event 100+i and end event 200+i. */
    private static BatchGates batches(int n) {
        BatchGates gates = new BatchGates();
        for (int i = 0; i < n; i++) {
            assertThat(gates.needsGate()).isTrue();
            gates.opened(100 + i);
            assertThat(gates.needsGate()).isFalse();
            gates.cut(200 + i);
        }
        return gates;
    }

    @Test
    void aGateOpensEachBatchAndASyncPointEndsIt() {
        BatchGates gates = new BatchGates();
        assertThat(gates.needsGate()).as("the very first launch").isTrue();
        gates.opened(1);
        assertThat(gates.uncut()).isTrue();
        assertThat(gates.needsGate()).as("a second launch of the same batch").isFalse();
        gates.cut(2);
        assertThat(gates.uncut()).isFalse();
        assertThat(gates.needsGate()).isTrue();
        gates.pointRecorded();
        assertThat(gates.pending()).containsExactly(new BatchGates.Batch(1, 2));
        assertThatThrownBy(() -> gates.cut(3)).isInstanceOf(IllegalStateException.class);
        gates.opened(3);
        assertThatThrownBy(() -> gates.opened(4)).as("the previous batch must be cut").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void completedBatchesArePrunedOldestFirstUnlessADeactivationIsWaiting() {
        BatchGates gates = batches(3);
        FakeEvents ev = new FakeEvents();
        ev.complete.addAll(List.of(200L, 201L));
        gates.beginDrain();
        assertThat(gates.prune(ev, 10)).as("a deactivation may still query them").isZero();
        gates.endDrain();
        assertThat(gates.prune(ev, 1)).isEqualTo(1);
        assertThat(gates.prune(ev, 10)).isEqualTo(1);
        assertThat(gates.size()).isEqualTo(1);
        assertThat(ev.given).containsExactly(100L, 200L, 101L, 201L);
        gates.clear(ev);
        assertThat(ev.given).endsWith(102L, 202L);
        assertThat(gates.size()).isZero();
    }

    @Test
    void aPointSeenReachedRetiresTheBatchesBeforeItWithoutAQuery() {
        BatchGates gates = batches(2);
        gates.pointRecorded(900);
        gates.opened(102);
        gates.cut(202);
        gates.pointRecorded(901);
        gates.opened(103); // a batch open (uncut) behind the second point
        FakeEvents ev = new FakeEvents();
        assertThat(gates.pointReached(900, ev)).isEqualTo(2);
        assertThat(ev.queries).as("the waiter saw the point complete: no driver query").isZero();
        assertThat(ev.given).containsExactly(100L, 200L, 101L, 201L);
        assertThat(gates.pending()).containsExactly(new BatchGates.Batch(102, 202));
        assertThat(gates.pointReached(900, ev)).as("seen again: nothing more").isZero();
        assertThat(gates.pointReached(777, ev)).as("a point it never recorded").isZero();
        assertThat(gates.pointReached(901, ev)).isEqualTo(1);
        assertThat(gates.pending()).isEmpty();
        assertThat(gates.uncut()).as("the open batch behind the point stays").isTrue();
    }

    @Test
    void aPointReachedWhileADeactivationWaitsRetiresNothing() {
        BatchGates gates = batches(2);
        gates.pointRecorded(900);
        FakeEvents ev = new FakeEvents();
        gates.beginDrain();
        assertThat(gates.pointReached(900, ev)).isZero();
        gates.endDrain();
        assertThat(gates.size()).isEqualTo(2);
        assertThat(gates.prune(ev, 10)).as("left to the queries").isZero();
    }

    @Test
    void anEventUsedAgainForANewerPointStandsForTheNewerOne() {
        BatchGates gates = batches(1);
        gates.pointRecorded(900);
        FakeEvents ev = new FakeEvents();
        assertThat(gates.pointReached(900, ev)).isEqualTo(1);
        gates.opened(101);
        gates.cut(201);
        gates.opened(102);
        gates.cut(202);
        gates.pointRecorded(900); // the pool handed the same event to a newer point
        gates.opened(103);
        gates.cut(203);
        gates.pointRecorded(901);
        assertThat(gates.pointReached(900, ev)).isEqualTo(2);
        assertThat(gates.pending()).containsExactly(new BatchGates.Batch(103, 203));
    }

    @Test
    void deactivationWaitsForTheRunningBatchAndLeavesTheHeldOnes() {
        FakeEvents ev = new FakeEvents();
        ev.complete.addAll(List.of(100L, 200L, 101L));
        ev.neverComplete.addAll(List.of(102L, 202L, 103L, 203L));
        List<BatchGates.Batch> pending = batches(4).pending();
        AtomicLong clock = new AtomicLong();
        int firstHeld = BatchGates.waitForRunning(pending, ev, () -> clock.addAndGet(10), 100);
        assertThat(firstHeld).isEqualTo(2);
        assertThat(ev.synchronized_).containsExactly(200L, 201L);
    }

    @Test
    void aGateThatPassedJustBeforeTheCloseIsSeenWithinTheSettleTime() {
        FakeEvents ev = new FakeEvents();
        ev.complete.addAll(List.of(100L));
        ev.completeAfterQueries.put(101L, 3);
        ev.neverComplete.addAll(List.of(102L, 202L));
        List<BatchGates.Batch> pending = batches(3).pending();
        AtomicLong clock = new AtomicLong();
        int firstHeld = BatchGates.waitForRunning(pending, ev, () -> clock.addAndGet(1), 1_000);
        assertThat(firstHeld).as("batch 1 passed its gate before the close: it runs and is waited for").isEqualTo(2);
        assertThat(ev.synchronized_).containsExactly(200L, 201L);
    }

    @Test
    void afterTheSettleTimeAStartedEventStillIncompleteMeansHeld() {
        FakeEvents ev = new FakeEvents();
        ev.neverComplete.addAll(List.of(100L, 200L));
        List<BatchGates.Batch> pending = batches(1).pending();
        AtomicLong clock = new AtomicLong(5_000);
        assertThat(BatchGates.waitForRunning(pending, ev, clock::get, 1_000)).isZero();
        assertThat(ev.queries).as("no spinning once the settle time is over").isEqualTo(2);
        assertThat(ev.synchronized_).isEmpty();
    }

    @Test
    void everythingRanWhenEveryGatePassed() {
        FakeEvents ev = new FakeEvents();
        ev.complete.addAll(List.of(100L, 101L));
        List<BatchGates.Batch> pending = batches(2).pending();
        assertThat(BatchGates.waitForRunning(pending, ev, () -> 0L, 0)).isEqualTo(2);
        assertThat(ev.synchronized_).containsExactly(200L, 201L);
    }
}
