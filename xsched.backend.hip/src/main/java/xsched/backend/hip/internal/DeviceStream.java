package xsched.backend.hip.internal;

import xsched.backend.hip.HipCommand;

/**
 * One HIP stream on one device as {@link HipStreamQueue} drives it: enqueue, events, synchronize.
 * {@link NativeStream} is the real one; the queue's bookkeeping (ledger, sync points, events
 * released exactly once) is tested without a GPU against a fake. Every method may throw a {@code
 * RuntimeException} ({@link xsched.backend.hip.HipException} from the runtime).
 */
public interface DeviceStream {
    /** Enqueues a command; a failure is the command's. */
    void enqueue(HipCommand command);

    /** @return a new event recorded behind everything enqueued so far */
    long recordEvent();

    /** @return whether the event completed; throws when the runtime reports an error for it instead */
    boolean eventReached(long event);

    /** Blocks until the event completed; throws when the runtime reports an error instead. */
    void awaitEvent(long event);

    /** Destroys an event. */
    void destroyEvent(long event);

    /** Blocks until everything enqueued completed; throws an asynchronous error of that work. */
    void synchronize();

    /** Destroys the stream; called once, after {@link #synchronize()}. */
    void destroy();
}
