package xsched.policy.mlfq;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.IntToLongFunction;

/**
 * The level of every queue (0 is the top), the device time it used at that level in its current
 * burst (READY period), and its place in line within the level. A queue is placed at the top when
 * first seen; using up its level's quantum in one burst moves it one level down (or, at the bottom,
 * to the back of the line); a boost moves every queue back to the top. Used on the scheduler thread only.
 */
final class FeedbackLevels {
    private static final class Entry {
        int level;
        long usedNanos;
        long line;
    }

    private final Map<Long, Entry> entries = new HashMap<>();
    private long nextLine;

    /** Places queues not seen before at the top, in the order given, and forgets those that are gone. */
    void retain(Set<Long> present) {
        entries.keySet().retainAll(present);
        for (long id : present) {
            entries.computeIfAbsent(id, k -> {
                Entry e = new Entry();
                e.line = nextLine++;
                return e;
            });
        }
    }

    /**
     * Adds device time to a queue; when that uses up its quantum it moves down a level, or to the
     * back of the line on the bottom level.
     *
     * @param id       a queue
     * @param nanos    time it held the device
     * @param quantum  the quantum of a level
     * @param lowest   the bottom level
     */
    void charge(long id, long nanos, IntToLongFunction quantum, int lowest) {
        Entry e = entries.get(id);
        if (e == null) {
            return;
        }
        e.usedNanos += nanos;
        if (e.usedNanos >= quantum.applyAsLong(e.level)) {
            e.level = Math.min(lowest, e.level + 1);
            e.usedNanos = 0;
            e.line = nextLine++;
        }
    }

    /**
     * Ends a queue's burst: the next one starts with its level's full quantum.
     *
     * @param id a queue that is not READY
     */
    void idle(long id) {
        Entry e = entries.get(id);
        if (e != null) {
            e.usedNanos = 0;
        }
    }

    /** Moves every queue to the top, keeping their order in line. */
    void boost() {
        entries.values().forEach(e -> {
            e.level = 0;
            e.usedNanos = 0;
        });
    }

    int level(long id) {
        return entries.get(id).level;
    }

    /** @return the quantum a queue has left at its level */
    long left(long id, IntToLongFunction quantum) {
        Entry e = entries.get(id);
        return quantum.applyAsLong(e.level) - e.usedNanos;
    }

    /** @return the order in which queues get the device: higher level first, then first in line */
    Comparator<Long> order() {
        return Comparator.<Long>comparingInt(id -> entries.get(id).level).thenComparingLong(id -> entries.get(id).line);
    }

    void clear() {
        entries.clear();
        nextLine = 0;
    }
}
