package xsched.backend.host;

import xsched.spi.hal.HwCommand;

/**
 * A command the host XPU runs. Every host command may be held back before it starts and
 * launched again, so each is deactivatable. A command object is submitted once.
 */
public abstract sealed class HostCommand implements HwCommand permits HostKernel, HostTask {
    private final String name;
    private volatile boolean claimed;
    private volatile boolean completed;
    private volatile Throwable failure;

    HostCommand(String name) {
        this.name = name;
    }

    @Override
    public boolean deactivatable() {
        return true;
    }

    /** @return true once the command has run to its end (or failed) */
    public boolean completed() {
        return completed;
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    @Override
    public String describe() {
        return name;
    }

    synchronized boolean claim() {
        if (claimed) {
            return false;
        }
        claimed = true;
        return true;
    }

    /** Runs on a worker of the device until done or until the owner's stop mode says stop. */
    abstract void execute(StopSignal stop, int worker);

    void finish(Throwable failed) {
        failure = failed;
        completed = true;
    }
}
