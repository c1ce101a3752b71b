package xsched.daemon.internal.protocol;

import xsched.api.Hint;

/**
 * One message of the node protocol ({@code docs/protocol.md}). Client frames travel from an
 * application to the daemon, server frames back. Queue ids in every frame are the client's own
 * (its local queue ids); the daemon maps them to its node-wide ids.
 */
public sealed interface Frame {
    /**
     * Protocol version of this build: 2 numbers a queue's {@link State} frames, 3 adds how far a
     * stop of the queue reaches and its launch window ({@link Reach}), 4 when and whether the queue
     * turned READY and IDLE, 5 when its work last drained while suspended.
     */
    int VERSION = 5;
    /** First four bytes of a hello: "XSCH". */
    int MAGIC = 0x58534348;

    /** Frames from a client. */
    sealed interface FromClient extends Frame {
    }

    /** Frames from the daemon. */
    sealed interface FromServer extends Frame {
    }

    /** First frame of a client: who it says it is (its identity comes from the socket). */
    record Hello(int version, int capabilities, String clientName) implements FromClient {
    }

    /** A queue the client opened. */
    record Open(long queue, String name, String deviceId, String platform, String kind, String deviceName, int maxLevel,
            int level, int threshold, int batchSize) implements FromClient {
    }

    /** A queue the client closed. */
    record Close(long queue) implements FromClient {
    }

    /**
     * A queue's state: sent on every READY/IDLE edge and when its counters moved. {@code seq} numbers
     * a queue's States on a connection, from 1 up, so that the daemon never takes one sent before the
     * last it took; version 1 has no number (0 here), and its States are taken in the order they come.
     * {@code reach} came with version 3 ({@link Reach#UNKNOWN} before). Version 4 added
     * {@code arrived}: the queue turned READY since its last State on the connection, so that on an
     * IDLE State after an IDLE one a READY period began and ended between the two, unseen; and
     * {@code readyAgeNanos}: how long before the State was built the queue last turned READY, so
     * that the daemon dates that edge by when it happened rather than by when it heard of it (-1
     * when the queue never was READY, or before version 4, with {@code arrived} false); and
     * {@code idleAgeNanos} the same for its last IDLE edge (-1 when READY, when it never turned IDLE,
     * or before version 4). Version 5 added {@code drainedAgeNanos}: how long before the State was
     * built the queue's launched work last all ended while it was suspended ({@code
     * XQueue.drainedSinceNanos}), sent in the first State after that drain only (-1 in the others,
     * and before version 5), so that each drain is dated once.
     */
    record State(long queue, boolean ready, boolean suspended, int level, long submitted, long finished, int inFlight,
            int pending, long seq, Reach reach, boolean arrived, long readyAgeNanos, long idleAgeNanos, long drainedAgeNanos)
            implements FromClient {
        public State {
            java.util.Objects.requireNonNull(reach, "reach");
            if (readyAgeNanos < -1) {
                throw new IllegalArgumentException("ready age " + readyAgeNanos + " ns (must be -1 or more)");
            }
            if (idleAgeNanos < -1) {
                throw new IllegalArgumentException("idle age " + idleAgeNanos + " ns (must be -1 or more)");
            }
            if (drainedAgeNanos < -1) {
                throw new IllegalArgumentException("drained age " + drainedAgeNanos + " ns (must be -1 or more)");
            }
        }

        /** A State that says nothing of a drain (as version 4 sends). */
        public State(long queue, boolean ready, boolean suspended, int level, long submitted, long finished, int inFlight,
                     int pending, long seq, Reach reach, boolean arrived, long readyAgeNanos, long idleAgeNanos) {
            this(queue, ready, suspended, level, submitted, finished, inFlight, pending, seq, reach, arrived, readyAgeNanos, idleAgeNanos,
                    -1);
        }

        /** A State that says neither whether nor when the queue turned READY (as versions 1 to 3 send). */
        public State(long queue, boolean ready, boolean suspended, int level, long submitted, long finished, int inFlight,
                     int pending, long seq, Reach reach) {
            this(queue, ready, suspended, level, submitted, finished, inFlight, pending, seq, reach, false, -1, -1);
        }

        /** A State that says nothing of its queue's reach (as versions 1 and 2 send). */
        public State(long queue, boolean ready, boolean suspended, int level, long submitted, long finished, int inFlight,
                     int pending, long seq) {
            this(queue, ready, suspended, level, submitted, finished, inFlight, pending, seq, Reach.UNKNOWN);
        }
    }

