package xsched.backend.cuda.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** When a GPU lets go of its primary context, without a driver: the rules of a retire and a close. */
class PrimaryContextRetainTest {
    private final AtomicInteger releases = new AtomicInteger();
    private final List<String> closedOrder = new ArrayList<>();
    private final PrimaryContextRetain retain = new PrimaryContextRetain("cuda:0", () -> {
        releases.incrementAndGet();
        synchronized (closedOrder) {
            closedOrder.add("release");
        }
    });

    /** A queue or resource that removes itself when closed, as the real ones do. */
    private final class Thing implements AutoCloseable {
        private final String name;

        Thing(String name) {
            this.name = name;
        }

        @Override
        public void close() {
            synchronized (closedOrder) {
                closedOrder.add(name);
            }
            retain.remove(this);
        }
    }

    private Thing resource(String name) {
        return retain.addResource(new Thing(name));
    }

    private Thing queue(String name) {
        return retain.addQueue(new Thing(name));
    }

    private void retire() {
        retain.retire(PrimaryContextRetainTest::closeThing);
    }

    private void close() {
        retain.close(PrimaryContextRetainTest::closeThing, () -> closedOrder.add("synchronize"));
    }

    private static void closeThing(AutoCloseable thing) {
        ((Thing) thing).close();
    }

    @Test
    void aRetiredGpuKeepsTheContextUntilItsLastResourceIsClosed() {
        Thing buffer = resource("buffer");
        Thing module = resource("module");
        queue("queue");

        retire();

        assertThat(closedOrder).as("retire closes xsched's queues only").containsExactly("queue");
        assertThat(retain.retired()).isTrue();
        assertThat(retain.released()).isFalse();
        retain.requireRetained();
        buffer.close();
        assertThat(releases).as("one resource is still open").hasValue(0);
        assertThat(retain.openResources()).isEqualTo(1);
        module.close();
        assertThat(releases).hasValue(1);
        assertThat(closedOrder).containsExactly("queue", "buffer", "module", "release");
        assertThat(retain.released()).isTrue();
        assertThatThrownBy(retain::requireRetained).isInstanceOf(IllegalStateException.class)
                .hasMessage("GPU cuda:0 was released (it was retired and the last application resource of the retired "
                        + "backend was closed)");
        module.close();
        retain.remove(new Thing("never added"));
        retire();
        close();
        assertThat(releases).as("released exactly once").hasValue(1);
    }

    @Test
    void retiringWithoutResourcesReleasesAtOnceAfterClosingTheQueues() {
        queue("q1");
        queue("q2");
        Thing early = resource("closed before the retire");
        early.close();
        assertThat(releases).as("an open GPU keeps its context whatever is closed").hasValue(0);

        retire();

        assertThat(closedOrder).hasSize(4).startsWith("closed before the retire").endsWith("release").contains("q1", "q2");
        assertThat(releases).hasValue(1);
        assertThat(retain.released()).isTrue();
        retire();
        close();
        assertThat(releases).hasValue(1);
    }

    @Test
    void retiringNothingAtAllReleasesOnce() {
        retire();
        retire();

        assertThat(releases).hasValue(1);
        assertThat(closedOrder).containsExactly("release");
    }

    @Test
    void aRetiredGpuMakesNothingNewAndSaysWhy() {
        Thing buffer = resource("buffer");
        retire();

        assertThatThrownBy(() -> queue("late queue")).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot open a hardware queue on cuda:0: it belongs to a retired CUDA backend")
                .hasMessageContaining("stay usable until closed")
                .hasMessageEndingWith("the CudaGpu of the backend now registered for cuda:0");
        assertThatThrownBy(() -> resource("late buffer")).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot make a buffer, module or event on cuda:0: it belongs to a retired");
        assertThat(retain.openResources()).isEqualTo(1);
        buffer.close();
        assertThatThrownBy(() -> retain.requireOpen("allocate device memory")).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot allocate device memory on cuda:0: it was released (it was retired");
    }

    @Test
    void closingClosesQueuesThenWaitsThenClosesResourcesThenReleasesOnce() {
        resource("buffer");
        queue("queue");
        resource("module");

        close();

        assertThat(closedOrder.subList(0, 2)).containsExactly("queue", "synchronize");
        assertThat(closedOrder.subList(2, 4)).containsExactlyInAnyOrder("buffer", "module");
        assertThat(closedOrder).hasSize(5).endsWith("release");
        assertThat(releases).hasValue(1);
        assertThat(retain.openResources()).isZero();
        assertThatThrownBy(() -> resource("late")).isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot make a buffer, module or event on cuda:0: it was released (its CudaPlatform was closed)");
        close();
        retire();
        assertThat(releases).hasValue(1);
    }

    @Test
    void closingARetiredGpuClosesWhatTheApplicationLeftAndReleasesOnce() {
        Thing kept = resource("kept");
        resource("left open");
        retire();
        kept.close();
        assertThat(releases).hasValue(0);

        close();

        assertThat(closedOrder).containsExactly("kept", "synchronize", "left open", "release");
        assertThat(releases).hasValue(1);
        assertThat(retain.released()).isTrue();
    }

    @Test
    void aRetireDuringACloseOrAfterARetireChangesNothing() {
        resource("buffer");
        Thing kept = resource("kept");
        retire();
        retire();
        assertThat(retain.openResources()).isEqualTo(2);
        kept.close();
        assertThat(releases).hasValue(0);

        retain.close(PrimaryContextRetainTest::closeThing, this::retire);

        assertThat(closedOrder).containsExactly("kept", "buffer", "release");
        assertThat(releases).hasValue(1);
    }

    @Test
    void aCloseThatFailsStillForgetsTheResourceAndReleases() {
        retain.addResource(() -> {
            throw new IllegalStateException("cuMemFree failed");
        });

        assertThatThrownBy(() -> retain.close(thing -> {
            try {
                thing.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, () -> { })).hasRootCauseMessage("cuMemFree failed");
        assertThat(retain.openResources()).isZero();
        assertThat(releases).hasValue(1);
    }

    @RepeatedTest(20)
    void concurrentClosesOfTheLastResourcesReleaseExactlyOnce() throws Exception {
        int count = 64;
        List<Thing> things = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            things.add(resource("r" + i));
        }
        retire();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Thing t : things) {
                done.add(pool.submit(() -> {
                    start.await();
                    t.close();
                    t.close();
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(releases).hasValue(1);
        assertThat(retain.openResources()).isZero();
    }

    @RepeatedTest(20)
    void aRetireRacingTheLastClosesReleasesExactlyOnce() throws Exception {
        List<Thing> things = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            things.add(resource("r" + i));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<?> retiring = pool.submit(() -> {
                start.await();
                retire();
                return null;
            });
            Future<?> closing = pool.submit(() -> {
                start.await();
                things.forEach(Thing::close);
                return null;
            });
            start.countDown();
            retiring.get(10, TimeUnit.SECONDS);
            closing.get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        assertThat(releases).hasValue(1);
        assertThat(retain.released()).isTrue();
    }
}
