package xsched.backend.cuda.internal;

/**
 * How many gated queues of one CUDA context may be stopped behind a closed gate at once. A stream
 * blocked on a closed gate holds one of the context's hardware connections ({@link
 * DeviceConnections}); once every connection is held, nothing else in the context runs, so the
 * budget is {@code connections / 2 - 1} (15 of 32, 3 of the driver's default 8): at least half of
 * the connections, and one more, stay free for foreground streams and the control stream that
 * opens the gates. A deactivation that finds the budget spent does not close its gate; the queue
 * falls back to level 1 for that stop (see {@code GatedStreamQueue}). Thread-safe.
 */
public final class GateBudget {
    private final int budget;
    private int closed;
    private long fallbacks;
    private int peak;

    /** @param connections the context's hardware connections */
    GateBudget(int connections) {
        this.budget = budgetFor(connections);
    }

    /**
     * @param connections the context's hardware connections
     * @return how many gates may be closed at once
     */
    public static int budgetFor(int connections) {
        return Math.max(0, connections / 2 - 1);
    }

    /** @return whether a gate may close; if so, the caller must {@link #release()} it once reopened */
    synchronized boolean tryAcquire() {
        if (closed >= budget) {
            fallbacks++;
            return false;
        }
        closed++;
        peak = Math.max(peak, closed);
        return true;
    }

    /** A gate taken with {@link #tryAcquire()} is open again. */
    synchronized void release() {
        if (closed <= 0) {
            throw new IllegalStateException("gate budget released more often than acquired");
        }
        closed--;
    }

    /** @return how many gates may be closed at once */
    public int budget() {
        return budget;
    }

    /** @return gates closed now */
    public synchronized int closed() {
        return closed;
    }

    /** @return the most gates closed at once so far */
    public synchronized int peak() {
        return peak;
    }

    /** @return deactivations that fell back to level 1 because the budget was spent */
    public synchronized long fallbacks() {
        return fallbacks;
    }

    @Override
    public synchronized String toString() {
        return "gates closed " + closed + "/" + budget + " (peak " + peak + "), " + fallbacks + " fallbacks to level 1";
    }
}
