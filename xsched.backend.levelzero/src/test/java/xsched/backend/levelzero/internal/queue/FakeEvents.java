package xsched.backend.levelzero.internal.queue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import xsched.backend.levelzero.internal.ze.ZeResults;

/** Events as numbers 1, 2, …; each reports what the test set for it ({@code NOT_READY} until then). */
final class FakeEvents implements EventSource {
    final Map<Long, Integer> status = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    private long next = 1;
    boolean awaitSignals = true;

    @Override
    public synchronized long take() {
        long e = next++;
        calls.add("take " + e);
        return e;
    }

    void signal(long event) {
        status.put(event, ZeResults.SUCCESS);
    }

    @Override
    public synchronized int status(long event) {
        return status.getOrDefault(event, ZeResults.NOT_READY);
    }

    @Override
    public synchronized int await(long event) {
        calls.add("await " + event);
        if (awaitSignals) {
            status.putIfAbsent(event, ZeResults.SUCCESS);
        }
        return status.getOrDefault(event, ZeResults.NOT_READY);
    }

    @Override
    public synchronized void recycle(long event) {
        calls.add("recycle " + event);
    }

    @Override
    public synchronized void close() {
        calls.add("close");
    }
}
