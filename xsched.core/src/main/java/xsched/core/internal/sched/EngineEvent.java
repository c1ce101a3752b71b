package xsched.core.internal.sched;

import java.util.concurrent.CountDownLatch;
import xsched.api.Hint;
import xsched.core.engine.ScheduledQueue;
import xsched.spi.policy.QueueHints;
import xsched.spi.policy.SchedulingPolicy;

/** What reaches the scheduler between two rounds. */
sealed interface EngineEvent {
    /** @param queue a queue to schedule from now on */
    record Opened(ScheduledQueue queue) implements EngineEvent {
    }

    /** @param queueId an open queue whose readiness may have changed */
    record Edge(long queueId) implements EngineEvent {
    }

    /** @param queueId a queue to forget */
    record Closed(long queueId) implements EngineEvent {
    }

    /** @param hint a validated hint */
    record HintGiven(Hint hint) implements EngineEvent {
    }

    /** @param queueId a queue @param hints every hint of it, replacing those in force */
    record QueueHintsSet(long queueId, QueueHints hints) implements EngineEvent {
    }

    /** @param nanos the default timeslice, 0 for none */
    record GlobalTimeslice(long nanos) implements EngineEvent {
    }

    /** @param name its name @param policy the policy, or null for none */
    record PolicyChange(String name, SchedulingPolicy policy) implements EngineEvent {
    }

    /** Asks for a round of the policy: its inputs changed outside the scheduler. */
    record Wake() implements EngineEvent {
    }

    /** @param latch counted down once every event before it has been handled and applied */
    record Barrier(CountDownLatch latch) implements EngineEvent {
    }
}
