package xsched.daemon.internal.server;

import java.time.Duration;
import java.util.OptionalLong;
import xsched.api.LaunchConfig;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueState;
import xsched.api.XpuDevice;
import xsched.api.dto.QueueDTO;
import xsched.core.engine.ForeignQueue;
import xsched.daemon.internal.protocol.Frame;
import xsched.spi.hal.HwCommand;

/**
 * A queue of a client process as the daemon's runtime sees it. The client reports its state;
 * the daemon's decisions ({@link #suspend()}, {@link #resume(boolean)}, {@link #level},
 * {@link #launchConfig(LaunchConfig)}) go back to it as frames. {@link #suspended()} is the
 * daemon's last decision, so the engine never repeats one while the client is applying it; the
 * DTO shows what the client reported.
 */
final class RemoteQueue implements ForeignQueue {
    private final long id;
    private final long localId;
    private final ClientSession session;
    private final String name;
    private final XpuDevice device;
    private volatile boolean wantSuspended;
    private volatile Frame.State state;
    /** The furthest back an edge is dated by a report's age; an older one is not dated. */
    private static final long MAX_EDGE_AGE_NANOS = 1_000_000_000L;
    private volatile long readySince = Long.MIN_VALUE;
    private volatile long idleSince = Long.MIN_VALUE;
    private volatile long drainedSince = Long.MIN_VALUE;
    private volatile LaunchConfig launch;

    RemoteQueue(long id, ClientSession session, Frame.Open open) {
        this.id = id;
        this.localId = open.queue();
        this.session = session;
        this.name = open.name();
        this.device = new XpuDevice(open.deviceId(), open.platform(), DeviceKinds.parse(open.kind()), open.deviceName(),
                PreemptLevel.of(open.maxLevel()));
        this.state = new Frame.State(localId, false, false, open.level(), 0, 0, 0, 0, 0);
        this.launch = new LaunchConfig(open.threshold(), Math.min(open.batchSize(), open.threshold()));
    }

    long localId() {
        return localId;
    }

    ClientSession session() {
        return session;
    }

    /**
     * Takes a state report, unless the client sent it before the last one taken (its sequence
     * number is not above that one's): a report never overwrites a newer one. Reports of protocol
     * version 1 have no number and are taken in the order they come. Called by the session's reader
     * only.
     *
     * <p>An IDLE report after an IDLE one that says the queue {@link Frame.State#arrived() arrived}
     * tells of a READY period that began and ended between the two: it starts a new {@link
     * #readySinceNanos()} as a READY report would, and is an edge too, so that a policy that counts
     * arrivals sees the job it never saw READY. Edges are dated by the report's ages (version 4),
     * so an edge's time is when it happened in the client rather than when it was heard of.
     *
     * <p>A report whose drained age (version 5) dates a new drain of the suspended queue's work
     * sets {@link #drainedSinceNanos()}; the scheduler hears of it as of an edge, so that a policy
     * measuring drains learns it in the next round.
     *
     * @return whether readiness changed, a READY period passed unseen, or the queue drained (what
     *         the scheduler must hear of)
     */
    boolean report(Frame.State report) {
        Frame.State last = state;
        if (report.seq() != 0 && report.seq() <= last.seq()) {
            return false;
        }
        boolean was = last.ready();
        boolean passed = !was && !report.ready() && report.arrived();
        long now = System.nanoTime();
        long ready = readySince;
        long idle = idleSince;
        if (report.ready() && !was || passed) {
            // after the last edge of either kind: a READY edge dated before the last IDLE one would merge two jobs
            long at = dated(report.readyAgeNanos(), later(ready, idle), now);
            ready = at == Long.MIN_VALUE ? now : at;
        }
        if (!report.ready() && (was || passed)) {
            idle = dated(report.idleAgeNanos(), ready, now);
        }
        // a client sends a drain's age once, in the State after the drain
        long drained = report.drainedAgeNanos() >= 0 ? dated(report.drainedAgeNanos(), drainedSince, now) : Long.MIN_VALUE;
        boolean drainedNow = drained != Long.MIN_VALUE;
        if (drainedNow) {
            drainedSince = drained;
        }
        // the IDLE time first: a round reads the READY time first (see QueueRecord)
        idleSince = idle;
        readySince = ready;
        state = report;
        return was != report.ready() || passed || drainedNow;
    }

