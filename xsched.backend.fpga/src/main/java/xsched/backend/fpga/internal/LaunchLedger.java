package xsched.backend.fpga.internal;

import java.util.ArrayDeque;
import xsched.backend.fpga.OpenClCommand;
import xsched.backend.fpga.QueueAccess;

/**
 * The commands a queue enqueued and has not yet seen complete, in launch order. A sync point
 * remembers how many had been launched when it was recorded; when it is reached they retire, and
 * when its event reports an error instead each of them fails with it. Thread-safe.
 */
final class LaunchLedger {
    private final ArrayDeque<OpenClCommand> open = new ArrayDeque<>();
    private long launched;
    private long retired;

    synchronized long launched(OpenClCommand command) {
        open.add(command);
        return ++launched;
    }

    synchronized long launched() {
        return launched;
    }

    synchronized void retire(long through, Throwable failure) {
        while (retired < through && !open.isEmpty()) {
            OpenClCommand command = open.poll();
            retired++;
            if (failure != null) {
                QueueAccess.fail(command, failure);
            }
        }
    }
}
