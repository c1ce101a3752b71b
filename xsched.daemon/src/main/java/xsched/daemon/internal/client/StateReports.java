package xsched.daemon.internal.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import xsched.api.LaunchConfig;
import xsched.api.QueueState;
import xsched.api.XQueue;
import xsched.api.dto.QueueDTO;
import xsched.daemon.internal.protocol.Frame;

/**
 * The frames of one connection to the daemon, and for each queue opened on it the State last sent.
 * A queue's States are built and sent under that queue's own lock here, each numbered one above
 * the last, from what the queue shows at that moment: so they leave in the order of what they say,
 * whichever thread sends them (the edge fast path, a scheduling round, the refresh), and a State
 * goes out only when it says something the last did not. The daemon, in turn, never takes a State
 * numbered below one it took. A READY period that begins and ends between two States (its round
 * comes after it) is not lost: the next State, IDLE like the last, says that the queue
 * {@link Frame.State#arrived() arrived} since, from the queue's {@link XQueue#readySinceNanos()}.
 *
 * <p>Locking: a queue's lock here is the last one taken, after the policy's or the queue's own
 * (which the edge fast path may hold), and nothing under it takes either: it reads the queue's
 * readiness, suspension and level, which are volatile, and its counters, which take the queue's
 * lock, are read before it.
 */
final class StateReports {
    /** Before the first connection and between two: sends nothing, has no queue open. */
    static final StateReports NONE = new StateReports(frame -> { });

    private final Consumer<Frame.FromClient> out;
    private final Map<Long, Reported> queues = new ConcurrentHashMap<>();

    /** @param out where the connection's frames go */
    StateReports(Consumer<Frame.FromClient> out) {
        this.out = out;
    }

    /** @param frame a frame about no queue's state (a hint), sent as it is */
    void send(Frame.FromClient frame) {
        out.accept(frame);
    }

    /**
     * Sends a queue's Open and its first State; from then on {@link #report} sends its changes.
     *
     * @param x    the queue
     * @param open its Open frame
     */
    void open(XQueue x, Frame.Open open) {
        out.accept(open);
        queues.put(x.id(), new Reported());
        report(x, false);
    }

    /**
     * Sends a queue's Close, after which no State of it goes out; nothing for a queue not opened on
     * this connection.
     *
     * @param queueId the queue
     */
    void close(long queueId) {
        Reported r = queues.remove(queueId);
        if (r != null) {
            r.close(queueId);
        }
    }

    /**
     * Sends a queue's State when it has news: readiness, suspension or level other than the last
     * State said, or, when asked, counters that moved.
     *
     * @param x        a queue
     * @param counters whether moved counters alone are news
     * @return whether a State went out; false also for a queue not opened on this connection
     */
    boolean report(XQueue x, boolean counters) {
        return report(x, counters, null);
    }

    /**
     * Like {@link #report(XQueue, boolean) report(x, false)} for a scheduling round, which holds
     * the {@link RelayPolicy}'s lock: a queue whose readiness, suspension and level (volatile reads)
     * are what the last State said has no news, and the round leaves alone the queue's lock, which
     * the application's launching thread takes at every launch. Only for callers that every other
     * writer of this connection's States excludes (the policy's lock): the edge fast path runs
     * outside it, and a State it is building may not be the last one yet; the edge fast path
     * itself always takes the full path, so an edge is never lost.
     *
     * @param x a queue
     * @return whether a State went out
     */
    boolean reportFromRound(XQueue x) {
        Reported r = queues.get(x.id());
        return r != null && !r.sameAsLast(x) && report(r, x, false, null);
    }

    /**
     * Like {@link #report(XQueue, boolean)}, with the queue as its runtime lists it: its reach,
     * in-flight and pending counts go out too (the edge fast path, which has no listing, repeats
     * the last ones with the window as it is now).
     *
     * @param listed the queue's listing, or null
     */
    boolean report(XQueue x, boolean counters, QueueDTO listed) {
        Reported r = queues.get(x.id());
        return r != null && report(r, x, counters, listed);
    }

    private static boolean report(Reported r, XQueue x, boolean counters, QueueDTO listed) {
        // these take the queue's lock: never under r's
        long submitted = x.submitted();
        long finished = x.finished();
        return r.report(x, submitted, finished, counters, listed);
    }

    /** @return how long before {@code now} an edge at {@code at} was, or -1 for none ({@link Long#MIN_VALUE}) */
    private static long age(long at, long now) {
        return at == Long.MIN_VALUE ? -1 : Math.max(0, now - at);
    }

