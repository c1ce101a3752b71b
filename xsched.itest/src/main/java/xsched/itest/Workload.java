package xsched.itest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import xsched.api.Outcome;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.Xsched;
import xsched.backend.host.HostKernels;
import xsched.spi.hal.HwCommand;

/**
 * Queues on one device kept busy by submitter threads, with every submitted sequence number
 * recorded so that {@link #drain} can account for each command.
 */
final class Workload implements AutoCloseable {
    private final Xsched xsched;
    private final String deviceId;
    private final List<XQueue> queues = new CopyOnWriteArrayList<>();
    private final Map<XQueue, List<Long>> submitted = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong foregroundTimeouts = new AtomicLong();
    private final AtomicLong foregroundWorstNanos = new AtomicLong();
    private volatile boolean stopping;

    Workload(Xsched xsched, String deviceId) {
        this.xsched = xsched;
        this.deviceId = deviceId;
    }

    /** A kernel of {@code blocks} blocks computing for {@code nanosPerBlock} each. */
    static Supplier<HwCommand> timedKernel(int blocks, long nanosPerBlock) {
        return () -> HostKernels.timedFma(new double[blocks], nanosPerBlock);
    }

    XQueue queue(String name) {
        XQueue q = xsched.createQueue(deviceId, QueueOptions.defaults().withName(name));
        queues.add(q);
        submitted.put(q, Collections.synchronizedList(new ArrayList<>()));
        return q;
    }

    List<XQueue> queues() {
        return List.copyOf(queues);
    }

    /** Keeps up to {@code window} commands unfinished on the queue until {@link #stop}. */
    void background(XQueue q, int window, Supplier<HwCommand> kernel) {
        start("bg-" + q.name(), () -> {
            while (!stopping) {
                if (q.submitted() - q.finished() < window) {
                    submit(q, kernel.get());
                } else {
                    Thread.sleep(1);
                }
            }
        });
    }

    /** Submits one command per period and waits (at most 2 s) for it, until {@link #stop}. */
    void foreground(XQueue q, Duration period, Supplier<HwCommand> kernel) {
        start("fg-" + q.name(), () -> {
            while (!stopping) {
                long start = System.nanoTime();
                long seq = submit(q, kernel.get());
                try {
                    q.await(seq, Duration.ofSeconds(2));
                    foregroundWorstNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                } catch (TimeoutException e) {
                    foregroundTimeouts.incrementAndGet();
                }
                long rest = period.toNanos() - (System.nanoTime() - start);
                if (rest > 0) {
                    Thread.sleep(rest / 1_000_000, (int) (rest % 1_000_000));
                }
            }
        });
    }

    private long submit(XQueue q, HwCommand command) {
        long seq = q.submit(command);
        submitted.get(q).add(seq);
        return seq;
    }

    private interface Body {
        void run() throws InterruptedException;
    }

    private void start(String name, Body body) {
        threads.add(Thread.ofPlatform().daemon().name(name).start(() -> {
            try {
                body.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
    }

    /** Stops the submitters. @throws IllegalStateException if one does not end within 5 s */
    void stop() throws InterruptedException {
        stopping = true;
        for (Thread t : threads) {
            if (!t.join(Duration.ofSeconds(5))) {
                throw new IllegalStateException("submitter " + t.getName() + " did not stop");
            }
        }
    }

    /** The submitted commands still unaccounted for are listed in {@link Drained#notCompleted}. */
    record Drained(Map<Outcome, Long> outcomes, long total, List<String> notCompleted) {
    }

    /** Waits for every submitted command, at most {@code timeout} in all, and reports how each ended. */
    Drained drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
        List<String> notCompleted = new ArrayList<>();
        long total = 0;
        for (XQueue q : queues) {
            for (long seq : List.copyOf(submitted.get(q))) {
                total++;
                Outcome o;
                try {
                    o = q.await(seq, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                } catch (TimeoutException e) {
                    o = null;
                }
                if (o != null) {
                    outcomes.merge(o, 1L, Long::sum);
                }
                if (o != Outcome.COMPLETED && notCompleted.size() < 20) {
                    notCompleted.add(q.name() + "#" + seq + "=" + (o == null ? "unfinished" : o + " " + q.failure(seq)));
                }
            }
        }
        return new Drained(outcomes, total, notCompleted);
    }

    long submittedCount() {
        return submitted.values().stream().mapToLong(List::size).sum();
    }

    /** @return commands ended so far on every queue of the workload */
    long finishedCount() {
        return queues.stream().mapToLong(XQueue::finished).sum();
    }

    /**
     * Waits until the workload's queues together have ended {@code commands} more commands: the
     * way to let the workload run for a while without sleeping for a time.
     *
     * @param what     what is shown, for the failure message
     * @param commands how many more commands must end
     * @param timeout  how long to wait at most
     */
    void awaitProgress(String what, long commands, Duration timeout) throws InterruptedException {
        long target = finishedCount() + commands;
        Eventually.until(what + " (" + commands + " more commands ended)", timeout, () -> finishedCount() >= target, this::describe);
    }

    /**
     * Like {@link #awaitProgress(String, long, Duration)}, for one queue.
     *
     * @param q        a queue of the workload
     * @param commands how many more of its commands must end
     * @param timeout  how long to wait at most
     */
    void awaitProgress(XQueue q, long commands, Duration timeout) throws InterruptedException {
        long target = q.finished() + commands;
        Eventually.until(q.name() + " ends " + commands + " more commands", timeout, () -> q.finished() >= target, this::describe);
    }

    long foregroundTimeouts() {
        return foregroundTimeouts.get();
    }

    long foregroundWorstNanos() {
        return foregroundWorstNanos.get();
    }

    String describe() {
        return queues.stream().map(q -> q.name() + "(" + q.state() + (q.suspended() ? ",suspended" : "") + ","
                + q.finished() + "/" + q.submitted() + ")").toList().toString();
    }

    /** Stops the submitters and closes the queues. */
    @Override
    public void close() throws InterruptedException {
        try {
            stop();
        } finally {
            queues.forEach(XQueue::close);
        }
    }
}
