package xsched.backend.levelzero.internal.queue;

import xsched.backend.levelzero.QueueAccess;
import xsched.backend.levelzero.ZeCommand;
import xsched.backend.levelzero.ZeDevice;
import xsched.backend.levelzero.internal.ze.ZeQueueCalls;

/** An asynchronous immediate command list: appends reach the device at once; nothing to flush. */
final class ImmediateSubmission implements Submission {
    private final long list;

    /**
     * @throws xsched.backend.levelzero.ZeException with {@code ZE_RESULT_ERROR_UNSUPPORTED_FEATURE}
     *         where the driver has no immediate lists
     */
    ImmediateSubmission(ZeDevice device) {
        this.list = ZeQueueCalls.createImmediateList(QueueAccess.context(device), QueueAccess.handle(device),
                QueueAccess.queueOrdinal(device), ZeQueueCalls.MODE_ASYNCHRONOUS);
    }

    @Override
    public String mode() {
        return "immediate list";
    }

    @Override
    public void append(ZeCommand command) {
        QueueAccess.append(command, list);
    }

    @Override
    public void barrier(long signalEvent) {
        ZeQueueCalls.appendBarrier(list, signalEvent);
    }

    @Override
    public void flush() {
    }

    /** The queue waited for its last event before; the list is destroyed. */
    @Override
    public void close() {
        ZeQueueCalls.destroyList(list);
    }
}