    /**
     * @param age   how long before the report was built the edge was, -1 when it does not say
     * @param after the edge before it ({@link Long#MIN_VALUE} for none): a client's wrong age must
     *              not date an edge at or before it
     * @param now   this JVM's clock now
     * @return when the edge was, on this JVM's clock: the age back from now; {@link Long#MIN_VALUE}
     *         when the report does not say, the age is over {@value #MAX_EDGE_AGE_NANOS} ns or it
     *         dates the edge at or before the one before (the scheduler then takes its own time)
     */
    private static long dated(long age, long after, long now) {
        if (age < 0 || age > MAX_EDGE_AGE_NANOS) {
            return Long.MIN_VALUE;
        }
        long at = now - age;
        return after == Long.MIN_VALUE || at - after > 0 ? at : Long.MIN_VALUE;
    }

    /** @return the later of two edge times, {@link Long#MIN_VALUE} standing for none */
    private static long later(long a, long b) {
        if (a == Long.MIN_VALUE) {
            return b;
        }
        return b == Long.MIN_VALUE || a - b > 0 ? a : b;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public XpuDevice device() {
        return device;
    }

    @Override
    public long pid() {
        return session.peer().pid();
    }

    @Override
    public long uid() {
        return session.peer().uid();
    }

    @Override
    public boolean ready() {
        return state.ready();
    }

    @Override
    public long readySinceNanos() {
        return readySince;
    }

    @Override
    public long idleSinceNanos() {
        return idleSince;
    }

    @Override
    public long drainedSinceNanos() {
        return drainedSince;
    }

    @Override
    public void describe(QueueDTO dto) {
        Frame.State s = state;
        dto.uid = session.peer().uid();
        dto.client = session.clientName();
        dto.suspended = s.suspended();
        dto.submitted = s.submitted();
        dto.finished = s.finished();
        dto.inFlight = s.inFlight();
        dto.pending = s.pending();
        Frame.Reach reach = s.reach();
        if (reach.known()) {
            // a client of version 3 lists its queue's reach; an older one leaves the level it asked for
            dto.effectiveLevel = reach.effectiveLevel();
            dto.stopsAt = reach.stopsAt().isEmpty() ? null : reach.stopsAt();
            dto.levelNote = reach.note().isEmpty() ? null : reach.note();
        }
        if (reach.threshold() > 0 && reach.batchSize() > 0) {
            dto.threshold = reach.threshold();
            dto.batchSize = reach.batchSize();
        }
        dto.status = s.suspended() != wantSuspended ? (wantSuspended ? "suspend sent" : "resume sent")
                : s.suspended() ? "suspended" : s.ready() ? "running" : "idle";
    }

    @Override
    public void suspend() {
        wantSuspended = true;
        session.send(new Frame.Suspend(localId));
    }

    @Override
    public void resume(boolean dropPending) {
        wantSuspended = false;
        session.send(new Frame.Resume(localId, dropPending));
    }

    @Override
    public boolean suspended() {
        return wantSuspended;
    }

    @Override
    public QueueState state() {
        return state.ready() ? QueueState.READY : QueueState.IDLE;
    }

    @Override
    public LaunchConfig launchConfig() {
        return launch;
    }

    @Override
    public void launchConfig(LaunchConfig config) {
        launch = config;
        session.send(new Frame.Configure(localId, 0, config.threshold(), config.batchSize()));
    }

    @Override
    public PreemptLevel level() {
        return PreemptLevel.of(state.level());
    }

    @Override
    public void level(PreemptLevel level) {
        if (level.number() > device.maxLevel().number()) {
            throw new IllegalArgumentException("device " + device.id() + " of queue " + id + " offers up to Lv"
                    + device.maxLevel().number() + ", not Lv" + level.number());
        }
        session.send(new Frame.Configure(localId, level.number(), 0, 0));
    }

    @Override
    public long submitted() {
        return state.submitted();
    }

    @Override
    public long finished() {
        return state.finished();
    }

    private UnsupportedOperationException elsewhere() {
        return new UnsupportedOperationException("queue " + id + " runs in process " + pid() + " ('" + session.clientName()
                + "'); its commands are submitted and awaited there");
    }

    @Override
    public long submit(HwCommand command) {
        throw elsewhere();
    }

    @Override
    public OptionalLong offer(HwCommand command, Duration timeout) {
        throw elsewhere();
    }

    @Override
    public Outcome await(long seq) {
        throw elsewhere();
    }

    @Override
    public Outcome await(long seq, Duration timeout) {
        throw elsewhere();
    }

    @Override
    public void awaitAll() {
        throw elsewhere();
    }

    @Override
    public Outcome outcome(long seq) {
        throw elsewhere();
    }

    @Override
    public Throwable failure(long seq) {
        throw elsewhere();
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException("queue " + id + " belongs to process " + pid() + " ('" + session.clientName()
                + "'); it closes there");
    }

    @Override
    public String toString() {
        return "queue " + id + " ('" + name + "', client queue " + localId + " of pid " + pid() + ")";
    }
}
