package xsched.core.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import xsched.api.LaunchConfig;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.dto.QueueDTO;
import xsched.backend.host.HostBackend;
import xsched.backend.host.HostTask;
import xsched.core.internal.runtime.XschedRuntime;
import xsched.spi.policy.SchedulingPolicy;

/**
 * A runtime over a {@link FaultyBackend} on {@code devices} host devices, and what the fault tests
 * share: gates, capped waits, the queue's DTO. Closing it opens every gate, then shuts the runtime
 * down and closes the backend on a thread of its own, failing (instead of hanging) if that takes
 * longer than the cap.
 */
final class FaultFixture implements AutoCloseable {
    /** The cap on every wait for a condition. */
    static final long CAP_MILLIS = 10_000;
    /** A policy that decides nothing: queues stay as the test suspends and resumes them. */
    static final SchedulingPolicy HANDS_OFF = (status, context) -> { };

    final XschedRuntime runtime;
    final FaultyBackend backend;
    /** Launch threads alive before this fixture: queue ids start at 1 in every runtime, so names repeat. */
    private final List<Thread> launchThreadsBefore = threads("xsched-launch-");
    private final List<Gate> gates = new CopyOnWriteArrayList<>();
    private final List<Runnable> onClose = new CopyOnWriteArrayList<>();

    /** With the hands-off policy. */
    FaultFixture(int devices) {
        this(devices, "hands-off", "hands-off", Map.of("hands-off", HANDS_OFF));
    }

    /** With these policies, installed in the map's order. */
    FaultFixture(int devices, String wanted, String fallback, Map<String, SchedulingPolicy> policies) {
        backend = new FaultyBackend(new HostBackend(devices, PreemptLevel.INTERRUPT));
        runtime = new XschedRuntime(wanted, fallback);
        runtime.addBackend(backend);
        policies.forEach(runtime::addPolicy);
    }

    XQueue queue(String device, PreemptLevel level, LaunchConfig launch) {
        return runtime.createQueue(device, QueueOptions.defaults().withLevel(level).withLaunch(launch));
    }

    XQueue queue(String device, QueueOptions options) {
        return runtime.createQueue(device, options);
    }

    Gate gate() {
        Gate g = new Gate();
        gates.add(g);
        return g;
    }

    private void openGates() {
        gates.forEach(Gate::open);
    }

    /** @param release something to do first when the fixture closes (e.g. let a stuck policy return) */
    void onClose(Runnable release) {
        onClose.add(release);
    }

    static HostTask noop(String name) {
        return HostTask.of(name, () -> { });
    }

