package xsched.backend.host;

import java.util.Objects;

/**
 * A host function run on the device engine in queue order, like a CUDA host callback or a copy.
 * It is not split, so a deactivation waits for a running task to end.
 */
public final class HostTask extends HostCommand {
    private final Runnable body;

    private HostTask(String name, Runnable body) {
        super(name);
        this.body = body;
    }

    /**
     * @param name a label
     * @param body what to run
     * @return a command for one submission
     */
    public static HostTask of(String name, Runnable body) {
        return new HostTask(Objects.requireNonNull(name, "name"), Objects.requireNonNull(body, "body"));
    }

    @Override
    void execute(StopSignal stop, int worker) {
        if (completed()) {
            return;
        }
        try {
            body.run();
            finish(null);
        } catch (RuntimeException | Error e) {
            finish(e);
        }
    }
}
