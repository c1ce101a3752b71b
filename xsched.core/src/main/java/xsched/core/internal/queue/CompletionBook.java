package xsched.core.internal.queue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import xsched.api.Outcome;

/**
 * What has ended in one queue. Launched commands complete in order, so one number says which
 * completed; drops and failures are rare and kept aside. Guarded by the queue's lock.
 */
final class CompletionBook {
    private long completedThrough;
    private long completedCount;
    private long droppedCount;
    private final List<long[]> droppedRanges = new ArrayList<>();
    private final Map<Long, Throwable> failures = new HashMap<>();

    void completed(long seq, int count) {
        completedThrough = seq;
        completedCount += count;
    }

    void failed(long seq, Throwable failure) {
        failures.put(seq, failure);
    }

    void dropped(long firstSeq, long lastSeq) {
        if (lastSeq >= firstSeq) {
            droppedRanges.add(new long[] {firstSeq, lastSeq});
            droppedCount += lastSeq - firstSeq + 1;
        }
    }

    Outcome outcome(long seq) {
        for (long[] range : droppedRanges) {
            if (seq >= range[0] && seq <= range[1]) {
                return Outcome.DROPPED;
            }
        }
        if (seq <= completedThrough) {
            return failures.containsKey(seq) ? Outcome.FAILED : Outcome.COMPLETED;
        }
        return null;
    }

    Throwable failure(long seq) {
        return failures.get(seq);
    }

    long finished() {
        return completedCount + droppedCount;
    }

    long completedCount() {
        return completedCount;
    }

    long droppedCount() {
        return droppedCount;
    }
}
