package xsched.backend.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import xsched.api.LaunchConfig;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.XpuDevice;
import xsched.core.embed.EmbeddedXsched;
import xsched.spi.hal.Backend;
import xsched.spi.hal.HwCommand;

/**
 * The conformance tests. Extend this class in a test of your backend and implement {@link
 * #target()}; JUnit 5 runs every test below against it, through the real core with the application
 * alone suspending and resuming queues ({@code manualScheduling}). Each test prints one line saying
 * what it ran, so a CI log shows that the device tests did run. Tests assert behaviour only; the
 * waits are capped generously by {@link Timeout}.
 *
 * <p>To skip the whole class where the device is absent, throw a JUnit assumption failure from
 * {@code target()} or a {@code @BeforeEach} of your own.
 */
@Timeout(300)
public abstract class BackendConformance {
    /** Commands per queue in the order, storm and swap tests. */
    protected static final int COMMANDS = 400;

    /** @return what to test; called once per test */
    protected abstract ConformanceTarget target();

    private static void closeIfCloseable(Backend backend) throws Exception {
        if (backend instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    private static void report(String what, XpuDevice device) {
        System.out.println("[backend conformance] " + what + " on " + device.id() + " (" + device.name() + ")");
    }

    private static void assertOnceInOrder(Marks marks, int from, int to) {
        int[] counts = marks.counts();
        int[] order = marks.order();
        for (int i = from; i < to; i++) {
            assertEquals(1, counts[i], "command " + i + " ran " + counts[i] + " times, not exactly once");
            if (i > from) {
                assertTrue(order[i] > order[i - 1], "command " + i + " ran before command " + (i - 1) + " of the same queue");
            }
        }
    }

    /** Commands of one queue run in submission order; two queues on one device each keep their order. */
    @Test
    void ordersCommandsWithinEachQueue() throws Exception {
        ConformanceTarget target = target();
        Backend backend = target.newBackend();
        XpuDevice device = target.deviceUnderTest(backend.devices());
        try (Marks marks = target.marks(device, 2 * COMMANDS);
             EmbeddedXsched xsched = EmbeddedXsched.builder().manualScheduling().backend(backend).build()) {
            XQueue a = xsched.createQueue(device.id(), QueueOptions.defaults().withName("order-a"));
            XQueue b = xsched.createQueue(device.id(), QueueOptions.defaults().withName("order-b"));
            for (int i = 0; i < COMMANDS; i++) {
                a.submit(marks.mark(i));
                b.submit(marks.mark(COMMANDS + i));
            }
            a.awaitAll();
            b.awaitAll();
            assertOnceInOrder(marks, 0, COMMANDS);
            assertOnceInOrder(marks, COMMANDS, 2 * COMMANDS);
            report("order: 2 queues x " + COMMANDS + " commands in order, each once", device);
        } finally {
            closeIfCloseable(backend);
        }
    }

    /** The core never has more than the queue's threshold launched beyond the last sync point reached. */
    @Test
    void keepsTheLaunchWindow() throws Exception {
        ConformanceTarget target = target();
        Backend real = target.newBackend();
        WindowProbe probe = new WindowProbe(real);
        XpuDevice device = target.deviceUnderTest(real.devices());
        LaunchConfig window = new LaunchConfig(4, 2);
        try (Marks marks = target.marks(device, COMMANDS);
             EmbeddedXsched xsched = EmbeddedXsched.builder().manualScheduling().backend(probe).build()) {
            XQueue q = xsched.createQueue(device.id(), QueueOptions.defaults().withName("window").withLaunch(window)
                    .withLevel(PreemptLevel.LAUNCH));
            for (int i = 0; i < COMMANDS; i++) {
                q.submit(marks.mark(i));
            }
            q.awaitAll();
            assertOnceInOrder(marks, 0, COMMANDS);
            assertTrue(probe.launched() >= COMMANDS, "the probe saw " + probe.launched() + " launches");
            assertTrue(probe.maxInFlight() <= window.threshold(), "up to " + probe.maxInFlight()
                    + " commands were in flight, more than the threshold " + window.threshold());
            report("window: threshold " + window.threshold() + ", at most " + probe.maxInFlight() + " in flight", device);
        } finally {
            closeIfCloseable(real);
        }
    }

    /** Every level the device offers: suspend/resume storms while commands flow, each command exactly once, in order. */
    @TestFactory
    Stream<DynamicTest> runsEachCommandExactlyOnceUnderSuspendResumeStorms() {
        ConformanceTarget target = target();
        Backend probe = target.newBackend();
        XpuDevice device = target.deviceUnderTest(probe.devices());
        try {
            closeIfCloseable(probe);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Stream.of(PreemptLevel.values()).filter(l -> l.number() <= device.maxLevel().number())
                .map(level -> DynamicTest.dynamicTest("storm at " + level, () -> storm(target, level)));
    }

    private void storm(ConformanceTarget target, PreemptLevel level) throws Exception {
        Backend backend = target.newBackend();
        XpuDevice device = target.deviceUnderTest(backend.devices());
        try (Marks marks = target.marks(device, 2 * COMMANDS);
             EmbeddedXsched xsched = EmbeddedXsched.builder().manualScheduling().backend(backend).build()) {
            List<XQueue> queues = List.of(
                    xsched.createQueue(device.id(), QueueOptions.defaults().withName("storm-a").withLevel(level)),
                    xsched.createQueue(device.id(), QueueOptions.defaults().withName("storm-b").withLevel(level)));
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger storms = new AtomicInteger();
            Thread stormer = Thread.ofPlatform().name("conformance-storm").start(() -> {
                while (!done.get()) {
                    for (XQueue q : queues) {
                        q.suspend();
                    }
                    Thread.yield();
                    for (XQueue q : queues) {
                        q.resume();
                    }
                    storms.incrementAndGet();
                    Thread.yield();
                }
            });
            try {
                for (int i = 0; i < COMMANDS; i++) {
                    queues.get(0).submit(marks.mark(i));
                    queues.get(1).submit(marks.mark(COMMANDS + i));
                }
                // keep storming while the work drains, and for a few rounds at least
                while (queues.stream().anyMatch(q -> q.finished() < COMMANDS) || storms.get() < 20) {
                    Thread.sleep(1);
                }
            } finally {
                done.set(true);
                stormer.join();
            }
            for (XQueue q : queues) {
                q.resume();
                q.awaitAll();
                assertEquals(COMMANDS, q.finished(), "commands ended on " + q.name());
            }
            assertOnceInOrder(marks, 0, COMMANDS);
            assertOnceInOrder(marks, COMMANDS, 2 * COMMANDS);
            report("storms at " + level + ": " + storms.get() + " suspend/resume rounds, 2 x " + COMMANDS + " commands each once", device);
        } finally {
            closeIfCloseable(backend);
        }
    }

    /** A bad command fails alone: the commands around it complete, and the queue goes on. */
    @Test
    void failsOnlyTheBadCommand() throws Exception {
        ConformanceTarget target = target();
        Backend backend = target.newBackend();
        XpuDevice device = target.deviceUnderTest(backend.devices());
        try (Marks marks = target.marks(device, 41);
             EmbeddedXsched xsched = EmbeddedXsched.builder().manualScheduling().backend(backend).build()) {
            Optional<HwCommand> bad = marks.failing();
            assumeTrue(bad.isPresent(), "the target has no failing command");
            XQueue q = xsched.createQueue(device.id(), QueueOptions.defaults().withName("failure"));
            List<Long> good = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                good.add(q.submit(marks.mark(i)));
            }
            long badSeq = q.submit(bad.get());
            for (int i = 20; i < 40; i++) {
                good.add(q.submit(marks.mark(i)));
            }
            assertEquals(Outcome.FAILED, q.await(badSeq, Duration.ofMinutes(2)), "the bad command's outcome");
            assertNotNull(q.failure(badSeq), "the bad command's failure");
            for (long seq : good) {
                assertEquals(Outcome.COMPLETED, q.await(seq, Duration.ofMinutes(2)), "command " + seq + " next to the bad one");
            }
            assertEquals(Outcome.COMPLETED, q.await(q.submit(marks.mark(40)), Duration.ofMinutes(2)), "a command after the failure");
            assertOnceInOrder(marks, 0, 41);
            report("failure: the bad command failed (" + q.failure(badSeq).getMessage() + "), 40 around it completed", device);
        } finally {
            closeIfCloseable(backend);
        }
    }

    /** Where the vendor library or device is absent, the backend's component registers nothing. */
    @Test
    void registersNothingWhenAbsent() {
        Optional<List<?>> registered = target().servicesRegisteredWhenAbsent();
        assumeTrue(registered.isPresent(), "the target cannot simulate absence");
        assertEquals(List.of(), registered.get(), "services registered with no library or device");
        System.out.println("[backend conformance] absence: nothing registered");
    }

    /** The backend is removed and a new one added for the same device while commands flow: each runs exactly once. */
    @Test
    void swapsTheBackendUnderLoad() throws Exception {
        ConformanceTarget target = target();
        Backend first = target.newBackend();
        XpuDevice device = target.deviceUnderTest(first.devices());
        Backend second = null;
        try (Marks marks = target.marks(device, COMMANDS);
             EmbeddedXsched xsched = EmbeddedXsched.builder().manualScheduling().backend(first).build()) {
            XQueue q = xsched.createQueue(device.id(), QueueOptions.defaults().withName("swap"));
            Thread producer = Thread.ofPlatform().name("conformance-producer").start(() -> {
                for (int i = 0; i < COMMANDS; i++) {
                    q.submit(marks.mark(i));
                    Thread.yield();
                }
            });
            awaitSubmitted(q, COMMANDS / 4);
            xsched.removeBackend(first);
            awaitSubmitted(q, COMMANDS / 2);
            second = target.newBackend();
            assertTrue(second.devices().stream().anyMatch(d -> d.id().equals(device.id())), "the new backend offers " + device.id());
            xsched.addBackend(second);
            producer.join();
            q.awaitAll();
            for (long seq = 1; seq <= q.submitted(); seq++) {
                assertEquals(Outcome.COMPLETED, q.outcome(seq), "command " + seq);
            }
            assertOnceInOrder(marks, 0, COMMANDS);
            report("swap: backend replaced under load, " + COMMANDS + " commands each once, in order", device);
        } finally {
            closeIfCloseable(first);
            if (second != null) {
                closeIfCloseable(second);
            }
        }
    }

    private static void awaitSubmitted(XQueue q, long count) throws InterruptedException {
        while (q.submitted() < count) {
            Thread.sleep(1);
        }
    }
}
