package xsched.backend.hip.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.backend.hip.HipCommand;
import xsched.backend.hip.HipDevice;
import xsched.backend.hip.QueueAccess;
import xsched.backend.support.EventQueue;
import xsched.backend.support.EventSyncPoint;
import xsched.backend.support.LaunchLedger;
import xsched.spi.hal.HwCommand;

/**
 * Level 1 over one HIP stream: commands are enqueued as they are launched; a sync point is an event
 * recorded on the stream ({@link EventSyncPoint}), reached per {@code hipEventQuery} or awaited with
 * {@code hipEventSynchronize}; an error reported for it fails the commands before it ({@link
 * LaunchLedger}). Free-threaded: HIP calls are thread-safe and the stream binds its device in every
 * call. Locking, the ledger and closing are {@link EventQueue}'s.
 *
 * <p>Each sync point creates its event and destroys it when the point is closed; events of points
 * still open when the queue closes are destroyed with it. (The CUDA backend pools its events; that
 * pool lives in the CUDA bundle, not in {@code xsched.backend.support}, so it is not shared here.)
 */
public final class HipStreamQueue extends EventQueue<HipCommand> {
    private static final Logger LOG = LoggerFactory.getLogger(HipStreamQueue.class);

    private final HipDevice device;
    private final DeviceStream stream;
    private final Set<Long> events = new HashSet<>();
    private final Consumer<HipStreamQueue> onClose;

    /**
     * @param device  the device
     * @param stream  its stream, which the queue destroys when closed
     * @param onClose told once the queue was closed (the backend forgets it)
     */
    public HipStreamQueue(HipDevice device, DeviceStream stream, Consumer<HipStreamQueue> onClose) {
        super("the HIP queue on " + Objects.requireNonNull(device, "device").id(), QueueAccess::fail);
        this.device = device;
        this.stream = Objects.requireNonNull(stream, "stream");
        this.onClose = Objects.requireNonNull(onClose, "onClose");
    }

    @Override
    public void accept(HwCommand command) {
        QueueAccess.admit(command, device);
    }

    @Override
    protected HipCommand admit(HwCommand command) {
        return QueueAccess.forQueueOn(command, device);
    }

    @Override
    protected void enqueue(HipCommand command) {
        stream.enqueue(command);
    }

    @Override
    protected long placeEvent() {
        long event = stream.recordEvent();
        synchronized (events) {
            events.add(event);
        }
        return event;
    }

    @Override
    protected boolean eventReached(long event) {
        return stream.eventReached(event);
    }

    @Override
    protected void awaitEvent(long event) {
        stream.awaitEvent(event);
    }

    /** Destroys a closed point's event, unless the queue's close already did. */
    @Override
    protected void releaseEvent(long event, boolean afterClose) {
        boolean ours;
        synchronized (events) {
            ours = events.remove(event);
        }
        if (ours && !afterClose) {
            stream.destroyEvent(event);
        }
    }

    @Override
    protected void drain() {
        stream.synchronize();
    }

    /** @return events of sync points not closed yet */
    public int liveEvents() {
        synchronized (events) {
            return events.size();
        }
    }

    /** Destroys the events still held, then the stream. */
    @Override
    protected void free() {
        List<Long> left;
        synchronized (events) {
            left = List.copyOf(events);
            events.clear();
        }
        for (long event : left) {
            try {
                stream.destroyEvent(event);
            } catch (RuntimeException e) {
                LOG.debug("destroying event 0x{} of a closed queue on {} failed", Long.toHexString(event), device.id(), e);
            }
        }
        stream.destroy();
    }

    @Override
    protected void closed() {
        onClose.accept(this);
    }

    @Override
    public String toString() {
        return "HipStreamQueue[" + device.id() + " " + stream + "]";
    }
}
