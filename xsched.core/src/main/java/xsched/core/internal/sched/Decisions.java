package xsched.core.internal.sched;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import xsched.spi.policy.PolicyContext;

/** What one policy run decided: the last word per queue wins. */
final class Decisions implements PolicyContext {
    private final Map<Long, Boolean> run = new LinkedHashMap<>();
    private final PriorityQueue<Long> timers;
    private final long now;

    Decisions(long now, PriorityQueue<Long> timers) {
        this.now = now;
        this.timers = timers;
    }

    @Override
    public void suspend(long queueId) {
        run.put(queueId, Boolean.FALSE);
    }

    @Override
    public void resume(long queueId) {
        run.put(queueId, Boolean.TRUE);
    }

    @Override
    public void timer(long atNanos) {
        timers.add(atNanos);
    }

    @Override
    public long nanoTime() {
        return now;
    }

    Map<Long, Boolean> decided() {
        return run;
    }
}