    /**
     * How far a stop of a queue reaches now, and its launch window, as the client's runtime lists
     * them ({@code QueueDTO.effectiveLevel}, {@code stopsAt}, {@code levelNote}, {@code threshold},
     * {@code batchSize}); in State frames from version 3.
     *
     * @param effectiveLevel 1…3, or 0 when not known
     * @param stopsAt        one of {@link #STOPS_AT}; "" when not known
     * @param threshold      the launch window's threshold; 0 when not known
     * @param batchSize      its batch size; 0 when not known
     * @param note           why the reach is below the level, naming the command; "" when it is not
     */
    record Reach(int effectiveLevel, String stopsAt, int threshold, int batchSize, String note) {
        /** The values of {@link #stopsAt}, in their order on the wire (before {@link #UNKNOWN}, which the constructor checks against it). */
        public static final java.util.List<String> STOPS_AT = java.util.List.of("", "launch", "command", "part", "interrupt");
        /** What a State of version 1 or 2 says: nothing. */
        public static final Reach UNKNOWN = new Reach(0, "", 0, 0, "");

        public Reach {
            java.util.Objects.requireNonNull(stopsAt, "stopsAt");
            java.util.Objects.requireNonNull(note, "note");
            if (!STOPS_AT.contains(stopsAt)) {
                throw new IllegalArgumentException("stops at '" + stopsAt + "' (allowed: " + STOPS_AT + ")");
            }
            if (effectiveLevel < 0 || effectiveLevel > 3 || threshold < 0 || batchSize < 0) {
                throw new IllegalArgumentException("reach out of range: level " + effectiveLevel + " (0…3), window " + threshold + "/"
                        + batchSize + " (not negative)");
            }
        }

        /** @return whether the client said anything (a version 3 client whose runtime listed the queue) */
        public boolean known() {
            return effectiveLevel != 0;
        }
    }

    /** How a hint names what it is about. */
    enum TargetKind {
        /** The whole node. */
        GLOBAL,
        /** One of the client's own queues, by its client-side id. */
        OWN_QUEUE,
        /** Any queue of the node, by its node id. */
        NODE_QUEUE,
        /** A process. */
        PROCESS
    }

    /** A hint; {@code hint}'s own target is ignored in favour of {@code targetKind}/{@code target}. */
    record HintFrame(TargetKind targetKind, long target, Hint hint) implements FromClient {
    }

    /** Asks the daemon to run another policy. */
    record SetPolicy(String name) implements FromClient {
    }

    /** The daemon's answer to {@link Hello}. */
    record Welcome(int version, int capabilities, long daemonPid, long peerPid, long peerUid, String policy)
            implements FromServer {
    }

    /** A queue of the client is known to the daemon under a node id. */
    record Opened(long queue, long nodeId) implements FromServer {
    }

    /** Stop launching the queue's work. */
    record Suspend(long queue) implements FromServer {
    }

    /** Run the queue again, dropping what it holds unlaunched when asked. */
    record Resume(long queue, boolean drop) implements FromServer {
    }

    /** Change a queue's level (0: unchanged) or launch window (0: unchanged). */
    record Configure(long queue, int level, int threshold, int batchSize) implements FromServer {
    }

    /** A request the daemon refused, with a message for a person. */
    record Refused(int requestType, long queue, String message) implements FromServer {
    }

    /** The active policy changed. */
    record PolicyChanged(String name) implements FromServer {
    }
}
