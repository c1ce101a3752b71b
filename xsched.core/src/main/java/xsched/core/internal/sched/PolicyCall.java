package xsched.core.internal.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import xsched.spi.policy.SchedulingPolicy;

/**
 * One policy call in progress under the watchdog. Two threads race to end it and the first wins:
 *
 * <pre>
 * RUNNING ──returned()──▶ RETURNED    (the calling thread, when the policy came back in time)
 *    └─────abandon()────▶ ABANDONED   (the watchdog, once the deadline has passed)
 * </pre>
 */
final class PolicyCall {
    private static final int RUNNING = 0, RETURNED = 1, ABANDONED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(PolicyCall.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SchedulingPolicy policy;
    private final String name;
    private final String what;
    private final Thread thread = Thread.currentThread();
    private final long startedNanos = System.nanoTime();
    @SuppressWarnings("unused") // through STATE
    private volatile int state = RUNNING;

    PolicyCall(SchedulingPolicy policy, String name, String what) {
        this.policy = policy;
        this.name = name;
        this.what = what;
    }

    /** @return true when the call came back in time; false when it had been abandoned */
    boolean returned() {
        return STATE.compareAndSet(this, RUNNING, RETURNED);
    }

    /** @return true when this call was still running and is now abandoned */
    boolean abandon() {
        return STATE.compareAndSet(this, RUNNING, ABANDONED);
    }

    boolean running() {
        return state == RUNNING;
    }

    SchedulingPolicy policy() {
        return policy;
    }

    String name() {
        return name;
    }

    String what() {
        return what;
    }

    Thread thread() {
        return thread;
    }

    long startedNanos() {
        return startedNanos;
    }
}
