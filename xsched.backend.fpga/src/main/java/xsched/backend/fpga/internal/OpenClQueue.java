package xsched.backend.fpga.internal;

import java.util.function.Consumer;
import xsched.backend.fpga.OpenClCommand;
import xsched.backend.fpga.OpenClDevice;
import xsched.backend.fpga.QueueAccess;
import xsched.backend.fpga.internal.ffm.OpenCl;
import xsched.backend.fpga.internal.ffm.QueueCalls;
import xsched.backend.support.EventQueue;
import xsched.spi.hal.HwCommand;

/**
 * Level 1 over one in-order OpenCL command queue: commands are enqueued as they are launched, a
 * sync point is a marker's event ({@code clEnqueueMarkerWithWaitList}, then {@code clFlush} so the
 * device starts), reached per {@code CL_EVENT_COMMAND_EXECUTION_STATUS} or {@code clWaitForEvents}.
 * Free-threaded: OpenCL calls are thread-safe since 1.1 except {@code clSetKernelArg} on a shared
 * kernel, which {@code NDRangeLaunch} guards. Locking, the ledger and closing are {@link
 * EventQueue}'s.
 */
public final class OpenClQueue extends EventQueue<OpenClCommand> {
    private final OpenClDevice device;
    private final long queue;
    private final Consumer<OpenClQueue> onClose;

    /**
     * Creates the command queue.
     *
     * @param device  the device
     * @param onClose told once the queue was closed (the backend forgets it)
     */
    public OpenClQueue(OpenClDevice device, Consumer<OpenClQueue> onClose) {
        super("the OpenCL queue on " + device.id(), QueueAccess::fail);
        this.device = device;
        this.onClose = onClose;
        this.queue = OpenCl.createQueue(QueueAccess.context(device), QueueAccess.handle(device));
    }

    @Override
    public void accept(HwCommand command) {
        QueueAccess.admit(command, device);
    }

    @Override
    protected OpenClCommand admit(HwCommand command) {
        return QueueAccess.forQueueOn(command, device);
    }

    @Override
    protected void enqueue(OpenClCommand command) {
        QueueAccess.enqueue(command, queue);
    }

    @Override
    protected long placeEvent() {
        long event = QueueCalls.marker(queue);
        try {
            OpenCl.flush(queue);
        } catch (RuntimeException e) {
            OpenCl.releaseEvent(event);
            throw e;
        }
        return event;
    }

    @Override
    protected boolean eventReached(long event) {
        int status = QueueCalls.status(event);
        if (status > OpenCl.CL_COMPLETE) {
            return false;
        }
        if (status != OpenCl.CL_COMPLETE) {
            throw OpenCl.error(status, "a command before the marker", "CL_EVENT_COMMAND_EXECUTION_STATUS is an error");
        }
        return true;
    }

    @Override
    protected void awaitEvent(long event) {
        int rc = QueueCalls.waitFor(event);
        if (rc != OpenCl.CL_SUCCESS) {
            int status = safeStatus(event);
            throw OpenCl.error(rc, "clWaitForEvents", status < 0 ? "the marker's status is " + OpenCl.errorName(status) : null);
        }
    }

    private static int safeStatus(long event) {
        try {
            return QueueCalls.status(event);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** Releases a closed point's event (events are reference-counted: valid after the queue's release too). */
    @Override
    protected void releaseEvent(long event, boolean afterClose) {
        OpenCl.releaseEvent(event);
    }

    @Override
    protected void drain() {
        OpenCl.finish(queue);
    }

    @Override
    protected void free() {
        OpenCl.releaseQueue(queue);
    }

    @Override
    protected void closed() {
        onClose.accept(this);
    }

    @Override
    public String toString() {
        return "OpenClQueue[" + device.id() + " 0x" + Long.toHexString(queue) + "]";
    }
}
