package xsched.policy.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import xsched.spi.policy.PolicyContext;

/**
 * A {@link PolicyContext} that applies nothing and remembers what the policy asked for: the last
 * decision per queue ({@code true} for resume, {@code false} for suspend) and every timer, in the
 * order asked. Its clock stands still at the time it is given.
 *
 * <pre>{@code
 * RecordingContext ctx = new RecordingContext();
 * policy.schedule(new SchedulerStatusBuilder(queues).build(), ctx);
 * assertThat(ctx.decided()).containsEntry(1L, true).containsEntry(2L, false);
 * }</pre>
 */
public final class RecordingContext implements PolicyContext {
    private final Map<Long, Boolean> decided = new LinkedHashMap<>();
    private final List<Long> timers = new ArrayList<>();
    private long nanoTime;
    private boolean timersRefused;

    /** A context whose clock reads 0. */
    public RecordingContext() {
        this(0);
    }

    /** @param nanoTime what {@link #nanoTime()} returns until {@link #at} moves it */
    public RecordingContext(long nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * Makes every later {@link #timer} call fail, for policies that must never ask for one.
     *
     * @return this
     */
    public RecordingContext refuseTimers() {
        timersRefused = true;
        return this;
    }

    /**
     * Sets the clock.
     *
     * @param nanoTime what {@link #nanoTime()} returns from now on
     * @return this
     */
    public RecordingContext at(long nanoTime) {
        this.nanoTime = nanoTime;
        return this;
    }

    /**
     * Forgets the decisions and timers recorded so far, typically before the next
     * {@code schedule} call; the clock stays.
     *
     * @return this
     */
    public RecordingContext clear() {
        decided.clear();
        timers.clear();
        return this;
    }

    /**
     * @return the last decision per queue id since the last {@link #clear()}: {@code true} if
     *         resumed, {@code false} if suspended; a read-only live view, in the order the queues
     *         were first decided
     */
    public Map<Long, Boolean> decided() {
        return Collections.unmodifiableMap(decided);
    }

    /** @return the times asked for since the last {@link #clear()}, in the order asked; a read-only live view */
    public List<Long> timers() {
        return Collections.unmodifiableList(timers);
    }

    /**
     * Records a suspend decision.
     *
     * @param queueId the queue
     */
    @Override
    public void suspend(long queueId) {
        decided.put(queueId, false);
    }

    /**
     * Records a resume decision.
     *
     * @param queueId the queue
     */
    @Override
    public void resume(long queueId) {
        decided.put(queueId, true);
    }

    /**
     * Records a timer.
     *
     * @param atNanos the time asked for
     * @throws AssertionError if timers are {@linkplain #refuseTimers() refused}
     */
    @Override
    public void timer(long atNanos) {
        if (timersRefused) {
            throw new AssertionError("the policy asked for a timer at " + atNanos + " ns, but this test expects none");
        }
        timers.add(atNanos);
    }

    /** @return the time set at construction or by {@link #at} */
    @Override
    public long nanoTime() {
        return nanoTime;
    }
}
