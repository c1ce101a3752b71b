package xsched.backend.support;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The commands a queue launched and has not yet seen complete, in launch order. A sync point
 * remembers how many had been launched when it was recorded; when it is reached those commands
 * retire, and when the driver reports an error for it instead (an asynchronous fault of a command
 * in that stretch, or a broken context) each of them fails with that error. Thread-safe: one
 * thread launches while others retire.
 *
 * @param <C> the backend's command type
 */
public final class LaunchLedger<C> {
    private final ArrayDeque<C> open = new ArrayDeque<>();
    private final BiConsumer<? super C, ? super Throwable> fail;
    private long launched;
    private long retired;

    /** @param fail gives a command that retires with an error that error (e.g. {@code QueueAccess::fail}) */
    public LaunchLedger(BiConsumer<? super C, ? super Throwable> fail) {
        this.fail = Objects.requireNonNull(fail, "fail");
    }

    /** @return the number of commands launched so far, this one included */
    public synchronized long launched(C command) {
        open.add(command);
        return ++launched;
    }

    /** @return commands launched so far */
    public synchronized long launched() {
        return launched;
    }

    /** @return commands launched and not retired */
    public synchronized int outstanding() {
        return open.size();
    }

    /**
     * Retires every command up to the {@code through}-th launched.
     *
     * @param through a count returned by {@link #launched(Object)} or {@link #launched()}
     * @param failure the error to give each of them, or {@code null} when they completed
     */
    public synchronized void retire(long through, Throwable failure) {
        while (retired < through && !open.isEmpty()) {
            C command = open.poll();
            retired++;
            if (failure != null) {
                fail.accept(command, failure);
            }
        }
    }
}