    /** Waits, polling, until the condition holds; fails after {@link #CAP_MILLIS}. */
    static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + CAP_MILLIS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("not within " + CAP_MILLIS + " ms: " + what);
            }
            Thread.sleep(1);
        }
    }

    /** @return the queue as the runtime's snapshot shows it, or null when it is not listed */
    QueueDTO dto(XQueue q) {
        return runtime.snapshot().queues.stream().filter(d -> d.id == q.id()).findFirst().orElse(null);
    }

    /** Waits until the snapshot shows the queue FAILED, and checks that it says why. */
    QueueDTO awaitFailedStatus(XQueue q) throws InterruptedException {
        waitUntil("queue " + q.id() + " shows status FAILED; it shows " + describe(dto(q)),
                () -> dto(q) != null && "FAILED".equals(dto(q).status));
        QueueDTO d = dto(q);
        assertThat(d.failure).as("QueueDTO.failure of a FAILED queue").isNotNull().isNotBlank();
        return d;
    }

    private static String describe(QueueDTO d) {
        return d == null ? "nothing (not listed)" : "status=" + d.status + " failure=" + d.failure + " state=" + d.state
                + " suspended=" + d.suspended + " submitted=" + d.submitted + " finished=" + d.finished;
    }

    /** Waits (capped) for the command to end. */
    static Outcome ended(XQueue q, long seq) throws InterruptedException {
        try {
            return q.await(seq, Duration.ofMillis(CAP_MILLIS));
        } catch (TimeoutException e) {
            throw new AssertionError("command " + seq + " of queue " + q.id() + " did not end within " + CAP_MILLIS
                    + " ms (submitted " + q.submitted() + ", finished " + q.finished() + ")", e);
        }
    }

    /** Closes the queue on a thread of its own and checks that close() returned within the cap. */
    static void assertCloses(XQueue q) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread closer = Thread.ofPlatform().daemon().name("fault-close-" + q.id()).start(() -> {
            try {
                q.close();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        closer.join(CAP_MILLIS);
        if (closer.isAlive()) {
            StringBuilder workers = new StringBuilder();
            for (Thread t : threads("xsched-launch-" + q.id())) {
                workers.append("\n").append(t.getName()).append(' ').append(t.getState());
                for (StackTraceElement f : t.getStackTrace()) {
                    workers.append("\n    at ").append(f);
                }
            }
            AssertionError hung = new AssertionError("close() of queue " + q.id() + " did not return within " + CAP_MILLIS
                    + " ms; launch threads of that id:" + workers);
            hung.setStackTrace(closer.getStackTrace());
            throw hung;
        }
        assertThat(thrown.get()).as("close() threw").isNull();
    }

    /** The command ended FAILED, with a failure that names {@code reason} (when not null). */
    static void assertFailed(XQueue q, long seq, Throwable reason) throws InterruptedException {
        assertThat(ended(q, seq)).as("outcome of command %d", seq).isEqualTo(Outcome.FAILED);
        Throwable failure = q.failure(seq);
        assertThat(failure).as("failure of command %d", seq).isNotNull();
        if (reason != null) {
            assertThat(names(failure, reason)).as("failure of command %d (%s) names %s", seq, failure, reason).isTrue();
        }
    }

    /** The command ended COMPLETED, or FAILED naming {@code reason}. */
    static void assertCompletedOrFailed(XQueue q, long seq, Throwable reason) throws InterruptedException {
        if (ended(q, seq) == Outcome.FAILED) {
            assertFailed(q, seq, reason);
        } else {
            assertThat(q.outcome(seq)).as("outcome of command %d", seq).isEqualTo(Outcome.COMPLETED);
        }
    }

    /** @return whether {@code reason} is {@code failure}, in its causes or suppressed, or its message is quoted there */
    static boolean names(Throwable failure, Throwable reason) {
        List<Throwable> seen = new ArrayList<>();
        List<Throwable> todo = new ArrayList<>(List.of(failure));
        while (!todo.isEmpty()) {
            Throwable t = todo.removeLast();
            if (t == null || seen.stream().anyMatch(s -> s == t)) {
                continue;
            }
            seen.add(t);
            if (t == reason || (t.getMessage() != null && reason.getMessage() != null && t.getMessage().contains(reason.getMessage()))) {
                return true;
            }
            todo.add(t.getCause());
            todo.addAll(Arrays.asList(t.getSuppressed()));
        }
        return false;
    }

    /** @return the live platform threads whose names start with {@code prefix} */
    static List<Thread> threads(String prefix) {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() * 2 + 16];
        int n = root.enumerate(all, true);
        List<Thread> found = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (all[i].getName().startsWith(prefix) && all[i].isAlive()) {
                found.add(all[i]);
            }
        }
        return found;
    }

    /** @return the queue's launch worker: the live thread named {@code xsched-launch-<id>} started since the fixture was made */
    Thread launchWorker(XQueue q) {
        String name = "xsched-launch-" + q.id();
        return threads("xsched-launch-").stream().filter(t -> t.getName().equals(name) && !launchThreadsBefore.contains(t))
                .findFirst().orElseThrow(() -> new AssertionError("no live thread named " + name + "; launch threads: "
                        + threads("xsched-launch-").stream().map(Thread::getName).collect(Collectors.joining(", "))));
    }

    /**
     * Opens the gates, shuts the runtime down and closes the backend, on a thread of its own: if
     * that has not finished within the cap it fails, leaving the thread behind.
     */
    @Override
    public void close() {
        onClose.forEach(Runnable::run);
        openGates();
        Thread closer = Thread.ofPlatform().daemon().name("fault-fixture-close").start(() -> {
            runtime.shutdown();
            backend.close();
        });
        try {
            closer.join(2 * CAP_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            AssertionError hung = new AssertionError("runtime shutdown and backend close did not finish within "
                    + 2 * CAP_MILLIS + " ms");
            hung.setStackTrace(closer.getStackTrace());
            throw hung;
        }
    }
}
