package xsched.backend.host;

import java.util.BitSet;
import java.util.List;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/**
 * A hardware queue on a {@link HostDevice}; all three preempt levels. Every call takes the device's
 * lock, so any thread may drive it (free-threaded); its commands run on the device's workers: all of
 * them, or those of the partition it was opened on.
 */
final class HostQueue implements HwQueue.Interruptible, HwQueue.FreeThreaded, HwQueue.CommandThreads, StopSignal {
    private enum Mode { RUN, DEACTIVATED, INTERRUPTED }

    private final HostDevice device;
    private final HostPartition partition;
    /** Written under the device lock; read by running work without it. */
    private volatile Mode mode = Mode.RUN;

    /** @param partition where its work runs, or null for every worker of the device */
    HostQueue(HostDevice device, HostPartition partition) {
        this.device = device;
        this.partition = partition;
    }

    /** @return the workers its work may run on, or null for all; never changed */
    BitSet workers() {
        return partition == null ? null : partition.workers();
    }

    @Override
    public void accept(HwCommand command) {
        if (!(command instanceof HostCommand hc)) {
            throw new IllegalArgumentException("a host queue runs HostKernel and HostTask commands, not "
                    + (command == null ? "null" : command.getClass().getName()));
        }
        if (!hc.claim()) {
            throw new IllegalArgumentException("command '" + hc.describe() + "' was already submitted; build a new one");
        }
    }

    @Override
    public void launch(HwCommand command) {
        device.launch(this, (HostCommand) command);
    }

    @Override
    public SyncPoint record() {
        HostSyncPoint point = new HostSyncPoint();
        device.record(this, point);
        return point;
    }

    @Override
    public void synchronize() throws InterruptedException {
        record().await();
    }

    @Override
    public void deactivate() {
        device.stop(this, false);
    }

    @Override
    public void reactivate(List<HwCommand> log) {
        device.restart(this, log);
    }

    @Override
    public void interrupt() {
        device.stop(this, true);
    }

    /** Device lock held. */
    void stopMode(boolean interrupt) {
        mode = interrupt ? Mode.INTERRUPTED : Mode.DEACTIVATED;
    }

    /** Device lock held. */
    void runMode() {
        mode = Mode.RUN;
    }

    @Override
    public void restore(List<HwCommand> log) {
        reactivate(log);
    }

    @Override
    public boolean stopRequested() {
        return mode != Mode.RUN;
    }

    @Override
    public boolean interruptRequested() {
        return mode == Mode.INTERRUPTED;
    }

    @Override
    public boolean runsCommandsOn(Thread thread) {
        return device.runsOn(thread);
    }

    @Override
    public void close() {
        if (partition != null) {
            partition.split().queueClosed();
        }
    }
}
