package xsched.core.internal.sched;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import xsched.spi.policy.PolicyContext;

/**
 * What one policy run decided: the last word per queue wins. It keeps its timers to itself, so a
 * run that is abandoned or fails leaves nothing behind in the engine.
 */
final class Decisions implements PolicyContext {
    private final Map<Long, Boolean> run = new LinkedHashMap<>();
    private final List<Long> timers = new ArrayList<>();
    private final long now;

    Decisions(long now) {
        this.now = now;
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

    List<Long> timers() {
        return timers;
    }
}
