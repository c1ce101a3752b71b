package xsched.core.internal.queue;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.SyncPoint;

/**
 * The commands a queue has launched and not yet seen end, oldest first, and the sync points
 * recorded behind them. Guarded by the queue's lock; the hardware calls happen outside it.
 */
final class InFlightWindow {
    private final ArrayDeque<HwCommand> commands = new ArrayDeque<>();
    private final LongRing seqs = new LongRing();
    private final ArrayDeque<SyncSlot> slots = new ArrayDeque<>();
    private final Map<HwCommand, Throwable> launchFailures = new IdentityHashMap<>();
    private int sinceSync;
    private long typicalSyncNanos;

    void launched(HwCommand command, long seq) {
        commands.add(command);
        seqs.add(seq);
        sinceSync++;
    }

    void launchFailed(HwCommand command, Throwable failure) {
        launchFailures.put(command, failure);
    }

    int size() {
        return commands.size();
    }

    boolean isEmpty() {
        return commands.isEmpty();
    }

    int sinceSync() {
        return sinceSync;
    }

    long oldestSeq() {
        return seqs.peek();
    }

    long newestSeq() {
        return seqs.peekLast();
    }

    /** @return whether a sync point stands behind the newest launched command */
    boolean tailCovered() {
        return commands.isEmpty() || (!slots.isEmpty() && slots.peekLast().through == seqs.peekLast());
    }

    void recorded(SyncPoint point, long through, long now) {
        slots.add(new SyncSlot(point, through, now));
        sinceSync = 0;
    }

    SyncSlot oldestSlot() {
        return slots.peek();
    }

    boolean hasSlots() {
        return !slots.isEmpty();
    }

    /** @return the newest slot that covers less than {@code seq}, or null */
    SyncSlot newestSlotBefore(long seq) {
        for (var it = slots.descendingIterator(); it.hasNext(); ) {
            SyncSlot slot = it.next();
            if (slot.through < seq) {
                return slot;
            }
        }
        return null;
    }

    /** @return the oldest slot at or behind {@code seq}, or null */
    SyncSlot slotCovering(long seq) {
        for (SyncSlot slot : slots) {
            if (slot.through >= seq) {
                return slot;
            }
        }
        return null;
    }

    /** @return how long sync points took to be reached, smoothed; 0 before the first */
    long typicalSyncNanos() {
        return typicalSyncNanos;
    }

    /**
     * {@code slot} was reached: it and every older slot retire, and so do the commands they cover.
     *
     * @return an {@link Error} a command threw when asked for its failure, to fail the queue with; else null
     */
    Error retireThrough(SyncSlot slot, CompletionBook book, long now) {
        if (slot.gone()) {
            return null;
        }
        while (!slots.isEmpty()) {
            SyncSlot head = slots.poll();
            head.leave();
            if (head == slot) {
                break;
            }
        }
        long took = now - slot.recordedAt;
        typicalSyncNanos = typicalSyncNanos == 0 ? took : (typicalSyncNanos * 7 + took) / 8;
        return retireCommands(slot.through, book);
    }

    /**
     * The device finished every launched command through {@code through} (the application
     * synchronized their stream): they retire, and so do the slots at or behind it, unasked.
     *
     * @return an {@link Error} a command threw when asked for its failure, to fail the queue with; else null
     */
    Error retireLaunchedThrough(long through, CompletionBook book) {
        while (!slots.isEmpty() && slots.peek().through <= through) {
            slots.poll().leave();
        }
        return retireCommands(through, book);
    }

    private Error retireCommands(long through, CompletionBook book) {
        int count = 0;
        Error error = null;
        while (!commands.isEmpty() && seqs.peek() <= through) {
            HwCommand done = commands.poll();
            long seq = seqs.poll();
            Throwable failure = launchFailures.isEmpty() ? null : launchFailures.remove(done);
            if (failure == null) {
                try {
                    failure = done.failure();
                } catch (Throwable t) {
                    failure = t;
                    if (t instanceof Error e && error == null) {
                        error = e;
                    }
                }
            }
            if (failure != null) {
                book.failed(seq, failure);
            }
            count++;
        }
        book.completed(through, count);
        return error;
    }

    /** Every slot leaves the window (a deactivation cancelled them, or the hardware queue is gone). */
    void dropSlots() {
        slots.forEach(SyncSlot::leave);
        slots.clear();
        sinceSync = commands.size();
    }

    /** @return the launched commands, oldest first, as a view to read under the queue's lock */
    Iterable<HwCommand> launched() {
        return Collections.unmodifiableCollection(commands);
    }

    /**
     * @return the launched commands, oldest first, for a relaunch; without the launches the
     *         application made through its direct lane, which the queue cannot make again
     */
    List<HwCommand> log() {
        return commands.stream().filter(c -> c != DirectLaunches.MADE).toList();
    }

    /** Every launched command ends FAILED with {@code reason}; the window is emptied. */
    void failAll(CompletionBook book, Throwable reason) {
        dropSlots();
        int count = 0;
        long last = 0;
        while (!commands.isEmpty()) {
            commands.poll();
            last = seqs.poll();
            book.failed(last, reason);
            count++;
        }
        launchFailures.clear();
        sinceSync = 0;
        if (count > 0) {
            book.completed(last, count);
        }
    }
}
