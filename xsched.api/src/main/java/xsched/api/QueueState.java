package xsched.api;

/** Whether an {@link XQueue} has work. */
public enum QueueState {
    /** Nothing pending and nothing in flight. */
    IDLE,
    /** Commands pending or in flight. */
    READY
}
