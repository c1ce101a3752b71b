package xsched.run.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import xsched.api.XQueue;

/**
 * {@link Settler}: a synchronized stream's queue is settled on the settling thread, through the
 * newest command handed over, and one queue that fails does not stop the others.
 */
class SettlerTest {
    /** What a stand-in queue was asked: "name await seq on thread". */
    private final List<String> asked = new CopyOnWriteArrayList<>();

    private XQueue queue(String name, CountDownLatch awaited, boolean fails) {
        return (XQueue) Proxy.newProxyInstance(XQueue.class.getClassLoader(), new Class<?>[] {XQueue.class}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "outcome":
                    return null; // not ended yet: the settler waits for it
                case "await":
                    asked.add(name + " await " + args[0] + " on " + Thread.currentThread().getName());
                    awaited.countDown();
                    if (fails) {
                        throw new IllegalStateException(name + " is closed");
                    }
                    return null;
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

    @Test
    void aQueueIsSettledThroughTheCommandHandedOverOnTheSettlingThreadAndNothingIsSettledThroughZero() throws Exception {
        Settler settler = new Settler(Duration.ofMillis(20));
        CountDownLatch awaited = new CountDownLatch(1);
        XQueue queue = queue("q", awaited, false);
        settler.settle(queue, 0); // nothing submitted yet: nothing to settle
        settler.settle(queue, 5);
        assertThat(awaited.await(30, TimeUnit.SECONDS)).as("the queue was settled").isTrue();
        assertThat(asked).containsExactly("q await 5 on xsched-run-settle");
    }

    @Test
    void aQueueThatFailsToSettleDoesNotStopTheOthers() throws Exception {
        Settler settler = new Settler(Duration.ofMillis(20));
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);
        settler.settle(queue("closed", first, true), 3);
        assertThat(first.await(30, TimeUnit.SECONDS)).isTrue();
        settler.settle(queue("open", second, false), 4);
        assertThat(second.await(30, TimeUnit.SECONDS)).as("the second queue was settled after the first one threw").isTrue();
        assertThat(asked).containsExactly("closed await 3 on xsched-run-settle", "open await 4 on xsched-run-settle");
    }
}
