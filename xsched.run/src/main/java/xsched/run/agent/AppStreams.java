package xsched.run.agent;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import xsched.api.Outcome;
import xsched.api.XQueue;

/**
 * The application's streams and their XQueues, and the one rule by which an intercepted call runs:
 * <em>launched before it returns</em>. The call becomes a command of its stream's queue; the
 * application's thread waits until the queue has launched it (at once, on this very thread, when the
 * queue runs and has room; later, while the scheduler holds the queue back) and returns the call's
 * own result. So nothing the application does is ever buffered behind its back: calls that are not
 * intercepted (event records, waits, host functions, synchronizations…) pass straight to the driver
 * and still find everything before them on the stream, in order, and the call's arguments are the
 * application's own memory, valid while it waits — nothing is copied.
 *
 * <p>A stream that cannot be scheduled (another context's, the per-thread default stream) runs
 * natively; so do a stream being captured into a graph and a call whose queue closed or failed. A
 * call is made exactly once either way.
 */
final class AppStreams {
    /** {@code CU_STREAM_LEGACY}: the legacy NULL stream, named explicitly. */
    static final long LEGACY = 0x1;
    /** {@code CU_STREAM_PER_THREAD}: the calling thread's per-thread default stream. */
    static final long PER_THREAD = 0x2;

    /** How long a synchronizing thread waits for its queue's bookkeeping at most. */
    private static final Duration SETTLE_PATIENCE = Duration.ofMillis(20);
    /** {@code XSCHED_RUN_SETTLE=0} leaves queues to find out by themselves that a synchronized stream's work is done (a diagnostic). */
    private static final boolean SETTLE = !"0".equals(System.getenv("XSCHED_RUN_SETTLE"));

    private final AdoptedStream.Adopter adopter;
    private final CallStats stats = new CallStats();
    /** Stream → its {@link AdoptedStream}, or the reason (a String) it runs natively. */
    private final StreamRoutes routes = new StreamRoutes();

    AppStreams(AdoptedStream.Adopter adopter) {
        this.adopter = Objects.requireNonNull(adopter, "adopter");
    }

    /**
     * Makes one intercepted call through its stream's queue.
     *
     * @param function  the driver function, for messages
     * @param stream    the stream argument as the application passed it
     * @param perThread whether the call came through a per-thread-default-stream variant ({@code _ptsz})
     * @param call      the call with the real driver function
     * @return the call's {@code CUresult}
     */
    int call(String function, long stream, boolean perThread, NativeCall call) {
        long s = stream == LEGACY ? 0 : stream;
        if (s == PER_THREAD || (s == 0 && perThread)) {
            return natively(call); // bound to the calling thread: only that thread can launch on it
        }
        // a stream known to run natively costs no question to the driver; one not seen yet is
        // asked about first, so that a stream being captured is not adopted meanwhile
        Object route = routes.get(s);
        if (route instanceof String || adopter.passThrough(s)) {
            return natively(call);
        }
        if (!((route != null ? route : route(s)) instanceof AdoptedStream adopted)) {
            return natively(call);
        }
        AdoptedStream.Call command = adopted.command(function, call);
        XQueue queue = adopted.queue();
        long seq;
        try {
            seq = queue.submit(command.command());
            stats.queued.increment();
        } catch (RuntimeException e) {
            Say.once("stream 0x" + Long.toHexString(s) + " runs natively from now on: " + e.getMessage());
            routes.put(s, "its queue ended: " + e.getMessage());
            return call.callChecked();
        }
        try {
            return awaitLaunch(queue, seq, command, call);
        } finally {
            adopter.restoreThread();
        }
    }

    private int natively(NativeCall call) {
        stats.natively.increment();
        return call.callChecked();
    }

