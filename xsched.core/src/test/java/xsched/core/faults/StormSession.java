package xsched.core.faults;

import xsched.core.testing.TestPriorityPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import xsched.api.PreemptLevel;
import xsched.backend.host.HostBackend;
import xsched.core.internal.runtime.XschedRuntime;

/**
 * A runtime with the priority policy over one host device, shared by a run of storm tries (each try
 * brings its own queues and closes them): starting threads is most of what a try would cost
 * otherwise. Closing it shuts the runtime down, closes every backend it used and checks that no
 * {@code xsched-*} thread is left.
 */
final class StormSession implements AutoCloseable {
    private static final long CAP_MILLIS = 20_000;

    final XschedRuntime runtime = new XschedRuntime("prio", "prio");
    private final int baseline;
    /** Threads alive before the session: queue ids start at 1 in every runtime, so names repeat. */
    private final List<Thread> before = xschedThreads();
    private final List<FaultyBackend> retired = new ArrayList<>();
    private volatile FaultyBackend current;

    /** @param baseline how many xsched threads were alive before any session */
    StormSession(int baseline) {
        this.baseline = baseline;
        runtime.addPolicy("prio", new TestPriorityPolicy());
        current = new FaultyBackend(new HostBackend(1, PreemptLevel.INTERRUPT));
        runtime.addBackend(current);
    }

    FaultyBackend current() {
        return current;
    }

    /** @return the launch worker of the queue {@code id} of this session's runtime, or null */
    Thread launchWorker(long id) {
        String name = "xsched-launch-" + id;
        return FaultFixture.threads(name).stream().filter(t -> t.getName().equals(name) && !before.contains(t)).findFirst().orElse(null);
    }

    /** Takes the current backend away and adds {@code next} (a backend swap under live queues). */
    synchronized void swap(FaultyBackend next) {
        FaultyBackend old = current;
        runtime.removeBackend(old);
        retired.add(old);
        runtime.addBackend(next);
        current = next;
    }

    /** Closes the backends swapped out so far; call when no queue of the runtime is open. */
    synchronized void closeRetired() {
        retired.forEach(FaultyBackend::close);
        retired.clear();
    }

    @Override
    public void close() {
        runtime.shutdown();
        synchronized (this) {
            retired.forEach(FaultyBackend::close);
            retired.clear();
            current.close();
        }
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CAP_MILLIS);
        List<Thread> left = xschedThreads();
        while (left.size() > baseline && System.nanoTime() < end) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            left = xschedThreads();
        }
        if (left.size() > baseline) {
            throw new AssertionError("xsched threads left after the runtime was shut down: " + left.size() + " (before: "
                    + baseline + "): " + left.stream().map(Thread::getName).sorted().collect(Collectors.joining(", ")));
        }
    }

    /** @return the live platform threads named {@code xsched-*} */
    static List<Thread> xschedThreads() {
        return FaultFixture.threads("xsched-");
    }
}