    /** @return the listed queue's reach with the window as the queue has it now */
    private static Frame.Reach reach(QueueDTO d, LaunchConfig window) {
        String stopsAt = d.stopsAt != null && Frame.Reach.STOPS_AT.contains(d.stopsAt) ? d.stopsAt : "";
        String note = d.levelNote == null ? "" : d.levelNote;
        return new Frame.Reach(Math.clamp(d.effectiveLevel, 0, 3), stopsAt, window.threshold(), window.batchSize(), RelayPolicy.clip(note));
    }

    /** One queue's last State, and the lock that orders its States. */
    private final class Reported {
        /** Written under this object's lock; read without it only by {@link #sameAsLast}. */
        private volatile Frame.State last;
        /** The queue's {@link XQueue#readySinceNanos()} as of the last State; the same locking. */
        private volatile long toldSince = Long.MIN_VALUE;
        /** The queue's {@link XQueue#drainedSinceNanos()} as of the last State; the same locking. */
        private volatile long toldDrained = Long.MIN_VALUE;
        private boolean closed;

        /**
         * @return whether a State has gone out and the queue's readiness, suspension and level
         *         are what it said, and it has neither turned READY nor drained since, read without
         *         locks (see {@link StateReports#reportFromRound})
         */
        boolean sameAsLast(XQueue x) {
            Frame.State l = last;
            return l != null && (x.state() == QueueState.READY) == l.ready() && x.suspended() == l.suspended()
                    && x.level().number() == l.level() && x.readySinceNanos() == toldSince && x.drainedSinceNanos() == toldDrained;
        }

        synchronized boolean report(XQueue x, long submitted, long finished, boolean counters, QueueDTO listed) {
            if (closed) {
                return false;
            }
            // the time before readiness and again after: a queue turns READY after its time is
            // written, so an IDLE read after a time means the period of that time has ended; a READY
            // read, that the time read after it is the current period's
            long before = x.readySinceNanos();
            boolean ready = x.state() == QueueState.READY;
            long since = ready ? x.readySinceNanos() : before;
            boolean suspended = x.suspended();
            long drained = x.drainedSinceNanos();
            int level = x.level().number();
            // the window as it is now, never as a listing (maybe older than the last State) or the last State had it
            LaunchConfig window = x.launchConfig();
            Frame.Reach was = last == null ? Frame.Reach.UNKNOWN : last.reach();
            Frame.Reach reach = listed != null ? reach(listed, window)
                    : new Frame.Reach(was.effectiveLevel(), was.stopsAt(), window.threshold(), window.batchSize(), was.note());
            int inFlight = listed != null ? Math.max(0, listed.inFlight) : last == null ? 0 : last.inFlight();
            int pending = listed != null ? Math.max(0, listed.pending) : last == null ? 0 : last.pending();
            long seq = 1;
            // the queue turned READY since the last State (none for the first: the daemon starts there)
            boolean arrived = last != null && since != toldSince;
            if (last != null) {
                // the counters were read before this lock, maybe before the last State's: they only grow
                submitted = Math.max(submitted, last.submitted());
                finished = Math.max(finished, last.finished());
                // IDLE then, IDLE now, READY in between: a job that came and went unseen is news
                boolean passed = arrived && !ready && !last.ready();
                boolean news = ready != last.ready() || suspended != last.suspended() || level != last.level() || passed
                        || drained != toldDrained
                        || counters && (submitted != last.submitted() || finished != last.finished() || inFlight != last.inFlight()
                                || pending != last.pending() || !reach.equals(last.reach()));
                if (!news) {
                    if (ready && last.ready()) {
                        // READY again after an IDLE unseen: the daemon's period goes on, nothing to tell
                        toldSince = since;
                    }
                    return false;
                }
                seq = last.seq() + 1;
            }
            long now = System.nanoTime();
            long idle = ready ? Long.MIN_VALUE : x.idleSinceNanos();
            // the drain's age goes out once, in the State after it: the daemon dates each one drain
            long drainedAge = drained != toldDrained ? age(drained, now) : -1;
            last = new Frame.State(x.id(), ready, suspended, level, submitted, finished, inFlight, pending, seq, reach, arrived,
                    age(since, now), age(idle, now), drainedAge);
            toldSince = since;
            toldDrained = drained;
            out.accept(last);
            return true;
        }

        synchronized void close(long queueId) {
            closed = true;
            out.accept(new Frame.Close(queueId));
        }
    }
}
