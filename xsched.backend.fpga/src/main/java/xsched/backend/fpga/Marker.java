package xsched.backend.fpga;

import xsched.backend.fpga.internal.ffm.OpenCl;
import xsched.backend.fpga.internal.ffm.QueueCalls;

/**
 * A marker ({@code clEnqueueMarkerWithWaitList}): completes when every command before it in the
 * queue has; its completion through the XQueue says that point was passed.
 */
public final class Marker extends OpenClCommand {
    private Marker(OpenClDevice device) {
        super(device);
    }

    /** @param device the device @return a marker for one submission */
    public static Marker on(OpenClDevice device) {
        return new Marker(device);
    }

    @Override
    void checkResources() {
    }

    @Override
    void enqueue(long queue) {
        OpenCl.releaseEvent(QueueCalls.marker(queue));
    }

    @Override
    public String describe() {
        return "marker";
    }
}
