package xsched.run.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import xsched.api.Outcome;
import xsched.api.XQueue;

/**
 * {@link Settler}: a synchronized stream's queue is settled on the settling thread, through the
 * newest command handed over, not at all when its command already ended; one queue that fails does
 * not stop the others; a drain leaves nothing handed over unsettled.
 */
class SettlerTest {
    /** What the stand-in queues were asked: "name await seq". */
    private final List<String> asked = new CopyOnWriteArrayList<>();
    /** The threads they were asked on. */
    private final List<String> askedOn = new CopyOnWriteArrayList<>();
    private final Settler settler = new Settler(Duration.ofMillis(20));

    /** A stand-in queue: {@code outcome} says {@code ended}; {@code await} counts down {@code awaited}, then waits for {@code hold}, then throws if {@code fails}. */
    private XQueue queue(String name, Outcome ended, CountDownLatch awaited, CountDownLatch hold, boolean fails) {
        return (XQueue) Proxy.newProxyInstance(XQueue.class.getClassLoader(), new Class<?>[] {XQueue.class}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "outcome":
                    return ended;
                case "await":
                    asked.add(name + " await " + args[0]);
                    askedOn.add(Thread.currentThread().getName());
                    awaited.countDown();
                    hold.await();
                    if (fails) {
                        throw new IllegalStateException(name + " is closed");
                    }
                    return Outcome.COMPLETED;
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                case "toString":
                    return name;
                default:
                    throw new UnsupportedOperationException(method.getName());
            }
        });
    }

    private XQueue queue(String name, CountDownLatch awaited) {
        return queue(name, null, awaited, new CountDownLatch(0), false);
    }

    @Test
    void nothingIsSettledThroughZeroAndNoThreadStartsForIt() {
        settler.settle(queue("q", new CountDownLatch(1)), 0);
        assertThat(settler.running()).as("a thread started for nothing to settle").isFalse();
        settler.drain();
        assertThat(asked).isEmpty();
    }

    @Test
    void aQueueIsSettledOnTheSettlingThread() throws Exception {
        CountDownLatch awaited = new CountDownLatch(1);
        settler.settle(queue("q", awaited), 5);
        assertThat(awaited.await(30, TimeUnit.SECONDS)).as("the queue was settled").isTrue();
        assertThat(asked).containsExactly("q await 5");
        assertThat(askedOn).containsExactly("xsched-run-settle");
    }

    @Test
    void handOversOfOneQueueWhileTheThreadIsBusyAreSettledOnceThroughTheNewestCommand() throws Exception {
        CountDownLatch firstAwaited = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        settler.settle(queue("busy", null, firstAwaited, release, false), 1);
        assertThat(firstAwaited.await(30, TimeUnit.SECONDS)).isTrue(); // the thread is inside busy's await now
        XQueue q = queue("q", new CountDownLatch(1));
        settler.settle(q, 5);
        settler.settle(q, 7);
        settler.settle(q, 3); // an older command than the newest handed over: the newest stays
        release.countDown();
        settler.drain(); // waits for the thread's current queue, then settles what is left
        assertThat(asked).containsExactly("busy await 1", "q await 7");
    }

    @Test
    void aQueueWhoseCommandAlreadyEndedIsNotWaitedFor() {
        settler.settle(queue("ended", Outcome.COMPLETED, new CountDownLatch(1), new CountDownLatch(0), false), 4);
        settler.drain();
        assertThat(asked).isEmpty();
    }

    @Test
    void aQueueThatFailsToSettleDoesNotStopTheOthers() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);
        settler.settle(queue("closed", null, first, new CountDownLatch(0), true), 3);
        assertThat(first.await(30, TimeUnit.SECONDS)).isTrue();
        settler.settle(queue("open", second), 4);
        assertThat(second.await(30, TimeUnit.SECONDS)).as("the second queue was settled after the first one threw").isTrue();
        assertThat(asked).containsExactly("closed await 3", "open await 4");
    }
}
