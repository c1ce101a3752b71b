package xsched.backend.levelzero.internal.queue;

import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.backend.levelzero.QueueAccess;
import xsched.backend.levelzero.ZeCommand;
import xsched.backend.levelzero.ZeDevice;
import xsched.backend.levelzero.ZeException;
import xsched.backend.levelzero.internal.ze.LevelZero;
import xsched.backend.levelzero.internal.ze.ZeResults;
import xsched.backend.support.EventQueue;
import xsched.backend.support.EventSyncPoint;
import xsched.backend.support.LaunchLedger;
import xsched.spi.hal.HwCommand;

/**
 * Level 1 over one Level Zero command list ({@link Submission}): commands are appended as they are
 * launched, with a barrier between consecutive commands — Level Zero API 1.4 has no in-order list,
 * and without a barrier commands of one list may overlap — so the queue runs them one after another
 * like a stream. A sync point is an event signalled by a barrier behind everything launched ({@link
 * EventSyncPoint} over {@link LaunchLedger}), reached per {@code zeEventQueryStatus} or {@code
 * zeEventHostSynchronize}; an error status fails the commands before it.
 *
 * <p>Free-threaded: the core makes launches and records one at a time; queries, waits and points
 * given back may come from other threads (Level Zero's event calls are thread-safe, and {@link
 * EventSource} is). Locking, the ledger and closing are {@link EventQueue}'s. The NPU backend
 * embeds this class too.
 */
public final class ZeQueue extends EventQueue<ZeCommand> {
    private static final Logger LOG = LoggerFactory.getLogger(ZeQueue.class);

    /** System property: {@code immediate}, {@code lists} or {@code auto} (the default: immediate where the driver has it). */
    public static final String SUBMISSION_PROPERTY = "xsched.levelzero.submission";

    private final ZeDevice device;
    private final Submission submission;
    private final EventSource events;
    private final Object appending = new Object();
    private final Consumer<ZeQueue> onClose;
    private boolean barrierDue;

    /**
     * @param device     the device
     * @param submission its command list, which the queue now owns
     * @param events     its sync-point events, which the queue now owns
     * @param onClose    told once the queue was closed (the backend forgets it)
     */
    public ZeQueue(ZeDevice device, Submission submission, EventSource events, Consumer<ZeQueue> onClose) {
        super("the Level Zero queue on " + device.id(), QueueAccess::fail);
        this.device = device;
        this.submission = submission;
        this.events = events;
        this.onClose = onClose;
    }

    /**
     * Opens a queue on a device: an immediate list where the driver has them (and {@value
     * #SUBMISSION_PROPERTY} does not say {@code lists}), else a command queue fed with lists.
     *
     * @param device  the device; its context stays alive until the queue is closed
     * @param onClose told once the queue was closed
     * @return the queue
     */
    public static ZeQueue open(ZeDevice device, Consumer<ZeQueue> onClose) {
        QueueAccess.acquire(device);
        Submission submission = null;
        try {
            submission = submission(device);
            ZeQueue queue = new ZeQueue(device, submission, new EventPool(QueueAccess.context(device)), q -> {
                QueueAccess.release(device);
                onClose.accept(q);
            });
            LOG.debug("opened a {} queue on {}", submission.mode(), device.id());
            return queue;
        } catch (RuntimeException | Error e) {
            if (submission != null) {
                submission.close();
            }
            QueueAccess.release(device);
            throw e;
        }
    }

    private static Submission submission(ZeDevice device) {
        String mode = System.getProperty(SUBMISSION_PROPERTY, "auto").strip().toLowerCase(Locale.ROOT);
        switch (mode) {
            case "lists" -> {
                return new ListSubmission(device);
            }
            case "immediate" -> {
                return new ImmediateSubmission(device);
            }
            case "auto" -> {
                try {
                    return new ImmediateSubmission(device);
                } catch (ZeException e) {
                    if (e.result() != ZeResults.ERROR_UNSUPPORTED_FEATURE) {
                        throw e;
                    }
                    return new ListSubmission(device);
                }
            }
            default -> throw new IllegalArgumentException(SUBMISSION_PROPERTY + " must be immediate, lists or auto, not '" + mode + "'");
        }
    }

    /** @return how this queue hands work to the device */
    public String mode() {
        return submission.mode();
    }

    @Override
    public void accept(HwCommand command) {
        QueueAccess.admit(command, device);
    }

    @Override
    protected ZeCommand admit(HwCommand command) {
        return QueueAccess.forQueueOn(command, device);
    }

    @Override
    protected void enqueue(ZeCommand command) {
        synchronized (appending) {
            if (barrierDue) {
                submission.barrier(0);
                barrierDue = false;
            }
            submission.append(command);
            barrierDue = true;
        }
    }

    @Override
    protected long placeEvent() {
        long event = events.take();
        try {
            signalBehindAll(event);
        } catch (RuntimeException e) {
            events.recycle(event);
            throw e;
        }
        return event;
    }

    private void signalBehindAll(long event) {
        synchronized (appending) {
            submission.barrier(event);
            barrierDue = false;
            submission.flush();
        }
    }

    @Override
    protected boolean eventReached(long event) {
        int rc = events.status(event);
        if (rc == ZeResults.NOT_READY) {
            return false;
        }
        check(rc, "zeEventQueryStatus", "a command before the sync point failed");
        return true;
    }

    /** Blocks until the point's event is signalled or reports an error; never gives up (level 1). */
    @Override
    protected void awaitEvent(long event) {
        check(events.await(event), "zeEventHostSynchronize", "a command before the sync point failed");
    }

    private static void check(int rc, String function, String detail) {
        if (rc != ZeResults.SUCCESS) {
            throw LevelZero.error(rc, function, detail);
        }
    }

    /** Gives a closed point's event back for reuse; after {@link #close()} the events are gone already. */
    @Override
    protected void releaseEvent(long event, boolean afterClose) {
        if (!afterClose) {
            events.recycle(event);
        }
    }

    /** Signals an event behind everything launched and waits for it. */
    @Override
    protected void drain() {
        long event = events.take();
        try {
            signalBehindAll(event);
            check(events.await(event), "zeEventHostSynchronize", "a command of the queue failed");
        } finally {
            events.recycle(event);
        }
    }

    /** Releases the list and the events. */
    @Override
    protected void free() {
        try {
            submission.close();
        } finally {
            events.close();
        }
    }

    @Override
    protected void closed() {
        onClose.accept(this);
    }

    @Override
    public String toString() {
        return "ZeQueue[" + device.id() + ", " + submission.mode() + "]";
    }
}
