package xsched.backend.cuda.internal;

import java.util.ArrayDeque;
import xsched.backend.cuda.CudaCommand;
import xsched.backend.cuda.QueueAccess;

/**
 * The commands a queue launched and has not yet seen complete, in launch order. A sync point
 * remembers how many had been launched when it was recorded; when it is reached those commands
 * retire, and when the driver reports an error for it instead (an asynchronous fault of a kernel
 * in that stretch, or a broken context) each of them fails with that error. Thread-safe: one
 * thread launches while others retire.
 */
final class LaunchLedger {
    private final ArrayDeque<CudaCommand> open = new ArrayDeque<>();
    private long launched;
    private long retired;

    /** @return the number of commands launched so far, this one included */
    synchronized long launched(CudaCommand command) {
        open.add(command);
        return ++launched;
    }

    /** @return commands launched so far */
    synchronized long launched() {
        return launched;
    }

    /** @return commands launched and not retired */
    synchronized int outstanding() {
        return open.size();
    }

    /**
     * Retires every command up to the {@code through}-th launched.
     *
     * @param through a count returned by {@link #launched(CudaCommand)} or {@link #launched()}
     * @param failure the error to give each of them, or {@code null} when they completed
     */
    synchronized void retire(long through, Throwable failure) {
        while (retired < through && !open.isEmpty()) {
            CudaCommand command = open.poll();
            retired++;
            if (failure != null) {
                QueueAccess.fail(command, failure);
            }
        }
    }
}
