package xsched.backend.levelzero.internal.queue;

import xsched.backend.levelzero.ZeCommand;

/**
 * How one hardware queue hands work to the device: an immediate command list ({@link
 * ImmediateSubmission}, each append goes to the device at once) or a command queue fed with closed
 * lists ({@link ListSubmission}, a batch goes at each {@link #flush()}). {@link ZeQueue} calls these
 * one at a time.
 */
public interface Submission extends AutoCloseable {
    /** @return the mode's name, for listings */
    String mode();

    /** Appends a command. */
    void append(ZeCommand command);

    /** Appends a barrier behind everything appended before; {@code signalEvent} (0 for none) is signalled when it is passed. */
    void barrier(long signalEvent);

    /** Hands what was appended since the last flush to the device. */
    void flush();

    /** Waits for everything handed over, then releases the native objects. */
    @Override
    void close();
}
