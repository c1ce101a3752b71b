package xsched.core.internal.sched;

/**
 * Unwinds a thread whose policy call came back after the watchdog had given up on it: the
 * scheduler's state belongs to another thread by then, so this one must leave without touching
 * it. An {@link Error} so that no {@code catch (RuntimeException)} on the way stops it; nothing in
 * the engine catches it except the scheduler loop, which ends the thread.
 */
final class CallAbandoned extends Error {
    private static final long serialVersionUID = 1L;

    static final CallAbandoned INSTANCE = new CallAbandoned();

    private CallAbandoned() {
        super("policy call abandoned", null, false, false);
    }
}
