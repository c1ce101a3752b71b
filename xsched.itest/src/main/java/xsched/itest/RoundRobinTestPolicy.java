package xsched.itest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * A third party's policy, written against {@code xsched.spi.policy} alone: on each device one READY
 * queue runs at a time, the READY queues taking turns of a fixed slice. Queues that are not READY
 * are resumed, so new work starts and raises an edge.
 */
final class RoundRobinTestPolicy implements SchedulingPolicy {
    static final String NAME = "roundrobin-test";

    private final long sliceNanos;
    private final Map<String, Long> running = new HashMap<>();
    private final Map<String, Long> sliceEnd = new HashMap<>();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong turns = new AtomicLong();

    RoundRobinTestPolicy(long sliceNanos) {
        this.sliceNanos = sliceNanos;
    }

    @Override
    public void schedule(SchedulerStatus status, PolicyContext context) {
        calls.incrementAndGet();
        long now = status.nanoTime();
        Map<String, List<Long>> ready = new LinkedHashMap<>();
        for (QueueStatus q : status.queues()) {
            if (q.ready()) {
                ready.computeIfAbsent(q.deviceId(), d -> new ArrayList<>()).add(q.id());
            } else {
                context.resume(q.id());
            }
        }
        running.keySet().retainAll(ready.keySet());
        ready.forEach((device, ids) -> {
            Long current = running.get(device);
            long end = sliceEnd.getOrDefault(device, 0L);
            long pick;
            if (current != null && ids.contains(current) && now < end) {
                pick = current;
            } else {
                int next = current == null ? 0 : nextAfter(ids, current);
                pick = ids.get(next);
                end = now + sliceNanos;
                running.put(device, pick);
                sliceEnd.put(device, end);
                turns.incrementAndGet();
            }
            for (long id : ids) {
                if (id != pick) {
                    context.suspend(id);
                }
            }
            context.resume(pick);
            if (ids.size() > 1) {
                context.timer(end);
            }
        });
    }

    private static int nextAfter(List<Long> ids, long current) {
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i) > current) {
                return i;
            }
        }
        return 0;
    }

    @Override
    public void reset() {
        running.clear();
        sliceEnd.clear();
    }

    long calls() {
        return calls.get();
    }

    long turns() {
        return turns.get();
    }
}