    /** Waits until the queue launched the command; one that ended unlaunched (dropped, failed before) is made here. */
    private int awaitLaunch(XQueue queue, long seq, AdoptedStream.Call command, NativeCall call) {
        int rc = command.result();
        if (rc != AdoptedStream.NOT_LAUNCHED) {
            return rc;
        }
        long waitStart = System.nanoTime();
        try {
            return awaitLaunchSlowly(queue, seq, command, call);
        } finally {
            stats.waited.increment();
            stats.waitNanos.add(System.nanoTime() - waitStart);
        }
    }

    private static int awaitLaunchSlowly(XQueue queue, long seq, AdoptedStream.Call command, NativeCall call) {
        int rc;
        while ((rc = command.result()) == AdoptedStream.NOT_LAUNCHED) {
            Outcome outcome;
            try {
                outcome = queue.outcome(seq);
            } catch (RuntimeException e) {
                outcome = Outcome.FAILED;
            }
            if (outcome != null) {
                rc = command.result();
                return rc != AdoptedStream.NOT_LAUNCHED ? rc : call.callChecked();
            }
            LockSupport.parkNanos(1_000_000); // the launch unparks this thread
        }
        return rc;
    }

    /** @return the stream's {@link AdoptedStream}, made now if it has none, or why it runs natively */
    private Object route(long stream) {
        return routes.computeIfAbsent(stream, s -> {
            try {
                return adopter.adopt(s);
            } catch (RuntimeException e) {
                String why = "stream 0x" + Long.toHexString(s) + " runs natively: " + e.getMessage();
                Say.once(why);
                return why;
            }
        });
    }

    /**
     * The application synchronized a stream and the driver says its work is done: the stream's queue
     * learns it now (its commands complete, it goes idle at once) instead of at its next look. Waits
     * for nothing the driver has not finished: at most {@code patience} for the queue's own
     * bookkeeping, then leaves it to the queue.
     *
     * @param stream the stream the application synchronized
     */
    void streamSynchronized(long stream) {
        long s = stream == LEGACY ? 0 : stream;
        if (routes.get(s) instanceof AdoptedStream adopted) {
            try {
                settle(adopted.queue());
            } finally {
                adopter.restoreThread();
            }
        }
    }

    /** The application synchronized its context (or device): every queue learns that its launched work is done. */
    void synchronizedAll() {
        try {
            for (Object route : routes.values()) {
                if (route instanceof AdoptedStream adopted) {
                    settle(adopted.queue());
                }
            }
        } finally {
            adopter.restoreThread();
        }
    }

    private static void settle(XQueue queue) {
        if (!SETTLE) {
            return;
        }
        try {
            long last = queue.submitted();
            if (last > 0 && queue.outcome(last) == null) {
                queue.await(last, SETTLE_PATIENCE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | RuntimeException e) {
            // a command of another thread still waits for its launch: the queue finds out by itself
        }
    }

    /**
     * A capture into a graph is about to begin on a stream: its queue finishes what it launched and
     * records nothing more while the capture goes on (the calls made meanwhile pass through), since
     * an event xsched recorded on a capturing stream and then queried would invalidate the capture.
     *
     * @param stream the stream
     */
    void beforeCapture(long stream) {
        if (routes.get(stream == LEGACY ? 0 : stream) instanceof AdoptedStream adopted) {
            try {
                adopted.queue().awaitAll();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                adopter.restoreThread();
            }
        }
    }

    /**
     * The application destroys a stream: its queue closes first (waiting for what it launched), so a
     * new stream that gets the same handle gets a new queue.
     *
     * @param stream the stream
     */
    void destroyed(long stream) {
        Object route = routes.remove(stream == LEGACY ? 0 : stream);
        if (route instanceof AdoptedStream adopted) {
            try {
                adopted.queue().close();
            } finally {
                adopter.restoreThread();
            }
        }
    }

    /** @return what the calls did so far */
    CallStats stats() {
        return stats;
    }

    /** @return how many streams have a queue now */
    int scheduled() {
        return (int) routes.values().stream().filter(AdoptedStream.class::isInstance).count();
    }
}
