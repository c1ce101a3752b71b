package xsched.karaf.itest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import xsched.api.Outcome;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.Xsched;
import xsched.backend.host.HostKernel;

/**
 * Keeps host-XPU queues busy with kernels that count every block they run, so that after any
 * amount of live change the test can say how many commands were lost (never finished, or did not
 * complete) and how many ran a block more than once.
 */
final class CountingLoad implements AutoCloseable {
    private static final int BLOCKS = 2;
    private static final long NANOS_PER_BLOCK = 150_000;

    /** What became of every submitted command. */
    record Tally(long submitted, long completed, long lost, long duplicated, List<String> examples) {
        @Override
        public String toString() {
            return submitted + " submitted, " + completed + " completed, " + lost + " lost, " + duplicated + " duplicated"
                    + (examples.isEmpty() ? "" : " e.g. " + examples);
        }
    }

    private record Submitted(XQueue queue, long seq, AtomicInteger blocksRun) {
    }

    private final Xsched xsched;
    private final List<XQueue> queues = new ArrayList<>();
    private final List<Thread> submitters = new ArrayList<>();
    private final Map<Long, Submitted> commands = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean stopping;

    CountingLoad(Xsched xsched) {
        this.xsched = xsched;
    }

    /** Opens a queue on {@code deviceId} and keeps up to {@code window} commands unfinished on it. */
    void run(String deviceId, String name, int window) {
        XQueue q = xsched.createQueue(deviceId, QueueOptions.defaults().withName(name));
        queues.add(q);
        submitters.add(Thread.ofPlatform().daemon().name("load-" + name).start(() -> {
            while (!stopping) {
                if (q.submitted() - q.finished() < window) {
                    submitOne(q);
                } else {
                    Thread.onSpinWait();
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }));
    }

    private void submitOne(XQueue q) {
        long id = ids.incrementAndGet();
        AtomicInteger blocksRun = new AtomicInteger();
        HostKernel kernel = HostKernel.of("count-" + id, BLOCKS, (block, ctx) -> {
            blocksRun.incrementAndGet();
            long end = System.nanoTime() + NANOS_PER_BLOCK;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        });
        long seq = q.submit(kernel);
        commands.put(id, new Submitted(q, seq, blocksRun));
    }

    long submitted() {
        return commands.size();
    }

    /** @return commands ended so far on every queue of the load */
    long finished() {
        return queues.stream().mapToLong(XQueue::finished).sum();
    }

    /**
     * Waits until the load's queues together have ended {@code count} more commands: the way to
     * let the load run for a while without sleeping for a time.
     */
    void awaitProgress(String what, long count) throws InterruptedException {
        long target = finished() + count;
        Eventually.until(what + " (" + count + " more commands ended)", () -> finished() >= target);
    }

    /** Stops submitting, waits for everything submitted (at most {@code timeout}) and counts. */
    Tally stopAndTally(Duration timeout) throws InterruptedException {
        stopping = true;
        for (Thread t : submitters) {
            t.join(Duration.ofSeconds(10));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long completed = 0;
        long lost = 0;
        long duplicated = 0;
        List<String> examples = new ArrayList<>();
        for (Submitted s : commands.values()) {
            Outcome outcome;
            try {
                outcome = s.queue().await(s.seq(), Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (TimeoutException e) {
                outcome = null;
            }
            int runs = s.blocksRun().get();
            if (outcome == Outcome.COMPLETED && runs == BLOCKS) {
                completed++;
            } else if (runs > BLOCKS) {
                duplicated++;
            } else {
                lost++;
            }
            if ((outcome != Outcome.COMPLETED || runs != BLOCKS) && examples.size() < 10) {
                examples.add(s.queue().name() + "#" + s.seq() + " " + outcome + " blocks run " + runs);
            }
        }
        return new Tally(commands.size(), completed, lost, duplicated, examples);
    }

    @Override
    public void close() {
        stopping = true;
        queues.forEach(XQueue::close);
    }
}
