package xsched.backend.host;

import xsched.spi.hal.PartitionSplit;

/**
 * A host device's workers split in two: the first {@code reserved} workers and the rest. Holds no
 * resource of its own (the workers belong to the device); it counts the queues opened on it, so
 * that opening one after {@link #close()} is refused.
 */
final class HostSplit implements PartitionSplit {
    private final HostPartition reserved;
    private final HostPartition complement;
    private int queues;
    private boolean closed;

    HostSplit(HostDevice device, int reserved) {
        if (reserved < 1 || reserved >= device.workers()) {
            throw new IllegalArgumentException("cannot reserve " + reserved + " of " + device.workers() + " workers of "
                    + device.description().id() + ": a partition takes 1…" + (device.workers() - 1));
        }
        this.reserved = HostPartition.of(device, 0, reserved, this);
        this.complement = HostPartition.of(device, reserved, device.workers(), this);
    }

    @Override
    public HostPartition reserved() {
        return reserved;
    }

    @Override
    public HostPartition complement() {
        return complement;
    }

    /** A queue is opened on a side of this split. */
    synchronized void queueOpened() {
        if (closed) {
            throw new IllegalArgumentException("partition split " + reserved.name() + " | " + complement.name() + " is closed");
        }
        queues++;
    }

    synchronized void queueClosed() {
        queues--;
    }

    /** @return queues open on it */
    synchronized int queues() {
        return queues;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return reserved.name() + " | " + complement.name();
    }
}
