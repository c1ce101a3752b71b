package xsched.core.internal.queue;

import java.util.Map;
import java.util.TreeMap;
import xsched.api.Outcome;
import xsched.api.XQueue;

/**
 * What has ended in one queue. Launched commands complete in order, so one number says which
 * completed; failures and drops are kept as ranges of sequence numbers, looked up in O(log n).
 * Records are bounded: ranges that end more than {@link XQueue#OUTCOME_WINDOW} sequence numbers
 * before the newest submission (and before every command still open) are pruned, and a lookup
 * below that horizon throws. Guarded by the queue's lock.
 */
final class CompletionBook {
    private record Ended(long last, Outcome outcome, Throwable failure) {
    }

    private final int window;
    private final TreeMap<Long, Ended> ranges = new TreeMap<>();
    private long completedThrough;
    private long ended;
    private long failedOrDropped;
    private long prunedThrough;

    CompletionBook() {
        this(XQueue.OUTCOME_WINDOW);
    }

    CompletionBook(int window) {
        this.window = window;
    }

    /** Every launched command up to {@code seq} has ended; {@code count} of them just now. */
    void completed(long seq, int count) {
        completedThrough = Math.max(completedThrough, seq);
        ended += count;
    }

    /** A launched command that ended (it is counted by {@link #completed}) failed. */
    void failed(long seq, Throwable failure) {
        ranges.put(seq, new Ended(seq, Outcome.FAILED, failure));
        failedOrDropped++;
    }

    /** Commands that were never launched ended: dropped, or failed with {@code failure}. */
    void unlaunched(long firstSeq, long lastSeq, Outcome outcome, Throwable failure) {
        if (lastSeq >= firstSeq) {
            ranges.put(firstSeq, new Ended(lastSeq, outcome, failure));
            ended += lastSeq - firstSeq + 1;
            failedOrDropped += lastSeq - firstSeq + 1;
        }
    }

    /**
     * @param seq a sequence number at most the newest submitted
     * @return its outcome, or null while it has not ended
     * @throws IllegalStateException when its record was pruned
     */
    Outcome outcome(long seq) {
        Ended e = find(seq);
        if (e != null) {
            return e.outcome();
        }
        return seq <= completedThrough ? Outcome.COMPLETED : null;
    }

    /** @return the failure of a failed command, else null */
    Throwable failure(long seq) {
        Ended e = find(seq);
        return e == null ? null : e.failure();
    }

    private Ended find(long seq) {
        if (seq <= prunedThrough) {
            throw new IllegalStateException("command " + seq + " ended more than " + window
                    + " commands ago; its outcome is no longer kept");
        }
        Map.Entry<Long, Ended> floor = ranges.floorEntry(seq);
        return floor != null && floor.getValue().last() >= seq ? floor.getValue() : null;
    }

    /**
     * Forgets ranges that end at or below the horizon: {@code window} before {@code newest}, and
     * below {@code oldestOpen}, the oldest command not yet ended.
     */
    void prune(long newest, long oldestOpen) {
        long horizon = Math.min(newest - window, oldestOpen - 1);
        if (horizon <= prunedThrough) {
            return;
        }
        prunedThrough = horizon;
        while (!ranges.isEmpty() && ranges.firstEntry().getValue().last() <= horizon) {
            ranges.pollFirstEntry();
        }
    }

    /** @return commands ended (completed, failed or dropped) */
    long ended() {
        return ended;
    }

    /** @return commands that completed without failing */
    long completedCount() {
        return ended - failedOrDropped;
    }

    /** @return records kept, for memory reports and tests */
    int records() {
        return ranges.size();
    }
}
