package xsched.backend.host;

/** What a host queue's preemption asks of the work running for it. */
interface StopSignal {
    /** @return whether work must stop at the next block boundary */
    boolean stopRequested();

    /** @return whether idempotent work must stop at its next interrupt point */
    boolean interruptRequested();
}
