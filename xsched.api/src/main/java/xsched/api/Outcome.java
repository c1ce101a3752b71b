package xsched.api;

/** How a submitted command ended. */
public enum Outcome {
    /** It ran to completion on the device. */
    COMPLETED,
    /** It was dropped before it was launched (see {@link XQueue#resume(boolean)}). */
    DROPPED,
    /** It ran and failed; {@link XQueue#failure(long)} tells why. */
    FAILED
}
