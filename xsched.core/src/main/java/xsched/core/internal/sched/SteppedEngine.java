package xsched.core.internal.sched;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.core.engine.EngineClock;
import xsched.core.engine.RoundResult;
import xsched.core.engine.ScheduledQueue;
import xsched.core.engine.SteppedScheduler;
import xsched.core.internal.sched.EngineEvent.Closed;
import xsched.core.internal.sched.EngineEvent.Edge;
import xsched.core.internal.sched.EngineEvent.GlobalTimeslice;
import xsched.core.internal.sched.EngineEvent.Opened;
import xsched.core.internal.sched.EngineEvent.PolicyChange;
import xsched.core.internal.sched.EngineEvent.QueueHintsSet;
import xsched.spi.policy.QueueHints;
import xsched.spi.policy.SchedulingPolicy;

/** The scheduler round on the caller's thread: policies are called directly, with no watchdog. */
final class SteppedEngine implements SteppedScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(SteppedEngine.class);

    private final SchedulerCore core;

    SteppedEngine(EngineClock clock) {
        core = new SchedulerCore(Objects.requireNonNull(clock, "clock"), PolicyCalls.DIRECT,
                (name, policy, reason) -> LOG.warn("{}", reason));
    }

    @Override
    public void opened(ScheduledQueue queue) {
        core.offer(new Opened(queue));
    }

    @Override
    public void edge(ScheduledQueue queue) {
        core.offer(new Edge(queue.id()));
    }

    @Override
    public void closed(ScheduledQueue queue) {
        core.offer(new Closed(queue.id()));
    }

    @Override
    public void queueHints(long queueId, QueueHints hints) {
        core.offer(new QueueHintsSet(queueId, Objects.requireNonNull(hints, "hints")));
    }

    @Override
    public void globalTimeslice(long nanos) {
        core.offer(new GlobalTimeslice(nanos));
    }

    @Override
    public void policy(String name, SchedulingPolicy policy) {
        core.offer(new PolicyChange(name, policy));
    }

    @Override
    public RoundResult runRound() {
        return core.round(true);
    }

    @Override
    public OptionalLong nextTimerNanos() {
        return core.nextTimerNanos();
    }

    @Override
    public List<Long> pendingTimers() {
        return core.pendingTimers();
    }
}
